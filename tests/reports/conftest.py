"""Report fixtures: a seeded consultation (survey, hearings, codings, recommendations)."""

import pytest

from tests.reports.seed import seed_report_data


@pytest.fixture
def staff(factory):
    return factory.user("staff", name="Sam Staff")


@pytest.fixture
def seeded(app, staff):
    return seed_report_data(staff_id=staff.id)
