"""Every page that shows confidential testimony records who read it (a sweep over the URL map)."""

from sqlalchemy import func, select

from consult.audit import AuditEvent
from consult.extensions import db
from tests.security.urls import fill, probe_rules


def confidential_ids() -> dict:
    """Ids of one confidential testimony, its speaker and hearing (and an attachment if any)."""
    speaker = db.metadata.tables["hearing_speaker"]
    testimony = db.metadata.tables["hearing_testimony"]
    attachment = db.metadata.tables["hearing_attachment"]
    row = db.session.execute(
        select(testimony.c.id, speaker.c.id, speaker.c.hearing_id)
        .join(speaker, speaker.c.id == testimony.c.speaker_id)
        .where(speaker.c.confidentiality == "confidential", testimony.c.written_text.is_not(None))
        .order_by(testimony.c.id)
    ).first()
    ids = {"testimony_id": row[0], "speaker_id": row[1], "hearing_id": row[2]}
    att = db.session.scalar(
        select(attachment.c.id)
        .join(testimony, testimony.c.id == attachment.c.testimony_id)
        .join(speaker, speaker.c.id == testimony.c.speaker_id)
        .where(speaker.c.confidentiality == "confidential")
    )
    if att:
        ids["attachment_id"] = att
    return ids


def confidential_texts() -> list[str]:
    speaker = db.metadata.tables["hearing_speaker"]
    testimony = db.metadata.tables["hearing_testimony"]
    rows = db.session.scalars(
        select(testimony.c.written_text)
        .join(speaker, speaker.c.id == testimony.c.speaker_id)
        .where(speaker.c.confidentiality == "confidential", testimony.c.written_text.is_not(None))
    ).all()
    return [t.strip()[:50] for t in rows if t and len(t.strip()) >= 30]


def audit_count() -> int:
    return db.session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.action.in_(["testimony.read_confidential", "attachment.download"])
        )
    )


def test_reading_confidential_testimony_is_logged(world):
    texts = confidential_texts()
    assert texts, "the demo has confidential testimony"
    overrides = confidential_ids()
    client = world.client("staff")
    unlogged, shown = [], 0
    for rule in probe_rules(world.app):
        if "GET" not in rule.methods or rule.endpoint == "main.set_language":
            continue
        url = fill(rule, overrides=overrides)
        before = audit_count()
        resp = client.get(url)
        db.session.remove()
        if resp.status_code != 200:
            continue
        body = resp.get_data().decode("utf-8", "replace")
        if any(t in body for t in texts):
            shown += 1
            if audit_count() == before:
                unlogged.append(url)
    print(f"\nconfidential testimony shown on {shown} pages; unlogged: {len(unlogged)}")
    assert unlogged == []
