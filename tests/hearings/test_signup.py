"""Public sign-up: receipt, idempotency (incl. races), honeypot, closed/full, languages."""

import threading
from datetime import timedelta

from sqlalchemy import func, select

from consult.extensions import db
from consult.hearings import models as hm
from consult.hearings.models import Speaker
from consult.mail import read_outbox
from consult.models import utcnow
from consult.passages.models import OriginKind, Passage
from tests.hearings.conftest import signup_data


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def test_hearing_page_shows_details_quick_exit_and_confidentiality_explanations(client, hearing):
    html = client.get(f"/hearings/{hearing.id}").text
    assert hearing.title in html and "Room 2B, State Capitol" in html
    assert "HB 1234: labor recruiters" in html
    assert "data-quick-exit" in html and 'href="https://www.google.com/search?q=weather"' in html
    assert "Only task force staff read your testimony" in html
    assert "name withheld" in html
    assert 'name="website"' in html  # honeypot


def test_signup_with_written_testimony_gives_reference_receipt_and_passage(client, hearing):
    resp = client.post(
        f"/hearings/{hearing.id}",
        data=signup_data(
            written_text="Recruiters took our passports.",
            organization_name="Farmworker Justice Project",
            organization_kind="legal_aid",
        ),
    )
    assert resp.status_code == 302
    page = client.get(resp.headers["Location"]).text
    speaker = db.session.scalars(select(Speaker)).one()
    assert speaker.reference in page
    assert speaker.organization_kind.value == "legal_aid"
    mail = read_outbox()
    assert len(mail) == 1 and speaker.reference in mail[0]["Subject"]
    assert "Recruiters took our passports" not in mail[0].get_content()
    passage = db.session.scalars(select(Passage)).one()
    assert passage.origin_kind is OriginKind.TESTIMONY
    assert passage.source_id == hearing.id and passage.position == "support"
    assert passage.organization_kind == "legal_aid"


def test_double_submit_creates_one_signup_and_one_receipt(client, hearing):
    data = signup_data(written_text="Once only")
    first = client.post(f"/hearings/{hearing.id}", data=data)
    second = client.post(f"/hearings/{hearing.id}", data=data)
    assert first.status_code == second.status_code == 302
    assert count(Speaker) == 1 and count(hm.Testimony) == 1
    assert len(read_outbox()) == 1


def test_twenty_parallel_posts_with_one_key_make_one_signup(app, hearing):
    data = signup_data(written_text="Parallel")
    url = f"/hearings/{hearing.id}"
    codes, barrier = [], threading.Barrier(20)

    def post():
        client = app.test_client()
        barrier.wait()
        codes.append(client.post(url, data=dict(data)).status_code)

    threads = [threading.Thread(target=post) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.session.remove()
    assert codes == [302] * 20
    assert count(Speaker) == 1
    assert count(hm.Testimony) == 1
    assert db.session.scalar(select(func.count(Passage.id))) == 1


def test_honeypot_saves_nothing(client, hearing):
    resp = client.post(f"/hearings/{hearing.id}", data=signup_data(website="http://spam.example"))
    assert resp.status_code == 200
    assert count(Speaker) == 0


def test_missing_fields_show_errors_and_keep_input(client, hearing):
    resp = client.post(
        f"/hearings/{hearing.id}",
        data=signup_data(name="", position=None, written_text="Keep me please"),
    )
    assert resp.status_code == 400
    assert "Enter your name." in resp.text and "Choose your position." in resp.text
    assert "Keep me please" in resp.text
    assert count(Speaker) == 0


def test_written_only_needs_text_or_file(client, hearing):
    resp = client.post(f"/hearings/{hearing.id}", data=signup_data(mode="written"))
    assert resp.status_code == 400
    assert "Add your written testimony, or attach a file." in resp.text


def test_closed_signup_offers_written_testimony(client, make_hearing):
    hearing = make_hearing(
        signup_closes_at=utcnow() - timedelta(hours=1),
        signup_opens_at=utcnow() - timedelta(days=5),
    )
    page = client.get(f"/hearings/{hearing.id}").text
    assert "Sign-up to speak at this hearing is closed." in page
    assert "Written testimony only" in page
    resp = client.post(f"/hearings/{hearing.id}", data=signup_data())
    assert resp.status_code == 400
    assert "You can still send written testimony" in resp.text
    ok = client.post(f"/hearings/{hearing.id}", data=signup_data(mode="written", written_text="x"))
    assert ok.status_code == 302


def test_full_hearing_refuses_speakers_but_takes_written(client, make_hearing):
    hearing = make_hearing(capacity=1)
    assert client.post(f"/hearings/{hearing.id}", data=signup_data()).status_code == 302
    page = client.get(f"/hearings/{hearing.id}").text
    assert "Every speaking place at this hearing is taken." in page
    resp = client.post(f"/hearings/{hearing.id}", data=signup_data(mode="remote"))
    assert resp.status_code == 400 and "Every speaking place" in resp.text
    ok = client.post(f"/hearings/{hearing.id}", data=signup_data(mode="written", written_text="y"))
    assert ok.status_code == 302
    assert count(Speaker) == 2


def test_written_deadline_passed_closes_everything(client, make_hearing):
    hearing = make_hearing(status="closed", written_deadline=utcnow() - timedelta(minutes=1))
    page = client.get(f"/hearings/{hearing.id}").text
    assert '<form method="post" enctype' not in page
    resp = client.post(
        f"/hearings/{hearing.id}", data=signup_data(mode="written", written_text="z")
    )
    assert resp.status_code == 400
    assert count(Speaker) == 0


def test_spanish_page_and_receipt(client, hearing):
    from consult.hearings.models import Hearing

    h = db.session.get(Hearing, hearing.id)
    h.translations = {"es": {"title": "Audiencia sobre trata laboral"}}
    db.session.commit()
    html = client.get(f"/hearings/{hearing.id}?lang=es").text
    assert '<html lang="es"' in html
    assert "Audiencia sobre trata laboral" in html
    assert "Salir rápidamente de esta página" in html
    assert "Nombre completo" in html
    resp = client.post(f"/hearings/{hearing.id}", data=signup_data(written_text="Hola"))
    assert resp.status_code == 302
    assert "Gracias" in client.get(resp.headers["Location"]).text
    assert "Su número de referencia" in read_outbox()[0].get_content()


def test_language_outside_the_consultation_falls_back(client, factory, make_hearing):
    c = factory.consultation(languages=["en"])
    hearing = make_hearing(consultation=c)
    html = client.get(f"/hearings/{hearing.id}?lang=es").text
    assert '<html lang="en"' in html


def test_draft_consultation_hearings_are_not_public(client, factory, make_hearing):
    c = factory.consultation(stage="draft")
    hearing = make_hearing(consultation=c)
    assert client.get(f"/hearings/{hearing.id}").status_code == 404
    assert client.get(f"/hearings/{hearing.id}/record").status_code == 404


def test_rate_limit_applies_to_posts(tmp_path, pg_database):
    from consult import create_app
    from tests.conftest import make_test_config, prepare_schema

    app = create_app(
        make_test_config(
            tmp_path, pg_database, RATELIMIT_ENABLED=True, PUBLIC_FORM_RATE_LIMIT="2 per minute"
        )
    )
    prepare_schema(app, pg_database)
    with app.app_context():
        client = app.test_client()
        codes = [client.post("/hearings/999", data={}).status_code for _ in range(3)]
        assert codes[:2] == [404, 404] and codes[2] == 429
        assert client.get("/hearings/").status_code == 200
        db.session.remove()
        db.engine.dispose()


def test_home_page_links_to_public_hearings(client, hearing):
    html = client.get("/").text
    assert 'href="/hearings/"' in html
    listing = client.get("/hearings/").text
    assert hearing.title in listing and f"/hearings/{hearing.id}/record" in listing


def test_contact_fields_say_what_they_are_for(client, hearing):
    """Regression (WCAG 1.3.5): name, email and phone had no input type or autocomplete."""
    page = client.get(f"/hearings/{hearing.id}").text
    import re

    def tag(field_id):
        return re.search(rf'<input[^>]*id="{field_id}"[^>]*>', page).group(0)

    assert 'autocomplete="name"' in tag("name")
    assert 'type="email"' in tag("email") and 'autocomplete="email"' in tag("email")
    assert 'type="tel"' in tag("phone") and 'autocomplete="tel"' in tag("phone")
    assert 'autocomplete="organization"' in tag("organization_name")
    # the server still explains a bad address (the form is novalidate)
    bad = client.post(f"/hearings/{hearing.id}", data=signup_data(email="not-an-address"))
    assert bad.status_code == 400 and "Enter an email address like name@example.org." in bad.text


def test_hearing_list_says_which_hearings_take_sign_ups(client, factory, make_hearing):
    """Regression: the public list gave no hint which hearing one could still sign up for."""
    c = factory.consultation()
    make_hearing(c, title="Open one")
    make_hearing(c, title="Held one", status="held", starts_at=utcnow() - timedelta(days=3))
    make_hearing(c, title="Later one", status="scheduled")
    page = client.get("/hearings/?lang=en").text
    assert page.count("Sign-up to speak is open.") == 1
    assert "This hearing has taken place." in page
    assert "Sign-up to speak has not opened yet." in page
    es = client.get("/hearings/?lang=es").text
    assert "La inscripción para hablar está abierta." in es
    assert "Esta audiencia ya se celebró." in es
