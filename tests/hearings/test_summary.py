"""Hearing summary: content, themes from accepted codings, tally, editions; dashboard counts."""

from sqlalchemy import select

from consult.consultations.services import counts_for
from consult.extensions import db
from consult.hearings.models import Speaker
from consult.hearings.moderation import moderate, save_summary
from consult.hearings.summary import build_summary, summary_html
from consult.passages.models import Passage
from tests.hearings.conftest import signup_data


def _speakers(client, hearing):
    for name, pos, text in [
        ("Ann Agency", "support", "We support the bill because inspections work. " * 3),
        ("Ben Grower", "oppose", "The bill burdens small farms with paperwork."),
        ("Cat Clinic", "support", "Clinics see workers with untreated injuries."),
    ]:
        assert (
            client.post(
                f"/hearings/{hearing.id}",
                data=signup_data(name=name, position=pos, written_text=text),
            ).status_code
            == 302
        )
    for s in db.session.scalars(select(Speaker)):
        moderate(s.testimony.id, "approved", actor_id=None)


def _code(passage: Passage, theme_name: str, status: str):
    from consult.coding.models import Coding, Theme

    theme = db.session.scalar(select(Theme).where(Theme.name == theme_name))
    if theme is None:
        theme = Theme(consultation_id=passage.consultation_id, name=theme_name)
        db.session.add(theme)
        db.session.flush()
    db.session.add(
        Coding(
            passage_id=passage.id,
            theme_id=theme.id,
            start=0,
            end=5,
            snippet=passage.text[:5],
            status=status,
        )
    )
    db.session.commit()


def test_summary_has_speakers_tally_chart_summaries_and_only_accepted_themes(app, client, hearing):
    _speakers(client, hearing)
    with app.test_request_context():
        html = summary_html(build_summary(hearing.id, "internal"))
    assert "Themes" not in html  # nothing coded yet: no themes section
    assert "Ann Agency" in html and "Ben Grower" in html
    assert "<svg" in html and "Speakers by position" in html
    assert "counter(pages)" in html and "string-set" in html
    assert "thead" in html

    passages = {p.text[:3]: p for p in db.session.scalars(select(Passage))}
    _code(passages["We "], "Labor inspection", "accepted")
    _code(passages["The"], "Rejected theme", "rejected")
    ben = db.session.scalar(select(Speaker).where(Speaker.name == "Ben Grower"))
    save_summary(ben.testimony.id, "Worried about paperwork for small farms.", actor_id=None)
    with app.test_request_context():
        s = build_summary(hearing.id, "public")
        html = summary_html(s)
    assert "Labor inspection" in html and "Rejected theme" not in html
    assert "Worried about paperwork for small farms." in html
    assert dict(s.tally) == {"Support": 2, "Oppose": 1, "Neutral": 0, "For information": 0}


def test_summary_preview_and_pdf_download(client, auth, factory, hearing):
    _speakers(client, hearing)
    auth.login(factory.user("staff"))
    preview = client.get(f"/hearings/{hearing.id}/summary?edition=internal")
    assert preview.status_code == 200 and "Download PDF" in preview.text
    pdf = client.get(f"/hearings/{hearing.id}/summary.pdf?edition=public")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    assert "attachment" in pdf.headers["Content-Disposition"]
    assert client.get(f"/hearings/{hearing.id}/summary?edition=bogus").status_code == 404


def test_cli_refuses_unknown_hearing(runner, tmp_path):
    result = runner.invoke(args=["hearings", "summary", "999", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "no hearing 999" in result.output


def test_dashboard_counts_are_zero_for_every_id_and_count_hearing_data(client, factory, hearing):
    other = factory.consultation()
    zero = counts_for([other.id])[other.id]
    assert {k: zero[k] for k in ("Hearings", "Speakers", "Written submissions")} == {
        "Hearings": 0,
        "Speakers": 0,
        "Written submissions": 0,
    }
    client.post(f"/hearings/{hearing.id}", data=signup_data(written_text="x"))
    client.post(f"/hearings/{hearing.id}", data=signup_data(name="No text"))
    counts = counts_for([hearing.consultation_id, other.id])
    assert counts[hearing.consultation_id]["Hearings"] == 1
    assert counts[hearing.consultation_id]["Speakers"] == 2
    assert counts[hearing.consultation_id]["Written submissions"] == 1
    assert counts[other.id]["Speakers"] == 0


def test_dashboard_link_for_people_who_run_hearings(app, factory, hearing):
    from consult.hearings.dashboard import hearing_links

    c = hearing.consultation
    with app.test_request_context():
        assert hearing_links(c, factory.user("facilitator"))[0][0] == "Hearings and testimony"
        assert hearing_links(c, factory.user("respondent")) == []
