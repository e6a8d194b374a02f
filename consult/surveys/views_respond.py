"""Respondent pages: start, one page per section, save and resume, review, submit, confirmation.

Access rules live in `respond_access.py`: a response is reached only through a session grant or
the respondent's own organization.
"""

import json
import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consult.auth.decorators import permission_required
from consult.extensions import db, limiter
from consult.surveys import bp
from consult.surveys import respond as flow
from consult.surveys.answers import label_in
from consult.surveys.conditions import evaluate
from consult.surveys.forms import field_views, posted_answers
from consult.surveys.models import Response, ResponseStatus, Survey
from consult.surveys.receipts import answer_copy, receipt_address, send_resume_link
from consult.surveys.respond_access import (
    find_response,
    grant,
    page_context,
    page_language,
    response_or_404,
    unavailable,
)
from consult.surveys.services import (
    AnswersInvalid,
    NotAllowed,
    SurveyClosed,
    SurveyError,
    availability,
    load_structure,
    specs_of,
)
from consult.surveys.submit import InvalidEmail, submit_response
from consult.surveys.validation import validate_response

# ---- entry points --------------------------------------------------------------------------


@bp.get("/invite/<token>")
@limiter.limit("30 per minute")
def invitation_link(token):
    try:
        response = flow.respondent_entry(token)
    except flow.LinkInvalid as exc:
        return render_template("surveys/respond/link_invalid.html", message=str(exc)), 404
    except SurveyClosed:
        return redirect(
            url_for("surveys.closed_notice", token=token, lang=request.args.get("lang"))
        )
    grant(response)
    return redirect(
        url_for("surveys.start", survey_id=response.survey_id, lang=request.args.get("lang"))
    )


@bp.get("/invite/<token>/closed")
def closed_notice(token):
    from consult.auth.services import token_hash
    from consult.surveys.models import SurveyInvitation

    invitation = db.first_or_404(
        select(SurveyInvitation).where(SurveyInvitation.token_hash == token_hash(token))
    )
    survey = db.session.get(Survey, invitation.survey_id)
    return unavailable(survey, page_language(survey), availability(survey))


@bp.route("/public/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def public_link(token):
    try:
        survey = flow.survey_for_public_token(token)
    except flow.LinkInvalid as exc:
        return render_template("surveys/respond/link_invalid.html", message=str(exc)), 404
    lang = page_language(survey)
    if availability(survey) != "open":
        return unavailable(survey, lang, availability(survey))
    if request.method == "POST":
        response = flow.start_public(token, lang)
        grant(response)
        return redirect(
            url_for("surveys.page", survey_id=survey.id, index=_first_page(survey, response))
        )
    return render_template(
        "surveys/respond/start.html",
        **page_context(
            survey, lang, None, start_action=url_for("surveys.public_link", token=token)
        ),
    )


@bp.get("/resume/<token>")
@limiter.limit("30 per minute")
def resume_link(token):
    try:
        response = flow.resume(token)
    except flow.LinkInvalid as exc:
        return render_template("surveys/respond/link_invalid.html", message=str(exc)), 404
    grant(response)
    return redirect(
        url_for("surveys.page", survey_id=response.survey_id, index=response.current_section)
    )


@bp.post("/<int:survey_id>/preview")
@permission_required("build_surveys")
def preview(survey_id):
    db.get_or_404(Survey, survey_id)
    response = flow.start_preview(survey_id, current_user.id, request.form.get("lang", "en"))
    grant(response)
    return redirect(url_for("surveys.start", survey_id=survey_id, lang=response.language))


@bp.get("/mine")
def my_surveys():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.path))
    items = flow.surveys_for_member(current_user)
    return render_template("surveys/respond/mine.html", items=items, label_in=label_in)


# ---- start, pages ----------------------------------------------------------------------------


@bp.route("/<int:survey_id>/", methods=["GET", "POST"])
def start(survey_id):
    survey = db.get_or_404(Survey, survey_id)
    response = find_response(survey_id)
    if response is None and not (current_user.is_authenticated and current_user.organization_ids):
        abort(404)
    lang = page_language(survey, response)
    state = availability(survey)
    if response is not None and response.status is ResponseStatus.SUBMITTED:
        return redirect(url_for("surveys.done", survey_id=survey_id))
    if state != "open" and not (response and response.is_test):
        return unavailable(survey, lang, state, response)
    if request.method == "POST":
        if response is None:
            try:
                response = flow.start_for_member(survey_id, current_user)
            except SurveyError as exc:
                flash(str(exc), "error")
                return redirect(url_for("surveys.start", survey_id=survey_id))
            grant(response)
        return redirect(
            url_for("surveys.page", survey_id=survey_id, index=_first_page(survey, response))
        )
    return render_template(
        "surveys/respond/start.html",
        **page_context(
            survey, lang, response, start_action=url_for("surveys.start", survey_id=survey_id)
        ),
    )


def _first_page(survey: Survey, response: Response) -> int:
    full = load_structure(survey.id)
    pages = flow.visible_pages(full, flow.answers_of(response, full))
    if response.current_section in pages:
        return response.current_section
    return pages[0] if pages else 0


@bp.route("/<int:survey_id>/page/<int:index>", methods=["GET", "POST"])
def page(survey_id, index):
    response = response_or_404(survey_id)
    survey = load_structure(survey_id)
    lang = page_language(survey, response)
    if not 0 <= index < len(survey.sections):
        abort(404)
    try:
        flow.editable(response, survey)
    except SurveyClosed as exc:
        return unavailable(survey, lang, str(exc), response)
    except NotAllowed:
        return redirect(url_for("surveys.done", survey_id=survey_id))
    section = survey.sections[index]
    problems: dict = {}
    if request.method == "POST":
        posted = posted_answers(section.questions, request.form)
        action = request.form.get("action", "continue")
        result = flow.save_page(
            response.id,
            index,
            posted,
            language=lang,
            check=action == "continue",
            actor_id=current_user.id if current_user.is_authenticated else None,
        )
        if result.incomplete and not result.problems:  # an edit of a sent response revealed
            flash(
                _("Your change asks new questions. Answer them to complete your response."), "error"
            )
            return redirect(
                url_for("surveys.page", survey_id=survey_id, index=result.next_index, check=1)
            )
        if action == "save" and not result.problems:
            return redirect(url_for("surveys.saved", survey_id=survey_id))
        if not result.problems:
            if action == "back":
                return redirect(
                    url_for(
                        "surveys.page",
                        survey_id=survey_id,
                        index=_previous(survey, response, index),
                    )
                )
            if result.next_index is None:
                return redirect(url_for("surveys.review", survey_id=survey_id))
            return redirect(url_for("surveys.page", survey_id=survey_id, index=result.next_index))
        problems = result.problems
        answers = {**flow.answers_of(response, survey), **posted}
    else:
        answers = flow.answers_of(response, survey)
        visible = flow.visible_pages(survey, answers)
        if index not in visible:  # a page hidden by earlier answers: go on to the next one
            later = [i for i in visible if i > index]
            target = url_for("surveys.page", survey_id=survey_id, index=later[0]) if later else None
            return redirect(target or url_for("surveys.review", survey_id=survey_id))
        if request.args.get("check"):
            problems = validate_response(specs_of(survey), answers, only_sections={index}).problems
    return _render_page(survey, response, index, answers, problems, lang)


def _previous(survey: Survey, response: Response, index: int) -> int:
    pages = flow.visible_pages(survey, flow.answers_of(response, survey))
    earlier = [i for i in pages if i < index]
    return earlier[-1] if earlier else index


def _render_page(survey, response, index, answers, problems, lang):
    section = survey.sections[index]
    pages = flow.visible_pages(survey, answers)
    if index not in pages:
        pages = sorted({*pages, index})
    page_codes = {q.code for q in section.questions}
    known = validate_response(specs_of(survey), answers, require=False).values
    live, shown = set(), []
    for q in section.questions:
        refs = {r["question"].split(".", 1)[0] for r in (q.condition or {}).get("rules", [])}
        if refs & page_codes:
            live.add(q.code)
            shown.append(q)
        elif evaluate(q.condition, known) if q.condition else True:
            shown.append(q)
    fields = field_views(shown, answers, problems, lang, survey.default_language, live)
    referenced = {
        r["question"].split(".", 1)[0] for q in shown for r in (q.condition or {}).get("rules", [])
    }
    earlier_answers = json.dumps(
        {code: _jsonable(known[code]) for code in referenced - page_codes if code in known}
    )
    return render_template(
        "surveys/respond/page.html",
        **page_context(
            survey,
            lang,
            response,
            section=section,
            index=index,
            fields=fields,
            page_number=pages.index(index) + 1,
            page_count=len(pages),
            earlier_answers=earlier_answers,
        ),
    ), (400 if problems else 200)


def _jsonable(value):
    if isinstance(value, list | dict | str | int | float):
        return value
    return str(value)


@bp.route("/<int:survey_id>/saved", methods=["GET", "POST"])
def saved(survey_id):
    response = response_or_404(survey_id)
    survey = db.get_or_404(Survey, survey_id)
    lang = page_language(survey, response)
    error = None
    if request.method == "POST":
        try:
            token = flow.request_resume_link(response.id, request.form.get("email", ""))
        except SurveyError:
            error = _("Enter an e-mail address, like name@example.org")
        else:
            send_resume_link(survey, response, token, lang)
            flash(_("We have sent a link to continue your answers to that address."), "success")
            return redirect(url_for("surveys.saved", survey_id=survey_id))
    return render_template(
        "surveys/respond/saved.html",
        **page_context(survey, lang, response, error=error, email=request.form.get("email", "")),
    ), (400 if error else 200)


# ---- review, submit, confirmation --------------------------------------------------------------


@bp.get("/<int:survey_id>/review")
def review(survey_id):
    response = response_or_404(survey_id)
    survey = load_structure(survey_id)
    return _render_review(survey, response, page_language(survey, response))


def _render_review(survey: Survey, response: Response, lang: str, error: str | None = None):
    answers = flow.answers_of(response, survey)
    return render_template(
        "surveys/respond/review.html",
        **page_context(
            survey,
            lang,
            response,
            sections=answer_copy(survey, answers, lang),
            incomplete=(
                flow.missing_answers(survey, answers)
                if response.status is ResponseStatus.SUBMITTED
                else {}
            ),
            submission_key=request.form.get("submission_key") or uuid.uuid4().hex,
            ask_email=not response.is_test and receipt_address(response) is None,
            email=request.form.get("receipt_email", ""),
            error=error,
        ),
    ), (400 if error else 200)


@bp.post("/<int:survey_id>/submit")
@limiter.limit("60 per minute")
def submit(survey_id):
    response = response_or_404(survey_id)
    survey = load_structure(survey_id)
    lang = page_language(survey, response)
    key = request.form.get("submission_key") or uuid.uuid4().hex
    try:
        submit_response(response.id, key, receipt_email=request.form.get("receipt_email"))
    except InvalidEmail:
        db.session.rollback()
        error = _("Enter an e-mail address, like name@example.org")
        return _render_review(survey, response, lang, error)
    except AnswersInvalid as exc:
        first = flow.first_problem_page(survey, exc.problems)
        flash(_("Some answers need attention before you can send your response."), "error")
        return redirect(url_for("surveys.page", survey_id=survey_id, index=first, check=1))
    except SurveyClosed as exc:
        return unavailable(survey, lang, str(exc), response)
    return redirect(url_for("surveys.done", survey_id=survey_id))


@bp.get("/<int:survey_id>/done")
def done(survey_id):
    response = response_or_404(survey_id)
    if response.status is not ResponseStatus.SUBMITTED:
        return redirect(url_for("surveys.start", survey_id=survey_id))
    survey = load_structure(survey_id)
    lang = page_language(survey, response)
    can_edit = survey.allow_edit_after_submit and availability(survey) == "open"
    return render_template(
        "surveys/respond/done.html", **page_context(survey, lang, response, can_edit=can_edit)
    )


@bp.get("/<int:survey_id>/copy")
def copy(survey_id):
    response = response_or_404(survey_id)
    survey = load_structure(survey_id)
    lang = page_language(survey, response)
    answers = flow.answers_of(response, survey)
    return render_template(
        "surveys/respond/copy.html",
        **page_context(survey, lang, response, sections=answer_copy(survey, answers, lang)),
    )
