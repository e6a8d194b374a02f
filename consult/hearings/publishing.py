"""Keep the passages of a testimony (written text, transcript, attachment text) in step with it."""

from consult.hearings.models import (
    Attachment,
    ModerationStatus,
    RedactionField,
    Testimony,
)
from consult.hearings.text import apply_redactions
from consult.passages.models import OriginKind, SourceKind
from consult.passages.services import publish_passage, withdraw_passage


def redaction_spans(
    testimony: Testimony, field: RedactionField, attachment_id: int | None = None
) -> list[tuple[int, int]]:
    """The redacted spans of one field of a testimony."""
    return [
        (r.start, r.end)
        for r in testimony.redactions
        if r.field is field
        and (field is not RedactionField.ATTACHMENT or r.attachment_id == attachment_id)
    ]


def redacted(
    testimony: Testimony, field: RedactionField, attachment: Attachment | None = None
) -> str:
    """A field's text with its redactions applied (what the public and coders see)."""
    if field is RedactionField.WRITTEN:
        text = testimony.written_text
    elif field is RedactionField.TRANSCRIPT:
        text = testimony.transcript
    else:
        text = attachment.extracted_text if attachment else ""
    return apply_redactions(
        text, redaction_spans(testimony, field, attachment.id if attachment else None)
    )


def sync_passages(testimony: Testimony) -> None:
    """Publish (or withdraw) the testimony's passages; the caller commits.

    Passages carry the redacted text so coded quotes never reveal redacted personal data;
    rejected testimony (spam, abuse) is withdrawn from coding.
    """
    speaker = testimony.speaker
    hearing = speaker.hearing
    if testimony.status is ModerationStatus.REJECTED or speaker.status.value == "withdrawn":
        withdraw_passage(OriginKind.TESTIMONY, testimony.id)
        withdraw_passage(OriginKind.TRANSCRIPT, testimony.id)
        for a in testimony.attachments:
            withdraw_passage(OriginKind.ATTACHMENT, a.id)
        return
    common = {
        "consultation_id": hearing.consultation_id,
        "source_kind": SourceKind.HEARING,
        "source_id": hearing.id,
        "source_label": hearing.title,
        "language": speaker.language,
        "organization_id": speaker.organization_id,
        "organization_kind": speaker.organization_kind.value if speaker.organization_kind else None,
        "position": speaker.position.value,
        "confidentiality": speaker.confidentiality,
        "external_id": speaker.reference,
    }
    publish_passage(
        origin_kind=OriginKind.TESTIMONY,
        origin_id=testimony.id,
        text=redacted(testimony, RedactionField.WRITTEN),
        **common,
    )
    publish_passage(
        origin_kind=OriginKind.TRANSCRIPT,
        origin_id=testimony.id,
        text=redacted(testimony, RedactionField.TRANSCRIPT),
        **common,
    )
    for a in testimony.attachments:
        publish_passage(
            origin_kind=OriginKind.ATTACHMENT,
            origin_id=a.id,
            text=redacted(testimony, RedactionField.ATTACHMENT, a),
            **common,
        )
