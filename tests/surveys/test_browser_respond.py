"""A respondent's journey in a real browser, in Spanish, with live skip logic and resume."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from consult.extensions import db
from consult.orgs.services import save_organization
from consult.surveys.models import Response, ResponseStatus
from tests.conftest import Factory
from tests.helpers import assert_no_axe_violations
from tests.surveys.conftest import build_survey, make_invitation


@pytest.mark.browser
def test_invitation_journey_in_spanish_with_skip_logic_and_resume(live_server, browser):
    base, app = live_server
    with app.app_context():
        survey = build_survey(Factory(app).consultation(title="Consulta 2026"))
        org = save_organization(None, {"name": "Nuevas Raíces", "kind": "ngo"}, actor_id=None)
        token, _inv = make_invitation(survey, org, email="raices@example.org")
        survey_id = survey.id
    link = f"{base}/surveys/invite/{token}"

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(link)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Español").click()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == "Encuesta del grupo de trabajo"
    page.get_by_role("button", name="Empezar ahora").click()

    # page 1: an error first, then the answers
    assert page.locator("h1").inner_text() == "Sobre usted"
    assert "Página 1 de 2" in page.locator(".steps").inner_text()
    page.get_by_role("button", name="Continuar", exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert "Escriba una respuesta" in page.locator(".error-summary").inner_text()
    assert_no_axe_violations(page)
    page.get_by_label("Su nombre").fill("Lucía Pérez")
    page.get_by_label("ONG").check()
    page.get_by_label("Personal").fill("14")
    page.get_by_role("button", name="Continuar", exact=True).click()

    # page 2: the follow-up appears only for "Inadecuadas", live, without a page load
    assert page.locator("h1").inner_text() == "Sus opiniones"
    follow_up = page.locator("#q-statutes_why-wrap")
    expect(follow_up).to_be_hidden()  # waits for the deferred script to hide it
    # a phone: the matrix and ranking fit a 320 px wide screen without sideways scrolling
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_label("Inadecuadas").check()
    expect(follow_up).to_be_visible()
    page.get_by_label("Adecuadas", exact=True).check()
    expect(follow_up).to_be_hidden()
    page.get_by_label("Inadecuadas").check()
    page.get_by_label("¿Qué debería cambiar?").fill(
        "La definición de coacción es demasiado estrecha."
    )
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Guardar y continuar más tarde").click()
    assert page.locator("h1").inner_text() == "Sus respuestas están guardadas"
    assert_no_axe_violations(page)
    context.close()

    # a new browser (no cookies): the invitation link brings the draft back
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(link)
    page.get_by_role("button", name="Continuar con sus respuestas").click()
    assert page.locator("h1").inner_text() == "Sus opiniones"
    assert page.get_by_label("Inadecuadas").is_checked()
    assert page.get_by_label("¿Qué debería cambiar?").input_value().startswith("La definición")
    expect(page.locator("#q-statutes_why-wrap")).to_be_visible()
    page.get_by_role("button", name="Continuar", exact=True).click()

    assert page.locator("h1").inner_text() == "Revise sus respuestas antes de enviarlas"
    assert "Lucía Pérez" in page.content()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Enviar respuesta").click()
    assert page.locator("h1").inner_text() == "Respuesta enviada"
    reference = page.locator(".reference").inner_text()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Ver e imprimir una copia de sus respuestas").click()
    assert "La definición de coacción es demasiado estrecha." in page.content()
    assert_no_axe_violations(page)
    context.close()

    with app.app_context():
        response = db.session.scalar(select(Response).where(Response.survey_id == survey_id))
        assert response.status is ResponseStatus.SUBMITTED
        assert response.reference == reference and response.language == "es"


@pytest.mark.browser
def test_public_link_pages_closed_and_invalid_links_are_accessible(live_server, page):
    from consult.auth.services import token_hash
    from consult.surveys.services import set_status

    base, app = live_server
    with app.app_context():
        survey = build_survey(Factory(app).consultation(), anonymous=True)
        survey.public_token_hash = token_hash("open-door-token")
        db.session.commit()
        survey_id = survey.id
    page.goto(f"{base}/surveys/public/open-door-token")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Your name").fill("A member of the public")
    page.get_by_role("button", name="Save and continue later").click()
    page.get_by_label("E-mail address").fill("not-an-address")
    page.get_by_role("button", name="Send me the link").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Go back to your answers").click()
    page.get_by_label("NGO").check()
    page.get_by_role("button", name="Continue", exact=True).click()
    page.get_by_label("Adequate", exact=True).check()
    page.get_by_role("button", name="Continue", exact=True).click()
    page.get_by_label("E-mail address for a receipt (optional)").fill("bad@")
    page.get_by_role("button", name="Send response").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_no_axe_violations(page)
    with app.app_context():
        set_status(survey_id, "closed", actor_id=None)
    page.goto(f"{base}/surveys/public/open-door-token")
    assert "This survey is closed" in page.content()
    assert_no_axe_violations(page)
    page.goto(f"{base}/surveys/invite/no-such-token")
    assert page.locator("h1").inner_text() == "This link cannot be used"
    assert_no_axe_violations(page)
