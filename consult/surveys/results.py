"""Survey results: per-question aggregates computed in SQL (a fixed number of queries per survey).

Builders return plain dataclasses so the results page, the summary report and the API can share them.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.orgs.models import KIND_LABELS, Organization, OrganizationKind
from consult.surveys.models import (
    Answer,
    Question,
    QuestionType,
    Response,
    ResponseStatus,
    Section,
    Survey,
)

NUMERIC_TYPES = (QuestionType.NUMBER, QuestionType.LIKERT)
TEXT_TYPES = (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT, QuestionType.EMAIL)
EXAMPLES_PER_QUESTION = 5
YES_NO_LABELS = {"en": {"yes": "Yes", "no": "No"}, "es": {"yes": "Sí", "no": "No"}}


@dataclass
class Filters:
    """Which submitted responses to count; empty lists mean "any"."""

    kinds: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    submitted_from: date | None = None
    submitted_to: date | None = None

    @classmethod
    def from_args(cls, args) -> "Filters":
        """Build from a MultiDict of query arguments; unknown or malformed values are ignored."""
        kinds = [k for k in args.getlist("kind") if k in {m.value for m in OrganizationKind}]
        return cls(
            kinds=kinds,
            regions=[r for r in args.getlist("region") if r],
            languages=[lang for lang in args.getlist("language") if lang],
            submitted_from=_parse_date(args.get("from")),
            submitted_to=_parse_date(args.get("to")),
        )

    @property
    def active(self) -> bool:
        return bool(
            self.kinds or self.regions or self.languages or self.submitted_from or self.submitted_to
        )


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def filtered_responses(survey_id: int, filters: Filters | None = None) -> Select:
    """SELECT of the ids of submitted, non-test responses matching the filters."""
    f = filters or Filters()
    stmt = select(Response.id).where(
        Response.survey_id == survey_id,
        Response.status == ResponseStatus.SUBMITTED,
        Response.is_test.is_(False),
    )
    if f.kinds or f.regions:
        stmt = stmt.join(Organization, Organization.id == Response.organization_id)
        if f.kinds:
            stmt = stmt.where(Organization.kind.in_([OrganizationKind(k) for k in f.kinds]))
        if f.regions:
            stmt = stmt.where(Organization.region.in_(f.regions))
    if f.languages:
        stmt = stmt.where(Response.language.in_(f.languages))
    if f.submitted_from:
        stmt = stmt.where(Response.submitted_at >= datetime.combine(f.submitted_from, time(), UTC))
    if f.submitted_to:
        end = datetime.combine(f.submitted_to + timedelta(days=1), time(), UTC)
        stmt = stmt.where(Response.submitted_at < end)
    return stmt


@dataclass
class OptionCount:
    value: str
    label: str
    count: int
    percent: float


@dataclass
class MatrixRow:
    key: str
    label: str
    counts: list[int]
    total: int


@dataclass
class RankItem:
    value: str
    label: str
    average_rank: float | None
    count: int


@dataclass
class QuestionResult:
    question_id: int
    code: str
    type: str
    text: str
    section: str
    answered: int = 0
    total: int = 0
    options: list[OptionCount] = field(default_factory=list)
    mean: float | None = None
    median: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    matrix_columns: list[str] = field(default_factory=list)
    matrix_rows: list[MatrixRow] = field(default_factory=list)
    ranking: list[RankItem] = field(default_factory=list)
    other_count: int = 0
    examples: list[str] = field(default_factory=list)
    earliest: date | None = None
    latest: date | None = None

    @property
    def percent_answered(self) -> float:
        return _pct(self.answered, self.total)


def _pct(n: int, d: int) -> float:
    return round(100.0 * n / d, 1) if d else 0.0


def label_of(labels: dict | str | None, lang: str, default: str = "") -> str:
    """A per-language label with fallback to English, then any language, then `default`."""
    if isinstance(labels, str):
        return labels
    labels = labels or {}
    return labels.get(lang) or labels.get("en") or next(iter(labels.values()), "") or default


def survey_questions(survey_id: int) -> list[Question]:
    """Answerable and note questions of a survey in page order, choices loaded (two queries)."""
    return list(
        db.session.scalars(
            select(Question)
            .join(Section, Section.id == Question.section_id)
            .where(Question.survey_id == survey_id, Question.archived.is_(False))
            .order_by(Section.position, Section.id, Question.position, Question.id)
            .options(selectinload(Question.choices), selectinload(Question.section))
        )
    )


def response_total(survey_id: int, filters: Filters | None = None) -> int:
    ids = filtered_responses(survey_id, filters).subquery()
    return db.session.scalar(select(func.count()).select_from(ids)) or 0


def median_from_counts(value_counts: list[tuple[float, int]]) -> float | None:
    """Median of a distribution given as (value, count) pairs (no per-response data needed)."""
    pairs = sorted((v, c) for v, c in value_counts if c > 0)
    n = sum(c for _, c in pairs)
    if n == 0:
        return None

    def nth(k: int) -> float:  # k-th value, 0-based, in the sorted expansion
        seen = 0
        for v, c in pairs:
            seen += c
            if k < seen:
                return v
        return pairs[-1][0]

    if n % 2:
        return nth(n // 2)
    return (nth(n // 2 - 1) + nth(n // 2)) / 2


def question_results(
    survey_id: int, filters: Filters | None = None, lang: str = "en"
) -> list[QuestionResult]:
    """Aggregates for every question of the survey; the query count does not grow with responses."""
    questions = [q for q in survey_questions(survey_id) if q.type is not QuestionType.NOTE]
    if not questions:
        return []
    ids = filtered_responses(survey_id, filters)
    total = response_total(survey_id, filters)
    qids = [q.id for q in questions]
    scope = and_(Answer.question_id.in_(qids), Answer.response_id.in_(ids))
    has_text = func.coalesce(Answer.value_text, "") != ""

    answered = dict(
        db.session.execute(
            select(Answer.question_id, func.count(func.distinct(Answer.response_id)))
            .where(scope)
            .group_by(Answer.question_id)
        ).all()
    )
    groups: dict[int, list] = {}
    for row in db.session.execute(
        select(
            Answer.question_id,
            Answer.row_key,
            Answer.choice,
            func.count(Answer.id),
            func.sum(case((has_text, 1), else_=0)),
            func.avg(Answer.value_number),
            func.min(Answer.value_number),
            func.max(Answer.value_number),
            func.min(Answer.value_date),
            func.max(Answer.value_date),
        )
        .where(scope)
        .group_by(Answer.question_id, Answer.row_key, Answer.choice)
    ):
        groups.setdefault(row[0], []).append(row)
    numeric_ids = [q.id for q in questions if q.type is QuestionType.NUMBER]
    value_counts: dict[int, list[tuple[float, int]]] = {}
    if numeric_ids:
        for qid, value, n in db.session.execute(
            select(Answer.question_id, Answer.value_number, func.count(Answer.id))
            .where(Answer.question_id.in_(numeric_ids), Answer.response_id.in_(ids))
            .where(Answer.value_number.is_not(None))
            .group_by(Answer.question_id, Answer.value_number)
        ):
            value_counts.setdefault(qid, []).append((float(value), n))
    examples = _examples(ids, [q.id for q in questions if q.type in TEXT_TYPES])

    out = []
    for q in questions:
        r = QuestionResult(
            question_id=q.id,
            code=q.code,
            type=q.type.value,
            text=label_of(q.text, lang, q.code),
            section=label_of(q.section.title, lang),
            answered=answered.get(q.id, 0),
            total=total,
            examples=examples.get(q.id, []),
        )
        _fill(r, q, groups.get(q.id, []), value_counts.get(q.id, []), lang)
        out.append(r)
    return out


def _examples(ids: Select, text_qids: list[int]) -> dict[int, list[str]]:
    """The latest few text answers per text question, in one windowed query."""
    if not text_qids:
        return {}
    rn = (
        func.row_number()
        .over(partition_by=Answer.question_id, order_by=Answer.response_id.desc())
        .label("rn")
    )
    inner = (
        select(Answer.question_id, Answer.value_text, rn)
        .where(Answer.question_id.in_(text_qids), Answer.response_id.in_(ids))
        .where(func.coalesce(Answer.value_text, "") != "")
        .subquery()
    )
    out: dict[int, list[str]] = {}
    for qid, text, _ in db.session.execute(
        select(inner)
        .where(inner.c.rn <= EXAMPLES_PER_QUESTION)
        .order_by(inner.c.question_id, inner.c.rn)
    ):
        out.setdefault(qid, []).append(text)
    return out


def _fill(r: QuestionResult, q: Question, groups: list, values: list, lang: str) -> None:
    """Turn one question's grouped rows into its result fields (no queries)."""
    t = q.type
    r.other_count = sum(int(g[4] or 0) for g in groups) if t.has_choices else 0
    if t in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.YES_NO):
        by_choice = {g[2]: g[3] for g in groups if g[1] == ""}
        options = _option_labels(q, lang)
        known = {v for v, _ in options}
        r.options = [
            OptionCount(v, label, by_choice.get(v, 0), _pct(by_choice.get(v, 0), r.answered))
            for v, label in options
        ]
        other = sum(n for c, n in by_choice.items() if c and c not in known)
        offers_other = t in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE)
        if other or (offers_other and q.options.get("other")):
            other = max(other, r.other_count)
            label = "Otro" if lang == "es" else "Other"
            r.options.append(OptionCount("other", label, other, _pct(other, r.answered)))
    elif t is QuestionType.LIKERT:
        by_choice = {g[2]: g[3] for g in groups}
        points = int(q.options.get("points") or 5)
        labels = (
            (q.options.get("labels") or {}).get(lang)
            or (q.options.get("labels") or {}).get("en")
            or []
        )
        r.options = [
            OptionCount(
                str(p),
                f"{p} {labels[p - 1]}" if p - 1 < len(labels) else str(p),
                by_choice.get(str(p), 0),
                _pct(by_choice.get(str(p), 0), r.answered),
            )
            for p in range(1, points + 1)
        ]
        pairs = [(float(c), n) for c, n in by_choice.items() if _is_number(c)]
        _stats(r, pairs)
    elif t is QuestionType.NUMBER:
        _stats(r, values)
    elif t is QuestionType.DATE:
        dates = [g[8] for g in groups if g[8]] + [g[9] for g in groups if g[9]]
        r.earliest, r.latest = (min(dates), max(dates)) if dates else (None, None)
    elif t is QuestionType.MATRIX:
        cols = [(c.value, label_of(c.label, lang, c.value)) for c in q.choices]
        r.matrix_columns = [label for _, label in cols]
        cells = {(g[1], g[2]): g[3] for g in groups}
        for row in q.options.get("rows") or []:
            counts = [cells.get((row["key"], v), 0) for v, _ in cols]
            label = label_of(row.get("labels") or row.get("label"), lang, row["key"])
            r.matrix_rows.append(MatrixRow(row["key"], label, counts, sum(counts)))
    elif t is QuestionType.RANKING:
        by_item = {g[1]: (g[5], g[3]) for g in groups}
        for c in q.choices:
            avg, n = by_item.get(c.value, (None, 0))
            average = round(float(avg), 2) if avg is not None else None
            r.ranking.append(RankItem(c.value, label_of(c.label, lang, c.value), average, n))
        r.ranking.sort(key=lambda i: (i.average_rank is None, i.average_rank or 0))


def _option_labels(q: Question, lang: str) -> list[tuple[str, str]]:
    if q.type is QuestionType.YES_NO:
        labels = YES_NO_LABELS.get(lang, YES_NO_LABELS["en"])
        return [("yes", labels["yes"]), ("no", labels["no"])]
    return [(c.value, label_of(c.label, lang, c.value)) for c in q.choices]


def _is_number(value: str) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _stats(r: QuestionResult, pairs: list[tuple[float, int]]) -> None:
    n = sum(c for _, c in pairs)
    if not n:
        return
    r.mean = round(sum(v * c for v, c in pairs) / n, 2)
    r.median = median_from_counts(pairs)
    r.minimum = min(v for v, c in pairs if c)
    r.maximum = max(v for v, c in pairs if c)


@dataclass
class FilterOptions:
    kinds: list[tuple[str, str]]
    regions: list[str]
    languages: list[str]


def filter_options(survey: Survey) -> FilterOptions:
    """Values the results filters can take for this survey (one query for regions)."""
    regions = db.session.scalars(
        select(Organization.region)
        .join(Response, Response.organization_id == Organization.id)
        .where(Response.survey_id == survey.id, Organization.region.is_not(None))
        .distinct()
        .order_by(Organization.region)
    ).all()
    return FilterOptions(
        kinds=[(k.value, label) for k, label in KIND_LABELS.items()],
        regions=list(regions),
        languages=list(survey.languages or ["en"]),
    )


def chart_for(r: QuestionResult):
    """Server-side SVG for one result (None for text and date questions)."""
    from consult.reports.charts import Bar, Stack, bar_chart, stacked_bar

    chart_id = f"chart-{r.question_id}"
    if r.matrix_rows:
        stacks = [Stack(row.label, [float(n) for n in row.counts]) for row in r.matrix_rows]
        return stacked_bar(r.text, r.matrix_columns, stacks, chart_id=chart_id)
    if r.ranking:
        bars = [Bar(i.label, i.average_rank or 0) for i in r.ranking]
        return bar_chart(f"{r.text} (average rank, 1 = first)", bars, chart_id=chart_id)
    if r.options:
        bars = [Bar(o.label, o.count) for o in r.options]
        return bar_chart(r.text, bars, chart_id=chart_id)
    return None
