"""Validation of every question type, visibility over a whole response, and property tests."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consult.surveys.validation import (
    Problem,
    QuestionSpec,
    SectionSpec,
    validate_answer,
    validate_response,
)


def spec(qtype, **kw):
    return QuestionSpec(code="q", type=qtype, **kw)


def kind(result):
    value, problem = result
    return problem.kind if problem else value


@pytest.mark.parametrize(
    "raw, expected",
    [("  hello ", "hello"), ("", None), ("x" * 3, Problem("min_length", {"min": 5}))],
)
def test_short_text_trims_and_checks_length(raw, expected):
    s = spec("short_text", validation={"min_length": 5, "max_length": 10})
    value, problem = validate_answer(s, raw)
    if isinstance(expected, Problem):
        assert problem == expected
    else:
        assert value == expected and problem is None
    assert validate_answer(s, "x" * 11)[1].kind == "max_length"


def test_required_text_and_pattern():
    s = spec("long_text", required=True, validation={"pattern": r"[A-Z]{2}-\d+"})
    assert kind(validate_answer(s, "")) == "required"
    assert kind(validate_answer(s, "  ")) == "required"
    assert kind(validate_answer(s, "ab-12")) == "pattern"
    assert kind(validate_answer(s, "AB-12")) == "AB-12"
    assert validate_answer(s, "", require=False) == (None, None)


def test_email():
    s = spec("email")
    assert kind(validate_answer(s, "ana@example.org")) == "ana@example.org"
    for bad in ("ana@", "ana example.org", "@x.org", "a@b"):
        assert kind(validate_answer(s, bad)) == "email"


def test_single_choice_yes_no_and_likert():
    s = spec("single_choice", choices=("a", "b"))
    assert kind(validate_answer(s, "a")) == "a"
    assert kind(validate_answer(s, "c")) == "choice"
    yn = spec("yes_no")
    assert kind(validate_answer(yn, "yes")) == "yes"
    assert kind(validate_answer(yn, True)) == "yes"
    assert kind(validate_answer(yn, "maybe")) == "choice"
    lk = spec("likert", options={"points": 4})
    assert kind(validate_answer(lk, "4")) == "4"
    assert kind(validate_answer(lk, 2)) == "2"
    assert kind(validate_answer(lk, "5")) == "choice"
    assert kind(validate_answer(lk, "0")) == "choice"


def test_multiple_choice_with_other_and_counts():
    s = spec(
        "multiple_choice",
        choices=("a", "b", "c"),
        options={"other": True},
        validation={"max_choices": 2},
    )
    assert kind(validate_answer(s, ["a", "b"])) == ["a", "b"]
    assert kind(validate_answer(s, ["a", "other"], "")) == "other_missing"
    assert kind(validate_answer(s, ["a"], "radio")) == ["a", "other"]  # typing implies "other"
    assert kind(validate_answer(s, ["a", "z"])) == "choice"
    assert kind(validate_answer(s, ["a", "b", "c"])) == "max_choices"
    assert kind(validate_answer(s, {"choices": ["b"], "other": "TV"})) == ["b", "other"]
    no_other = spec("multiple_choice", choices=("a", "b"))
    assert kind(validate_answer(no_other, ["other"])) == "choice"


@pytest.mark.parametrize(
    "raw, integer, expected",
    [
        ("12", True, 12),
        ("1,200", True, 1200),
        ("3.5", True, "integer"),
        ("3.5", False, 3.5),
        ("abc", False, "number"),
        ("abc", True, "integer"),
        ("nan", False, "number"),
        ("inf", False, "number"),
        (True, False, "number"),
        (7, True, 7),
        ("-1", True, "range"),
        ("10001", True, "range"),
    ],
)
def test_number(raw, integer, expected):
    s = spec("number", options={"integer": integer}, validation={"min": 0, "max": 10000})
    assert kind(validate_answer(s, raw)) == expected


def test_number_with_one_bound_and_custom_message_is_kept_in_spec():
    s = spec("number", validation={"min": 1, "message": {"en": "At least one, please"}})
    value, problem = validate_answer(s, "0")
    assert problem == Problem("min", {"min": 1}) and value is None


def test_date():
    s = spec("date", validation={"min": "2020-01-01", "max": "2026-12-31"})
    assert kind(validate_answer(s, "2024-02-29")) == date(2024, 2, 29)
    assert kind(validate_answer(s, "2023-02-29")) == "date"
    assert kind(validate_answer(s, "31/12/2024")) == "date"
    assert kind(validate_answer(s, "2019-12-31")) == "date_min"
    assert kind(validate_answer(s, "2027-01-01")) == "date_max"
    assert kind(validate_answer(s, date(2025, 1, 1))) == date(2025, 1, 1)


def test_matrix():
    s = spec("matrix", required=True, choices=("provide", "refer"), rows=("housing", "legal"))
    assert kind(validate_answer(s, {"housing": "provide", "legal": "refer"})) == {
        "housing": "provide",
        "legal": "refer",
    }
    assert kind(validate_answer(s, {"housing": "provide", "legal": ""})) == "matrix_incomplete"
    assert kind(validate_answer(s, {"housing": "maybe"})) == "choice"
    assert kind(validate_answer(s, {"kitchen": "provide"})) == "choice"
    assert kind(validate_answer(s, {})) == "required"
    assert kind(validate_answer(s, "provide")) == "invalid"


def test_ranking():
    s = spec("ranking", required=True, choices=("a", "b", "c"))
    assert kind(validate_answer(s, {"a": "2", "b": "1", "c": "3"})) == {"a": 2, "b": 1, "c": 3}
    assert kind(validate_answer(s, ["c", "a", "b"])) == {"c": 1, "a": 2, "b": 3}
    assert kind(validate_answer(s, {"a": "1", "b": "1", "c": "2"})) == "rank_duplicate"
    assert kind(validate_answer(s, {"a": "1", "b": "4", "c": "2"})) == "rank_duplicate"
    assert kind(validate_answer(s, {"a": "1", "b": "2"})) == "rank_incomplete"
    optional = spec("ranking", choices=("a", "b", "c"))
    assert kind(validate_answer(optional, {"a": "1"})) == {"a": 1}


def test_note_takes_no_answer():
    assert validate_answer(spec("note", required=True), "anything") == (None, None)


SECTIONS = [
    SectionSpec(
        (
            QuestionSpec("sector", "single_choice", required=True, choices=("gov", "ngo")),
            QuestionSpec("statutes", "single_choice", choices=("adequate", "inadequate")),
            QuestionSpec(
                "why",
                "long_text",
                required=True,
                condition={
                    "rules": [{"question": "statutes", "op": "equals", "value": "inadequate"}]
                },
            ),
            QuestionSpec(
                "why_more",
                "short_text",
                required=True,
                condition={"rules": [{"question": "why", "op": "contains", "value": "coercion"}]},
            ),
        )
    ),
    SectionSpec(
        (QuestionSpec("budget", "number", required=True),),
        condition={"rules": [{"question": "sector", "op": "equals", "value": "gov"}]},
    ),
]


def test_hidden_questions_are_never_required_and_their_answers_dropped():
    out = validate_response(
        SECTIONS, {"sector": "ngo", "statutes": "adequate", "why": "coercion", "budget": "12"}
    )
    assert out.problems == {}
    assert out.values == {"sector": "ngo", "statutes": "adequate"}
    assert out.visible_sections == [0]


def test_hiding_cascades_through_chained_conditions():
    out = validate_response(
        SECTIONS,
        {"sector": "gov", "statutes": "inadequate", "why": "coercion laws", "why_more": ""},
    )
    assert set(out.problems) == {"why_more", "budget"}
    out = validate_response(
        SECTIONS, {"sector": "gov", "statutes": "adequate", "why": "coercion laws", "budget": "1"}
    )
    assert out.problems == {} and "why" not in out.values and "why_more" not in out.values


def test_only_sections_limits_checks_but_keeps_conditions():
    out = validate_response(SECTIONS, {"sector": "gov"}, only_sections={0})
    assert out.problems == {} or set(out.problems) <= {"sector"}
    out = validate_response(SECTIONS, {"sector": "gov"}, only_sections={1})
    assert set(out.problems) == {"budget"}


TYPES = [
    "short_text",
    "long_text",
    "email",
    "single_choice",
    "yes_no",
    "likert",
    "multiple_choice",
    "number",
    "date",
    "matrix",
    "ranking",
    "note",
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)
specs = st.builds(
    QuestionSpec,
    code=st.just("q"),
    type=st.sampled_from(TYPES),
    required=st.booleans(),
    choices=st.lists(st.text(min_size=1, max_size=5), max_size=4).map(tuple),
    rows=st.lists(st.text(min_size=1, max_size=5), max_size=3).map(tuple),
    options=st.fixed_dictionaries(
        {},
        optional={
            "integer": st.booleans(),
            "other": st.booleans(),
            "points": st.integers(min_value=2, max_value=11),
        },
    ),
    validation=st.fixed_dictionaries(
        {},
        optional={
            "min": st.integers(-5, 5) | st.floats(allow_nan=False) | st.text(max_size=4),
            "max": st.integers(-5, 50),
            "min_length": st.integers(0, 5),
            "max_length": st.integers(1, 50),
            "pattern": st.sampled_from([r"\d+", r"[a-z]*", "("]),
            "min_choices": st.integers(0, 3),
            "max_choices": st.integers(0, 3),
        },
    ),
)


@settings(max_examples=250, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(specs, json_values, json_values, st.booleans())
def test_validate_answer_never_raises(s, raw, other, require):
    value, problem = validate_answer(s, raw, other, require)
    assert problem is None or isinstance(problem, Problem)
    if problem is not None:
        assert value is None
    if s.required and require and problem is None and s.type != "note":
        assert value is not None


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["sector", "statutes", "why", "why_more", "budget", "x"]),
        json_values,
        max_size=6,
    )
)
def test_validate_response_never_raises_and_keeps_only_visible_values(raw):
    out = validate_response(SECTIONS, raw)
    assert set(out.values) <= out.visible_questions
    assert set(out.problems) <= out.visible_questions
