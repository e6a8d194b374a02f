"""The builder: staff create surveys, pages and questions through the forms."""

from sqlalchemy import func, select

from consult.audit import AuditEvent
from consult.extensions import db
from consult.surveys.models import Answer, Question, QuestionType, Survey
from consult.surveys.services import load_structure, submit_answers
from tests.surveys.conftest import COMPLETE


def _question(survey_id, code):
    return db.session.scalar(
        select(Question).where(Question.survey_id == survey_id, Question.code == code)
    )


def test_only_survey_builders_reach_the_builder(client, login_as, consultation, survey):
    assert client.get(f"/surveys/c/{consultation.slug}/").status_code == 302  # sign in first
    login_as("respondent")
    assert client.get(f"/surveys/c/{consultation.slug}/").status_code == 403
    assert client.post(f"/surveys/{survey.id}/status", data={"status": "closed"}).status_code == 403


def test_create_survey_add_questions_and_open_it(client, login_as, consultation):
    login_as("staff")
    r = client.post(
        f"/surveys/c/{consultation.slug}/new",
        data={"languages": "en, es", "title.en": "", "title.es": "Sin título en inglés"},
    )
    assert r.status_code == 400
    assert "Enter a title in the survey&#39;s main language." in r.get_data(as_text=True)
    assert 'value="Sin título en inglés"' in r.get_data(as_text=True)  # kept
    r = client.post(
        f"/surveys/c/{consultation.slug}/new",
        data={
            "languages": "en, es",
            "title.en": "Services survey",
            "title.es": "Encuesta de servicios",
            "estimated_minutes": "15",
            "one_response_per_organization": "y",
            "closes_at": "2026-12-15T17:00",
        },
    )
    assert r.status_code == 302
    survey = db.session.scalar(select(Survey))
    assert survey.title == {"en": "Services survey", "es": "Encuesta de servicios"}
    assert survey.closes_at.year == 2026 and survey.one_response_per_organization
    page_id = survey.sections[0].id
    r = client.post(
        f"/surveys/sections/{page_id}/questions/new?type=matrix",
        data={
            "type": "matrix",
            "code": "services",
            "text.en": "Services you offer",
            "text.es": "Servicios que ofrece",
            "required": "y",
            "choices": "provide|Provide|Presta\nrefer|Refer elsewhere|Deriva\nnone|Not available",
            "rows": "housing|Housing|Vivienda\nlegal|Legal assistance|Asistencia legal",
        },
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    q = _question(survey.id, "services")
    assert q.type is QuestionType.MATRIX and q.required
    assert [(c.value, c.label) for c in q.choices] == [
        ("provide", {"en": "Provide", "es": "Presta"}),
        ("refer", {"en": "Refer elsewhere", "es": "Deriva"}),
        ("none", {"en": "Not available"}),
    ]
    assert q.options["rows"][1] == {
        "key": "legal",
        "labels": {"en": "Legal assistance", "es": "Asistencia legal"},
    }
    client.post(
        f"/surveys/sections/{page_id}/questions/new",
        data={
            "type": "single_choice",
            "code": "statutes",
            "text.en": "Are statutes adequate?",
            "choices": "Adequate\nInadequate",
        },
    )
    r = client.post(
        f"/surveys/sections/{page_id}/questions/new",
        data={
            "type": "long_text",
            "code": "statutes_why",
            "text.en": "What should change?",
            "rule0.question": "statutes",
            "rule0.op": "equals",
            "rule0.value": "inadequate",
            "validation": "",
            "max_length": "2000",
            "message.en": "Keep it under 2000 characters",
        },
    )
    assert r.status_code == 302
    why = _question(survey.id, "statutes_why")
    assert why.condition == {
        "combine": "all",
        "rules": [{"question": "statutes", "op": "equals", "value": "inadequate"}],
    }
    assert why.validation == {
        "max_length": 2000,
        "message": {"en": "Keep it under 2000 characters"},
    }
    overview = client.get(f"/surveys/{survey.id}/build").get_data(as_text=True)
    assert f'href="/surveys/{survey.id}/results"' in overview
    assert "Missing translations" in overview
    assert 'Question statutes_why: <span class="tag tag-missing">es</span>' in overview
    client.post(f"/surveys/{survey.id}/status", data={"status": "open"})
    assert db.session.get(Survey, survey.id).status.value == "open"
    events = db.session.scalars(select(AuditEvent.action)).all()
    assert "survey.create" in events and "survey.question.add" in events


def test_bad_question_input_is_explained_and_kept(client, login_as, survey):
    login_as("staff")
    page_id = survey.sections[0].id
    r = client.post(
        f"/surveys/sections/{page_id}/questions/new",
        data={"type": "single_choice", "code": "Bad Code", "text.en": "Pick", "choices": "a\nb"},
    )
    assert r.status_code == 400 and "short code" in r.get_data(as_text=True)
    r = client.post(
        f"/surveys/sections/{page_id}/questions/new",
        data={
            "type": "single_choice",
            "code": "pick",
            "text.en": "Pick one",
            "choices": "only one",
        },
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "at least two options" in html and "only one" in html
    r = client.post(
        f"/surveys/sections/{page_id}/questions/new",
        data={
            "type": "short_text",
            "code": "later_ref",
            "text.en": "x",
            "rule0.question": "collab",
            "rule0.op": "equals",
            "rule0.value": "yes",
        },
    )
    assert "earlier question" in r.get_data(as_text=True)
    r = client.post(
        f"/surveys/sections/{page_id}/questions/new",
        data={"type": "short_text", "code": "pat", "text.en": "x", "pattern": "(["},
    )
    assert "not a valid regular expression" in r.get_data(as_text=True)


def test_move_questions_and_pages_without_javascript(client, login_as, survey):
    login_as("staff")
    first_page = survey.sections[0]
    email = _question(survey.id, "email")
    client.post(f"/surveys/questions/{email.id}/move", data={"direction": "up"})
    db.session.expire_all()
    assert [q.code for q in load_structure(survey.id).sections[0].questions][:2] == [
        "email",
        "name",
    ]
    # moving past the bottom of a page moves it to the next page
    founded = _question(survey.id, "founded")
    client.post(f"/surveys/questions/{founded.id}/move", data={"direction": "down"})
    db.session.expire_all()
    s = load_structure(survey.id)
    assert s.sections[1].questions[0].code == "founded"
    # a move that would put a condition before the question it depends on is refused
    why = _question(survey.id, "statutes_why")
    r = client.post(f"/surveys/questions/{why.id}/move", data={"direction": "up"})
    client.post(f"/surveys/questions/{why.id}/move", data={"direction": "up"})
    page = client.get(r.location).get_data(as_text=True)
    assert "condition before question" in page
    # pages move too (page 3 depends on "sector", on page 1, so it cannot go first)
    third = s.sections[2]
    client.post(f"/surveys/sections/{third.id}/move", data={"direction": "up"})
    db.session.expire_all()
    assert load_structure(survey.id).sections[1].id == third.id
    client.post(f"/surveys/sections/{first_page.id}/move", data={"direction": "down"})
    db.session.expire_all()
    assert load_structure(survey.id).sections[0].id == first_page.id  # refused


def test_after_real_responses_corrupting_edits_are_refused(client, login_as, survey):
    submit_answers(survey.id, COMPLETE, submission_key="first-real-1")
    login_as("staff")
    sector = _question(survey.id, "sector")
    r = client.post(
        f"/surveys/questions/{sector.id}/edit",
        data={"type": "multiple_choice", "text.en": "Sector", "choices": "gov|Government\nngo|NGO"},
    )
    assert r.status_code == 400 and "cannot change" in r.get_data(as_text=True)
    r = client.post(
        f"/surveys/questions/{sector.id}/edit",
        data={"type": "single_choice", "text.en": "Sector", "choices": "gov|Government"},
    )
    assert "ngo" in r.get_data(as_text=True) and r.status_code == 400
    version = db.session.get(Survey, survey.id).version
    r = client.post(
        f"/surveys/questions/{sector.id}/edit",
        data={
            "type": "single_choice",
            "text.en": "Which sector?",
            "text.es": "¿Qué sector?",
            "required": "y",
            "choices": "gov|Government|Gobierno\nngo|NGO|ONG\nacademic|Academic",
        },
    )
    assert r.status_code == 302
    db.session.expire_all()
    assert _question(survey.id, "sector").text["en"] == "Which sector?"
    assert db.session.get(Survey, survey.id).version == version + 1


def test_removing_an_answered_question_asks_and_archives(client, login_as, survey):
    submit_answers(survey.id, COMPLETE, submission_key="first-real-2")
    login_as("staff")
    collab = _question(survey.id, "collab")
    r = client.post(f"/surveys/questions/{collab.id}/remove")
    assert r.status_code == 302 and r.location.endswith(f"/questions/{collab.id}/remove")
    assert "Archive the question" in client.get(r.location).get_data(as_text=True)
    client.post(f"/surveys/questions/{collab.id}/remove", data={"confirm": "y"})
    db.session.expire_all()
    archived = db.session.get(Question, collab.id)
    assert archived.archived
    assert (
        db.session.scalar(select(func.count(Answer.id)).where(Answer.question_id == collab.id)) == 1
    )
    assert "collab" not in [q.code for p in load_structure(survey.id).sections for q in p.questions]
    # an unanswered question is simply deleted; a question others depend on is refused
    budget = _question(survey.id, "budget")
    client.post(f"/surveys/questions/{budget.id}/remove")
    assert _question(survey.id, "budget") is None
    statutes = _question(survey.id, "statutes")
    r = client.post(f"/surveys/questions/{statutes.id}/remove", follow_redirects=True)
    assert "Other conditions refer to this question: statutes_why" in r.get_data(as_text=True)


def test_preview_is_a_test_response_excluded_from_counts(client, login_as, survey, consultation):
    login_as("staff")
    r = client.post(f"/surveys/{survey.id}/preview", data={"lang": "es"})
    start = client.get(r.location).get_data(as_text=True)
    assert "Vista previa" in start and "Encuesta del grupo de trabajo" in start
    client.post(f"/surveys/{survey.id}/page/0", data={"name": "Prueba", "sector": "ngo"})
    submit_answers(survey.id, COMPLETE, submission_key="real-one-123")
    dash = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert f'href="/surveys/c/{consultation.slug}/"' in dash
    from consult.consultations.services import counts_for

    counts = counts_for([consultation.id, 999])
    assert counts[consultation.id]["Surveys"] == 1
    assert counts[consultation.id]["Survey responses"] == 1  # the preview is not counted
    assert counts[999]["Surveys"] == 0 and counts[999]["Survey responses"] == 0


def test_edit_page_title_translation_and_condition(client, login_as, survey):
    login_as("staff")
    page = survey.sections[1]
    r = client.post(
        f"/surveys/sections/{page.id}/edit",
        data={
            "title.en": "Views",
            "title.es": "Opiniones",
            "rule0.question": "sector",
            "rule0.op": "any_of",
            "rule0.value": "ngo, gov",
        },
    )
    assert r.status_code == 302
    db.session.expire_all()
    s = load_structure(survey.id)
    assert s.sections[1].title == {"en": "Views", "es": "Opiniones"}
    assert s.sections[1].condition["rules"][0]["value"] == ["ngo", "gov"]


def test_delete_only_a_survey_without_real_responses(client, login_as, survey, consultation):
    login_as("staff")
    submit_answers(survey.id, COMPLETE, submission_key="keeps-it-123")
    r = client.post(f"/surveys/{survey.id}/delete", follow_redirects=True)
    assert "cannot be deleted" in r.get_data(as_text=True)
    assert db.session.get(Survey, survey.id) is not None
    other = client.post(
        f"/surveys/c/{consultation.slug}/new",
        data={"languages": "en", "title.en": "Scratch survey"},
    )
    scratch = db.session.scalar(select(Survey).where(Survey.id != survey.id))
    assert other.status_code == 302
    r = client.post(f"/surveys/{scratch.id}/delete")
    assert r.location.endswith(f"/surveys/c/{consultation.slug}/")
    db.session.expire_all()
    assert db.session.get(Survey, scratch.id) is None


def test_builder_errors_are_shown_beside_the_field_they_concern(client, login_as, consultation):
    import re

    login_as("staff")
    r = client.post(
        f"/surveys/c/{consultation.slug}/new",
        data={"languages": "en, es", "title.en": "Survey", "closes_at": "next week"},
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert '<a href="#f-closes_at">Enter the closing date and time like' in html  # summary link
    assert re.search(r'<p class="field-error" id="f-closes_at-error">.*closing date', html)
    assert re.search(r'id="f-closes_at"[^>]*aria-describedby="f-closes_at-error"', html)
    assert 'aria-invalid="true"' in html and html.count("field-error") == 1
    client.post(
        f"/surveys/c/{consultation.slug}/new", data={"languages": "en, es", "title.en": "Survey"}
    )
    page_id = db.session.scalar(select(Survey)).sections[0].id
    cases = [
        ({"type": "single_choice", "code": "Bad Code", "text.en": "Q"}, "code"),
        ({"type": "single_choice", "code": "q1", "text.es": "Sólo español"}, "text.en"),
        ({"type": "single_choice", "code": "q1", "text.en": "Q", "choices": "one"}, "choices"),
        ({"type": "matrix", "code": "q1", "text.en": "Q", "choices": "a\nb"}, "rows"),
        ({"type": "number", "code": "q1", "text.en": "Q", "min": "ten"}, "min"),
        ({"type": "short_text", "code": "q1", "text.en": "Q", "pattern": "(["}, "pattern"),
        ({"type": "likert", "code": "q1", "text.en": "Q", "points": "40"}, "points"),
        (
            {"type": "short_text", "code": "q1", "text.en": "Q", "rule0.question": "nope"},
            "condition",
        ),
    ]
    for data, field in cases:
        r = client.post(f"/surveys/sections/{page_id}/questions/new?type={data['type']}", data=data)
        html = r.get_data(as_text=True)
        assert r.status_code == 400, data
        assert f'<a href="#f-{field}">' in html, (field, html[:3000])
        assert f'id="f-{field}-error"' in html, field
    assert db.session.scalar(select(func.count(Question.id))) == 0


def test_unknown_survey_ids_are_not_found_not_server_errors(client, login_as):
    login_as("staff")
    assert client.get("/surveys/999999/build").status_code == 404
    assert client.post("/surveys/999999/status", data={"status": "open"}).status_code == 404
    assert client.post("/surveys/999999/preview", data={"lang": "en"}).status_code == 404
