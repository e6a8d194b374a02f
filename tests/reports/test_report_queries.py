"""Building the summary report's data takes a fixed number of SQL statements: the same for a small
consultation and for one three times larger with more questions, themes, hearings and
recommendations (statements are counted with SQLAlchemy's before_cursor_execute event)."""

import re
from collections import Counter
from datetime import UTC, datetime
from random import Random

import pytest
from sqlalchemy import select

from consult.coding.models import Coding, CodingOrigin, CodingStatus, Theme
from consult.extensions import db
from consult.hearings.models import Hearing, Mode, Position, Speaker, SpeakerStatus
from consult.passages.models import Passage
from consult.reports.builders import build_summary
from consult.reports.models import Evidence, Recommendation
from consult.reports.options import SECTION_KEYS, ReportOptions
from consult.surveys.models import (
    Answer,
    Choice,
    Question,
    QuestionType,
    Response,
    Section,
)
from tests.helpers import counting_statements
from tests.reports.seed import SERVICES, bulk, seed_report_data

OPTIONS = [
    ReportOptions(edition="internal", include_suggestions=True),
    ReportOptions(edition="public"),
]


def _statements(consultation_id: int, options: ReportOptions):
    """Statements for one build, from an empty session (nothing answered from the identity map)."""
    db.session.expunge_all()
    with counting_statements() as statements:
        report = build_summary(consultation_id, options)
    return report, statements


def _grow(seeded, staff_id: int, rng: Random) -> None:
    """More of everything that comes in lists: questions (one more service-inventory matrix),
    a theme with codings, a hearing with speakers, a recommendation with evidence."""
    cid = seeded.consultation_id
    responses = list(
        db.session.scalars(select(Response.id).where(Response.survey_id == seeded.survey_id))
    )
    section = db.session.scalar(select(Section.id).where(Section.survey_id == seeded.survey_id))
    qdefs = [
        ("extra_choice", QuestionType.SINGLE_CHOICE, {}),
        ("extra_likert", QuestionType.LIKERT, {"points": 5}),
        ("extra_number", QuestionType.NUMBER, {}),
        ("extra_services", QuestionType.MATRIX,
         {"rows": [{"key": k, "labels": {"en": v}} for k, v in SERVICES]}),
    ]  # fmt: skip
    qids = bulk(
        Question,
        [
            {
                "survey_id": seeded.survey_id,
                "section_id": section,
                "position": 20 + i,
                "code": code,
                "type": qt,
                "text": {"en": f"Extra question {code}?"},
                "options": opts,
            }
            for i, (code, qt, opts) in enumerate(qdefs)
        ],
    )
    q = dict(zip([d[0] for d in qdefs], qids, strict=True))
    choices = {
        "extra_choice": [("yes", "Yes"), ("no", "No")],
        "extra_services": [("provide", "Provide"), ("refer", "Refer elsewhere")],
    }
    bulk(
        Choice,
        [
            {"question_id": q[code], "position": i, "value": v, "label": {"en": label}}
            for code, values in choices.items()
            for i, (v, label) in enumerate(values)
        ],
    )
    answers = []
    for rid in responses:
        point = rng.randint(1, 5)
        answers += [
            {"response_id": rid, "question_id": q["extra_choice"],
             "choice": rng.choice(["yes", "no"])},
            {"response_id": rid, "question_id": q["extra_likert"], "choice": str(point),
             "value_number": point},
            {"response_id": rid, "question_id": q["extra_number"], "value_number": rid % 17},
        ]  # fmt: skip
        answers += [
            {
                "response_id": rid,
                "question_id": q["extra_services"],
                "row_key": key,
                "choice": rng.choice(["provide", "refer"]),
            }
            for key, _ in SERVICES
        ]
    bulk(Answer, answers)

    (theme_id,) = bulk(Theme, [{"consultation_id": cid, "name": "Extra theme", "position": 50}])
    passages = list(
        db.session.scalars(select(Passage.id).where(Passage.consultation_id == cid).limit(40))
    )
    coding_ids = bulk(
        Coding,
        [
            {
                "passage_id": pid,
                "theme_id": theme_id,
                "start": 0,
                "end": 10,
                "snippet": f"Extra snippet {pid} about the extra theme.",
                "coder_id": staff_id,
                "origin": CodingOrigin.MANUAL,
                "status": CodingStatus.ACCEPTED,
                "polarity": 0.2,
            }
            for pid in passages
        ],
    )
    (hearing_id,) = bulk(
        Hearing,
        [
            {
                "consultation_id": cid,
                "title": "Extra hearing",
                "starts_at": datetime(2026, 11, 2, 17, tzinfo=UTC),
                "status": "held",
            }
        ],
    )
    bulk(
        Speaker,
        [
            {
                "hearing_id": hearing_id,
                "reference": f"X-{cid}-{i}",
                "name": f"Extra speaker {i}",
                "position": list(Position)[i % len(Position)],
                "mode": Mode.IN_PERSON,
                "status": SpeakerStatus.SPOKE,
            }
            for i in range(4)
        ],
    )
    (rec_id,) = bulk(
        Recommendation,
        [
            {
                "consultation_id": cid,
                "title": "An extra recommendation",
                "text": "More.",
                "area": "services",
                "status": "draft",
                "position": 9,
            }
        ],
    )
    bulk(
        Evidence,
        [
            {"recommendation_id": rec_id, "coding_id": c, "added_by_id": staff_id}
            for c in coding_ids
        ],
    )
    db.session.commit()


@pytest.mark.parametrize("options", OPTIONS, ids=["internal-with-suggestions", "public"])
def test_statements_do_not_grow_with_the_size_of_the_consultation(app, staff, options):
    assert set(options.sections) == set(SECTION_KEYS)  # every section is built
    small = seed_report_data(responses=12, testimonies=10, orgs=10, staff_id=staff.id)
    large = seed_report_data(responses=36, testimonies=30, orgs=30, staff_id=staff.id)
    _grow(large, staff.id, Random(3))  # noqa: S311 - test data

    small_report, small_statements = _statements(small.consultation_id, options)
    large_report, large_statements = _statements(large.consultation_id, options)

    # the larger consultation really is larger in what the report shows...
    assert len(large_report.services) == 2 and len(small_report.services) == 1
    large_questions = sum(len(qs) for s in large_report.surveys for _, qs in s.sections)
    small_questions = sum(len(qs) for s in small_report.surveys for _, qs in s.sections)
    assert large_questions == small_questions + 4
    assert large_report.surveys[0].responses == 3 * small_report.surveys[0].responses
    assert large_report.method.passages == 3 * small_report.method.passages
    assert len(large_report.hearings) == len(small_report.hearings) + 1
    assert len(large_report.recommendations) == len(small_report.recommendations) + 1
    assert len(large_report.codebook) == len(small_report.codebook) + 1
    assert len(large_report.organizations) > len(small_report.organizations)
    assert len(large_report.trace) > len(small_report.trace)
    # ...and still takes exactly as many statements, a small fixed number of them
    assert len(large_statements) == len(small_statements), _difference(
        small_statements, large_statements
    )
    assert len(small_statements) <= 55  # 48 when this test was written


def _difference(small: list[str], large: list[str]) -> str:
    """The statements one build ran more often than the other, for the failure message."""
    a, b = (Counter(re.sub(r"IN \([^()]*\)", "IN (...)", x) for x in xs) for xs in (small, large))
    return f"only in the larger build: {list(b - a)}; only in the smaller: {list(a - b)}"
