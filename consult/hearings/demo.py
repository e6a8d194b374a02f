"""Demo hearings: two hearings on a proposed bill with 26 speakers, files, transcripts, redactions."""

import io
import secrets
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from consult.extensions import db
from consult.hearings.demo_content import BILL, CAMPAIGN, LABOR, YOUTH
from consult.hearings.models import (
    Attachment,
    Mode,
    Position,
    Speaker,
    SpeakerStatus,
    Testimony,
)
from consult.hearings.moderation import moderate, redact_phrase, save_summary
from consult.hearings.publishing import sync_passages
from consult.hearings.services import OFFICIAL_KINDS, new_reference, save_hearing
from consult.hearings.services_day import generate_order
from consult.hearings.uploads import extract_text, store_upload, validate_upload
from consult.orgs.models import OrganizationKind
from consult.passages.models import Confidentiality

TZ = "America/New_York"


def _at(y, m, d, hh, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=ZoneInfo(TZ))


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.author = "FJP staff laptop"  # metadata that must never be shown
    document.add_heading("Farmworker Justice Project: written testimony on SB 214", 1)
    for para in (
        "Between January and September 2026 we advised 63 agricultural workers. 41 had paid a "
        "recruitment fee; the median fee was $2,200.",
        "Nineteen workers lived in housing provided by the grower that failed the state housing "
        "code: no heat, one toilet for up to thirty people.",
        "We recommend joint liability for growers and recruiters, a public register of "
        "recruiters, and a private right of action with fee shifting.",
    ):
        document.add_paragraph(para)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _pdf_bytes() -> bytes:
    from weasyprint import HTML

    html = (
        "<h1>Department of Labor: agricultural inspections 2025–2026</h1>"
        "<p>Cases opened in agriculture: 41. Cases with recruitment fees found: 17. Back wages "
        "assessed: $612,000. Workers interviewed with an interpreter: 58 percent.</p>"
        "<p>The Department asks for two additional bilingual inspectors and authority to "
        "register labor recruiters.</p>"
    )
    return HTML(string=html).write_pdf()


def _written(text: str | None) -> str | None:
    if text and text.startswith("campaign:"):
        _, town, extra = text.split(":", 2)
        return CAMPAIGN.format(bill="SB 214", town=town, extra=extra)
    return text


def _add(hearing, spec, n, orgs, base_time) -> Speaker:
    name, org_name, kind, position, mode, conf, consent, status, written, transcript = spec
    kind_enum = OrganizationKind(kind) if kind else None
    org = orgs.get(org_name) if org_name else None
    speaker = Speaker(
        hearing_id=hearing.id,
        reference=new_reference(hearing.id),
        idempotency_key=secrets.token_hex(16),
        name=name.replace("Walk-in: ", ""),
        organization_name=org_name,
        organization_id=org.id if org else None,
        organization_kind=kind_enum,
        is_official=kind_enum in OFFICIAL_KINDS,
        email=f"speaker{hearing.id}-{n}@example.org" if n % 3 else None,
        position=Position(position),
        mode=Mode(mode),
        confidentiality=Confidentiality(conf),
        consent_publish=consent,
        status=SpeakerStatus(status),
        walk_in=name.startswith("Walk-in"),
        interpretation_language="Spanish" if n in (2, 4) else None,
        created_at=(base_time + timedelta(hours=n * 5)).astimezone(UTC),
    )
    db.session.add(speaker)
    written = _written(written)
    if written or transcript:
        speaker.testimony = Testimony(written_text=written, transcript=transcript)
    db.session.flush()
    return speaker


def _attach(testimony: Testimony, data: bytes, filename: str) -> None:
    validated = validate_upload(filename, io.BytesIO(data))
    testimony.attachments.append(
        Attachment(
            stored_name=store_upload(validated),
            original_name=validated.display_name,
            mime=validated.mime,
            size=validated.size,
            sha256=validated.sha256,
            extracted_text=extract_text(validated) or None,
        )
    )


def _hearings(ctx):
    c = ctx.consultation
    labor = save_hearing(
        None,
        c.id,
        {
            "title": "Labor trafficking in agriculture and domestic work",
            "subject": BILL,
            "description": "A public hearing on recruitment fees, housing and wage theft in "
            "farm and household work, and on SB 214.",
            "starts_at": _at(2026, 10, 20, 10),
            "timezone": TZ,
            "place": "Legislative Office Building, Room 1E, Capital City",
            "remote_link": "https://meet.example.org/task-force-labor",
            "agenda": ["SB 214: recruiter registration", "Housing and wages", "Domestic work"],
            "minutes_per_speaker": 3,
            "signup_opens_at": _at(2026, 9, 15, 9),
            "signup_closes_at": _at(2026, 10, 18, 17),
            "capacity": 20,
            "written_deadline": _at(2026, 10, 27, 17),
            "status": "held",
            "translations": {
                "es": {
                    "title": "Trata laboral en la agricultura y el trabajo doméstico",
                    "description": "Audiencia pública sobre cuotas de reclutamiento, vivienda y "
                    "robo de salarios en el trabajo agrícola y doméstico, y sobre el proyecto SB 214.",
                    "agenda": [
                        "SB 214: registro de reclutadores",
                        "Vivienda y salarios",
                        "Trabajo doméstico",
                    ],
                }
            },
        },
        actor_id=None,
    )
    youth = save_hearing(
        None,
        c.id,
        {
            "title": "Services for child and youth survivors",
            "subject": BILL,
            "description": "How the state identifies and supports children and young people who "
            "have been trafficked: foster care, shelter beds, schools, record relief.",
            "starts_at": _at(2026, 12, 10, 14),
            "timezone": TZ,
            "place": "Riverton Public Library, Community Room",
            "remote_link": "https://meet.example.org/task-force-youth",
            "agenda": [
                "Identification in care and schools",
                "Shelter and housing",
                "Record relief",
            ],
            "minutes_per_speaker": 4,
            "signup_opens_at": _at(2026, 11, 1, 9),
            "signup_closes_at": _at(2026, 12, 8, 17),
            "capacity": 25,
            "written_deadline": _at(2026, 12, 17, 17),
            "status": "open",
            "translations": {
                "es": {
                    "title": "Servicios para niñas, niños y jóvenes sobrevivientes",
                    "description": "Cómo el estado identifica y apoya a niñas, niños y jóvenes "
                    "víctimas de trata: acogimiento familiar, plazas de albergue, escuelas y "
                    "anulación de antecedentes.",
                    "agenda": [
                        "Identificación en el sistema de protección y en las escuelas",
                        "Albergue y vivienda",
                        "Anulación de antecedentes",
                    ],
                }
            },
        },
        actor_id=None,
    )
    return labor, youth


def load(ctx) -> None:
    """Create the two demo hearings with speakers, testimony, files, order and moderation."""
    staff = ctx.users["staff@demo.consult"].id
    labor, youth = _hearings(ctx)
    by_name = {}
    for hearing, specs, start in (
        (labor, LABOR, _at(2026, 9, 16, 9)),
        (youth, YOUTH, _at(2026, 11, 2, 9)),
    ):
        for n, spec in enumerate(specs, start=1):
            by_name[spec[0]] = _add(hearing, spec, n, ctx.organizations, start)
    _attach(by_name["Rosa Delgado"].testimony, _docx_bytes(), "FJP testimony SB214.docx")
    _attach(by_name["Dr. Helen Marsh"].testimony, _pdf_bytes(), "DOL inspections 2025-2026.pdf")
    db.session.flush()
    for speaker in by_name.values():
        if speaker.testimony is not None:
            sync_passages(speaker.testimony)
    db.session.commit()
    generate_order(labor.id, "officials_first", actor_id=staff)
    generate_order(youth.id, "officials_first", actor_id=staff)
    _moderate(by_name, staff)


def _moderate(by_name: dict, staff: int) -> None:
    t = by_name["Ana Morales"].testimony
    redact_phrase(
        t.id, field="written", phrase="Ana Morales", reason="Name of a survivor", actor_id=staff
    )
    t = by_name["Esperanza Villa"].testimony
    redact_phrase(
        t.id, field="written", phrase="555-201-3344", reason="Phone number", actor_id=staff
    )
    t = by_name["Kayla Brooks"].testimony
    redact_phrase(
        t.id, field="written", phrase="18 Harbor View Lane", reason="Home address", actor_id=staff
    )
    save_summary(
        by_name["Gary Holt"].testimony.id,
        "Supports fair recruitment but opposes joint liability without a safe harbour for "
        "employers who use registered recruiters.",
        actor_id=staff,
    )
    pending = {"Tom Briggs", "David Ross", "Robert Klein", "Dr. Amara Singh"}
    for name, speaker in by_name.items():
        if speaker.testimony is not None and name not in pending:
            moderate(speaker.testimony.id, "approved", actor_id=staff)
