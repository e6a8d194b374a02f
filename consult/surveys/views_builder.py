"""Builder pages for staff: surveys of a consultation, settings, pages, questions, preview."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.routing import BuildError

from consult.auth.decorators import permission_required
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.surveys import (
    bp,
    dashboard,  # noqa: F401 - registers the dashboard counts and links
    services,
)
from consult.surveys import builder_forms as bf
from consult.surveys import questions as question_services
from consult.surveys.models import Question, QuestionType, Section, Survey
from consult.surveys.services import SurveyError

build = permission_required("build_surveys")


def _consultation(slug: str) -> Consultation:
    return db.first_or_404(select(Consultation).where(Consultation.slug == slug))


def _to_overview(survey_id: int, anchor: str = ""):
    return redirect(url_for("surveys.builder_survey", survey_id=survey_id) + anchor)


@bp.get("/c/<slug>/")
@build
def builder_index(slug):
    c = _consultation(slug)
    return render_template("surveys/builder/index.html", c=c, surveys=services.surveys_for(c.id))


@bp.route("/c/<slug>/new", methods=["GET", "POST"])
@build
def builder_new(slug):
    c = _consultation(slug)
    values, error = bf.survey_values(None), None
    if request.method == "POST":
        values = request.form
        try:
            survey = services.create_survey(
                c.id, actor_id=current_user.id, **bf.survey_fields(request.form, c.languages)
            )
        except (SurveyError, bf.FormProblem) as exc:
            error = bf.errors_of(exc)
        else:
            flash("Survey created. Add its questions.", "success")
            return _to_overview(survey.id)
    return render_template(
        "surveys/builder/settings.html",
        c=c,
        survey=None,
        values=values,
        error=error,
        languages=_languages(values, c.languages),
    ), (400 if error else 200)


def _languages(values, fallback: list[str]) -> list[str]:
    text = values.get("languages") if hasattr(values, "get") else None
    langs = [p.strip() for p in (text or "").replace(",", " ").split() if p.strip()]
    return langs or fallback


@bp.route("/<int:survey_id>/settings", methods=["GET", "POST"])
@build
def builder_settings(survey_id):
    survey = db.get_or_404(Survey, survey_id)
    c = db.session.get(Consultation, survey.consultation_id)
    values, error = bf.survey_values(survey), None
    if request.method == "POST":
        values = request.form
        try:
            services.update_survey(
                survey.id,
                actor_id=current_user.id,
                **bf.survey_fields(request.form, survey.languages),
            )
        except (SurveyError, bf.FormProblem) as exc:
            db.session.rollback()
            error = bf.errors_of(exc)
        else:
            flash("Settings saved.", "success")
            return _to_overview(survey.id)
    return render_template(
        "surveys/builder/settings.html",
        c=c,
        survey=survey,
        values=values,
        error=error,
        languages=_languages(values, survey.languages),
    ), (400 if error else 200)


@bp.post("/<int:survey_id>/delete")
@build
def builder_delete(survey_id):
    survey = db.get_or_404(Survey, survey_id)
    slug = db.session.get(Consultation, survey.consultation_id).slug
    try:
        services.delete_survey(survey_id, actor_id=current_user.id)
    except SurveyError as exc:
        flash(str(exc), "error")
        return _to_overview(survey_id)
    flash("Survey deleted.", "success")
    return redirect(url_for("surveys.builder_index", slug=slug))


@bp.get("/<int:survey_id>/build")
@build
def builder_survey(survey_id):
    db.get_or_404(Survey, survey_id)
    survey = services.load_structure(survey_id)
    c = db.session.get(Consultation, survey.consultation_id)
    return render_template(
        "surveys/builder/survey.html",
        c=c,
        survey=survey,
        missing=services.missing_translations(survey),
        answered=services.has_real_responses(survey.id),
        answer_counts=services.question_answer_counts(survey.id),
        type_labels=bf.TYPE_LABELS,
        availability=services.availability(survey),
        related=_related_links(survey.id),
    )


RELATED = [
    ("Results", "surveys.results"),
    ("Responses", "surveys.response_list"),
    ("Invitations and public link", "surveys.distribution"),
    ("Export the definition (JSON)", "surveys.export_definition"),
]


def _related_links(survey_id: int) -> list[tuple[str, str]]:
    """Links to the results, distribution and export pages (skipped if not installed)."""
    links = []
    for label, endpoint in RELATED:
        try:
            links.append((label, url_for(endpoint, survey_id=survey_id)))
        except BuildError:
            continue
    return links


@bp.post("/<int:survey_id>/status")
@build
def builder_status(survey_id):
    db.get_or_404(Survey, survey_id)
    try:
        services.set_status(survey_id, request.form.get("status", ""), actor_id=current_user.id)
    except (SurveyError, ValueError) as exc:
        flash(str(exc), "error")
    else:
        flash("Survey status changed.", "success")
    return _to_overview(survey_id)


@bp.post("/<int:survey_id>/sections")
@build
def builder_add_section(survey_id):
    survey = db.get_or_404(Survey, survey_id)
    title = request.form.get("title", "").strip() or f"Page {len(survey.sections) + 1}"
    section = services.add_section(
        survey.id, actor_id=current_user.id, title={survey.default_language: title}
    )
    return _to_overview(survey_id, f"#page-{section.id}")


@bp.route("/sections/<int:section_id>/edit", methods=["GET", "POST"])
@build
def builder_section(section_id):
    section = db.get_or_404(Section, section_id)
    survey = services.load_structure(section.survey_id)
    values, error = bf.section_values(section), None
    if request.method == "POST":
        values = request.form
        try:
            services.update_section(
                section.id,
                actor_id=current_user.id,
                title=bf.per_language(request.form, "title", survey.languages),
                introduction=bf.per_language(request.form, "introduction", survey.languages),
                condition=bf.condition_from(request.form),
            )
        except SurveyError as exc:
            db.session.rollback()
            error = bf.errors_of(exc)
        else:
            flash("Page saved.", "success")
            return _to_overview(survey.id, f"#page-{section.id}")
    earlier = [q for s in survey.sections if s.position < section.position for q in s.questions]
    return render_template(
        "surveys/builder/section.html",
        survey=survey,
        section=section,
        values=values,
        error=error,
        earlier=earlier,
        operators=bf.OPERATOR_LABELS,
        slots=bf.RULE_SLOTS,
    ), (400 if error else 200)


@bp.post("/sections/<int:section_id>/move")
@build
def builder_move_section(section_id):
    section = db.get_or_404(Section, section_id)
    survey_id = section.survey_id
    try:
        services.move_section(
            section_id, request.form.get("direction", ""), actor_id=current_user.id
        )
    except SurveyError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return _to_overview(survey_id, f"#page-{section_id}")


@bp.post("/sections/<int:section_id>/delete")
@build
def builder_delete_section(section_id):
    section = db.get_or_404(Section, section_id)
    survey_id = section.survey_id
    try:
        services.delete_section(section_id, actor_id=current_user.id)
    except SurveyError as exc:
        flash(str(exc), "error")
    else:
        flash("Page deleted.", "success")
    return _to_overview(survey_id)


@bp.route("/sections/<int:section_id>/questions/new", methods=["GET", "POST"])
@build
def builder_new_question(section_id):
    section = db.get_or_404(Section, section_id)
    qtype = request.values.get("type", "short_text")
    if qtype not in bf.TYPE_LABELS:
        abort(404)
    return _question_form(section, None, qtype)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@build
def builder_question(question_id):
    question = db.get_or_404(Question, question_id)
    if question.archived:
        abort(404)
    section = db.session.get(Section, question.section_id)
    return _question_form(section, question, request.values.get("type", question.type.value))


def _question_form(section: Section, question: Question | None, qtype: str):
    survey = services.load_structure(section.survey_id)
    languages = survey.languages
    values = bf.question_values(question, languages) if question else {"type": qtype}
    error = None
    if request.method == "POST":
        values = request.form
        try:
            fields = bf.question_fields(request.form, languages, qtype)
            if question is None:
                saved = question_services.add_question(
                    section.id,
                    actor_id=current_user.id,
                    code=request.form.get("code", ""),
                    **fields,
                )
            else:
                saved = question_services.update_question(
                    question.id, actor_id=current_user.id, **fields
                )
        except (SurveyError, bf.FormProblem, ValueError) as exc:
            db.session.rollback()
            error = bf.errors_of(exc)
        else:
            flash(f"Question {saved.code} saved.", "success")
            return _to_overview(survey.id, f"#question-{saved.id}")
    earlier = []
    for page in survey.sections:
        for q in page.questions:
            if question is not None and q.id == question.id:
                break
            if page.position > section.position:
                break
            earlier.append(q)
        else:
            continue
        break
    return render_template(
        "surveys/builder/question.html",
        survey=survey,
        section=section,
        question=question,
        qtype=qtype,
        values=values,
        error=error,
        earlier=earlier,
        type_labels=bf.TYPE_LABELS,
        operators=bf.OPERATOR_LABELS,
        slots=bf.RULE_SLOTS,
        QuestionType=QuestionType,
    ), (400 if error else 200)


@bp.post("/questions/<int:question_id>/move")
@build
def builder_move_question(question_id):
    question = db.get_or_404(Question, question_id)
    survey_id = question.survey_id
    try:
        question_services.move_question(
            question_id, request.form.get("direction", ""), actor_id=current_user.id
        )
    except SurveyError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return _to_overview(survey_id, f"#question-{question_id}")


@bp.route("/questions/<int:question_id>/remove", methods=["GET", "POST"])
@build
def builder_remove_question(question_id):
    question = db.get_or_404(Question, question_id)
    if question.archived:
        abort(404)
    survey_id = question.survey_id
    if request.method == "POST":
        try:
            outcome = question_services.remove_question(
                question_id, actor_id=current_user.id, confirm=request.form.get("confirm") == "y"
            )
        except question_services.NeedsConfirmation:
            return redirect(url_for("surveys.builder_remove_question", question_id=question_id))
        except SurveyError as exc:
            flash(str(exc), "error")
            return _to_overview(survey_id, f"#question-{question_id}")
        flash(
            "Question archived; its answers are kept."
            if outcome == "archived"
            else "Question deleted.",
            "success",
        )
        return _to_overview(survey_id)
    count = services.question_answer_counts(survey_id).get(question_id, 0)
    return render_template(
        "surveys/builder/remove.html", question=question, count=count, survey_id=survey_id
    )
