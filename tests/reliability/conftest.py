"""Fixtures for load, crash and report tests: a seeded instance served by gunicorn.

The seeding and serving live in harness.py (`serve_site`), shared with the L3 bench
(bench/l3_report_under_load.py).
"""

import pytest

from tests.reliability.harness import Site, seed_survey, serve_site, site_config

__all__ = ["Site", "seed_survey", "site_config"]  # tests/security/test_races.py uses seed_survey

pytestmark = pytest.mark.reliability


@pytest.fixture
def site(tmp_path):
    """An open survey with a public link and an open hearing taking written testimony."""
    with serve_site(tmp_path, ARGON2_CHEAP=False) as s:
        yield s


@pytest.fixture
def demo_site(tmp_path):
    """The same, plus every feature's demo data (a consultation with a long summary report)."""
    with serve_site(tmp_path, demo=True, ARGON2_CHEAP=False) as s:
        yield s
