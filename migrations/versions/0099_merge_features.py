"""Merge the feature branches into one head, so `flask db upgrade` and new migrations are simple.

Each feature (surveys, hearings, coding, reports, api) was developed as its own Alembic branch
from 0001_foundation; this revision joins them. New migrations go on top of this one.

Revision ID: 0099_merge_features
Revises: 0002_surveys, 0010_hearings, 0021_coding_machine, 0030_reports, 0040_api
Create Date: 2026-11-29
"""

revision = "0099_merge_features"
down_revision = ("0002_surveys", "0010_hearings", "0021_coding_machine", "0030_reports", "0040_api")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
