"""Two-factor codes are single-use: the user keeps the time step of the last accepted code
(user.totp_last_step, RFC 6238 section 5.2).

Revision ID: 0101_totp_last_step
Revises: 0100_invitation_links
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0101_totp_last_step"
down_revision = "0100_invitation_links"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
