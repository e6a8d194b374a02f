"""Response exports: CSV, XLSX and JSON, one row per response, streamed in batches of responses."""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from consult.extensions import db
from consult.surveys.models import Answer, Question, QuestionType, Response, ResponseStatus, Survey
from consult.surveys.results import label_of, survey_questions
from consult.surveys.validation import OTHER

BATCH = 500
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx", "json")
MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


class ExportError(Exception):
    """A problem with an export request, worded for the person."""


def neutralise(value):
    """Stop spreadsheet programs from running a text cell as a formula (CSV/XLSX injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


@dataclass
class Column:
    name: str
    question_code: str
    question_text: str
    type: str
    part: str
    description: str


FIXED = [
    Column("response_id", "", "", "", "", "Response number"),
    Column("reference", "", "", "", "", "Reference given to the respondent"),
    Column("status", "", "", "", "", "draft or submitted"),
    Column("test", "", "", "", "", "1 if marked as a test response"),
    Column("organization", "", "", "", "", "Organization that answered"),
    Column("organization_kind", "", "", "", "", "Kind of organization"),
    Column("region", "", "", "", "", "Region of the organization"),
    Column("language", "", "", "", "", "Language the response was given in"),
    Column("submitted_at", "", "", "", "", "When it was submitted (UTC, ISO 8601)"),
]


def columns_for(questions: list[Question], lang: str = "en") -> list[Column]:
    """Every export column after the fixed ones, with what it holds."""
    cols = list(FIXED)
    for q in questions:
        t, text = q.type, label_of(q.text, lang, q.code)

        def add(part, desc, *, q=q, text=text):
            name = f"{q.code}/{part}" if part else q.code
            cols.append(Column(name, q.code, text, q.type.value, part, desc))

        if t is QuestionType.NOTE:
            continue
        if t is QuestionType.MULTIPLE_CHOICE:
            for c in q.choices:
                add(c.value, f"1 if “{label_of(c.label, lang, c.value)}” was chosen, 0 if not")
            if q.options.get("other"):
                add("other", "Text given for “other, please specify”")
        elif t is QuestionType.MATRIX:
            values = ", ".join(c.value for c in q.choices)
            for row in q.options.get("rows") or []:
                label = label_of(row.get("labels") or row.get("label"), lang, row["key"])
                add(row["key"], f"Column chosen for “{label}” (one of: {values})")
        elif t is QuestionType.RANKING:
            for c in q.choices:
                add(c.value, f"Rank given to “{label_of(c.label, lang, c.value)}” (1 = first)")
        elif t in (QuestionType.SINGLE_CHOICE, QuestionType.YES_NO):
            other = t is QuestionType.SINGLE_CHOICE and q.options.get("other")
            values = ", ".join([c.value for c in q.choices] + ([OTHER] if other else []))
            add("", f"Value chosen (one of: {values or 'yes, no'})")
            if other:
                add("other", "Text given for “other, please specify”")
        elif t is QuestionType.LIKERT:
            add("", f"Point chosen, 1 to {q.options.get('points') or 5}")
        else:
            add("", {"number": "A number", "date": "A date (YYYY-MM-DD)"}.get(t.value, "Text"))
    return cols


def _number(v: float | None):
    if v is None:
        return None
    return int(v) if float(v).is_integer() else v


def structured_answer(q: Question, rows: list[Answer]):
    """One question's answer as a JSON-able value (list, dict or scalar)."""
    t = q.type
    if t is QuestionType.MULTIPLE_CHOICE:
        return {
            "chosen": [r.choice for r in rows if r.choice],
            "other": next((r.value_text for r in rows if r.value_text), None),
        }
    if t is QuestionType.MATRIX:
        return {r.row_key: r.choice for r in rows}
    if t is QuestionType.RANKING:
        return {r.row_key: _number(r.value_number) for r in rows}
    r = rows[0]
    if t is QuestionType.NUMBER:
        return _number(r.value_number)
    if t is QuestionType.LIKERT:
        return _number(r.value_number) if r.value_number is not None else _number(float(r.choice))
    if t is QuestionType.DATE:
        return r.value_date.isoformat() if r.value_date else None
    if t is QuestionType.SINGLE_CHOICE and q.options.get("other"):
        return {"chosen": r.choice, "other": r.value_text if r.choice == OTHER else None}
    if t in (QuestionType.SINGLE_CHOICE, QuestionType.YES_NO):
        return r.choice or r.value_text
    return r.value_text


def _cells(
    cols: list[Column], questions: dict[str, Question], resp: Response, answers: dict
) -> list:
    org = resp.organization
    fixed = [
        resp.id,
        resp.reference,
        resp.status.value,
        1 if resp.is_test else 0,
        org.name if org else None,
        org.kind.label if org else None,
        org.region if org else None,
        resp.language,
        resp.submitted_at.isoformat() if resp.submitted_at else None,
    ]
    out = fixed
    for col in cols[len(FIXED) :]:
        q = questions[col.question_code]
        rows = answers.get(q.id)
        if not rows:
            out.append(None)
            continue
        value = structured_answer(q, rows)
        if q.type is QuestionType.MULTIPLE_CHOICE:
            out.append(value["other"] if col.part == "other" else int(col.part in value["chosen"]))
        elif q.type is QuestionType.SINGLE_CHOICE and isinstance(value, dict):
            out.append(value["other"] if col.part == "other" else value["chosen"])
        elif q.type in (QuestionType.MATRIX, QuestionType.RANKING):
            out.append(value.get(col.part))
        else:
            out.append(value)
    return out


def iter_responses(survey_id: int, *, include_drafts: bool = False, include_tests: bool = False):
    """Yield (response, {question_id: [answers]}) in id order, two queries per batch."""
    last = 0
    while True:
        stmt = (
            select(Response)
            .options(joinedload(Response.organization))
            .where(Response.survey_id == survey_id, Response.id > last)
            .order_by(Response.id)
            .limit(BATCH)
        )
        if not include_drafts:
            stmt = stmt.where(Response.status == ResponseStatus.SUBMITTED)
        if not include_tests:
            stmt = stmt.where(Response.is_test.is_(False))
        batch = db.session.scalars(stmt).all()
        if not batch:
            return
        by_response: dict[int, dict[int, list]] = {}
        for a in db.session.scalars(
            select(Answer)
            .where(Answer.response_id.in_([r.id for r in batch]))
            .order_by(Answer.response_id, Answer.id)
        ):
            by_response.setdefault(a.response_id, {}).setdefault(a.question_id, []).append(a)
        for r in batch:
            yield r, by_response.get(r.id, {})
        # the session's identity map holds objects weakly: finished batches are freed
        last = batch[-1].id


def table(survey_id: int, lang: str = "en", **opts) -> tuple[list[Column], Iterator[list]]:
    """Columns and a lazy iterator of rows (not yet neutralised)."""
    questions = survey_questions(survey_id)
    cols = columns_for(questions, lang)
    by_code = {q.code: q for q in questions}
    rows = (_cells(cols, by_code, r, a) for r, a in iter_responses(survey_id, **opts))
    return cols, rows


def _csv_line(values) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerow(["" if v is None else neutralise(v) for v in values])
    return buf.getvalue()


def csv_stream(survey_id: int, lang: str = "en", **opts) -> Iterator[str]:
    """The responses CSV, line by line (UTF-8 with a BOM so spreadsheets read accents)."""
    cols, rows = table(survey_id, lang, **opts)
    yield "\ufeff" + _csv_line([c.name for c in cols])
    for row in rows:
        yield _csv_line(row)


def columns_csv(survey_id: int, lang: str = "en") -> str:
    """The second file: one line per column of the responses CSV."""
    cols = columns_for(survey_questions(survey_id), lang)
    lines = [
        "\ufeff" + _csv_line(["column", "question_code", "question", "type", "part", "meaning"])
    ]
    lines += [
        _csv_line([c.name, c.question_code, c.question_text, c.type, c.part, c.description])
        for c in cols
    ]
    return "".join(lines)


def xlsx_bytes(survey_id: int, lang: str = "en", **opts) -> bytes:
    """A workbook with a Responses sheet and a Columns sheet (write-only mode, low memory)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("Responses")
    cols, rows = table(survey_id, lang, **opts)
    sheet.append([c.name for c in cols])
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    desc = wb.create_sheet("Columns")
    desc.append(["column", "question_code", "question", "type", "part", "meaning"])
    for c in cols:
        desc.append(
            [
                neutralise(v)
                for v in (c.name, c.question_code, c.question_text, c.type, c.part, c.description)
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def json_stream(survey_id: int, lang: str = "en", **opts) -> Iterator[str]:
    """A JSON document: the survey, its columns and every response with structured answers."""
    survey = db.session.get(Survey, survey_id)
    questions = survey_questions(survey_id)
    head = {
        "survey": {"id": survey.id, "title": survey.title, "languages": survey.languages},
        "questions": [
            {"code": q.code, "type": q.type.value, "text": q.text}
            for q in questions
            if q.type is not QuestionType.NOTE
        ],
    }
    by_id = {q.id: q for q in questions}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "responses": ['
    first = True
    for resp, answers in iter_responses(survey_id, **opts):
        org = resp.organization
        item = {
            "id": resp.id,
            "reference": resp.reference,
            "status": resp.status.value,
            "test": resp.is_test,
            "organization": org.name if org else None,
            "organization_kind": org.kind.value if org else None,
            "region": org.region if org else None,
            "language": resp.language,
            "submitted_at": resp.submitted_at.isoformat() if resp.submitted_at else None,
            "answers": {
                by_id[qid].code: structured_answer(by_id[qid], rows)
                for qid, rows in answers.items()
                if qid in by_id
            },
        }
        yield ("" if first else ",") + json.dumps(item, ensure_ascii=False)
        first = False
    yield "]}"


def write_export(survey_id: int, fmt: str, out, lang: str = "en", **opts) -> None:
    """Write an export to a binary file object (used by the CLI)."""
    if fmt not in FORMATS:
        raise ExportError(f"Unknown format {fmt!r}; use one of: {', '.join(FORMATS)}.")
    if db.session.get(Survey, survey_id) is None:
        raise ExportError(f"There is no survey {survey_id}.")
    if fmt == "xlsx":
        out.write(xlsx_bytes(survey_id, lang, **opts))
        return
    stream = csv_stream if fmt == "csv" else json_stream
    for chunk in stream(survey_id, lang, **opts):
        out.write(chunk.encode("utf-8"))


def log_export(survey: Survey, fmt: str, *, actor_id: int | None, **opts) -> None:
    """Record who took which responses out of the system (personal data leaves with them)."""
    from consult.audit import record

    record(
        "survey.export",
        actor_id=actor_id,
        object_type="survey",
        object_id=survey.id,
        consultation_id=survey.consultation_id,
        detail={"format": fmt, **opts},
    )
    db.session.commit()
