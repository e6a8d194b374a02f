"""Dashboard counts and links for the consultation pages."""

from flask import url_for
from sqlalchemy import func, or_, select

from consult.extensions import db
from consult.hearings.models import Attachment, Hearing, Speaker, Testimony


def hearing_counts(ids: list[int]) -> dict[int, dict[str, int]]:
    """Hearings, speakers and written submissions per consultation (three grouped queries)."""
    out = {cid: {"Hearings": 0, "Speakers": 0, "Written submissions": 0} for cid in ids}
    if not ids:
        return out
    for cid, n in db.session.execute(
        select(Hearing.consultation_id, func.count(Hearing.id))
        .where(Hearing.consultation_id.in_(ids))
        .group_by(Hearing.consultation_id)
    ):
        out[cid]["Hearings"] = n
    for cid, n in db.session.execute(
        select(Hearing.consultation_id, func.count(Speaker.id))
        .join(Speaker, Speaker.hearing_id == Hearing.id)
        .where(Hearing.consultation_id.in_(ids))
        .group_by(Hearing.consultation_id)
    ):
        out[cid]["Speakers"] = n
    has_file = select(Attachment.id).where(Attachment.testimony_id == Testimony.id).exists()
    for cid, n in db.session.execute(
        select(Hearing.consultation_id, func.count(Testimony.id))
        .join(Speaker, Speaker.hearing_id == Hearing.id)
        .join(Testimony, Testimony.speaker_id == Speaker.id)
        .where(
            Hearing.consultation_id.in_(ids),
            or_(Testimony.written_text.is_not(None), has_file),
        )
        .group_by(Hearing.consultation_id)
    ):
        out[cid]["Written submissions"] = n
    return out


def hearing_links(consultation, user) -> list[tuple[str, str]]:
    """Links on a consultation's dashboard for people who run hearings or moderate."""
    if not user.can("run_hearings"):
        return []
    return [("Hearings and testimony", url_for("hearings.manage", slug=consultation.slug))]


def register() -> None:
    """Add the providers once (create_app may run many times in tests)."""
    from consult.consultations import services

    if hearing_counts not in services.COUNT_PROVIDERS:
        services.COUNT_PROVIDERS.append(hearing_counts)
    if hearing_links not in services.DASHBOARD_LINKS:
        services.DASHBOARD_LINKS.append(hearing_links)
