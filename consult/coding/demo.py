"""Demo coding: a hierarchical codebook, imported submissions, two coders, machine suggestions."""

import csv
import io

from sqlalchemy import select

from consult.coding import assignments, codebook, double_coding, manual
from consult.coding.models import PassageAssignment
from consult.coding.passages_import import import_passages
from consult.extensions import db
from consult.passages.models import Passage

# name, parent, description, keywords, stance
CODEBOOK = [
    ("Prevention", None, "Stopping trafficking before it happens.", [], None),
    ("Protection", None, "Identifying victims and giving them services and safety.", [], None),
    ("Prosecution", None, "Investigating and prosecuting traffickers.", [], None),
    ("Partnership", None, "Working together across agencies and communities.", [], None),
    (
        "Labor inspection",
        "Prevention",
        "Inspections of farms, homes and worksites.",
        ["inspection", "inspector", "farm", "wage theft", "domestic work"],
        None,
    ),
    (
        "Public awareness",
        "Prevention",
        "Campaigns, hotlines and outreach.",
        ["awareness", "hotline", "outreach", "campaign"],
        None,
    ),
    (
        "Housing shortage",
        "Protection",
        "Not enough shelter or stable housing for survivors.",
        ["housing", "shelter", "beds", "vivienda", "albergue"],
        None,
    ),
    (
        "Language access",
        "Protection",
        "Interpreters and services in the person's language.",
        ["interpreter", "language", "translation", "intérprete", "idioma", "spanish"],
        None,
    ),
    (
        "Victim identification",
        "Protection",
        "Recognising and screening possible victims.",
        ["identify", "identification", "screening", "red flags", "recognize"],
        None,
    ),
    (
        "Youth in care",
        "Protection",
        "Children and youth in foster care or shelters.",
        ["youth", "foster", "child", "minor", "runaway", "jóvenes"],
        None,
    ),
    (
        "Health care",
        "Protection",
        "Medical and mental health care for survivors.",
        ["clinic", "health", "medical", "mental health", "salud"],
        None,
    ),
    (
        "Legal assistance",
        "Protection",
        "Lawyers, immigration relief and court support.",
        ["lawyer", "legal", "attorney", "visa", "court"],
        None,
    ),
    (
        "Law-enforcement training",
        "Prosecution",
        "Training police and prosecutors.",
        ["training", "police", "officers", "detectives", "capacitación"],
        None,
    ),
    (
        "Statute gaps",
        "Prosecution",
        "Where the criminal law falls short.",
        ["statute", "law"],
        None,
    ),
    (
        "Coercion definitions",
        "Statute gaps",
        "How the statute defines force, fraud and coercion.",
        ["coercion", "force", "fraud", "debt"],
        None,
    ),
    (
        "Vacatur of convictions",
        "Statute gaps",
        "Clearing survivors' criminal records.",
        ["vacatur", "vacate", "conviction", "criminal record"],
        None,
    ),
    (
        "Supports the proposed bill",
        "Statute gaps",
        "Testimony in favour of the bill.",
        ["support the bill", "urge you to pass", "in favor"],
        "for",
    ),
    (
        "Opposes the proposed bill",
        "Statute gaps",
        "Testimony against the bill.",
        ["oppose the bill", "burden", "against this bill"],
        "against",
    ),
    (
        "Data sharing",
        "Partnership",
        "Sharing case data across agencies.",
        ["data", "database", "share information", "datos"],
        None,
    ),
    (
        "Funding stability",
        "Partnership",
        "Multi-year, predictable funding.",
        ["funding", "grant", "budget", "fondos"],
        None,
    ),
    (
        "Interagency collaboration",
        "Partnership",
        "Task forces, protocols and referrals.",
        ["collaboration", "task force", "protocol", "referral", "coordination"],
        None,
    ),
]

CAMPAIGN = (
    "Dear Task Force, I am writing as a member of my congregation to ask that survivors get "
    "safe housing and a lawyer from the first day. Shelter beds in our county are always full. "
    "Please fund long-term housing. Sincerely, {name}"
)
SUBMISSIONS = [
    (
        "EM-001",
        "We run a small food pantry. Twice this year women came to us who worked in a "
        "restaurant without pay and slept in the storeroom. We did not know who to call; the hotline "
        "number was not posted anywhere in Spanish.",
        "Email",
        "faith_community",
        "en",
        "",
    ),
    (
        "EM-002",
        "Our clinic sees farmworkers every week. Several described debt they could never "
        "pay off and bosses who kept their papers. Nobody inspects the labor camps in the east of "
        "the state; inspections would help more than arrests.",
        "Email",
        "health",
        "en",
        "",
    ),
    (
        "EM-003",
        "Necesitamos intérpretes en los tribunales y en la policía. Muchas víctimas no "
        "hablan inglés y no entienden lo que firman.",
        "Paper form",
        "ngo",
        "es",
        "",
    ),
    (
        "EM-004",
        "As a retired detective I support the bill. Officers need training to spot "
        "coercion that is not physical: threats to family, debts, confiscated passports.",
        "Email",
        "law_enforcement",
        "en",
        "support",
    ),
    (
        "EM-005",
        "The vacatur provision is overdue. Survivors I represent cannot rent an apartment "
        "or get a job because of convictions their traffickers forced on them.",
        "Letter",
        "legal_aid",
        "en",
        "support",
    ),
    (
        "EM-006",
        "Employers should not carry new paperwork burdens. We oppose the bill as written; "
        "the inspection mandate duplicates federal rules.",
        "Letter",
        "other",
        "en",
        "oppose",
    ),
    (
        "EM-007",
        "Foster youth who run away are the easiest targets. Group homes need training and "
        "a protocol with police so a missing child report starts a screening for trafficking.",
        "Email",
        "service_provider",
        "en",
        "",
    ),
    (
        "EM-008",
        "Every grant we get lasts one year. We lose trained staff each spring when the "
        "funding gap hits. Multi-year funding would keep case managers in place.",
        "Email",
        "ngo",
        "en",
        "",
    ),
    (
        "EM-009",
        "Agencies do not share data. We count survivors one way, the police another, and "
        "the state a third way; the task force should set one definition and one database.",
        "Paper form",
        "academic",
        "en",
        "",
    ),
]


def _submissions_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["external_id", "text", "source", "organization_kind", "language", "position"])
    writer.writerows(SUBMISSIONS)
    for n, name in enumerate(
        ["M. Ortiz", "J. Whitfield", "R. and T. Nguyen", "Pastor Ellen Brooks"]
    ):
        text = CAMPAIGN.format(name=name)
        if n == 2:
            text = text.replace("always full", "always full, all year")
        writer.writerow([f"CL-{n + 1:03}", text, "Campaign letter", "faith_community", "en", ""])
    return out.getvalue().encode()


def _codebook(cid: int, actor: int) -> dict[str, object]:
    themes: dict[str, object] = {}
    for name, parent, description, keywords, stance in CODEBOOK:
        themes[name] = codebook.create_theme(
            cid,
            {
                "name": name,
                "parent_id": themes[parent].id if parent else None,
                "description": description,
                "keywords": keywords,
                "stance": stance,
            },
            actor_id=actor,
        )
    return themes


def _judgement(passage: Passage, themes: dict) -> dict[int, tuple[int, int]]:
    """What a careful coder would code: the first sentence that mentions a theme's keyword."""
    out: dict[int, tuple[int, int]] = {}
    sentences = manual.split_sentences(passage.text)
    for theme in themes.values():
        for start, end, sentence in sentences:
            low = sentence.lower()
            if any(k.lower() in low for k in theme.keywords or []):
                out[theme.id] = (start, end)
                break
    return out


def _code(passage, coding: dict[int, tuple[int, int]], coder_id: int) -> None:
    for theme_id, span in coding.items():
        manual.add_codings(passage, [theme_id], [span], coder_id=coder_id)


def load(ctx) -> None:
    """Codebook, imported submissions, two coders with some disagreements, machine suggestions."""
    c = ctx.consultation
    staff = ctx.users["staff@demo.consult"]
    coder2 = ctx.users["coder2@demo.consult"]
    import_passages(c.id, c.slug, "emailed-submissions.csv", _submissions_csv(), actor_id=staff.id)
    themes = _codebook(c.id, staff.id)
    machine = _machine_suggestions(c.id, staff.id)
    passages = list(
        db.session.scalars(
            select(Passage)
            .where(Passage.consultation_id == c.id, Passage.withdrawn.is_(False))
            .order_by(Passage.id)
        )
    )
    rng = ctx.rng
    double_coding.create_sample(
        c.id, [staff.id, coder2.id], min(12, len(passages)), actor_id=staff.id, seed=2026
    )
    sample = set(
        db.session.scalars(
            select(PassageAssignment.passage_id).where(
                PassageAssignment.consultation_id == c.id,
                PassageAssignment.double_coding.is_(True),
            )
        )
    )
    ids = [t.id for t in themes.values()]
    judgements = {}
    for n, p in enumerate(passages):
        judged = _judgement(p, themes)
        judgements[p.id] = judged
        in_sample = p.id in sample
        if not in_sample and n % 3 == 2:
            continue  # a third of the rest is left for the machine and for people to do
        _code(p, judged, staff.id)
        assignments.set_done(p, staff.id)
        if in_sample:
            # the second coder mostly agrees, sometimes misses a theme or adds another
            theirs = {t: s for t, s in judged.items() if rng.random() > 0.25}
            if rng.random() < 0.3:
                theirs.setdefault(rng.choice(ids), (0, len(p.text)))
            _code(p, theirs, coder2.id)
            assignments.set_done(p, coder2.id)
    rest = [p.id for p in passages if p.id not in sample][-6:]
    if rest:
        assignments.assign_passages(c.id, rest, coder2.id, actor_id=staff.id)
    if passages:
        manual.add_memo(
            c.id,
            "Several campaign letters repeat the same text: count the campaign once in the report.",
            author_id=staff.id,
            passage_id=passages[-1].id,
        )
    manual.add_memo(
        c.id,
        "Use for housing shortages only; shelter quality goes under Protection.",
        author_id=coder2.id,
        theme_id=themes["Housing shortage"].id,
    )
    if machine:
        _review_some(c.id, staff.id, judgements)


def _machine_suggestions(consultation_id: int, user_id: int) -> bool:
    """Run the automatic suggestions before people code (False if that feature is absent)."""
    try:
        from consult.coding.suggestions import run_autocode
    except ImportError:  # the machine side is optional
        return False
    run_autocode(consultation_id, user_id=user_id)
    return True


def _review_some(consultation_id: int, user_id: int, judgements: dict) -> None:
    """Staff review the suggestions on ten coded passages; the rest stay pending."""
    from consult.coding.models import Coding, CodingStatus
    from consult.coding.suggestions import review_suggestions

    pending = db.session.execute(
        select(Coding.id, Coding.passage_id, Coding.theme_id)
        .where(
            Coding.passage_id.in_(list(judgements)[:40]),
            Coding.coder_id.is_(None),
            Coding.status == CodingStatus.SUGGESTED,
        )
        .order_by(Coding.passage_id, Coding.id)
    ).all()
    passages = sorted({pid for _cid, pid, _tid in pending})[:10]
    agree = [cid for cid, pid, tid in pending if pid in passages and tid in judgements[pid]]
    disagree = [cid for cid, pid, tid in pending if pid in passages and tid not in judgements[pid]]
    if agree:
        review_suggestions(consultation_id, agree, "accept", user_id=user_id)
    if disagree:
        review_suggestions(consultation_id, disagree, "reject", user_id=user_id)
