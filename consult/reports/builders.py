"""Build the summary report's data: queries in, plain dataclasses out (see data.py)."""

import importlib

from consult.consultations.models import Consultation
from consult.extensions import db
from consult.reports import build_core, build_recs, build_surveys, build_themes
from consult.reports.data import KeyFigure, SummaryReport
from consult.reports.options import ReportOptions


def _paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]


def agreement_figures(consultation_id: int) -> list[tuple[str, str]]:
    """Inter-coder agreement from the coding module (double-coded sample), when it has it."""
    try:
        module = importlib.import_module("consult.coding.double_coding")
    except ModuleNotFoundError:
        return []
    out: list[tuple[str, str]] = []
    if hasattr(module, "agreement_report"):
        overall = module.agreement_report(consultation_id)[0]
        if overall is not None and overall.units:
            out += [
                ("Passages coded independently by two or more coders", str(overall.units)),
                ("Percentage agreement", _pct(overall.percent)),
                ("Cohen's kappa (mean over coder pairs)", _fmt(overall.kappa)),
                ("Krippendorff's alpha", _fmt(overall.alpha)),
            ]
    # machine precision/recall (double_coding.machine_report) is left out: it loads every coding
    # in Python and took 1.9 s of a 3.9 s build at 20,000 codings; the method section gives the
    # counts of machine suggestions accepted and pending instead.
    return out


def _pct(v) -> str:
    return "–" if v is None else f"{100 * v:.0f}%"


def _fmt(v) -> str:
    if v is None:
        return "–"
    return f"{v:.2f}" if isinstance(v, float) else str(v)


def build_summary(consultation_id: int, options: ReportOptions, progress=None) -> SummaryReport:
    """Everything the summary template shows, for these options."""
    step = progress or (lambda p, m=None: None)
    c = db.get_or_404(Consultation, consultation_id)
    public, sugg, lang = options.public, options.include_suggestions, options.lang
    report = SummaryReport(
        consultation_id=c.id,
        title=c.title,
        body=c.body or "",
        slug=c.slug,
        purpose=c.purpose or "",
        edition=options.edition,
        include_suggestions=sugg,
        sections=list(options.sections),
        lang=lang,
        data_as_of=build_core.data_as_of(c.id),
        executive_summary=_paragraphs(c.executive_summary),
        key_figures=[],
    )
    step(5, "Counting who was consulted")
    method = build_core.build_method(c, sugg, agreement_figures(c.id))
    if options.has("method"):
        report.method = method
    step(15, "Adding up survey results")
    surveys = None
    if options.has("surveys") or (options.has("waves") and c.wave_of_id):
        surveys = build_surveys.build_surveys(c.id, lang)
    if options.has("surveys"):
        report.surveys = surveys
    if options.has("services"):
        report.services = build_surveys.build_services(c.id, lang, public)
    if options.has("waves") and c.wave_of_id:
        report.previous_title = c.wave_of.title
        report.waves = build_surveys.build_waves(c, lang, surveys)
    step(30, "Counting themes and choosing quotes")
    themes = build_themes.build_themes(c.id, sugg, public)
    if options.has("themes"):
        report.themes = themes
    if options.has("hearings"):
        report.hearings = build_themes.build_hearings(c.id, sugg)
    step(40, "Tracing recommendations to their evidence")
    recs, trace = build_recs.build_recommendations(c.id, public)
    if options.has("recommendations"):
        report.recommendations = recs
    if options.has("appendix"):
        report.trace = trace
    if options.has("organizations"):
        report.organizations = build_core.build_organizations(c.id, public)
    if options.has("codebook"):
        # the theme rows count codings with the same filter as the codebook (active themes)
        counts = {t.theme_id: t.codings for t in themes.rows}
        report.codebook = build_core.build_codebook(c.id, sugg, counts)
    report.key_figures = _key_figures(method, themes, recs)
    return report


def _key_figures(method, themes, recs) -> list[KeyFigure]:
    responses = sum(r.responses for r in method.response_rates)
    invited = sum(r.invited for r in method.response_rates)
    responded = sum(r.responded for r in method.response_rates)
    rate = f"{100.0 * responded / invited:.0f}%" if invited else "–"
    return [
        KeyFigure("Organizations consulted", str(method.organizations_total)),
        KeyFigure("Survey responses", str(responses)),
        KeyFigure("Organization response rate", rate),
        KeyFigure("Hearings held", str(method.hearings_held)),
        KeyFigure("Speakers and written submitters", str(method.speakers)),
        KeyFigure("Passages analysed", str(method.passages)),
        KeyFigure("Themes found", str(sum(1 for t in themes.rows if t.codings))),
        KeyFigure("Recommendations", str(len(recs))),
    ]
