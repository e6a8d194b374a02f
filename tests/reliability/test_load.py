"""L1: concurrent respondents against gunicorn; 10% replay their submission with the same key.

Afterwards every acknowledged submission is stored exactly once, nothing unacknowledged is
stored, and no request got a server error. CONSULT_L1_SECONDS sets the duration (the issue asks
for 60 s, which CI runs; 20 s by default locally) and CONSULT_L1_CLIENTS the number of
concurrent respondents (50).
"""

import os

import pytest

from tests.reliability.harness import duplicated, p99, run_load, stored_keys

pytestmark = pytest.mark.reliability

SECONDS = float(os.environ.get("CONSULT_L1_SECONDS", "20"))
CLIENTS = int(os.environ.get("CONSULT_L1_CLIENTS", "50"))


def test_l1_no_lost_or_duplicated_submissions_under_load(site):
    tally = run_load(site.server.base, site.public_path, SECONDS, CLIENTS)
    stored = stored_keys(site.app, site.survey_id)
    dups = duplicated(stored)
    print(
        f"\nL1 ({site.server.database_url.split(':')[0]}, {CLIENTS} clients, {SECONDS:.0f} s): "
        f"attempted {tally.attempted}, acknowledged {len(tally.acknowledged)}, "
        f"replayed {tally.replays}, stored {sum(stored.values())}, duplicated {dups}, "
        f"5xx {len(tally.server_errors)}, submit p99 {p99(tally.latencies):.2f} s"
    )
    assert tally.server_errors == []
    assert tally.other_errors == []
    assert tally.attempted >= CLIENTS
    assert dups == 0
    assert set(stored) == tally.acknowledged  # 0 lost, nothing stored unacknowledged
