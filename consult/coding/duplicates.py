"""Near-duplicate and campaign detection: template letters and copy-paste submissions.

Identical texts (after normalising case, punctuation and spacing) are grouped by hash; nearly
identical ones by the cosine of their word-trigram shingle vectors, computed in row blocks so
20,000 passages take seconds and bounded memory. Groups are stored per consultation.
"""

import hashlib
import re
from collections.abc import Sequence

from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy import delete, func, select, true

from consult import audit
from consult.coding.models import Coding, CodingOrigin, CodingStatus, Theme, ThemeStatus
from consult.coding.models_machine import PassageGroup, PassageGroupMember
from consult.jobs import job_handler
from consult.models import db
from consult.passages.models import Confidentiality, Passage

THRESHOLD = 0.8
MIN_WORDS = 6  # shorter texts ("I agree.") are common by chance, not a campaign
BLOCK = 2000


class DuplicateError(Exception):
    """A request about near-duplicate groups that cannot be carried out."""


def normalise(text: str) -> str:
    """Lower case, letters and digits only, single spaces."""
    return " ".join(re.findall(r"\w+", (text or "").lower()))


def text_hash(text: str) -> str:
    """SHA-256 of the normalised text."""
    return hashlib.sha256(normalise(text).encode()).hexdigest()


def group_near_duplicates(
    items: Sequence[tuple[int, str]], threshold: float = THRESHOLD
) -> list[tuple[list[int], float]]:
    """Groups of ids whose texts are identical or nearly so, each with its lowest linking score."""
    norm = [(pid, normalise(text)) for pid, text in items]
    norm = [(pid, text) for pid, text in norm if len(text.split()) >= MIN_WORDS]
    if len(norm) < 2:
        return []
    parent = list(range(len(norm)))
    weakest = dict.fromkeys(range(len(norm)), 1.0)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int, score: float) -> None:
        a, b = find(i), find(j)
        low = min(weakest[a], weakest[b], score)
        if a != b:
            parent[max(a, b)] = min(a, b)
        weakest[min(a, b)] = low

    seen: dict[str, int] = {}
    for i, (_, text) in enumerate(norm):
        if text in seen:
            union(seen[text], i, 1.0)
        else:
            seen[text] = i
    vectorizer = TfidfVectorizer(analyzer=_shingles, sublinear_tf=True)
    matrix = vectorizer.fit_transform([text for _, text in norm])
    for start in range(0, matrix.shape[0], BLOCK):
        sims = (matrix[start : start + BLOCK] @ matrix.T).tocoo()
        for r, c, v in zip(sims.row, sims.col, sims.data, strict=True):
            i = start + int(r)
            if i < c and v >= threshold:
                union(i, int(c), float(v))
    groups: dict[int, list[int]] = {}
    for i in range(len(norm)):
        groups.setdefault(find(i), []).append(norm[i][0])
    return [
        (sorted(ids), round(weakest[root], 4))
        for root, ids in sorted(groups.items(), key=lambda kv: min(kv[1]))
        if len(ids) > 1
    ]


def _shingles(text: str) -> list[str]:
    words = text.split()
    return [" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))]


def detect_duplicates(consultation_id: int, *, threshold: float = THRESHOLD) -> dict:
    """Recompute and store the near-duplicate groups of a consultation's live passages."""
    rows = db.session.execute(
        select(Passage.id, Passage.text).where(
            Passage.consultation_id == consultation_id, Passage.withdrawn.is_(False)
        )
    ).all()
    found = group_near_duplicates([(r.id, r.text) for r in rows], threshold)
    old = select(PassageGroup.id).where(PassageGroup.consultation_id == consultation_id)
    db.session.execute(delete(PassageGroupMember).where(PassageGroupMember.group_id.in_(old)))
    db.session.execute(delete(PassageGroup).where(PassageGroup.consultation_id == consultation_id))
    groups = []
    for ids, score in found:
        kind = "identical" if score >= 0.9999 else "near_duplicate"
        groups.append(
            PassageGroup(
                consultation_id=consultation_id, kind=kind, size=len(ids),
                representative_id=ids[0], similarity=score,
            )
        )  # fmt: skip
    db.session.add_all(groups)
    db.session.flush()
    members = [
        {"group_id": g.id, "passage_id": pid}
        for g, (ids, _) in zip(groups, found, strict=True)
        for pid in ids
    ]
    if members:
        db.session.execute(PassageGroupMember.__table__.insert(), members)
    db.session.commit()
    return {
        "groups": len(groups),
        "passages": len(members),
        "extra_copies": len(members) - len(groups),
    }


def campaign_groups(consultation_id: int) -> list[dict]:
    """Stored groups, largest first: id, kind, size, similarity, representative and member ids."""
    groups = db.session.scalars(
        select(PassageGroup)
        .where(PassageGroup.consultation_id == consultation_id)
        .order_by(PassageGroup.size.desc(), PassageGroup.id)
    ).all()
    member_rows = db.session.execute(
        select(PassageGroupMember.group_id, PassageGroupMember.passage_id)
        .join(PassageGroup, PassageGroup.id == PassageGroupMember.group_id)
        .where(PassageGroup.consultation_id == consultation_id)
        .order_by(PassageGroupMember.passage_id)
    ).all()
    by_group: dict[int, list[int]] = {}
    for row in member_rows:
        by_group.setdefault(row.group_id, []).append(row.passage_id)
    return [
        {
            "id": g.id,
            "kind": g.kind,
            "size": g.size,
            "similarity": g.similarity,
            "representative_id": g.representative_id,
            "passage_ids": by_group.get(g.id, []),
        }
        for g in groups
    ]


def campaign_extra_copies(consultation_id: int) -> dict[int, int]:
    """passage id -> group id for every member except each group's representative.

    A report that counts a campaign once leaves these passages out.
    """
    rows = db.session.execute(
        select(PassageGroupMember.passage_id, PassageGroup.id)
        .join(PassageGroup, PassageGroup.id == PassageGroupMember.group_id)
        .where(
            PassageGroup.consultation_id == consultation_id,
            PassageGroupMember.passage_id != PassageGroup.representative_id,
        )
    ).all()
    return {pid: gid for pid, gid in rows}


def code_group(
    group_id: int,
    theme_id: int,
    *,
    user_id: int,
    consultation_id: int,
    may_read_confidential: bool = True,
) -> int:
    """Apply a theme to every passage of a group (whole text, accepted, by this coder)."""
    group = db.session.get(PassageGroup, group_id)
    theme = db.session.get(Theme, theme_id)
    if group is None or group.consultation_id != consultation_id:
        raise DuplicateError("That group does not exist in this consultation.")
    if theme is None or theme.consultation_id != consultation_id:
        raise DuplicateError("Choose a theme from this consultation's codebook.")
    if theme.status != ThemeStatus.ACTIVE:
        raise DuplicateError("That theme is no longer active.")
    already = select(Coding.passage_id).where(
        Coding.theme_id == theme_id, Coding.coder_id == user_id
    )
    passages = db.session.execute(
        select(Passage.id, Passage.text)
        .join(PassageGroupMember, PassageGroupMember.passage_id == Passage.id)
        .where(PassageGroupMember.group_id == group_id, Passage.id.not_in(already))
        .where(
            true()
            if may_read_confidential
            else Passage.confidentiality != Confidentiality.CONFIDENTIAL
        )
    ).all()
    for p in passages:
        db.session.add(
            Coding(
                passage_id=p.id, theme_id=theme_id, start=0, end=len(p.text),
                snippet=p.text[:2000], coder_id=user_id, origin=CodingOrigin.MANUAL,
                status=CodingStatus.ACCEPTED,
            )
        )  # fmt: skip
    audit.record(
        "coding.group_coded", actor_id=user_id, object_type="passage_group", object_id=group_id,
        consultation_id=consultation_id, detail={"theme_id": theme_id, "codings": len(passages)},
    )  # fmt: skip
    db.session.commit()
    return len(passages)


def group_sizes(consultation_id: int) -> dict[int, int]:
    """passage id -> size of its group, for labelling passages in lists."""
    rows = db.session.execute(
        select(PassageGroupMember.passage_id, PassageGroup.size)
        .join(PassageGroup, PassageGroup.id == PassageGroupMember.group_id)
        .where(PassageGroup.consultation_id == consultation_id)
    ).all()
    return dict(rows)


def count_groups(consultation_id: int) -> int:
    """How many near-duplicate groups the consultation has."""
    return db.session.scalar(
        select(func.count(PassageGroup.id)).where(PassageGroup.consultation_id == consultation_id)
    )


@job_handler("duplicates")
def _duplicates_job(job, progress, **params) -> dict:
    progress(10, "Comparing passages")
    return detect_duplicates(job.consultation_id)
