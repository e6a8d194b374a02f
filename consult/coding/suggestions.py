"""Automatic suggestions for a consultation: analysis, suggestion codings, and their review.

The machine never decides: it writes codings with status "suggested", coder None, origin "rule",
a score and the rule that fired. Re-running replaces only pending machine suggestions; accepted
and rejected ones and every human coding stay as they are, and a pair (passage, theme) that a
person has already accepted, rejected or coded is not suggested again.
"""

import hashlib
from collections.abc import Callable

from sqlalchemy import delete, func, select, true, update
from sqlalchemy.orm import contains_eager

from consult import audit
from consult.coding import autocode, nlp
from consult.coding.models import Coding, CodingOrigin, CodingStatus, Theme, ThemeStatus
from consult.coding.models_machine import PassageAnalysis
from consult.jobs import job_handler
from consult.models import db, utcnow
from consult.passages.models import Confidentiality, Passage

REVIEW_ACTIONS = ("accept", "reject", "change")


class ReviewError(Exception):
    """A review request that cannot be carried out (message is for the person)."""


def _live_passages(consultation_id: int):
    return db.session.execute(
        select(Passage.id, Passage.text, Passage.language, Passage.position)
        .where(Passage.consultation_id == consultation_id, Passage.withdrawn.is_(False))
        .order_by(Passage.id)
    ).all()


def active_themes(consultation_id: int) -> list[Theme]:
    """The consultation's active themes in codebook order."""
    return list(
        db.session.scalars(
            select(Theme)
            .where(Theme.consultation_id == consultation_id, Theme.status == ThemeStatus.ACTIVE)
            .order_by(Theme.position, Theme.id)
        )
    )


def theme_text(theme: Theme) -> autocode.ThemeText:
    """The pure-function view of a Theme."""
    return autocode.ThemeText(
        id=theme.id,
        name=theme.name,
        description=theme.description or "",
        inclusion_notes=theme.inclusion_notes or "",
        keywords=tuple(k for k in (theme.keywords or []) if isinstance(k, str)),
        examples=tuple(e for e in (theme.examples or []) if isinstance(e, str)),
        stance=theme.stance.value if theme.stance else None,
    )


def analyse_passages(consultation_id: int, rows=None, analysed: dict | None = None) -> int:
    """Store sentiment and key phrases for passages that are new or whose text changed."""
    rows = rows if rows is not None else _live_passages(consultation_id)
    analysed = analysed or {}
    existing = dict(
        db.session.execute(
            select(PassageAnalysis.passage_id, PassageAnalysis.text_hash)
            .join(Passage, Passage.id == PassageAnalysis.passage_id)
            .where(Passage.consultation_id == consultation_id)
        ).all()
    )
    inserts, updates, now = [], [], utcnow()
    for row in rows:
        digest = hashlib.sha256(f"{row.language or 'en'}\n{row.text}".encode()).hexdigest()
        if existing.get(row.id) == digest:
            continue
        polarity, subjectivity = nlp.sentiment(row.text, row.language)
        values = {
            "polarity": polarity,
            "subjectivity": subjectivity,
            "key_phrases": nlp.key_phrases(row.text, row.language, sentences=analysed.get(row.id)),
            "text_hash": digest,
            "analysed_at": now,
        }
        (updates if row.id in existing else inserts).append({"passage_id": row.id, **values})
    if inserts:
        db.session.execute(PassageAnalysis.__table__.insert(), inserts)
    for values in updates:  # only passages whose text changed since the last run
        db.session.execute(
            update(PassageAnalysis)
            .where(PassageAnalysis.passage_id == values["passage_id"])
            .values(**{k: v for k, v in values.items() if k != "passage_id"})
        )
    return len(inserts) + len(updates)


def run_autocode(
    consultation_id: int,
    *,
    progress: Callable[[int, str | None], None] | None = None,
    user_id: int | None = None,
    use_position: bool = True,
) -> dict:
    """Analyse passages and replace pending machine suggestions with fresh ones."""
    say = progress or (lambda pct, msg=None: None)
    rows = _live_passages(consultation_id)
    say(2, f"Reading {len(rows)} passages")
    step = max(1, len(rows) // 10)
    sentences = {}
    for i, r in enumerate(rows):
        if i % step == 0:
            say(2 + int(20 * i / max(1, len(rows))), f"Read {i} of {len(rows)} passages")
        sentences[r.id] = nlp.analyse(r.text, r.language or "en")
    say(22, "Sentiment and key phrases")
    analysed = analyse_passages(consultation_id, rows, sentences)
    db.session.commit()  # the analysis stands alone; and progress writes must not wait on a lock
    themes = active_themes(consultation_id)
    say(30, f"Scoring against {len(themes)} themes")
    found = autocode.suggest(
        [autocode.PassageText(r.id, r.text, r.language or "en", r.position) for r in rows],
        [theme_text(t) for t in themes],
        use_position=use_position,
        progress=lambda fraction, message: say(30 + int(60 * fraction), message),
        analysed=[sentences[r.id] for r in rows],
    )
    say(92, f"Saving suggestions for {len({s.passage_id for s in found})} passages")
    in_consultation = select(Passage.id).where(Passage.consultation_id == consultation_id)
    db.session.execute(
        delete(Coding).where(
            Coding.status == CodingStatus.SUGGESTED,
            Coding.coder_id.is_(None),
            Coding.origin != CodingOrigin.MANUAL,
            Coding.passage_id.in_(in_consultation),
        )
    )
    decided = set(
        db.session.execute(
            select(Coding.passage_id, Coding.theme_id).where(Coding.passage_id.in_(in_consultation))
        ).all()
    )
    texts = {r.id: (r.text, r.language or "en") for r in rows}
    new = []
    for s in found:
        if (s.passage_id, s.theme_id) in decided:
            continue
        text, language = texts[s.passage_id]
        snippet = text[s.start : s.end]
        polarity, subjectivity = nlp.sentiment(snippet, language)
        new.append(
            {
                "passage_id": s.passage_id, "theme_id": s.theme_id, "start": s.start,
                "end": s.end, "snippet": snippet, "coder_id": None, "origin": CodingOrigin.RULE,
                "score": s.score, "rule": s.rule, "status": CodingStatus.SUGGESTED,
                "polarity": polarity, "subjectivity": subjectivity,
                "created_at": utcnow(), "updated_at": utcnow(),
            }
        )  # fmt: skip
    if new:
        db.session.execute(Coding.__table__.insert(), _enum_values(new))
    result = {
        "passages": len(rows),
        "themes": len(themes),
        "analysed": analysed,
        "suggestions": len(new),
        "passages_with_suggestions": len({s["passage_id"] for s in new}),
    }
    audit.record(
        "coding.autocode", actor_id=user_id, object_type="consultation",
        object_id=consultation_id, consultation_id=consultation_id, detail=result,
    )  # fmt: skip
    db.session.commit()
    say(100, f"{len(new)} suggestions for {result['passages_with_suggestions']} passages")
    return result


def _enum_values(rows: list[dict]) -> list[dict]:
    """Core inserts bypass the ORM enum conversion; store the enums' string values."""
    return [{k: (v.value if hasattr(v, "value") else v) for k, v in r.items()} for r in rows]


@job_handler("autocode")
def _autocode_job(job, progress, **params) -> dict:
    return run_autocode(job.consultation_id, progress=progress, user_id=job.created_by_id)


def suggestion_query(
    consultation_id: int,
    *,
    theme_id: int | None = None,
    min_score: float | None = None,
    max_score: float | None = None,
    source: str | None = None,
    status: str = CodingStatus.SUGGESTED.value,
):
    """A select of machine codings (passage loaded) for the review list, best score first."""
    query = (
        select(Coding)
        .join(Passage, Passage.id == Coding.passage_id)
        .options(contains_eager(Coding.passage))
        .where(
            Passage.consultation_id == consultation_id,
            Coding.coder_id.is_(None),
            Coding.origin != CodingOrigin.MANUAL,
            Coding.status == status,
        )
    )
    if theme_id:
        query = query.where(Coding.theme_id == theme_id)
    if min_score is not None:
        query = query.where(Coding.score >= min_score)
    if max_score is not None:
        query = query.where(Coding.score <= max_score)
    if source:
        query = query.where(Passage.source_kind == source)
    return query.order_by(Coding.score.desc(), Coding.id)


def review_suggestions(
    consultation_id: int,
    coding_ids: list[int],
    action: str,
    *,
    user_id: int,
    theme_id: int | None = None,
    may_read_confidential: bool = True,
) -> int:
    """Accept, reject or change the theme of pending suggestions; who and when are recorded."""
    if action not in REVIEW_ACTIONS:
        raise ReviewError("Choose accept, reject or change theme.")
    if not coding_ids:
        raise ReviewError("Select at least one suggestion.")
    new_theme = None
    if action == "change":
        new_theme = db.session.get(Theme, theme_id) if theme_id else None
        if (
            new_theme is None
            or new_theme.consultation_id != consultation_id
            or new_theme.status != ThemeStatus.ACTIVE
        ):
            raise ReviewError("Choose an active theme of this consultation to change to.")
    codings = db.session.scalars(
        select(Coding)
        .join(Passage, Passage.id == Coding.passage_id)
        .where(
            Coding.id.in_(coding_ids),
            Passage.consultation_id == consultation_id,
            Coding.coder_id.is_(None),
            Coding.status == CodingStatus.SUGGESTED,
            true()
            if may_read_confidential
            else Passage.confidentiality != Confidentiality.CONFIDENTIAL,
        )
        .order_by(Coding.id)
    ).all()
    if not codings:
        raise ReviewError("Those suggestions have already been reviewed or do not exist.")
    now = utcnow()
    for coding in codings:
        detail = {"from_status": "suggested", "theme_id": coding.theme_id, "action": action}
        if action == "reject":
            coding.status = CodingStatus.REJECTED
        else:
            coding.status = CodingStatus.ACCEPTED
            if new_theme is not None:
                detail["new_theme_id"] = new_theme.id
                coding.theme_id = new_theme.id
        coding.reviewed_by_id, coding.reviewed_at = user_id, now
        detail["to_status"] = coding.status.value
        audit.record(
            f"coding.suggestion_{action}", actor_id=user_id, object_type="coding",
            object_id=coding.id, consultation_id=consultation_id, detail=detail,
        )  # fmt: skip
    db.session.commit()
    return len(codings)


def suggestion_counts(consultation_id: int) -> dict[str, int]:
    """Machine codings by status for the consultation."""
    rows = db.session.execute(
        select(Coding.status, func.count(Coding.id))
        .join(Passage, Passage.id == Coding.passage_id)
        .where(Passage.consultation_id == consultation_id, Coding.coder_id.is_(None))
        .where(Coding.origin != CodingOrigin.MANUAL)
        .group_by(Coding.status)
    ).all()
    counts = {s.value: 0 for s in CodingStatus}
    counts.update({(s.value if hasattr(s, "value") else s): n for s, n in rows})
    return counts
