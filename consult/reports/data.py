"""Plain data the report builders return and the template renders (hashable as canonical JSON)."""

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class Count:
    label: str
    value: int
    total: int = 0  # for shares; 0 = none

    @property
    def percent(self) -> float:
        return round(100.0 * self.value / self.total, 1) if self.total else 0.0


@dataclass
class Quote:
    coding_id: int
    passage_id: int
    text: str
    attribution: str  # organization kind (and name when public), never a person's name
    source: str
    theme: str = ""
    confidential: bool = False
    withheld: bool = False  # confidential in a public edition: counted, not quoted
    suggested: bool = False


@dataclass
class SurveyResponseRate:
    survey: str
    invited: int
    responded: int
    responses: int
    by_kind: list[tuple[str, int, int]] = field(default_factory=list)  # kind, invited, responded

    @property
    def rate(self) -> float:
        return round(100.0 * self.responded / self.invited, 1) if self.invited else 0.0


@dataclass
class Method:
    organizations_total: int
    by_kind: list[Count]
    by_region: list[Count]
    response_rates: list[SurveyResponseRate]
    hearings_held: int
    speakers: int
    speakers_spoke: int
    written_submissions: int
    passages: int
    passages_by_source: list[Count]
    opens_on: date | None
    closes_on: date | None
    themes_active: int
    codings_accepted: int
    codings_manual: int
    codings_machine_accepted: int
    suggestions_pending: int
    coders: int
    agreement: list[tuple[str, str]] = field(default_factory=list)  # label, value
    include_suggestions: bool = False


@dataclass
class QuestionResult:
    code: str
    text: str
    type: str
    respondents: int
    counts: list[Count] = field(default_factory=list)  # choice / likert point / ranking item
    mean: float | None = None
    median: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    matrix_columns: list[str] = field(default_factory=list)
    matrix_rows: list[tuple[str, list]] = field(default_factory=list)
    note: str = ""


@dataclass
class SurveyResult:
    title: str
    responses: int
    sections: list[tuple[str, list[QuestionResult]]]


@dataclass
class ServiceInventory:
    question: str
    services: list[str]
    columns: list[str]
    rows: list[tuple[str, str, list[str]]]  # organization display name, kind, column per service
    totals: list[tuple[str, list[int]]]  # service, count per column


@dataclass
class WaveChange:
    code: str
    text: str
    kind: str  # "mean" or "share"
    label: str  # what is compared (a choice label for shares, "mean" for means)
    previous: float | None
    current: float | None
    previous_n: int
    current_n: int

    @property
    def change(self) -> float | None:
        if self.previous is None or self.current is None:
            return None
        return round(self.current - self.previous, 2)


@dataclass
class ThemeRow:
    theme_id: int
    name: str
    parent: str
    colour: str
    codings: int
    passages: int
    organizations: int
    suggested: int
    mean_polarity: float | None
    positive: int
    neutral: int
    negative: int


@dataclass
class Themes:
    rows: list[ThemeRow]
    kinds: list[str]
    by_kind: list[tuple[str, list[int]]]  # theme name, passages per kind (same order as kinds)
    quotes: list[tuple[str, list[Quote]]]  # theme name, representative quotes
    include_suggestions: bool = False


@dataclass
class HearingSummary:
    hearing_id: int
    title: str
    subject: str
    when: str
    place: str
    speakers: int
    spoke: int
    written: int
    testimonies: int
    positions: list[Count]
    key_themes: list[Count]


@dataclass
class RecommendationItem:
    id: int
    number: int
    title: str
    text: str
    area: str
    status: str
    passages: int
    organizations: int
    organizations_by_kind: list[Count]
    hearings: int
    survey_questions: int
    evidence_total: int
    quotes: list[Quote]


@dataclass
class TraceRow:
    recommendation: int  # recommendation number
    coding_id: int
    passage_id: int
    source: str
    kind: str
    theme: str
    confidentiality: str
    quoted: bool


@dataclass
class OrganizationRow:
    name: str
    kind: str
    region: str
    listed: bool


@dataclass
class CodebookEntry:
    depth: int
    name: str
    description: str
    inclusion: str
    exclusion: str
    keywords: list[str]
    codings: int


@dataclass
class KeyFigure:
    label: str
    value: str


@dataclass
class SummaryReport:
    """Everything the summary template needs; built from the database, nothing computed later."""

    consultation_id: int
    title: str
    body: str
    slug: str
    purpose: str
    edition: str
    include_suggestions: bool
    sections: list[str]
    lang: str
    data_as_of: datetime | None
    executive_summary: list[str]
    key_figures: list[KeyFigure]
    method: Method | None = None
    surveys: list[SurveyResult] = field(default_factory=list)
    services: list[ServiceInventory] = field(default_factory=list)
    previous_title: str = ""
    waves: list[WaveChange] = field(default_factory=list)
    themes: Themes | None = None
    hearings: list[HearingSummary] = field(default_factory=list)
    recommendations: list[RecommendationItem] = field(default_factory=list)
    trace: list[TraceRow] = field(default_factory=list)
    organizations: list[OrganizationRow] = field(default_factory=list)
    codebook: list[CodebookEntry] = field(default_factory=list)


def _default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not serialisable: {type(value).__name__}")


def canonical_json(report: SummaryReport) -> str:
    """The report's data as canonical JSON (sorted keys, no whitespace)."""
    return json.dumps(
        dataclasses.asdict(report),
        default=_default,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def data_hash(report: SummaryReport) -> str:
    """SHA-256 of the canonical JSON: the same data gives the same hash."""
    return hashlib.sha256(canonical_json(report).encode()).hexdigest()
