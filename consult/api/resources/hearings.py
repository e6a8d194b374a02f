"""Hearings and their speakers: public fields for everyone, the internal record for staff.

The speaker record comes from consult.hearings.record.build_entries, the builder behind the
public record page and both summary editions, so confidentiality rules live in one place:
confidential speakers never appear publicly, withheld names read "Speaker N, name withheld",
and only approved, redacted testimony is public.
"""

from dataclasses import asdict

from marshmallow import Schema, fields, validate
from sqlalchemy import select

from consult.api.core import ID, can, make_blueprint, not_found, paginate, paginate_list
from consult.api.fields import PageArgs, page_of
from consult.api.resources.consultations import visible_consultation
from consult.extensions import db
from consult.hearings.models import Hearing, HearingStatus, Position
from consult.hearings.record import INTERNAL, PUBLIC, build_entries, position_tally
from consult.hearings.services import availability, public_hearing

blp = make_blueprint("hearings", "Hearings and speakers (public record for all, full for staff).")


class HearingSchema(Schema):
    id = fields.Integer(required=True)
    consultation_id = fields.Integer(required=True)
    title = fields.String(required=True)
    subject = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    starts_at = fields.DateTime(required=True)
    timezone = fields.String(required=True)
    place = fields.String(allow_none=True)
    remote_link = fields.String(allow_none=True)
    agenda = fields.List(fields.Raw(), required=True)
    minutes_per_speaker = fields.Integer(required=True)
    signup_opens_at = fields.DateTime(allow_none=True)
    signup_closes_at = fields.DateTime(allow_none=True)
    capacity = fields.Integer(allow_none=True)
    written_deadline = fields.DateTime(allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in HearingStatus]))
    signup_open = fields.Boolean(required=True)
    written_open = fields.Boolean(required=True)
    tally = fields.Dict(
        keys=fields.String(validate=validate.OneOf([p.value for p in Position])),
        values=fields.Integer(),
        required=True,
        metadata={"description": "Speakers by position (withdrawn and rejected left out)."},
    )


class TranscriptLine(Schema):
    time = fields.String(allow_none=True, required=True)
    text = fields.String(required=True)


class AttachmentText(Schema):
    name = fields.String(required=True)
    text = fields.String(required=True)


class SpeakerSchema(Schema):
    number = fields.Integer(required=True)
    name = fields.String(required=True, metadata={"description": "Or 'Speaker N, name withheld'."})
    withheld = fields.Boolean(required=True)
    organization = fields.String(allow_none=True)
    organization_kind = fields.String(allow_none=True)
    position = fields.String(required=True, validate=validate.OneOf([p.value for p in Position]))
    mode = fields.String(required=True)
    status = fields.String(required=True)
    order = fields.Integer(allow_none=True)
    walk_in = fields.Boolean(required=True)
    written = fields.String(required=True)
    transcript = fields.List(fields.Nested(TranscriptLine), required=True)
    attachments = fields.List(fields.Nested(AttachmentText), required=True)
    summary = fields.String(allow_none=True)
    themes = fields.List(fields.String(), required=True)
    # staff (internal edition) only
    speaker_id = fields.Integer(metadata={"description": "Staff only."})
    testimony_id = fields.Integer(allow_none=True, metadata={"description": "Staff only."})
    confidentiality = fields.String(metadata={"description": "Staff only."})
    moderation = fields.String(allow_none=True, metadata={"description": "Staff only."})


STAFF_ONLY = ("speaker_id", "testimony_id", "confidentiality", "moderation")


def _staff() -> bool:
    return can("run_hearings") and can("read_confidential")


def visible_hearing(hearing_id: int) -> Hearing:
    """Public hearings (of non-draft consultations) for all; every hearing for hearing staff."""
    if can("run_hearings"):
        hearing = db.session.get(Hearing, hearing_id)
    else:
        hearing = public_hearing(hearing_id)
    if hearing is None:
        not_found("There is no such hearing.")
    return hearing


def _present(items: list[Hearing]) -> list[Hearing]:
    for h in items:
        avail = availability(h)
        h.signup_open, h.written_open = avail.signup_open, avail.written_open
        h.tally = {p.value: n for p, n in position_tally(h.id).items()}
    return items


def _entry_dict(entry, edition: str) -> dict:
    data = asdict(entry)
    data["position"] = entry.position.value
    data["confidentiality"] = entry.confidentiality.value
    data["transcript"] = [{"time": t, "text": text} for t, text in entry.transcript]
    data["attachments"] = [{"name": n, "text": text} for n, text in entry.attachments]
    if edition == PUBLIC:
        for key in STAFF_ONLY:
            data.pop(key, None)
    return data


@blp.route(f"/consultations/<{ID}:consultation_id>/hearings")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(HearingSchema, "HearingPage"))
def list_hearings(args, consultation_id):
    """A consultation's hearings."""
    c = visible_consultation(consultation_id)
    stmt = select(Hearing).where(Hearing.consultation_id == c.id)
    return paginate(stmt.order_by(Hearing.starts_at, Hearing.id), args, _present)


@blp.route(f"/hearings/<{ID}:hearing_id>")
@blp.response(200, HearingSchema)
def get(hearing_id):
    """One hearing with its sign-up state and the tally of positions."""
    return _present([visible_hearing(hearing_id)])[0]


@blp.route(f"/hearings/<{ID}:hearing_id>/speakers")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(SpeakerSchema, "SpeakerPage"))
def list_speakers(args, hearing_id):
    """Speakers and their testimony in speaking order: the public record, or all for staff."""
    hearing = visible_hearing(hearing_id)
    edition = INTERNAL if _staff() else PUBLIC
    entries = build_entries(hearing, edition)
    if edition == PUBLIC:  # what the public pages show: the speaking order and the record
        entries = [e for e in entries if e.order is not None or e.has_testimony]
    return paginate_list([_entry_dict(e, edition) for e in entries], args)
