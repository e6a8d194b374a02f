"""Receipts and copies of a submitted response, in the response's language."""

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _

from consult.extensions import db
from consult.mail import external_url, send_mail
from consult.surveys.answers import display_value, label_in
from consult.surveys.models import Response, Survey, SurveyInvitation
from consult.surveys.services import load_structure
from consult.surveys.validation import validate_response


@dataclass
class CopySection:
    title: str
    index: int
    items: list  # (question, label, lines)


def answer_copy(survey: Survey, answers: dict, lang: str) -> list[CopySection]:
    """Visible pages and their questions with human-readable answers."""
    from consult.surveys.services import specs_of

    visible = set(validate_response(specs_of(survey), answers, require=False).visible_questions)
    pages = validate_response(specs_of(survey), answers, require=False).visible_sections
    out = []
    for index in pages:
        page = survey.sections[index]
        items = [
            (
                q,
                label_in(q.text, lang, survey.default_language),
                display_value(q, answers, lang, survey.default_language),
            )
            for q in page.questions
            if q.code in visible
        ]
        out.append(CopySection(label_in(page.title, lang, survey.default_language), index, items))
    return out


def receipt_address(response: Response) -> str | None:
    if response.invitation_id:
        invitation = db.session.get(SurveyInvitation, response.invitation_id)
        if invitation is not None:
            return invitation.email
    if response.respondent_email:
        return response.respondent_email
    if response.user_id:
        from consult.auth.models import User

        user = db.session.get(User, response.user_id)
        return user.email if user else None
    return None


def send_receipt(response_id: int) -> bool:
    """E-mail the receipt if we know where to send it; True when sent."""
    from consult.surveys.respond import answers_of

    response = db.session.get(Response, response_id)
    if response is None or response.is_test:
        return False
    to = receipt_address(response)
    if not to:
        return False
    survey = load_structure(response.survey_id)
    lang = response.language
    with force_locale(lang if lang in ("en", "es") else "en"):
        title = label_in(survey.title, lang, survey.default_language)
        lines = [
            _("Thank you. Your response to “%(title)s” has been received.", title=title),
            "",
            _("Your reference number is %(ref)s.", ref=response.reference),
            "",
            _("A copy of your answers:"),
        ]
        for section in answer_copy(survey, answers_of(response, survey), lang):
            lines += ["", f"== {section.title} =="]
            for _q, label, values in section.items:
                lines.append(f"{label}")
                lines += [f"  {v}" for v in values] or ["  " + _("Not answered")]
        subject = _("Your survey response %(ref)s", ref=response.reference)
    send_mail(to, subject, "\n".join(lines))
    return True


def send_resume_link(survey: Survey, response: Response, token: str, lang: str) -> None:
    """E-mail a public-link respondent the link that resumes their draft."""
    link = external_url("surveys.resume_link", token=token)
    title = label_in(survey.title, lang, survey.default_language)
    body = "\n\n".join(
        [
            _("Your answers to “%(title)s” are saved.", title=title),
            _("Use this link to continue where you left off:"),
            link,
            _("Keep this link private: anyone with it can see and change your answers."),
        ]
    )
    send_mail(response.respondent_email, _("Continue your survey: %(title)s", title=title), body)
