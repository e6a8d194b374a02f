"""Coding's counts and links on the consultation dashboard."""

from flask import url_for
from sqlalchemy import distinct, func, select

from consult.coding.models import Coding, CodingStatus, Theme, ThemeStatus
from consult.consultations import services
from consult.extensions import db
from consult.passages.models import Passage


def coding_counts(ids: list[int]) -> dict[int, dict[str, int]]:
    """Active themes and passages with an accepted coding, per consultation (two queries)."""
    out = {cid: {"Themes": 0, "Coded passages": 0} for cid in ids}
    for cid, n in db.session.execute(
        select(Theme.consultation_id, func.count(Theme.id))
        .where(Theme.consultation_id.in_(ids), Theme.status == ThemeStatus.ACTIVE)
        .group_by(Theme.consultation_id)
    ):
        out[cid]["Themes"] = n
    for cid, n in db.session.execute(
        select(Passage.consultation_id, func.count(distinct(Passage.id)))
        .join(Coding, Coding.passage_id == Passage.id)
        .where(
            Passage.consultation_id.in_(ids),
            Passage.withdrawn.is_(False),
            Coding.status == CodingStatus.ACCEPTED,
        )
        .group_by(Passage.consultation_id)
    ):
        out[cid]["Coded passages"] = n
    return out


def coding_links(consultation, user) -> list[tuple[str, str]]:
    """Links for people who may code or see results."""
    links = []
    if user.can("code"):
        links += [
            ("Code passages", url_for("coding.queue", slug=consultation.slug)),
            ("Codebook", url_for("coding.codebook_index", slug=consultation.slug)),
            ("Agreement between coders", url_for("coding.agreement", slug=consultation.slug)),
        ]
    if user.can("view_results"):
        links.append(("Theme analysis", url_for("coding.analysis_view", slug=consultation.slug)))
    return links


if coding_counts not in services.COUNT_PROVIDERS:
    services.COUNT_PROVIDERS.append(coding_counts)
if coding_links not in services.DASHBOARD_LINKS:
    services.DASHBOARD_LINKS.append(coding_links)
