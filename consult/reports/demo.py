"""Demo step (runs last): staff draft recommendations with evidence and generate the summary report."""

from sqlalchemy import func, select

from consult.coding.models import Coding, CodingStatus, Theme, ThemeStatus
from consult.consultations.services import update_consultation
from consult.extensions import db
from consult.passages.models import Passage
from consult.reports import services
from consult.reports.options import ReportOptions
from consult.reports.runs import generate_now

EXECUTIVE_SUMMARY = """\
State agencies, law enforcement, service providers and members of the public told the task force
what they see: people are
being identified as victims of trafficking more often than a year ago, but the state still has
nowhere safe for most of them to sleep, too few interpreters at the moment of first contact, and
criminal statutes that let traffickers argue the coercion was not "force".

Service providers and law enforcement agree on the size of the housing gap; they disagree on
training: officers describe real progress, while shelters and survivor-led groups report that
minors are still arrested. Labor trafficking in agriculture and domestic work remains largely
invisible to inspectors.

The recommendations below are each traced to what stakeholders said: the appendix lists every quote
behind them, and confidential testimony is counted without being quoted."""

# title, area, final?, theme keywords, text
RECOMMENDATIONS = [
    ("Fund year-round emergency and transitional housing for survivors", "services", True,
     ["housing", "shelter"],
     "Fund at least 150 emergency and transitional beds reserved for survivors of trafficking, "
     "spread over every region, with case management attached to each bed.\n\n"
     "Allow survivors to stay until they have stable income, not for a fixed 30 days."),
    ("Guarantee interpreters at first contact", "protection", True,
     ["language", "interpret"],
     "Provide telephone and in-person interpreting, day and night, to police, hospitals and shelters "
     "at the first contact with a possible victim, and translate the victim rights notice into the "
     "ten most common languages of the state."),
    ("Train every patrol officer and prosecutor to identify victims", "prosecution", True,
     ["training", "identification", "law-enforcement", "law enforcement"],
     "Make trauma-informed trafficking training part of basic police training and of the yearly "
     "in-service hours, and require screening questions for trafficking whenever a minor is found "
     "in commercial sex."),
    ("Give labor inspectors the mandate to interview workers privately", "prevention", True,
     ["labor", "inspection", "agricult"],
     "Authorize and staff unannounced inspections of farms and private homes employing domestic "
     "workers, with private interviews away from employers and crew leaders."),
    ("Count victims the same way across agencies and share the data", "partnership", True,
     ["data"],
     "Adopt one statewide definition of an identified victim and a data-sharing agreement between "
     "state agencies, law enforcement and funded service providers, reported yearly to the task force."),
    ("Replace one-year grants with multi-year funding for victim services", "services", True,
     ["funding", "grant"],
     "Fund victim services in three-year cycles with cost-of-living increases, so trained staff are "
     "not lost every spring when renewals are late."),
    ("Amend the criminal code on coercion and vacatur of survivors' convictions", "statutes", True,
     ["statute", "coercion", "vacatur", "law"],
     "Define coercion to include debt bondage, withholding documents and threats of deportation, "
     "and let survivors ask a court to vacate convictions for offences committed as a result of "
     "being trafficked."),
    ("Protect children in foster care from recruitment", "protection", False,
     ["youth", "child", "care"],
     "Screen every child who runs away from care for trafficking when they return, and give "
     "caseworkers a direct line to the state police unit."),
]  # fmt: skip
EVIDENCE_PER_RECOMMENDATION = 5


def _candidates(consultation_id: int):
    """Accepted codings with theme name, source and organization kind, in one query."""
    return db.session.execute(
        select(Coding.id, Theme.name, Passage.source_kind, Passage.organization_kind, Passage.id)
        .join(Passage, Passage.id == Coding.passage_id)
        .join(Theme, Theme.id == Coding.theme_id)
        .where(
            Passage.consultation_id == consultation_id,
            Passage.withdrawn.is_(False),
            Coding.status == CodingStatus.ACCEPTED,
            Theme.status == ThemeStatus.ACTIVE,
            func.length(Coding.snippet).between(40, 400),  # quotable: not a word, not a page
        )
        .order_by(func.abs(func.length(Coding.snippet) - 150), Coding.id)
    ).all()


def _pick(rows, keywords: list[str], used: set[int]) -> list[int]:
    """Up to five quotes on matching themes: survey and hearing sources, varied kinds."""
    matching = [r for r in rows if any(k in r[1].lower() for k in keywords) and r[0] not in used]
    chosen: list[int] = []
    seen_kinds: set = set()
    seen_passages: set = set()
    for source in ("hearing", "survey", None):
        for cid, _name, src, kind, pid in matching:
            if len(chosen) >= EVIDENCE_PER_RECOMMENDATION:
                return chosen
            if (source and src.value != source) or pid in seen_passages or cid in chosen:
                continue
            if source and kind in seen_kinds:
                continue
            chosen.append(cid)
            seen_kinds.add(kind)
            seen_passages.add(pid)
            if source and sum(1 for c in chosen) >= (2 if source == "hearing" else 4):
                break
    return chosen


def load(ctx) -> None:
    c = ctx.consultation
    staff = ctx.users["staff@demo.consult"]
    if not c.executive_summary:
        update_consultation(c, actor_id=staff.id, executive_summary=EXECUTIVE_SUMMARY)
    rows = _candidates(c.id)
    used: set[int] = set()
    for title, area, final, keywords, text in RECOMMENDATIONS:
        rec = services.create_recommendation(
            c.id, title=title, text=text, area=area, actor_id=staff.id
        )
        for coding_id in _pick(rows, keywords, used):
            services.add_evidence(c.id, rec.id, coding_id, actor_id=staff.id)
            used.add(coding_id)
        if final:
            services.set_status(c.id, rec.id, "final", actor_id=staff.id, confirmed=True)
    options = ReportOptions(edition="public", lang=c.default_language)
    generate_now(c.id, options, staff.id)
