"""Survey responses: list and read (analysts all; respondents their organization's), submit."""

from flask import current_app
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from consult.api.core import (
    ID,
    api_user,
    can,
    conflict,
    forbidden,
    make_blueprint,
    not_found,
    paginate,
    requires,
    unprocessable,
)
from consult.api.fields import Int, PageArgs, StrictBoolean, Text, page_of
from consult.api.resources.surveys import visible_survey
from consult.extensions import db
from consult.orgs.models import Organization, OrganizationKind
from consult.surveys.exports import structured_answer
from consult.surveys.forms import problem_message
from consult.surveys.models import Answer, Response, ResponseStatus
from consult.surveys.response_admin import response_list_query
from consult.surveys.results import survey_questions
from consult.surveys.services import AnswersInvalid, SurveyError
from consult.surveys.submit import submit_answers

blp = make_blueprint(
    "responses", "Survey responses: analysts read all; respondents their organization's."
)


class ResponseSchema(Schema):
    id = fields.Integer(required=True)
    survey_id = fields.Integer(required=True)
    organization_id = fields.Integer(allow_none=True)
    language = fields.String(required=True)
    status = fields.String(
        required=True, validate=validate.OneOf([s.value for s in ResponseStatus])
    )
    reference = fields.String(allow_none=True)
    is_test = fields.Boolean(required=True)
    survey_version = fields.Integer(required=True)
    submitted_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime(required=True)


class ResponseDetailSchema(ResponseSchema):
    answers = fields.Dict(
        keys=fields.String(),
        required=True,
        metadata={"description": "Answers by question code (lists and objects for choices)."},
    )


class ResponseFilter(PageArgs):
    status = fields.String(validate=validate.OneOf([s.value for s in ResponseStatus]))
    kind = fields.String(
        validate=validate.OneOf([k.value for k in OrganizationKind]),
        metadata={"description": "Organization kind."},
    )
    language = Text(max_length=10)
    test = fields.String(validate=validate.OneOf(["yes", "no"]))


class SubmitSchema(Schema):
    submission_key = Text(
        required=True, min_length=8, max_length=100,
        metadata={"description": "Chosen by the client; replaying it returns the first response."},
    )  # fmt: skip
    answers = fields.Dict(
        keys=fields.String(), required=True,
        metadata={"description": "Answers by question code, as in ResponseDetail.answers."},
    )  # fmt: skip
    language = Text(max_length=10, load_default="en")
    organization_id = Int(
        allow_none=True, validate=validate.Range(min=1, max=2**31 - 1),
        metadata={"description": "Staff entering a paper form: whose response it is. "
                  "Respondents always answer for their own organization."},
    )  # fmt: skip
    is_test = StrictBoolean(load_default=False, metadata={"description": "Staff only."})


def _may_read_responses() -> None:
    """403 for roles that neither analyse results nor answer surveys (facilitators)."""
    if not (can("view_results") or can("respond")):
        forbidden("Your role does not allow reading survey responses.")


def _own_only() -> bool:
    """Respondents (and anyone without the results permission) see their organization's only."""
    return not can("view_results")


def _scope(stmt):
    if _own_only():
        stmt = stmt.where(Response.organization_id.in_(api_user().organization_ids or {-1}))
    return stmt


def _detail(response: Response) -> Response:
    questions = survey_questions(response.survey_id)
    rows: dict[int, list[Answer]] = {}
    for a in db.session.scalars(
        select(Answer).where(Answer.response_id == response.id).order_by(Answer.id)
    ):
        rows.setdefault(a.question_id, []).append(a)
    response.answers_by_code = {
        q.code: structured_answer(q, rows[q.id]) for q in questions if q.id in rows
    }
    return response


@blp.route(f"/surveys/<{ID}:survey_id>/responses")
@requires()
@blp.arguments(ResponseFilter, location="query")
@blp.response(200, page_of(ResponseSchema, "ResponsePage"))
def list_responses(args, survey_id):
    """A survey's responses (filter by status, organization kind, language, test)."""
    _may_read_responses()
    survey = visible_survey(survey_id)
    return paginate(_scope(response_list_query(survey.id, args)), args)


@blp.route(f"/responses/<{ID}:response_id>")
@requires()
@blp.response(200, ResponseDetailSchema)
def get(response_id):
    """One response with its answers."""
    _may_read_responses()
    response = db.session.scalar(_scope(select(Response).where(Response.id == response_id)))
    if response is None:
        not_found("There is no such response.")
    response = _detail(response)
    fields_ = {name: getattr(response, name) for name in ResponseSchema._declared_fields}
    return {**fields_, "answers": response.answers_by_code}


def _organization_for(data: dict) -> int | None:
    """Respondents answer for their organization; survey builders may name one (paper forms)."""
    user = api_user()
    if can("build_surveys"):
        org_id = data.get("organization_id")
        if org_id is not None and db.session.get(Organization, org_id) is None:
            unprocessable("organization_id must be the id of an organization.")
        return org_id
    if not can("respond"):
        forbidden("Your role does not allow submitting responses.")
    own = sorted(user.organization_ids)
    wanted = data.get("organization_id") or own[0]
    if wanted not in own:
        not_found("There is no such organization.")
    if data.get("is_test"):
        unprocessable("Only staff can submit test responses.")
    return wanted


@blp.route(f"/surveys/<{ID}:survey_id>/responses", methods=["POST"])
@requires()
@blp.arguments(SubmitSchema)
@blp.response(201, ResponseSchema, description="Submitted.")
@blp.alt_response(200, schema=ResponseSchema, description="Already submitted with this key.")
def submit(data, survey_id):
    """Submit a complete response; idempotent by submission_key."""
    survey = visible_survey(survey_id)
    org_id = _organization_for(data)
    try:
        response, created = submit_answers(
            survey.id, data["answers"], organization_id=org_id, user_id=api_user().id,
            language=data["language"], submission_key=data["submission_key"],
            is_test=data["is_test"],
        )  # fmt: skip
    except AnswersInvalid as exc:
        db.session.rollback()
        _invalid(survey, exc)
    except SurveyError as exc:
        db.session.rollback()
        conflict(str(exc))
    return response, 201 if created else 200


def _invalid(survey, exc: AnswersInvalid):
    from flask_smorest import abort

    questions = {q.code: q for q in survey_questions(survey.id)}
    lang = survey.default_language
    errors = {
        code: [problem_message(p, questions[code], lang, lang) if code in questions else p.kind]
        for code, p in exc.problems.items()
    }
    current_app.logger.info("API submission refused: %d answers need correcting", len(errors))
    abort(422, message=str(exc), errors={"answers": errors})
