"""coding: themes, codings, memos

Revision ID: 0020_coding
Revises: 0001_foundation
Create Date: 2026-11-29 02:31:42.215705

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_coding'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('theme',
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('inclusion_notes', sa.Text(), nullable=True),
    sa.Column('exclusion_notes', sa.Text(), nullable=True),
    sa.Column('examples', sa.JSON(), nullable=False),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.Column('stance', sa.Enum('for', 'against', name='stance', native_enum=False, length=10), nullable=True),
    sa.Column('colour', sa.String(length=7), nullable=False),
    sa.Column('status', sa.Enum('active', 'merged', 'retired', name='themestatus', native_enum=False, length=30), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_theme_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['merged_into_id'], ['theme.id'], name=op.f('fk_theme_merged_into_id_theme'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parent_id'], ['theme.id'], name=op.f('fk_theme_parent_id_theme'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme'))
    )
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.create_index('ix_theme_consultation_status', ['consultation_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_theme_parent_id'), ['parent_id'], unique=False)
    op.create_table('coding',
    sa.Column('passage_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('snippet', sa.Text(), nullable=False),
    sa.Column('coder_id', sa.Integer(), nullable=True),
    sa.Column('origin', sa.Enum('manual', 'rule', 'model', name='codingorigin', native_enum=False, length=30), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('rule', sa.String(length=500), nullable=True),
    sa.Column('status', sa.Enum('suggested', 'accepted', 'rejected', name='codingstatus', native_enum=False, length=30), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('polarity', sa.Float(), nullable=True),
    sa.Column('subjectivity', sa.Float(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['coder_id'], ['user.id'], name=op.f('fk_coding_coder_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['passage_id'], ['passage.id'], name=op.f('fk_coding_passage_id_passage'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'], name=op.f('fk_coding_reviewed_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], name=op.f('fk_coding_theme_id_theme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coding'))
    )
    with op.batch_alter_table('coding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coding_coder_id'), ['coder_id'], unique=False)
        batch_op.create_index('ix_coding_passage_theme', ['passage_id', 'theme_id'], unique=False)
        batch_op.create_index('ix_coding_theme_status', ['theme_id', 'status'], unique=False)
    op.create_table('memo',
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('passage_id', sa.Integer(), nullable=True),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_memo_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_memo_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['passage_id'], ['passage.id'], name=op.f('fk_memo_passage_id_passage'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], name=op.f('fk_memo_theme_id_theme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memo'))
    )
    with op.batch_alter_table('memo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memo_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_memo_passage_id'), ['passage_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_memo_theme_id'), ['theme_id'], unique=False)

    op.create_table('passage_assignment',
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('passage_id', sa.Integer(), nullable=False),
    sa.Column('coder_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('double_coding', sa.Boolean(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['user.id'], name=op.f('fk_passage_assignment_assigned_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['coder_id'], ['user.id'], name=op.f('fk_passage_assignment_coder_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_passage_assignment_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['passage_id'], ['passage.id'], name=op.f('fk_passage_assignment_passage_id_passage'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_passage_assignment')),
    sa.UniqueConstraint('passage_id', 'coder_id', name='uq_passage_assignment_passage_coder')
    )
    with op.batch_alter_table('passage_assignment', schema=None) as batch_op:
        batch_op.create_index('ix_passage_assignment_consultation_coder', ['consultation_id', 'coder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_passage_assignment_passage_id'), ['passage_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_passage_assignment_coder_id'), ['coder_id'], unique=False)
    op.create_table('coding_settings',
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('blind_mode', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_coding_settings_consultation_id_consultation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coding_settings')),
    sa.UniqueConstraint('consultation_id', name=op.f('uq_coding_settings_consultation_id'))
    )


def downgrade():
    op.drop_table('coding_settings')
    with op.batch_alter_table('passage_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passage_assignment_coder_id'))
        batch_op.drop_index(batch_op.f('ix_passage_assignment_passage_id'))
        batch_op.drop_index('ix_passage_assignment_consultation_coder')
    op.drop_table('passage_assignment')
    with op.batch_alter_table('memo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memo_theme_id'))
        batch_op.drop_index(batch_op.f('ix_memo_passage_id'))
        batch_op.drop_index(batch_op.f('ix_memo_consultation_id'))
    op.drop_table('memo')
    with op.batch_alter_table('coding', schema=None) as batch_op:
        batch_op.drop_index('ix_coding_theme_status')
        batch_op.drop_index('ix_coding_passage_theme')
        batch_op.drop_index(batch_op.f('ix_coding_coder_id'))
    op.drop_table('coding')
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_parent_id'))
        batch_op.drop_index('ix_theme_consultation_status')
    op.drop_table('theme')
