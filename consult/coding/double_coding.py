"""Double coding in the database: samples, agreement figures, disagreements, adjudication."""

import random
from dataclasses import dataclass, field

from sqlalchemy import or_, select

from consult.audit import record
from consult.auth.models import User
from consult.coding.agreement import Figures, agreement_figures, machine_vs_human
from consult.coding.manual import CodingError
from consult.coding.models import Coding, CodingStatus, PassageAssignment, Theme
from consult.extensions import db
from consult.models import utcnow
from consult.passages.models import Passage


def create_sample(
    consultation_id: int, coder_ids: list[int], size: int, *, actor_id: int, seed=None
) -> int:
    """Assign a random sample of passages to two (or more) coders for double coding."""
    coder_ids = list(dict.fromkeys(int(c) for c in coder_ids))
    if len(coder_ids) < 2:
        raise CodingError("Choose two different coders for double coding.")
    coders = list(db.session.scalars(select(User).where(User.id.in_(coder_ids))))
    if len(coders) != len(coder_ids) or not all(u.can("code") for u in coders):
        raise CodingError("Both people must be allowed to code.")
    if size < 1:
        raise CodingError("The sample needs at least one passage.")
    in_sample = select(PassageAssignment.passage_id).where(
        PassageAssignment.consultation_id == consultation_id,
        PassageAssignment.double_coding.is_(True),
    )
    candidates = list(
        db.session.scalars(
            select(Passage.id)
            .where(
                Passage.consultation_id == consultation_id,
                Passage.withdrawn.is_(False),
                Passage.id.not_in(in_sample),
            )
            .order_by(Passage.id)
        )
    )
    if not candidates:
        raise CodingError("There are no passages left outside earlier samples.")
    chosen = sorted(random.Random(seed).sample(candidates, min(size, len(candidates))))  # noqa: S311
    existing = {
        (a.passage_id, a.coder_id): a
        for a in db.session.scalars(
            select(PassageAssignment).where(
                PassageAssignment.passage_id.in_(chosen),
                PassageAssignment.coder_id.in_(coder_ids),
            )
        )
    }
    for pid in chosen:
        for cid in coder_ids:
            a = existing.get((pid, cid)) or PassageAssignment(
                consultation_id=consultation_id, passage_id=pid, coder_id=cid
            )
            a.double_coding = True
            a.assigned_by_id = actor_id
            db.session.add(a)
    record(
        "coding.double_sample",
        actor_id=actor_id,
        object_type="consultation",
        object_id=consultation_id,
        consultation_id=consultation_id,
        detail={"coders": coder_ids, "passages": chosen[:500], "size": len(chosen)},
    )
    db.session.commit()
    return len(chosen)


@dataclass
class SampleData:
    coders: dict[int, str]
    passages: set[int]
    rated: dict[int, set[int]]  # coder -> passages they rated (done, or coded)
    applied: dict[int, dict[int, set[int]]]  # coder -> passage -> theme ids
    theme_names: dict[int, str] = field(default_factory=dict)


def sample_data(consultation_id: int) -> SampleData:
    """Everything agreement needs, in three queries."""
    rows = db.session.execute(
        select(
            PassageAssignment.passage_id,
            PassageAssignment.coder_id,
            PassageAssignment.done_at,
            User.name,
        )
        .join(User, User.id == PassageAssignment.coder_id)
        .where(
            PassageAssignment.consultation_id == consultation_id,
            PassageAssignment.double_coding.is_(True),
        )
    ).all()
    coders = {cid: name for _pid, cid, _d, name in rows}
    passages = {pid for pid, *_ in rows}
    rated: dict[int, set[int]] = {cid: set() for cid in coders}
    for pid, cid, done, _name in rows:
        if done is not None:
            rated[cid].add(pid)
    applied: dict[int, dict[int, set[int]]] = {cid: {} for cid in coders}
    if passages:
        for pid, cid, tid in db.session.execute(
            select(Coding.passage_id, Coding.coder_id, Coding.theme_id).where(
                Coding.passage_id.in_(passages), Coding.coder_id.in_(list(coders))
            )
        ):
            applied[cid].setdefault(pid, set()).add(tid)
            rated[cid].add(pid)
    theme_names = dict(
        db.session.execute(
            select(Theme.id, Theme.name).where(Theme.consultation_id == consultation_id)
        ).all()
    )
    return SampleData(coders, passages, rated, applied, theme_names)


def agreement_report(consultation_id: int) -> tuple[Figures | None, list[Figures], SampleData]:
    """Overall and per-theme agreement over the double-coded sample."""
    data = sample_data(consultation_id)
    used = {t for per in data.applied.values() for ts in per.values() for t in ts}
    per_theme = []
    overall: dict[str, dict] = {str(c): {} for c in data.coders}
    for tid in sorted(used, key=lambda t: data.theme_names.get(t, "")):
        ratings = {}
        for cid in data.coders:
            r = {pid: tid in data.applied[cid].get(pid, set()) for pid in data.rated[cid]}
            ratings[str(cid)] = r
            overall[str(cid)].update({(pid, tid): v for pid, v in r.items()})
        per_theme.append(agreement_figures(data.theme_names.get(tid, f"#{tid}"), ratings))
    total = agreement_figures("All themes", overall) if used else None
    return total, per_theme, data


@dataclass
class Disagreement:
    passage: Passage
    theme_id: int
    theme_name: str
    with_theme: list  # (coder name, [codings])
    without_theme: list  # coder names


def disagreements(consultation_id: int, limit: int = 200) -> list[Disagreement]:
    """Passage x theme pairs where double coders differ and nobody has adjudicated yet."""
    data = sample_data(consultation_id)
    pairs: dict[tuple[int, int], tuple[list, list]] = {}
    for pid in data.passages:
        raters = [c for c in data.coders if pid in data.rated[c]]
        if len(raters) < 2:
            continue
        themes = set().union(*(data.applied[c].get(pid, set()) for c in raters))
        for tid in themes:
            yes = [c for c in raters if tid in data.applied[c].get(pid, set())]
            no = [c for c in raters if c not in yes]
            if yes and no:
                pairs[(pid, tid)] = (yes, no)
    if not pairs:
        return []
    pids = {pid for pid, _ in pairs}
    codings = list(
        db.session.scalars(
            select(Coding).where(Coding.passage_id.in_(pids), Coding.coder_id.is_not(None))
        )
    )
    settled = {(c.passage_id, c.theme_id) for c in codings if c.reviewed_by_id is not None}
    passages = {p.id: p for p in db.session.scalars(select(Passage).where(Passage.id.in_(pids)))}
    out = []
    for (pid, tid), (yes, no) in sorted(pairs.items()):
        if (pid, tid) in settled:
            continue
        with_theme = [
            (
                data.coders[c],
                [
                    x
                    for x in codings
                    if x.passage_id == pid and x.theme_id == tid and x.coder_id == c
                ],
            )
            for c in yes
        ]
        out.append(
            Disagreement(
                passages[pid],
                tid,
                data.theme_names.get(tid, ""),
                with_theme,
                [data.coders[c] for c in no],
            )
        )
        if len(out) >= limit:
            break
    return out


def adjudicate(
    consultation_id: int, passage_id: int, theme_id: int, applies: bool, *, actor_id: int
) -> int:
    """Settle a disagreement: keep the codings (applies) or reject them; returns codings touched."""
    codings = list(
        db.session.scalars(
            select(Coding)
            .join(Passage, Passage.id == Coding.passage_id)
            .where(
                Passage.consultation_id == consultation_id,
                Coding.passage_id == passage_id,
                Coding.theme_id == theme_id,
                Coding.coder_id.is_not(None),
            )
        )
    )
    if not codings:
        raise CodingError("There is nothing to adjudicate for this passage and theme.")
    now = utcnow()
    for c in codings:
        c.status = CodingStatus.ACCEPTED if applies else CodingStatus.REJECTED
        c.reviewed_by_id, c.reviewed_at = actor_id, now
        record(
            "coding.adjudicate",
            actor_id=actor_id,
            object_type="coding",
            object_id=c.id,
            consultation_id=consultation_id,
            detail={"passage_id": passage_id, "theme_id": theme_id, "after": c.status.value},
        )
    db.session.commit()
    return len(codings)


def machine_report(consultation_id: int) -> tuple[list, object | None]:
    """Precision, recall and F1 of machine suggestions against people's accepted codings."""
    rows = db.session.execute(
        select(
            Coding.passage_id,
            Coding.theme_id,
            Coding.coder_id,
            Coding.status,
            Coding.reviewed_by_id,
        )
        .join(Passage, Passage.id == Coding.passage_id)
        .where(Passage.consultation_id == consultation_id, Passage.withdrawn.is_(False))
    ).all()
    done = set(
        db.session.scalars(
            select(PassageAssignment.passage_id).where(
                PassageAssignment.consultation_id == consultation_id,
                PassageAssignment.done_at.is_not(None),
            )
        )
    )
    suggested = {(p, t) for p, t, coder, _s, _r in rows if coder is None}
    human = {
        (p, t)
        for p, t, coder, status, reviewer in rows
        if status == CodingStatus.ACCEPTED and (coder is not None or reviewer is not None)
    }
    units = done | {
        p for p, t, coder, _s, reviewer in rows if coder is not None or reviewer is not None
    }
    if not suggested or not units:
        return [], None
    names = dict(
        db.session.execute(
            select(Theme.id, Theme.name).where(
                Theme.consultation_id == consultation_id,
                or_(Theme.id.in_({t for _, t in suggested}), Theme.id.in_({t for _, t in human})),
            )
        ).all()
    )
    per_theme = []
    for tid in sorted(names, key=names.get):
        per_theme.append(
            machine_vs_human(
                names[tid],
                units,
                {x for x in suggested if x[1] == tid},
                {x for x in human if x[1] == tid},
            )
        )
    return per_theme, machine_vs_human("All themes", units, suggested, human)
