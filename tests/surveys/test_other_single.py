"""'Other (please specify)' on single-choice questions, end to end: builder, respondent page
(with and without a drop-down, without JavaScript), validation, storage, review, receipt, staff
view, results, exports, passages and the JSON definition."""

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from consult.extensions import db
from consult.mail import read_outbox
from consult.passages.models import OriginKind, Passage
from consult.surveys import questions as q
from consult.surveys import services
from consult.surveys.definition_io import (
    DefinitionError,
    export_definition,
    import_definition,
)
from consult.surveys.models import Answer, Question, Response, ResponseStatus
from consult.surveys.results import question_results
from consult.surveys.services import AnswersInvalid, SurveyError, submit_answers
from consult.surveys.validation import Problem, QuestionSpec, validate_answer
from tests.surveys.conftest import make_invitation

TEXT = "Community radio in Mixteco"


def build(consultation, *, display="radio", allow_edit=False):
    """One page: a required single choice with "Other" and a short text."""
    s = services.create_survey(
        consultation.id,
        actor_id=None,
        title={"en": "Outreach survey", "es": "Encuesta de difusión"},
        languages=["en", "es"],
        allow_edit_after_submit=allow_edit,
    )
    page = s.sections[0]
    services.update_section(page.id, actor_id=None, title={"en": "Outreach", "es": "Difusión"})
    q.add_question(
        page.id,
        actor_id=None,
        code="channel",
        type="single_choice",
        required=True,
        options={"other": True, "display": display},
        text={"en": "How did people hear of you?", "es": "¿Cómo supieron de ustedes?"},
        choices=[
            ("posters", {"en": "Posters", "es": "Carteles"}),
            ("radio", {"en": "Radio", "es": "Radio"}),
        ],
    )
    q.add_question(
        page.id,
        actor_id=None,
        code="name",
        type="short_text",
        text={"en": "Your name", "es": "Su nombre"},
    )
    services.set_status(s.id, "open", actor_id=None)
    return services.load_structure(s.id)


@pytest.fixture
def survey(consultation):
    return build(consultation)


def start(client, survey, factory, name="Harbor House"):
    org = factory.organization(name, kind="service_provider")
    token, _ = make_invitation(survey, org)
    r = client.get(f"/surveys/invite/{token}")
    assert r.status_code == 302
    html = client.get(r.location).get_data(as_text=True)
    r = client.post(f"/surveys/{survey.id}/", data=_csrf(html))
    assert r.location.endswith(f"/surveys/{survey.id}/page/0")
    return org


def _csrf(html):
    """The form's CSRF token when the app checks it (the no-JS test), nothing otherwise."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    return {"csrf_token": found.group(1)} if found and found.group(1) else {}


def send(client, survey):
    review = client.get(f"/surveys/{survey.id}/review").get_data(as_text=True)
    key = re.search(r'name="submission_key" value="([^"]+)"', review).group(1)
    r = client.post(f"/surveys/{survey.id}/submit", data={"submission_key": key, **_csrf(review)})
    assert r.status_code == 302 and r.location.endswith("/done")
    return review


def rows_of(survey):
    return db.session.scalars(
        select(Answer)
        .join(Question)
        .where(Question.survey_id == survey.id, Question.code == "channel")
    ).all()


# ---- validation ------------------------------------------------------------------------------


def test_validation_of_single_choice_with_other():
    s = QuestionSpec(
        "channel", "single_choice", choices=("posters", "radio"), options={"other": True}
    )
    assert validate_answer(s, "other", TEXT) == ("other", None)
    assert validate_answer(s, "other", "  ") == (None, Problem("other_missing"))
    assert validate_answer(s, "radio", TEXT) == ("radio", None)  # the box's text is not kept
    assert validate_answer(s, "", TEXT) == ("other", None)  # typed without picking: "Other"
    assert validate_answer(s, {"chosen": "other", "other": TEXT}) == ("other", None)  # JSON shape
    several = QuestionSpec("ways", "multiple_choice", choices=("a", "b"), options={"other": True})
    given = {"chosen": ["a", "other"], "other": TEXT}  # as the JSON export gives multiple choice
    assert validate_answer(several, given) == (["a", "other"], None)
    without = QuestionSpec("channel", "single_choice", choices=("posters", "radio"))
    assert validate_answer(without, "other", TEXT) == (None, Problem("choice"))
    assert validate_answer(without, "", TEXT) == (None, None)


# ---- builder and definition ------------------------------------------------------------------


def test_builder_offers_other_for_single_choice_and_refuses_a_clashing_value(
    client, login_as, survey
):
    login_as("staff")
    page_id = survey.sections[0].id
    form = client.get(f"/surveys/sections/{page_id}/questions/new?type=single_choice")
    assert 'name="other"' in form.get_data(as_text=True)
    r = client.post(
        f"/surveys/sections/{page_id}/questions/new",
        data={
            "type": "single_choice",
            "code": "heard",
            "text.en": "Where did you hear of it?",
            "choices": "tv|TV\nweb|Web",
            "other": "y",
        },
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    heard = db.session.scalar(select(Question).where(Question.code == "heard"))
    assert heard.options == {"display": "radio", "other": True}
    edit = client.get(f"/surveys/questions/{heard.id}/edit").get_data(as_text=True)
    assert re.search(r'id="f-other" name="other" value="y" checked', edit)
    r = client.post(
        f"/surveys/questions/{heard.id}/edit",
        data={
            "type": "single_choice",
            "text.en": "Where did you hear of it?",
            "choices": "tv|TV\nother|Something else",
            "other": "y",
        },
    )
    assert r.status_code == 400
    assert "is kept for &#34;Other, please specify&#34;" in r.get_data(as_text=True)
    r = client.post(
        f"/surveys/questions/{heard.id}/edit",
        data={"type": "single_choice", "text.en": "Where?", "choices": "tv|TV\nweb|Web"},
    )
    assert r.status_code == 302
    db.session.expire_all()
    assert "other" not in db.session.get(Question, heard.id).options  # unticked


def test_definition_json_round_trip_keeps_other(survey, factory):
    data = export_definition(survey)
    [channel] = [x for x in data["survey"]["sections"][0]["questions"] if x["code"] == "channel"]
    assert channel["options"] == {"display": "radio", "other": True}
    copy = import_definition(json.dumps(data), factory.consultation(slug="next").id)
    again = export_definition(copy)
    assert again["survey"]["sections"] == data["survey"]["sections"]
    channel["choices"].append({"value": "other", "label": {"en": "Other"}})
    with pytest.raises(DefinitionError, match='also a choice with the value "other"'):
        import_definition(json.dumps(data), copy.consultation_id)
    with pytest.raises(SurveyError, match="is kept for"):
        q.update_question(
            db.session.scalar(
                select(Question).where(Question.survey_id == copy.id, Question.code == "channel")
            ).id,
            actor_id=None,
            choices=[("posters", {"en": "Posters"}), ("other", {"en": "Other"})],
        )


# ---- respondent flow -------------------------------------------------------------------------


def test_other_with_text_is_stored_reviewed_received_and_coded(client, survey, factory, login_as):
    org = start(client, survey, factory)
    page = client.get(f"/surveys/{survey.id}/page/0").get_data(as_text=True)
    assert '<input type="radio" id="q-channel-2" name="channel" value="other">' in page
    assert '<label for="q-channel-2">Other</label>' in page
    assert '<label class="label" for="q-channel-other">Other — please specify</label>' in page
    assert 'id="q-channel-other" name="channel.other" value=""' in page
    es = client.get(f"/surveys/{survey.id}/page/0?lang=es").get_data(as_text=True)
    assert '<label for="q-channel-2">Otro</label>' in es
    assert '<label class="label" for="q-channel-other">Otro — especifique</label>' in es

    r = client.post(
        f"/surveys/{survey.id}/page/0",
        data={"channel": "other", "channel.other": f"  {TEXT} ", "name": "Ana", "lang": "en"},
    )
    assert r.status_code == 302 and r.location.endswith("/review")
    [row] = rows_of(survey)
    assert (row.choice, row.value_text) == ("other", TEXT)
    again = client.get(f"/surveys/{survey.id}/page/0").get_data(as_text=True)
    assert 'value="other" checked' in again and f'value="{TEXT}"' in again

    review = send(client, survey)
    assert f"Other: {TEXT}" in review
    response = db.session.scalar(select(Response).where(Response.organization_id == org.id))
    assert response.status is ResponseStatus.SUBMITTED
    [row] = rows_of(survey)
    [passage] = db.session.scalars(select(Passage).where(Passage.text == TEXT)).all()
    assert passage.origin_kind is OriginKind.SURVEY_ANSWER and passage.origin_id == str(row.id)
    assert passage.source_label == "How did people hear of you?"
    assert passage.organization_kind == "service_provider"
    assert set(db.session.scalars(select(Passage.text))) == {TEXT, "Ana"}
    [receipt] = read_outbox()
    assert f"Other: {TEXT}" in receipt.get_content()

    copy = client.get(f"/surveys/{survey.id}/copy").get_data(as_text=True)
    assert f"Other: {TEXT}" in copy
    login_as("staff")
    detail = client.get(f"/surveys/{survey.id}/responses/{response.id}").get_data(as_text=True)
    assert f"Other: {TEXT}" in detail
    [channel, _name] = question_results(survey.id)
    assert [(o.value, o.label, o.count) for o in channel.options] == [
        ("posters", "Posters", 0),
        ("radio", "Radio", 0),
        ("other", "Other", 1),
    ]
    assert channel.other_count == 1
    results = client.get(f"/surveys/{survey.id}/results").get_data(as_text=True)
    assert "1 “other” answer with text." in results


def test_other_with_an_empty_box_is_refused_and_keeps_what_was_typed(client, survey, factory):
    start(client, survey, factory)
    r = client.post(
        f"/surveys/{survey.id}/page/0",
        data={"channel": "other", "channel.other": "   ", "name": "Ana Torres", "lang": "en"},
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert (
        '<a href="#q-channel-other">How did people hear of you?: Say what your other answer is</a>'
        in html
    )
    assert '<p class="field-error" id="q-channel-error">' in html
    assert (
        'name="channel.other" value="   " aria-describedby="q-channel-error" aria-invalid="true"'
        in html
    )
    assert 'value="other" checked' in html and 'value="Ana Torres"' in html
    # the draft keeps the choice (not the blank box), so a later visit shows "Other" still chosen
    [row] = rows_of(survey)
    assert (row.choice, row.value_text) == ("other", None)
    assert 'value="other" checked' in client.get(f"/surveys/{survey.id}/page/0").get_data(
        as_text=True
    )
    es = client.post(
        f"/surveys/{survey.id}/page/0",
        data={"channel": "other", "channel.other": "", "name": "Ana Torres", "lang": "es"},
    )
    assert es.status_code == 400 and "Indique cuál es su otra respuesta" in es.get_data(
        as_text=True
    )
    assert db.session.scalar(select(Response.status)) is ResponseStatus.DRAFT


def test_switching_away_from_other_drops_the_text_and_its_passage(client, consultation, factory):
    survey = build(consultation, allow_edit=True)
    start(client, survey, factory)
    client.post(
        f"/surveys/{survey.id}/page/0",
        data={"channel": "other", "channel.other": TEXT, "lang": "en"},
    )
    send(client, survey)
    [row] = rows_of(survey)
    assert db.session.scalar(select(func.count(Passage.id)).where(Passage.text == TEXT)) == 1
    # an edit after sending: "Radio" chosen, the box still holds the old text (no script cleared it)
    r = client.post(
        f"/surveys/{survey.id}/page/0",
        data={"channel": "radio", "channel.other": TEXT, "lang": "en"},
    )
    assert r.status_code == 302
    db.session.expire_all()
    [row] = rows_of(survey)
    assert (row.choice, row.value_text) == ("radio", None)
    assert db.session.scalar(select(func.count(Passage.id)).where(Passage.text == TEXT)) == 0
    review = client.get(f"/surveys/{survey.id}/review").get_data(as_text=True)
    assert TEXT not in review and "Radio" in review
    page = client.get(f"/surveys/{survey.id}/page/0").get_data(as_text=True)
    assert 'value="radio" checked' in page and TEXT not in page


def test_a_text_typed_beside_another_choice_is_not_stored_in_a_draft(client, survey, factory):
    start(client, survey, factory)
    r = client.post(
        f"/surveys/{survey.id}/page/0",
        data={"channel": "posters", "channel.other": TEXT, "action": "save", "lang": "en"},
    )
    assert r.status_code == 302
    [row] = rows_of(survey)
    assert (row.choice, row.value_text) == ("posters", None)
    assert TEXT not in client.get(f"/surveys/{survey.id}/page/0").get_data(as_text=True)


def test_drop_down_display_has_other_and_its_box(client, consultation, factory):
    survey = build(consultation, display="dropdown")
    start(client, survey, factory)
    page = client.get(f"/surveys/{survey.id}/page/0").get_data(as_text=True)
    assert '<option value="other">Other</option>' in page
    assert '<label class="label" for="q-channel-other">Other — please specify</label>' in page
    r = client.post(
        f"/surveys/{survey.id}/page/0", data={"channel": "other", "channel.other": TEXT}
    )
    assert r.status_code == 302
    assert f"Other: {TEXT}" in client.get(r.location).get_data(as_text=True)


class _Form(HTMLParser):
    """What a browser without JavaScript sends: the survey form's named controls as they are."""

    def __init__(self):
        super().__init__()
        self.inside, self.action, self.fields, self.radios, self.labels = False, None, {}, {}, {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "data-survey-form" in a:
            self.inside, self.action = True, a["action"]
        elif tag == "label" and a.get("for"):
            self.labels[a["for"]] = True
        elif self.inside and tag == "input" and a.get("name"):
            if a.get("type") != "hidden":
                assert "hidden" not in a and "disabled" not in a, a
            if a.get("type") == "radio":
                self.radios.setdefault(a["name"], []).append(a["value"])
            else:
                self.fields[a["name"]] = (a.get("id"), a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def test_without_javascript_the_form_posts_other_and_its_text(csrf_app, factory):
    client = csrf_app.test_client()
    survey = build(factory.consultation())
    start(client, survey, factory)
    form = _Form()
    form.feed(client.get(f"/surveys/{survey.id}/page/0").get_data(as_text=True))
    # the box is an ordinary, labelled, visible text input: nothing needs a script to show it
    box_id, _ = form.fields["channel.other"]
    assert box_id == "q-channel-other" and form.labels.get(box_id)
    assert form.radios["channel"] == ["posters", "radio", "other"]
    data = {name: value for name, (_id, value) in form.fields.items()}
    data.update({"channel": "other", "channel.other": TEXT, "action": "continue"})
    r = client.post(form.action, data=data)
    assert r.status_code == 302 and r.location.endswith("/review"), r.get_data(as_text=True)
    send(client, survey)
    [row] = rows_of(survey)
    assert (row.choice, row.value_text) == ("other", TEXT)


# ---- service, exports ------------------------------------------------------------------------


def test_submission_service_refuses_an_empty_other_and_takes_the_json_shape(survey):
    with pytest.raises(AnswersInvalid) as refused:
        submit_answers(survey.id, {"channel": "other"}, submission_key="empty-other-1")
    assert refused.value.problems["channel"].kind == "other_missing"
    response, _ = submit_answers(
        survey.id,
        {"channel": {"chosen": "other", "other": TEXT}},
        submission_key="json-shape-1",
    )
    [row] = rows_of(survey)
    assert (row.response_id, row.choice, row.value_text) == (response.id, "other", TEXT)


@pytest.fixture
def exported(survey):
    submit_answers(
        survey.id, {"channel": "other", "channel.other": f"={TEXT}"}, submission_key="export-k-1"
    )
    submit_answers(
        survey.id, {"channel": "radio", "channel.other": "dropped"}, submission_key="export-k-2"
    )
    return survey


def test_csv_xlsx_and_json_exports_show_the_other_text(client, login_as, exported):
    login_as("staff")
    text = client.get(f"/surveys/{exported.id}/export.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [(r["channel"], r["channel/other"]) for r in rows] == [
        ("other", f"'={TEXT}"),  # neutralised like every text cell
        ("radio", ""),
    ]
    columns = client.get(f"/surveys/{exported.id}/export.columns.csv").get_data(as_text=True)
    assert "Value chosen (one of: posters, radio, other)" in columns
    assert "channel/other,channel,How did people hear of you?,single_choice,other," in columns
    wb = load_workbook(io.BytesIO(client.get(f"/surveys/{exported.id}/export.xlsx").data))
    sheet = list(wb["Responses"].values)
    head = list(sheet[0])
    at = head.index("channel")
    assert head[at + 1] == "channel/other"
    assert [r[at : at + 2] for r in sheet[1:]] == [("other", f"'={TEXT}"), ("radio", None)]
    data = json.loads(client.get(f"/surveys/{exported.id}/export.json").get_data(as_text=True))
    assert [r["answers"]["channel"] for r in data["responses"]] == [
        {"chosen": "other", "other": f"={TEXT}"},
        {"chosen": "radio", "other": None},
    ]
