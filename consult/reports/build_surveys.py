"""Report builders: survey results per question, the service inventory, progress across waves."""

from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.orgs.models import Organization
from consult.reports.build_core import kind_label
from consult.reports.data import Count, QuestionResult, ServiceInventory, SurveyResult, WaveChange
from consult.surveys import results
from consult.surveys.models import Answer, Question, QuestionType, Response, ResponseStatus, Survey


def _text(values: dict | None, lang: str, fallback: str = "") -> str:
    values = values or {}
    return values.get(lang) or values.get("en") or next(iter(values.values()), fallback)


def _submitted(survey_ids):
    return (
        Response.survey_id.in_(survey_ids),
        Response.status == ResponseStatus.SUBMITTED,
        Response.is_test.is_(False),
    )


def _adapt(q: results.QuestionResult) -> QuestionResult:
    """The surveys feature's per-question aggregates, in the report's shape."""
    r = QuestionResult(code=q.code, text=q.text, type=q.type, respondents=q.answered)
    r.mean, r.minimum, r.maximum, r.median = q.mean, q.minimum, q.maximum, q.median
    if q.options:
        r.counts = [Count(o.label, o.count, q.answered) for o in q.options]
    elif q.matrix_rows:
        r.matrix_columns = list(q.matrix_columns)
        r.matrix_rows = [(row.label, list(row.counts)) for row in q.matrix_rows]
    elif q.ranking:
        r.matrix_columns = ["Mean rank", "Ranked"]
        r.matrix_rows = [
            (i.label, ["–" if i.average_rank is None else f"{i.average_rank:.2f}", i.count])
            for i in q.ranking
        ]
    elif q.type in ("short_text", "long_text"):
        r.note = "Free-text answers are coded into themes (see Themes)."
    return r


def build_surveys(consultation_id: int, lang: str) -> list[SurveyResult]:
    """Results of every survey in the consultation, question by question, grouped by section."""
    surveys = db.session.execute(
        select(Survey.id, Survey.title)
        .where(Survey.consultation_id == consultation_id)
        .order_by(Survey.id)
    ).all()
    out = []
    for sid, title in surveys:  # one or two surveys; each is a fixed number of queries
        sections: list[tuple[str, list[QuestionResult]]] = []
        questions = results.question_results(sid, None, lang)
        for q in questions:
            if not sections or sections[-1][0] != q.section:
                sections.append((q.section, []))
            sections[-1][1].append(_adapt(q))
        # every question result carries the survey's response total; count only without questions
        total = questions[0].total if questions else results.response_total(sid)
        out.append(SurveyResult(_text(title, lang, "Survey"), total, sections))
    return out


def _is_inventory(q: Question) -> bool:
    values = [c.value.lower() for c in q.choices]
    return any("provide" in v for v in values) and any("refer" in v for v in values)


def _latest_inventory_answers(survey_ids, question_ids: list[int]) -> dict[int, list]:
    """Per inventory question, each organization's latest answer per matrix row: the one from its
    submitted response with the highest id that answered the row (later responses overwrite
    earlier ones). One query for all questions, grouped in SQL, so the rows returned grow with
    organizations × rows, not with responses. Rows are (organization id, name, kind, listed,
    row key, choice) in organization name order (names are unique)."""
    out: dict[int, list] = {qid: [] for qid in question_ids}
    if not question_ids:
        return out
    latest = (
        select(
            Response.organization_id.label("oid"),
            Answer.question_id.label("qid"),
            Answer.row_key.label("row_key"),
            func.max(Response.id).label("rid"),
        )
        .join(Response, Response.id == Answer.response_id)
        .where(*_submitted(survey_ids), Answer.question_id.in_(question_ids))
        .where(Response.organization_id.is_not(None))
        .group_by(Response.organization_id, Answer.question_id, Answer.row_key)
        .subquery()
    )
    for qid, *row in db.session.execute(
        select(
            latest.c.qid,
            Organization.id,
            Organization.name,
            Organization.kind,
            Organization.listed_publicly,
            latest.c.row_key,
            Answer.choice,
        )
        .join(Organization, Organization.id == latest.c.oid)
        .join(
            Answer,
            and_(
                Answer.response_id == latest.c.rid,
                Answer.question_id == latest.c.qid,
                Answer.row_key == latest.c.row_key,
            ),
        )
        .order_by(Organization.name, latest.c.qid, latest.c.row_key, Answer.id)
    ):
        out[qid].append(row)
    return out


def build_services(consultation_id: int, lang: str, public: bool) -> list[ServiceInventory]:
    """Organizations × services × provide/refer/not available, for matrices shaped like that."""
    ids = select(Survey.id).where(Survey.consultation_id == consultation_id)
    matrices = db.session.scalars(
        select(Question)
        .where(
            Question.survey_id.in_(ids),
            Question.type == QuestionType.MATRIX,
            Question.archived.is_(False),
        )
        .options(selectinload(Question.choices))
        .order_by(Question.survey_id, Question.position)
    ).all()
    inventories = [m for m in matrices if _is_inventory(m)]
    answers = _latest_inventory_answers(ids, [q.id for q in inventories])
    out = []
    for q in inventories:
        rows_def = [
            (str(r.get("key")), _text(r.get("labels"), lang, str(r.get("key"))))
            for r in (q.options or {}).get("rows") or []
        ]
        col_label = {c.value: _text(c.label, lang, c.value) for c in q.choices}
        grid: dict[int, dict] = {}
        meta: dict[int, tuple[str, str]] = {}
        for oid, name, kind, listed, row_key, choice in answers[q.id]:
            shown = (
                name if (listed or not public) else f"Unlisted organization ({kind_label(kind)})"
            )
            meta[oid] = (shown, kind_label(kind))
            grid.setdefault(oid, {})[row_key] = col_label.get(choice, choice)
        rows = sorted(
            ((meta[o][0], meta[o][1], [grid[o].get(k, "–") for k, _ in rows_def]) for o in grid),
            key=lambda r: (r[0].startswith("Unlisted"), r[0]),
        )
        totals = [
            (
                label,
                [sum(1 for o in grid if grid[o].get(k) == col_label[c.value]) for c in q.choices],
            )
            for k, label in rows_def
        ]
        out.append(
            ServiceInventory(
                question=_text(q.text, lang, q.code),
                services=[label for _, label in rows_def],
                columns=[col_label[c.value] for c in q.choices],
                rows=rows,
                totals=totals,
            )
        )
    return out


def build_waves(
    consultation, lang: str, current: list[SurveyResult] | None = None
) -> list[WaveChange]:
    """Questions asked in both waves (same code): means and shares then and now."""
    if not consultation.wave_of_id:
        return []
    current = current if current is not None else build_surveys(consultation.id, lang)
    now = {q.code: q for s in current for _, qs in s.sections for q in qs}
    before = {
        q.code: q
        for s in build_surveys(consultation.wave_of_id, lang)
        for _, qs in s.sections
        for q in qs
    }
    out = []
    for code, cur in now.items():
        prev = before.get(code)
        if prev is None or prev.type != cur.type:
            continue
        if cur.type in ("likert", "number"):
            mean = (prev.mean, cur.mean)
            out.append(
                WaveChange(
                    code,
                    cur.text,
                    "mean",
                    "Mean",
                    mean[0],
                    mean[1],
                    prev.respondents,
                    cur.respondents,
                )
            )
        elif cur.type in ("single_choice", "yes_no"):
            previous = {c.label: c.percent for c in prev.counts}
            for c in cur.counts:
                out.append(
                    WaveChange(
                        code,
                        cur.text,
                        "share",
                        c.label,
                        previous.get(c.label),
                        c.percent,
                        prev.respondents,
                        cur.respondents,
                    )
                )
    return out
