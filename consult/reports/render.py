"""Render the summary report's data to HTML with the one template used for preview and PDF."""

from datetime import date

from flask import current_app

from consult.reports.charts import Bar, Stack, bar_chart, stacked_bar
from consult.reports.data import Count, QuestionResult, SummaryReport, ThemeRow, WaveChange
from consult.reports.options import EDITIONS, SECTION_TITLES

TEMPLATE = "reports/summary.html"
STATIC_PREFIX = "/static/"  # resolved against pdf.BASE_URL in the PDF, served by the app in preview


def _bars(counts: list[Count]) -> list[Bar]:
    return [Bar(c.label, c.value) for c in counts]


def _matrix_chart(q: QuestionResult, chart_id: str):
    """A 100% stacked bar per matrix row (e.g. provide / refer / not available per service)."""
    stacks = [Stack(label, [float(v) for v in values]) for label, values in q.matrix_rows]
    return stacked_bar(q.text, q.matrix_columns, stacks, chart_id=chart_id)


def _theme_bars(rows: list[ThemeRow]) -> list[Bar]:
    return [Bar(t.name, t.passages, t.colour) for t in rows]


def _wave_bars(previous_title: str):
    def bars(w: WaveChange) -> list[Bar]:
        return [
            Bar(previous_title or "Previous wave", w.previous or 0),
            Bar("This wave", w.current or 0),
        ]

    return bars


def render_summary_html(
    report: SummaryReport,
    *,
    preview: bool = False,
    back_url: str = "",
    generated_on: date | None = None,
) -> str:
    """The report as a complete HTML document (autoescaped; charts are escaped SVG)."""
    template = current_app.jinja_env.get_template(TEMPLATE)
    return template.render(
        r=report,
        titles=SECTION_TITLES,
        numbers={key: i for i, key in enumerate(report.sections, start=1)},
        edition_label=EDITIONS[report.edition],
        generated_on=(generated_on or date.today()).strftime("%-d %B %Y"),
        static_prefix=STATIC_PREFIX,
        preview=preview,
        back_url=back_url,
        chart=bar_chart,
        matrix_chart=_matrix_chart,
        bars=_bars,
        theme_bars=_theme_bars,
        wave_bars=_wave_bars(report.previous_title),
    )
