"""Submission: validate, store answer rows, publish free text as passages; idempotent by key.

Exactly-once holds under concurrency on SQLite and PostgreSQL because a submission is either an
INSERT guarded by the unique `submission_key` (and the unique organization slot), or a
conditional ``UPDATE ... WHERE status = 'draft'`` that only one transaction can win.
"""

import secrets

from flask import current_app
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from consult.audit import record
from consult.extensions import db
from consult.models import utcnow
from consult.passages.models import OriginKind, SourceKind
from consult.passages.services import delete_passages, publish_passages
from consult.surveys.answers import raw_from_rows, rows_for_value
from consult.surveys.models import (
    Answer,
    Question,
    QuestionType,
    Response,
    ResponseStatus,
    Survey,
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
from consult.surveys.validation import EMAIL_RE, OTHER, validate_response

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
VALUE_FIELDS = ("value_text", "value_number", "value_date")


class InvalidEmail(SurveyError):
    """The address given for a receipt is not an e-mail address."""


def submit_answers(
    survey_id: int,
    answers: dict,
    *,
    organization_id: int | None = None,
    user_id: int | None = None,
    language: str = "en",
    submission_key: str,
    is_test: bool = False,
) -> tuple[Response, bool]:
    """Validate and submit a complete set of answers keyed by question code.

    Returns (response, created). A replay with the same key returns the first response with
    created=False. Raises AnswersInvalid, SurveyClosed, NotAllowed or SurveyError.
    """
    key = _check_key(submission_key)
    found = _by_key(key)
    if found is not None:
        return _replayed(found, survey_id)
    survey = load_structure(survey_id)
    if not is_test and availability(survey) != "open":
        raise SurveyClosed("This survey is not open for responses.")
    outcome = validate_response(specs_of(survey), answers or {})
    if outcome.problems:
        raise AnswersInvalid(outcome.problems)
    language = language if language in survey.languages else survey.default_language
    slot = organization_id if (survey.one_response_per_organization and organization_id) else None
    slot = None if is_test else slot
    for _attempt in range(3):
        response, created = _claim_or_insert(
            survey, key, slot, organization_id, user_id, language, is_test
        )
        if response is None:
            continue
        if not created:
            return response, False
        _store_final(response, survey, outcome.values)
        db.session.commit()
        _send_receipt(response.id)
        return response, True
    raise SurveyError("The response could not be saved; please try again.")


def _claim_or_insert(survey, key, slot, organization_id, user_id, language, is_test):
    """Win the right to submit: claim the organization's draft or insert a new response."""
    if slot is not None:
        existing = db.session.scalar(
            select(Response).where(
                Response.survey_id == survey.id, Response.organization_slot == slot
            )
        )
        if existing is not None:
            if existing.status is ResponseStatus.SUBMITTED:
                db.session.rollback()
                found = _by_key(key)
                if found is not None:
                    return found, False
                raise NotAllowed(
                    "Your organization has already submitted a response to this survey."
                )
            won = _claim(existing.id, key, survey.version, language)
            if won is None:
                return _by_key(key), False
            if not won:
                return None, False  # someone else submitted it meanwhile: look again
            response = db.session.get(Response, existing.id, populate_existing=True)
            response.user_id = response.user_id or user_id
            return response, True
    response = Response(
        survey_id=survey.id,
        organization_id=organization_id,
        organization_slot=slot,
        user_id=user_id,
        language=language,
        status=ResponseStatus.SUBMITTED,
        submission_key=key,
        submitted_at=utcnow(),
        reference=new_reference(),
        survey_version=survey.version,
        is_test=is_test,
        answers=[],  # known to be empty: no query to load them
    )
    db.session.add(response)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        found = _by_key(key)
        if found is not None:
            return found, False
        return None, False  # the organization slot was taken meanwhile: look again
    return response, True


def submit_response(
    response_id: int, submission_key: str, *, receipt_email: str | None = None
) -> tuple[Response, bool]:
    """Submit a respondent's draft; a second submit (any key) returns the same response.

    `receipt_email` (optional) is where an anonymous respondent wants the receipt sent.
    """
    key = _check_key(submission_key)
    response = db.session.get(Response, response_id)
    if response is None:
        raise SurveyError("There is no such response.")
    if response.status is ResponseStatus.SUBMITTED:
        return response, False
    receipt_email = (receipt_email or "").strip()
    if receipt_email:
        if len(receipt_email) > 254 or not EMAIL_RE.match(receipt_email):
            raise InvalidEmail("Enter an e-mail address, like name@example.org.")
        response.respondent_email = receipt_email
    survey = load_structure(response.survey_id)
    if not response.is_test and availability(survey) != "open":
        raise SurveyClosed("This survey is not open for responses.")
    values = _validated(survey, response)
    won = _claim(response.id, key, survey.version, response.language)
    if not won:
        db.session.rollback()
        return db.session.get(Response, response_id, populate_existing=True), False
    # reloaded with its rows as they are now that the claim is won (another tab may have saved)
    response = db.session.get(Response, response_id, populate_existing=True)
    _store_final(response, survey, values)
    db.session.commit()
    _send_receipt(response.id)
    return response, True


def apply_edit(response: Response, survey: Survey, actor_id: int | None = None) -> None:
    """Re-store a submitted response after an allowed edit (hidden answers dropped)."""
    raw = raw_from_rows(_questions(survey), response.answers)
    values = validate_response(specs_of(survey), raw, require=False).values
    _store_final(response, survey, values, action="survey.response.edit", actor_id=actor_id)


def _validated(survey: Survey, response: Response) -> dict:
    raw = raw_from_rows(_questions(survey), response.answers)
    outcome = validate_response(specs_of(survey), raw)
    if outcome.problems:
        raise AnswersInvalid(outcome.problems)
    return outcome.values


def _claim(response_id: int, key: str, version: int, language: str) -> bool | None:
    """Atomically turn a draft into a submitted response; None if the key is used elsewhere."""
    try:
        result = db.session.execute(
            update(Response)
            .where(Response.id == response_id, Response.status == ResponseStatus.DRAFT)
            .values(
                status=ResponseStatus.SUBMITTED,
                submission_key=key,
                submitted_at=utcnow(),
                reference=new_reference(),
                survey_version=version,
                language=language,
                resume_token_hash=None,
            )
            .execution_options(synchronize_session=False)
        )
    except IntegrityError:
        db.session.rollback()
        return None
    return result.rowcount == 1


def _store_final(
    response: Response,
    survey: Survey,
    values: dict,
    *,
    action: str = "survey.response.submit",
    actor_id: int | None = None,
) -> None:
    questions = _questions(survey)
    wanted = {}
    for q in questions:
        if q.code in values:
            for fields in rows_for_value(q, values[q.code], values.get(f"{q.code}.other")):
                wanted[(q.id, fields.get("row_key", ""), fields.get("choice", ""))] = fields
    rows = replace_rows(response, {q.id for q in questions}, wanted)
    if not response.is_test:
        _publish(response, survey, {q.id: q for q in questions}, rows)
    record(
        action,
        actor_id=actor_id or response.user_id,
        object_type="survey_response",
        object_id=response.id,
        consultation_id=survey.consultation_id,
        detail={"survey_id": survey.id, "answers": len(rows), "test": response.is_test},
    )


def replace_rows(response: Response, question_ids: set[int], wanted: dict) -> list[Answer]:
    """Make the response's rows for these questions exactly `wanted`, updating in place.

    Rows keep their ids when their key is unchanged, so published passages (and codings)
    follow an edited answer instead of being replaced. The statements do not grow with the
    number of rows: one DELETE for the dropped rows and one deleting their passages (and codings),
    one multi-row INSERT for the new rows, and the ORM's UPDATE of the kept rows whose value
    changed (an edit; sent as one executemany).
    """
    db.session.flush()  # every row in the collection has its id
    wanted = dict(wanted)
    others, kept, dropped = [], [], []
    for row in response.answers:
        if row.question_id not in question_ids:
            others.append(row)
            continue
        fields = wanted.pop((row.question_id, row.row_key, row.choice), None)
        if fields is None:
            dropped.append(row)
            continue
        for name in VALUE_FIELDS:
            setattr(row, name, fields.get(name))
        kept.append(row)
    if dropped:
        delete_passages(OriginKind.SURVEY_ANSWER, [row.id for row in dropped if row.value_text])
        db.session.execute(delete(Answer).where(Answer.id.in_([row.id for row in dropped])))
    added = []
    if wanted:
        added = db.session.scalars(
            # render_nulls: every row has the same columns, so they go in one statement
            insert(Answer).returning(Answer).execution_options(render_nulls=True),
            [
                {
                    "response_id": response.id,
                    "question_id": question_id,
                    "row_key": row_key,
                    "choice": choice,
                    **{name: fields.get(name) for name in VALUE_FIELDS},
                }
                for (question_id, row_key, choice), fields in wanted.items()
            ],
        ).all()
        for row in added:
            set_committed_value(row, "response", response)
    if dropped or added:
        # the collection is what the database now holds, without loading it again
        set_committed_value(response, "answers", others + kept + added)
    db.session.flush()
    return kept + added


def _publish(response: Response, survey: Survey, questions: dict, rows: list[Answer]) -> None:
    kind = response.organization.kind.value if response.organization else None
    items = []
    for row in rows:
        question = questions[row.question_id]
        free = question.type.is_free_text or (
            question.type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE)
            and row.choice == OTHER
            and bool(row.value_text)
        )
        if not free or (question.options or {}).get("not_for_coding"):
            continue
        items.append(
            {
                "consultation_id": survey.consultation_id,
                "origin_id": row.id,
                "source_kind": SourceKind.SURVEY,
                "source_id": question.id,
                "source_label": question.text.get(survey.default_language, question.code),
                "text": row.value_text or "",
                "language": response.language,
                "organization_id": response.organization_id,
                "organization_kind": kind,
            }
        )
    publish_passages(OriginKind.SURVEY_ANSWER, items)


def _send_receipt(response_id: int) -> None:
    """E-mail a receipt with the reference and a copy of the answers (never fails the submit)."""
    from consult.surveys.receipts import send_receipt

    try:
        send_receipt(response_id)
    except Exception:  # noqa: BLE001 - mail trouble must not undo a stored response
        current_app.logger.exception("could not send a survey receipt")


def _questions(survey: Survey) -> list[Question]:
    return [q for page in survey.sections for q in page.questions]


def _check_key(key: str) -> str:
    key = (key or "").strip()
    if not 8 <= len(key) <= 100:
        raise SurveyError("A submission key of 8 to 100 characters is required.")
    return key


def _by_key(key: str) -> Response | None:
    return db.session.scalar(select(Response).where(Response.submission_key == key))


def _replayed(found: Response, survey_id: int) -> tuple[Response, bool]:
    if found.survey_id != survey_id:
        raise SurveyError("That submission key was already used for another survey.")
    return found, False


def new_reference() -> str:
    """A short, unambiguous reference number such as K7PM-2Q9X."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"
