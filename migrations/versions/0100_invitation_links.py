"""Earlier invitation links keep working after a reminder (survey_invitation_link).

Revision ID: 0100_invitation_links
Revises: 0099_merge_features
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0100_invitation_links"
down_revision = "0099_merge_features"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "survey_invitation_link",
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["survey_invitation.id"],
            name=op.f("fk_survey_invitation_link_invitation_id_survey_invitation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_invitation_link")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_survey_invitation_link_token_hash")),
    )
    with op.batch_alter_table("survey_invitation_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_invitation_link_invitation_id"), ["invitation_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("survey_invitation_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_invitation_link_invitation_id"))
    op.drop_table("survey_invitation_link")
