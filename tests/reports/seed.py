"""Synthetic consultation data for report tests and the benchmark, written with bulk inserts."""

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from random import Random

from sqlalchemy import insert

from consult.coding.models import Coding, CodingOrigin, CodingStatus, Theme
from consult.consultations.services import create_consultation
from consult.extensions import db
from consult.hearings.models import Hearing, Mode, Position, Speaker, SpeakerStatus, Testimony
from consult.orgs.models import Organization, OrganizationKind
from consult.passages.models import Confidentiality, OriginKind, Passage, SourceKind
from consult.reports.models import Evidence, Recommendation
from consult.surveys.models import (
    Answer,
    Choice,
    Question,
    QuestionType,
    Response,
    ResponseStatus,
    Section,
    Survey,
    SurveyInvitation,
)

CONFIDENTIAL_SECRET = "Zebulon Quartermaine"  # appears only in confidential testimony
KINDS = list(OrganizationKind)
REGIONS = ["Capital", "Coastal", "River Valley", "North Hills"]
SERVICES = [("housing", "Housing"), ("legal", "Legal assistance"), ("health", "Health care")]
SERVICE_COLUMNS = [("provide", "Provide"), ("refer", "Refer elsewhere"), ("none", "Not available")]
GAPS = [
    "There is a severe shortage of emergency housing for survivors, so people return to their "
    "traffickers within weeks because they have nowhere else to go.",
    "Interpreters are rarely available at night and victims who speak Mixtec or Tagalog cannot "
    "explain what happened to them to the first officer who arrives.",
    "Patrol officers still treat minors found in commercial sex as offenders instead of "
    "victims; training has reached only the larger departments so far.",
    "Labor inspectors visit farms once a season and never speak to workers away from the "
    "crew leader, so debt bondage goes unreported.",
    "Agencies do not share data, and each one counts victims differently, which makes the "
    "statewide numbers meaningless for planning.",
    "Funding for case management comes in one-year grants, and we lose trained staff every "
    "spring when renewals are late.",
]
THEMES = [
    ("Prevention", None),
    ("Protection", None),
    ("Prosecution", None),
    ("Housing shortage", "Protection"),
    ("Language access", "Protection"),
    ("Law-enforcement training", "Prosecution"),
    ("Labor inspection", "Prevention"),
    ("Data sharing", "Prevention"),
    ("Funding stability", "Protection"),
]


@dataclass
class Seeded:
    consultation_id: int
    previous_id: int
    slug: str
    staff_id: int
    survey_id: int
    hearing_ids: list[int]
    recommendation_ids: list[int]
    confidential_coding_ids: list[int]
    org_ids: list[int] = field(default_factory=list)
    counts: dict = field(default_factory=dict)


def bulk(model, rows: list[dict]) -> list[int]:
    """Insert rows in one statement per batch; return their ids in order."""
    if not rows:
        return []
    stmt = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(db.session.scalars(stmt, rows))


def _survey(consultation_id: int, rng: Random, n_responses: int, orgs: list[tuple], passages: bool):
    now = datetime(2026, 10, 1, tzinfo=UTC)
    (sid,) = bulk(
        Survey,
        [
            {
                "consultation_id": consultation_id,
                "title": {"en": "Stakeholder survey"},
                "languages": ["en"],
                "status": "open",
            }
        ],
    )
    sec = bulk(
        Section,
        [
            {"survey_id": sid, "position": 0, "title": {"en": "Your work"}},
            {"survey_id": sid, "position": 1, "title": {"en": "Progress and gaps"}},
        ],
    )
    qdefs = [
        ("services", QuestionType.MATRIX, sec[0], "Which services do you provide?",
         {"rows": [{"key": k, "labels": {"en": v}} for k, v in SERVICES]}),
        ("served", QuestionType.NUMBER, sec[0], "How many victims did you serve last year?", {}),
        ("approaches", QuestionType.MULTIPLE_CHOICE, sec[0], "Which awareness approaches do you use?", {}),
        ("progress_prosecution", QuestionType.LIKERT, sec[1], "How much progress has the state made in prosecuting traffickers?",
         {"points": 5, "labels": {"en": ["None", "Little", "Some", "Good", "Great"]}}),
        ("statutes", QuestionType.SINGLE_CHOICE, sec[1], "Are the criminal statutes adequate?", {}),
        ("gaps", QuestionType.LONG_TEXT, sec[1], "What are the main gaps?", {}),
    ]  # fmt: skip
    qids = bulk(
        Question,
        [
            {
                "survey_id": sid,
                "section_id": s,
                "position": i,
                "code": code,
                "type": qt,
                "text": {"en": text},
                "options": opts,
            }
            for i, (code, qt, s, text, opts) in enumerate(qdefs)
        ],
    )
    q = dict(zip([d[0] for d in qdefs], qids, strict=True))
    choice_rows = [
        {"question_id": q["services"], "position": i, "value": v, "label": {"en": lab}}
        for i, (v, lab) in enumerate(SERVICE_COLUMNS)
    ]
    choice_rows += [
        {"question_id": q["approaches"], "position": i, "value": v, "label": {"en": v.title()}}
        for i, v in enumerate(["training", "media", "schools"])
    ]
    choice_rows += [
        {"question_id": q["statutes"], "position": i, "value": v, "label": {"en": v.title()}}
        for i, v in enumerate(["adequate", "partly", "inadequate"])
    ]
    bulk(Choice, choice_rows)
    bulk(
        SurveyInvitation,
        [
            {
                "survey_id": sid,
                "organization_id": oid,
                "email": f"org{oid}@example.org",
                "token_hash": secrets.token_hex(32),
            }
            for oid, *_ in orgs
        ],
    )
    rids = bulk(
        Response,
        [
            {
                "survey_id": sid,
                "organization_id": orgs[i % len(orgs)][0],
                "status": ResponseStatus.SUBMITTED,
                "submitted_at": now + timedelta(minutes=i),
                "language": "en",
            }
            for i in range(n_responses)
        ],
    )
    answers, texts = [], []
    for i, rid in enumerate(rids):
        point = rng.randint(1, 5)
        answers.append(
            {
                "response_id": rid,
                "question_id": q["progress_prosecution"],
                "choice": str(point),
                "value_number": point,
            }
        )
        answers.append(
            {
                "response_id": rid,
                "question_id": q["statutes"],
                "choice": rng.choice(["adequate", "partly", "inadequate"]),
            }
        )
        answers.append(
            {"response_id": rid, "question_id": q["served"], "value_number": rng.randint(0, 120)}
        )
        for c in rng.sample(["training", "media", "schools"], rng.randint(1, 2)):
            answers.append({"response_id": rid, "question_id": q["approaches"], "choice": c})
        for key, _ in SERVICES:
            answers.append(
                {
                    "response_id": rid,
                    "question_id": q["services"],
                    "row_key": key,
                    "choice": rng.choice(["provide", "refer", "none"]),
                }
            )
        texts.append((rid, GAPS[i % len(GAPS)] + f" (response {i + 1})", orgs[i % len(orgs)]))
    # fmt: skip
    bulk(Answer, answers)
    text_ids = bulk(
        Answer,
        [{"response_id": rid, "question_id": q["gaps"], "value_text": t} for rid, t, _ in texts],
    )
    passage_ids = []
    if passages:
        passage_ids = bulk(
            Passage,
            [
                {
                    "consultation_id": consultation_id,
                    "origin_kind": OriginKind.SURVEY_ANSWER,
                    "origin_id": str(aid),
                    "source_kind": SourceKind.SURVEY,
                    "source_id": q["gaps"],
                    "source_label": "What are the main gaps?",
                    "text": t,
                    "organization_id": org[0],
                    "organization_kind": org[1].value,
                    "confidentiality": Confidentiality.NAME_WITHHELD if i % 9 == 4 else Confidentiality.PUBLIC,
                }
                for i, (aid, (_rid, t, org)) in enumerate(zip(text_ids, texts, strict=True))
            ],
        )  # fmt: skip
    return sid, passage_ids


def _hearings(consultation_id: int, n_testimonies: int, orgs: list[tuple]):
    hids = bulk(
        Hearing,
        [
            {
                "consultation_id": consultation_id,
                "title": title,
                "subject": "HB 1234",
                "starts_at": datetime(2026, 10, 10 + i, 17, tzinfo=UTC),
                "place": "State Capitol, Room 2B",
                "status": "held",
            }
            for i, title in enumerate(
                ["Labor trafficking in agriculture", "Services for youth survivors"]
            )
        ],
    )
    positions = list(Position)
    speakers = []
    for i in range(n_testimonies):
        conf = Confidentiality.CONFIDENTIAL if i % 5 == 2 else (
            Confidentiality.NAME_WITHHELD if i % 7 == 3 else Confidentiality.PUBLIC
        )  # fmt: skip
        org = orgs[i % len(orgs)] if i % 3 else None
        speakers.append(
            {
                "hearing_id": hids[i % 2],
                "reference": f"S-{consultation_id}-{i}",
                "name": f"Speaker {i}",
                "organization_id": org[0] if org else None,
                "organization_kind": org[1] if org else None,
                "position": positions[i % len(positions)],
                "mode": Mode.WRITTEN if i % 4 == 3 else Mode.IN_PERSON,
                "confidentiality": conf,
                "status": SpeakerStatus.SPOKE if i % 4 != 3 else SpeakerStatus.REGISTERED,
            }
        )
    sids = bulk(Speaker, speakers)
    texts = []
    for i, _ in enumerate(sids):
        base = GAPS[(i + 2) % len(GAPS)]
        if speakers[i]["confidentiality"] is Confidentiality.CONFIDENTIAL:
            base = f"My employer {CONFIDENTIAL_SECRET} kept my passport for two years. " + base
        texts.append(base)
    tids = bulk(
        Testimony,
        [
            {"speaker_id": s, "written_text": t, "status": "approved"}
            for s, t in zip(sids, texts, strict=True)
        ],
    )
    pids = bulk(
        Passage,
        [
            {
                "consultation_id": consultation_id,
                "origin_kind": OriginKind.TESTIMONY,
                "origin_id": str(tid),
                "source_kind": SourceKind.HEARING,
                "source_id": sp["hearing_id"],
                "source_label": ["Labor trafficking in agriculture", "Services for youth survivors"][hids.index(sp["hearing_id"])],
                "text": t,
                "organization_id": sp["organization_id"],
                "organization_kind": sp["organization_kind"].value if sp["organization_kind"] else None,
                "position": sp["position"].value,
                "confidentiality": sp["confidentiality"],
            }
            for tid, sp, t in zip(tids, speakers, texts, strict=True)
        ],
    )  # fmt: skip
    return hids, pids, [s["confidentiality"] for s in speakers]


def _codings(consultation_id, passages: list[tuple[int, str]], staff_id, target: int, rng):
    names = [n for n, _ in THEMES]
    tids = bulk(
        Theme,
        [
            {"consultation_id": consultation_id, "name": n, "position": i, "description": f"About {n.lower()}."}
            for i, (n, _) in enumerate(THEMES)
        ],
    )  # fmt: skip
    by_name = dict(zip(names, tids, strict=True))
    for n, parent in THEMES:
        if parent:
            db.session.get(Theme, by_name[n]).parent_id = by_name[parent]
    leaves = [by_name[n] for n, p in THEMES if p]
    rows = []
    i = 0
    while len(rows) < target:
        pid, text = passages[i % len(passages)]
        end = text.find(".") + 1 or len(text)
        kind = i % 10
        status = CodingStatus.SUGGESTED if kind == 9 else CodingStatus.ACCEPTED
        machine = kind in (7, 8, 9)
        rows.append(
            {
                "passage_id": pid,
                "theme_id": leaves[(i + i // len(passages)) % len(leaves)],
                "start": 0,
                "end": end,
                "snippet": text[:end],
                "coder_id": None if machine else staff_id,
                "origin": CodingOrigin.RULE if machine else CodingOrigin.MANUAL,
                "score": 0.8 if machine else None,
                "status": status,
                "reviewed_by_id": staff_id if machine and status is CodingStatus.ACCEPTED else None,
                "polarity": rng.choice([-0.5, -0.2, 0.0, 0.05, 0.3]),
            }
        )
        i += 1
    return bulk(Coding, rows)


def seed_report_data(
    *,
    responses: int = 12,
    testimonies: int = 10,
    codings: int | None = None,
    orgs: int = 10,
    staff_id: int,
) -> Seeded:
    """A consultation (a wave of an earlier one) with survey, hearings, codings, recommendations."""
    rng = Random(7)  # noqa: S311 - test data
    n = f"{secrets.token_hex(3)}"
    org_rows = [
        {
            "name": f"{'Listed' if i % 3 else 'Unlisted'} organization {n}-{i}",
            "kind": KINDS[i % len(KINDS)],
            "region": REGIONS[i % len(REGIONS)],
            "listed_publicly": bool(i % 3),
        }
        for i in range(orgs)
    ]
    org_ids = bulk(Organization, org_rows)
    org_list = [(oid, r["kind"]) for oid, r in zip(org_ids, org_rows, strict=True)]
    previous = create_consultation(title="2025 consultation", slug=f"prev-{n}", body="Task force")
    current = create_consultation(
        title="2026 consultation",
        slug=f"cur-{n}",
        body="State Task Force on Trafficking",
        wave_of_slug=previous.slug,
        executive_summary="Organizations across the state describe a shortage of housing.\n\n"
        "Prosecution is improving slowly.",
        purpose="Ask organizations what they see.",
    )
    _survey(previous.id, rng, max(3, responses // 2), org_list, passages=False)
    survey_id, survey_pids = _survey(current.id, rng, responses, org_list, passages=True)
    hearing_ids, hearing_pids, confs = _hearings(current.id, testimonies, org_list)
    passages = db.session.execute(
        db.select(Passage.id, Passage.text).where(Passage.id.in_(survey_pids + hearing_pids))
    ).all()
    target = codings if codings is not None else len(passages) + len(passages) // 2
    coding_ids = _codings(current.id, [(p, t) for p, t in passages], staff_id, target, rng)
    conf_pids = {
        pid for pid, c in zip(hearing_pids, confs, strict=True) if c is Confidentiality.CONFIDENTIAL
    }
    coded = db.session.execute(
        db.select(Coding.id, Coding.passage_id, Coding.status).where(Coding.id.in_(coding_ids))
    ).all()
    accepted = [(cid, pid) for cid, pid, st in coded if st is CodingStatus.ACCEPTED]
    confidential = [cid for cid, pid in accepted if pid in conf_pids]
    plain = [cid for cid, pid in accepted if pid not in conf_pids]
    rec_ids = bulk(
        Recommendation,
        [
            {"consultation_id": current.id, "title": "Fund emergency housing for survivors", "text": "Create 200 beds.", "area": "services", "status": "final", "position": 0},
            {"consultation_id": current.id, "title": "Train patrol officers", "text": "Statewide training.", "area": "prosecution", "status": "final", "position": 1},
            {"consultation_id": current.id, "title": "Share data between agencies", "text": "One definition.", "area": "partnership", "status": "draft", "position": 2},
        ],
    )  # fmt: skip
    evidence = [(rec_ids[0], cid) for cid in plain[:3] + confidential[:1]]
    evidence += [(rec_ids[1], cid) for cid in plain[3:5] + confidential[1:2]]
    bulk(
        Evidence,
        [{"recommendation_id": r, "coding_id": c, "added_by_id": staff_id} for r, c in evidence],
    )
    db.session.commit()
    return Seeded(
        consultation_id=current.id,
        previous_id=previous.id,
        slug=current.slug,
        staff_id=staff_id,
        survey_id=survey_id,
        hearing_ids=hearing_ids,
        recommendation_ids=rec_ids,
        confidential_coding_ids=confidential,
        org_ids=org_ids,
        counts={"evidence": len(evidence), "codings": len(coding_ids)},
    )
