"""The summary PDF: sections, numbers equal to SQL aggregates, editions, hostile text, bounds."""

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import distinct, func, select

from consult.coding.models import Coding, CodingStatus, Theme
from consult.extensions import db
from consult.passages.models import Passage
from consult.reports.builders import build_summary
from consult.reports.data import data_hash
from consult.reports.models import Evidence, Recommendation
from consult.reports.options import SECTIONS, ReportOptions
from consult.reports.pdf import RenderError, render_pdf, render_pdf_inline
from consult.reports.render import render_summary_html
from consult.reports.runs import summary_pdf
from consult.surveys.models import Response, ResponseStatus, SurveyInvitation
from tests.helpers import run_pdftotext
from tests.reports.seed import CONFIDENTIAL_SECRET


def _text(seeded, tmp_path, **options) -> str:
    _, _, pdf = summary_pdf(seeded.consultation_id, ReportOptions(**options))
    return run_pdftotext(pdf, tmp_path)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _sql_support(rec_id: int) -> tuple[int, int]:
    return db.session.execute(
        select(func.count(distinct(Passage.id)), func.count(distinct(Passage.organization_id)))
        .select_from(Evidence)
        .join(Coding, Coding.id == Evidence.coding_id)
        .join(Passage, Passage.id == Coding.passage_id)
        .where(Evidence.recommendation_id == rec_id)
    ).one()


def _unlisted_names(seeded) -> list[str]:
    from consult.orgs.models import Organization

    names = db.session.scalars(
        select(Organization.name).where(
            Organization.id.in_(seeded.org_ids), Organization.listed_publicly.is_(False)
        )
    ).all()
    assert names
    return names


def test_internal_edition_has_every_section_and_the_sql_figures(seeded, tmp_path):
    _, _, pdf = summary_pdf(seeded.consultation_id, ReportOptions(edition="internal"))
    raw = run_pdftotext(pdf, tmp_path)
    for _, title in SECTIONS:
        assert title in raw
    assert f"Page 2 of {raw.count(chr(12))}" in raw
    text = _flat(raw)
    assert "Contents" in text and "Internal edition" in text
    cid = seeded.consultation_id
    submitted = (
        Response.survey_id == seeded.survey_id,
        Response.status == ResponseStatus.SUBMITTED,
    )
    responses = db.session.scalar(select(func.count(Response.id)).where(*submitted))
    responded = db.session.scalar(
        select(func.count(distinct(Response.organization_id))).where(*submitted)
    )
    invited = db.session.scalar(
        select(func.count(distinct(SurveyInvitation.organization_id))).where(
            SurveyInvitation.survey_id == seeded.survey_id
        )
    )
    assert f"{responses} submitted responses" in text
    assert f"{responded} of {invited} invited organizations responded" in text
    rows = db.session.execute(
        select(Theme.name, func.count(distinct(Passage.id)), func.count(Coding.id))
        .join(Coding, Coding.theme_id == Theme.id)
        .join(Passage, Passage.id == Coding.passage_id)
        .where(Theme.consultation_id == cid, Coding.status == CodingStatus.ACCEPTED)
        .group_by(Theme.name)
    ).all()
    assert rows
    for name, passages, codings in rows:
        assert f"{name} {passages} {codings}" in text, name
    n_passages, n_orgs = _sql_support(seeded.recommendation_ids[0])
    assert f"Supported by {n_passages} passages from {n_orgs} organizations" in text
    # internal: confidential quotes and unlisted organizations appear
    assert CONFIDENTIAL_SECRET in text
    for name in _unlisted_names(seeded):
        assert name in text
    _check_metadata(pdf)


def test_public_edition_quotes_nothing_confidential_and_traces_every_link(seeded, tmp_path):
    text = _flat(_text(seeded, tmp_path, edition="public"))
    assert CONFIDENTIAL_SECRET not in text
    for name in _unlisted_names(seeded):
        assert name not in text
    assert "counted in the figures, not quoted" in text
    # confidential evidence still counts
    n_passages, n_orgs = _sql_support(seeded.recommendation_ids[0])
    assert f"Supported by {n_passages} passages from {n_orgs} organizations" in text
    appendix = text[text.rindex("Appendix: tracing recommendations to sources") :]
    links = db.session.execute(
        select(Evidence.coding_id, Coding.passage_id).join(Coding, Coding.id == Evidence.coding_id)
    ).all()
    assert len(links) == seeded.counts["evidence"]
    for coding_id, passage_id in links:
        assert f"C{coding_id} P{passage_id}" in appendix
    assert "confidential, not" in appendix


def test_same_data_gives_the_same_hash(seeded):
    options = ReportOptions(edition="public")
    first = data_hash(build_summary(seeded.consultation_id, options))
    assert first == data_hash(build_summary(seeded.consultation_id, options))
    db.session.get(Recommendation, seeded.recommendation_ids[2]).title = "Changed title"
    db.session.commit()
    assert data_hash(build_summary(seeded.consultation_id, options)) != first


HOSTILE = [
    "<script>alert('x')</script>",
    '<img src="file:///etc/passwd">',
    '<link rel="stylesheet" href="http://attacker.invalid/x.css">',
    "<style>body { background: url(http://attacker.invalid/bg.png) } @import url(http://attacker.invalid/i.css);</style>",
    '<div style="background:url(http://attacker.invalid/s.png)">styled</div>',
]


def test_hostile_text_renders_literally_and_fetches_nothing(seeded, tmp_path):
    cid = seeded.consultation_id
    from consult.consultations.models import Consultation

    c = db.session.get(Consultation, cid)
    c.title = HOSTILE[0]
    c.executive_summary = "\n\n".join(HOSTILE)
    rec = db.session.get(Recommendation, seeded.recommendation_ids[0])
    rec.title, rec.text = HOSTILE[1], HOSTILE[2]
    theme = db.session.scalars(select(Theme).where(Theme.consultation_id == cid)).first()
    theme.name, theme.colour = HOSTILE[3], "url(#a)"  # the column holds 7 characters
    db.session.commit()
    report = build_summary(cid, ReportOptions(edition="internal"))
    html = render_summary_html(report)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'fill="url(' not in html  # only hex colours reach the SVG
    pdf, fetcher = render_pdf_inline(html)
    assert fetcher.refused == []
    assert fetcher.served and all(u.endswith("/static/css/report.css") for u in fetcher.served)
    text = _flat(run_pdftotext(pdf, tmp_path))
    for hostile in HOSTILE[:3]:
        assert hostile in text
    assert "@import url(http://attacker.invalid/i.css)" in text
    reader = PdfReader(io.BytesIO(pdf))
    names = reader.trailer["/Root"].get("/Names")
    assert names is None or "/EmbeddedFiles" not in names.get_object()
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            assert annot.get_object().get("/Subtype") != "/FileAttachment"


def test_charts_escape_labels_and_accept_only_hex_colours():
    from consult.reports.charts import Bar, bar_chart

    svg = bar_chart("<b>t</b>", [Bar("<script>x</script>", 3, "url(http://attacker.invalid/p)")])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "attacker.invalid" not in svg and "<b>" not in svg


def test_the_fetcher_refuses_anything_but_static_files(app):
    html = (
        '<link rel="stylesheet" href="http://attacker.invalid/a.css">'
        '<img src="file:///etc/passwd"><img src="/static/../../consult/config.py">'
        '<img src="data:image/png;base64,iVBORw0KGgo=">'
    )
    _, fetcher = render_pdf_inline(html)
    assert any("attacker.invalid" in u for u in fetcher.refused)
    assert any(u.startswith("file:") for u in fetcher.refused)
    assert fetcher.served == []


def test_a_render_over_its_time_bound_fails_cleanly(seeded):
    html = render_summary_html(build_summary(seeded.consultation_id, ReportOptions()))
    with pytest.raises(RenderError, match="took longer than"):
        render_pdf(html, timeout=0.05)


def test_a_render_over_its_memory_bound_fails_cleanly(seeded):
    html = render_summary_html(build_summary(seeded.consultation_id, ReportOptions()))
    with pytest.raises(RenderError, match="memory"):
        render_pdf(html, memory_mb=64, timeout=60)


def _check_metadata(pdf: bytes) -> None:
    """Title and language metadata, a tagged PDF, every font embedded."""
    reader = PdfReader(io.BytesIO(pdf))
    assert "2026 consultation" in reader.metadata.title
    root = reader.trailer["/Root"]
    assert root.get("/Lang") == "en"
    assert bool(root["/MarkInfo"]["/Marked"])
    fonts = set()
    for page in reader.pages[:3]:
        for font in (page["/Resources"].get("/Font") or {}).values():
            desc = (
                font.get_object().get("/FontDescriptor")
                or font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            fonts.add(
                bool(desc.get_object().get("/FontFile2") or desc.get_object().get("/FontFile3"))
            )
    assert fonts == {True}  # every font embedded


def test_unreviewed_suggestions_are_labelled_on_every_page_where_they_count(seeded, tmp_path):
    options = {
        "edition": "internal",
        "sections": ("summary", "themes"),
        "include_suggestions": True,
    }
    pages = _text(seeded, tmp_path, **options).split("\f")
    label = "Includes unreviewed machine suggestions"
    themes = [p for p in pages if "2. Themes" in p and "Contents" not in p]
    summary = [p for p in pages if "1. Executive summary" in p]
    assert themes and summary
    assert all(label in p for p in themes)
    assert not any(label in p for p in summary)
    assert "Unreviewed" in "".join(themes)  # the column of suggestion counts
