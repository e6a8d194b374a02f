"""The hearing summary: one template for the HTML preview and the PDF, in two editions."""

from dataclasses import dataclass

from flask import render_template

from consult.extensions import db
from consult.hearings.models import Hearing
from consult.hearings.record import (
    INTERNAL,
    POSITION_LABELS,
    PUBLIC,
    Entry,
    build_entries,
    position_tally,
    theme_counts,
)
from consult.hearings.text import opening
from consult.models import utcnow
from consult.reports.charts import Bar, bar_chart

EDITIONS = (INTERNAL, PUBLIC)


@dataclass
class Summary:
    """Everything the summary template shows."""

    hearing: Hearing
    edition: str
    entries: list[Entry]
    tally: list[tuple[str, int]]
    chart: object
    themes: list[tuple[str, int]]
    generated_at: object

    def speaker_summary(self, entry: Entry) -> str:
        """Staff-written summary, else the opening of the testimony."""
        if entry.summary:
            return entry.summary
        text = entry.written or " ".join(t for _, t in entry.transcript)
        if not text:
            text = next((t for _, t in entry.attachments if t), "")
        return opening(text, 50)


def build_summary(hearing_id: int, edition: str) -> Summary:
    """Plain data for one edition of a hearing's summary."""
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {', '.join(EDITIONS)}")
    hearing = db.get_or_404(Hearing, hearing_id)
    entries = build_entries(hearing, edition)
    tally = [(POSITION_LABELS[p], n) for p, n in position_tally(hearing.id, edition).items()]
    chart = bar_chart(
        "Speakers by position", [Bar(label, n) for label, n in tally], chart_id="tally-chart"
    )
    return Summary(hearing, edition, entries, tally, chart, theme_counts(entries), utcnow())


def summary_html(summary: Summary, *, preview: bool = False) -> str:
    """The summary document as HTML (standalone: it is also what WeasyPrint renders)."""
    return render_template("hearings/summary.html", s=summary, preview=preview)


def summary_pdf(hearing_id: int, edition: str) -> bytes:
    """The summary as PDF bytes, rendered with the static-only fetcher in a bounded process."""
    from consult.reports.pdf import render_pdf

    summary = build_summary(hearing_id, edition)
    return render_pdf(
        summary_html(summary),
        title=f"{summary.hearing.title} – hearing summary",
        lang=summary.hearing.consultation.default_language,
    )
