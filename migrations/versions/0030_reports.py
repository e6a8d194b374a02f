"""reports: recommendations, evidence, report runs

Revision ID: 0030_reports
Revises: 0001_foundation
Create Date: 2026-11-29 02:36:22.295717

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0030_reports'
down_revision = '0001_foundation'
branch_labels = None
depends_on = ("0020_coding",)


def upgrade():
    op.create_table('recommendation',
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('area', sa.Enum('prevention', 'protection', 'prosecution', 'partnership', 'services', 'statutes', 'other', name='recommendationarea', native_enum=False, length=30), nullable=False),
    sa.Column('status', sa.Enum('draft', 'final', name='recommendationstatus', native_enum=False, length=30), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_recommendation_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_recommendation_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation'))
    )
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('report_run',
    sa.Column('consultation_id', sa.Integer(), nullable=True),
    sa.Column('hearing_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('data_as_of', sa.DateTime(timezone=True), nullable=True),
    sa.Column('data_hash', sa.String(length=64), nullable=True),
    sa.Column('pdf_hash', sa.String(length=64), nullable=True),
    sa.Column('file_path', sa.String(length=500), nullable=True),
    sa.Column('byte_size', sa.Integer(), nullable=True),
    sa.Column('page_count', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_report_run_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_report_run_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_report_run_job_id_job'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_run'))
    )
    with op.batch_alter_table('report_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_run_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_run_hearing_id'), ['hearing_id'], unique=False)

    op.create_table('evidence',
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('coding_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['user.id'], name=op.f('fk_evidence_added_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['coding_id'], ['coding.id'], name=op.f('fk_evidence_coding_id_coding'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_evidence_recommendation_id_recommendation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence')),
    sa.UniqueConstraint('recommendation_id', 'coding_id', name='uq_evidence_recommendation_coding')
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_coding_id'), ['coding_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_recommendation_id'), ['recommendation_id'], unique=False)



def downgrade():
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_recommendation_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_coding_id'))

    op.drop_table('evidence')
    with op.batch_alter_table('report_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_run_hearing_id'))
        batch_op.drop_index(batch_op.f('ix_report_run_consultation_id'))

    op.drop_table('report_run')
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_consultation_id'))

    op.drop_table('recommendation')
