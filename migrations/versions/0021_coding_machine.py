"""coding machine side: passage analysis, candidate themes, near-duplicate groups

Revision ID: 0021_coding_machine
Revises: 0020_coding
Create Date: 2026-11-29 02:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_coding_machine'
down_revision = '0020_coding'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('passage_analysis',
    sa.Column('passage_id', sa.Integer(), nullable=False),
    sa.Column('polarity', sa.Float(), nullable=True),
    sa.Column('subjectivity', sa.Float(), nullable=True),
    sa.Column('key_phrases', sa.JSON(), nullable=False),
    sa.Column('text_hash', sa.String(length=64), nullable=False),
    sa.Column('analysed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['passage_id'], ['passage.id'], name=op.f('fk_passage_analysis_passage_id_passage'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_passage_analysis')),
    sa.UniqueConstraint('passage_id', name=op.f('uq_passage_analysis_passage_id'))
    )
    op.create_table('candidate_theme',
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('top_phrases', sa.JSON(), nullable=False),
    sa.Column('example_passage_ids', sa.JSON(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'accepted', 'dismissed', 'merged', name='candidatestatus', native_enum=False, length=30), nullable=False),
    sa.Column('accepted_theme_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['accepted_theme_id'], ['theme.id'], name=op.f('fk_candidate_theme_accepted_theme_id_theme'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_candidate_theme_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'], name=op.f('fk_candidate_theme_reviewed_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate_theme'))
    )
    with op.batch_alter_table('candidate_theme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_theme_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('passage_group',
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('representative_id', sa.Integer(), nullable=True),
    sa.Column('similarity', sa.Float(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_passage_group_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['representative_id'], ['passage.id'], name=op.f('fk_passage_group_representative_id_passage'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_passage_group'))
    )
    with op.batch_alter_table('passage_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passage_group_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('passage_group_member',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('passage_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['passage_group.id'], name=op.f('fk_passage_group_member_group_id_passage_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['passage_id'], ['passage.id'], name=op.f('fk_passage_group_member_passage_id_passage'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_passage_group_member')),
    sa.UniqueConstraint('passage_id', name=op.f('uq_passage_group_member_passage_id'))
    )
    with op.batch_alter_table('passage_group_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passage_group_member_group_id'), ['group_id'], unique=False)


def downgrade():
    with op.batch_alter_table('passage_group_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passage_group_member_group_id'))
    op.drop_table('passage_group_member')
    with op.batch_alter_table('passage_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passage_group_consultation_id'))
    op.drop_table('passage_group')
    with op.batch_alter_table('candidate_theme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_theme_consultation_id'))
    op.drop_table('candidate_theme')
    op.drop_table('passage_analysis')
