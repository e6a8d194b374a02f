"""Property tests: any input gives an answer or a worded refusal, never a crash; text is escaped.

The number of examples per property is FUZZ_EXAMPLES (default 150); CI can raise it.
"""

import io
import os
from collections import Counter
from types import SimpleNamespace

import pytest
from flask import render_template
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

RUNS: Counter = Counter()
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
HOSTILE = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "javascript:alert(1)",
        "{{ 7*7 }}",
        "{% raw %}",
        "=cmd|' /C calc'!A0",
        "\x00\u202e",
        "a" * 5000,
    ]
)
TEXT = st.one_of(st.text(), HOSTILE, st.tuples(st.text(), HOSTILE).map("".join))
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


@pytest.fixture
def page_context(app):
    with app.test_request_context("/organizations/1"):
        yield


@SETTINGS
@given(name=TEXT, notes=TEXT, contact=TEXT)
def test_render_escapes_any_text(page_context, name, notes, contact):
    RUNS["render"] += 1
    from consult.orgs.models import OrganizationKind

    org = SimpleNamespace(
        id=1,
        name=name,
        notes=notes or None,
        kind=OrganizationKind.NGO,
        region=contact,
        contact_name=contact,
        contact_email=None,
        contact_phone=None,
        listed_publicly=False,
    )
    person = SimpleNamespace(name=name, email=contact, password_hash=None)
    html = render_template("orgs/show.html", org=org, people=[person])
    for value in (name, notes, contact):
        if value:
            assert str(escape(value)) in html
        if "<script>" in value or "<img " in value:
            assert value not in html  # only ever present escaped
    assert "49" not in html.split("<h1>")[1].split("</h1>")[0] or "49" in name


QUESTION_TYPES = [
    ("short_text", {}),
    ("long_text", {}),
    ("email", {}),
    ("number", {"validation": {"min": 0, "max": 100}}),
    ("date", {}),
    ("single_choice", {"choices": ("a", "b")}),
    ("yes_no", {}),
    ("likert", {"choices": ("1", "2", "3")}),
    ("multiple_choice", {"choices": ("a", "b"), "options": {"other": True}}),
    ("matrix", {"choices": ("x", "y"), "rows": ("r1", "r2")}),
    ("ranking", {"choices": ("a", "b", "c")}),
]


@SETTINGS
@given(raw=st.dictionaries(st.sampled_from([f"q{i}" for i in range(12)]), JSONISH))
def test_answer_validation_never_crashes(raw):
    RUNS["answer validation"] += 1
    from consult.surveys.validation import QuestionSpec, SectionSpec, validate_response

    specs = [
        QuestionSpec(code=f"q{i}", type=t, required=i % 2 == 0, **kw)
        for i, (t, kw) in enumerate(QUESTION_TYPES)
    ]
    outcome = validate_response([SectionSpec(questions=tuple(specs))], raw)
    assert set(outcome.problems) <= {s.code for s in specs}
    assert set(outcome.values) <= {s.code for s in specs}


@SETTINGS
@given(condition=JSONISH, answers=st.dictionaries(TEXT, JSONISH, max_size=5))
def test_conditions_refuse_or_evaluate(condition, answers):
    RUNS["conditions"] += 1
    from consult.surveys.conditions import ConditionError, check_condition, evaluate

    try:
        clean = check_condition(condition)
    except ConditionError:
        return
    assert evaluate(clean, answers) in (True, False)


@SETTINGS
@given(data=st.binary(max_size=4000), name=st.sampled_from(["f.xlsx", "f.xls", "f.csv", "f"]))
def test_xlsform_import_refuses_garbage_with_a_message(data, name):
    RUNS["xlsform"] += 1
    from consult.surveys.xlsform import XLSFormError, convert

    try:
        convert(data, name)
    except XLSFormError as exc:
        assert str(exc)


@SETTINGS
@given(text=st.one_of(TEXT, st.lists(TEXT, max_size=5).map("\n".join)))
def test_organization_csv_import_never_crashes(app, text):
    RUNS["organization CSV"] += 1
    from consult.extensions import db
    from consult.orgs.services import OrganizationError, import_csv

    try:
        created, updated, problems = import_csv("name,kind,region\n" + text, actor_id=None)
    except OrganizationError:
        db.session.rollback()
        return
    except Exception:
        db.session.rollback()
        raise
    assert created >= 0 and updated >= 0


@SETTINGS
@given(data=st.binary(max_size=3000), name=TEXT)
def test_uploads_refuse_with_a_message(app, data, name):
    RUNS["uploads"] += 1
    from consult.hearings.uploads import UploadRejected, validate_upload

    with app.test_request_context():
        try:
            validated = validate_upload(name, io.BytesIO(data))
        except UploadRejected as exc:
            assert str(exc)
        else:
            assert validated.kind in ("pdf", "docx", "txt")


def test_report_fuzz_totals():
    print("\nfuzz examples run: " + ", ".join(f"{k} {n}" for k, n in sorted(RUNS.items())))
