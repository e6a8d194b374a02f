"""Theme discovery on uncoded passages: TF-IDF on lemmatized noun phrases, then NMF.

Candidates live in their own table and never mix with the codebook: staff accept one (it becomes
an active Theme with keywords and example quotes), rename it, merge it into an existing theme
(its phrases become that theme's keywords) or dismiss it. NMF uses a fixed random_state and
nndsvd initialisation, so the same passages give the same candidates.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy import delete, exists, func, select

from consult import audit
from consult.coding import nlp
from consult.coding.models import Coding, CodingStatus, Theme, ThemeStatus
from consult.coding.models_machine import CandidateStatus, CandidateTheme
from consult.jobs import job_handler
from consult.models import db, utcnow
from consult.passages.models import Passage

MAX_TOPICS = 12
MIN_PASSAGES = 6
EXAMPLES = 3


class DiscoveryError(Exception):
    """A discovery request that cannot be carried out (message is for the person)."""


@dataclass(frozen=True)
class Candidate:
    """A discovered theme: label, top phrases, example passage ids, passages it covers."""

    label: str
    top_phrases: list[str]
    example_ids: list[int]
    size: int


def phrase_terms(text: str, language: str = "en") -> list[str]:
    """Lemmatized noun phrases plus their words (so "safe housing" also counts as "housing")."""
    phrases = nlp.noun_phrases(text, language) or nlp.key_phrases(text, language, limit=20)
    terms = []
    for phrase in phrases:
        terms.append(phrase)
        words = phrase.split()
        if len(words) > 1:
            terms.extend(w for w in words if len(w) > 2 and w not in nlp.STOP_WORDS["en"])
    return terms


def discover(
    items: Sequence[tuple[int, str, str]],
    n_topics: int | None = None,
    *,
    terms: Sequence[list[str]] | None = None,
) -> list[Candidate]:
    """Candidate themes from (id, text, language) items; deterministic for the same input."""
    if len(items) < MIN_PASSAGES:
        return []
    docs = list(terms) if terms is not None else [phrase_terms(t, lang) for _, t, lang in items]
    vectorizer = TfidfVectorizer(analyzer=lambda d: d, min_df=2, max_df=0.6, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(docs)
    except ValueError:  # no phrase occurs twice
        return []
    k = n_topics or min(MAX_TOPICS, max(2, round(math.sqrt(len(items) / 4))))
    k = min(k, matrix.shape[0] - 1, matrix.shape[1])
    if k < 1:
        return []
    model = NMF(n_components=k, init="nndsvd", random_state=0, max_iter=400)
    weights = model.fit_transform(matrix)
    vocabulary = np.array(vectorizer.get_feature_names_out())
    owner = weights.argmax(axis=1)
    candidates = []
    for c in range(k):
        members = np.flatnonzero((owner == c) & (weights[:, c] > 0))
        if len(members) < 2:
            continue
        order = np.argsort(-model.components_[c], kind="stable")[:12]
        phrases = [str(vocabulary[i]) for i in order if model.components_[c, i] > 0]
        # multi-word phrases read better as labels than single words
        label_parts = sorted(phrases[:6], key=lambda p: (-p.count(" "), phrases.index(p)))[:2]
        examples = members[np.argsort(-weights[members, c], kind="stable")][:EXAMPLES]
        candidates.append(
            Candidate(
                label=" / ".join(label_parts).capitalize()[:300],
                top_phrases=phrases[:10],
                example_ids=[int(items[i][0]) for i in examples],
                size=len(members),
            )
        )
    return sorted(candidates, key=lambda c: (-c.size, c.label))


def uncoded_passages(consultation_id: int):
    """Live passages with no accepted coding (suggestions and rejections do not count)."""
    coded = exists().where(Coding.passage_id == Passage.id, Coding.status == CodingStatus.ACCEPTED)
    return db.session.execute(
        select(Passage.id, Passage.text, Passage.language)
        .where(Passage.consultation_id == consultation_id, Passage.withdrawn.is_(False), ~coded)
        .order_by(Passage.id)
    ).all()


def run_discovery(
    consultation_id: int,
    *,
    n_topics: int | None = None,
    user_id: int | None = None,
    progress: Callable[[int, str | None], None] | None = None,
) -> dict:
    """Replace the pending candidates with fresh ones from the uncoded passages."""
    say = progress or (lambda pct, msg=None: None)
    rows = uncoded_passages(consultation_id)
    say(5, f"Reading {len(rows)} uncoded passages")
    found = discover([(r.id, r.text, r.language or "en") for r in rows], n_topics)
    say(90, f"Saving {len(found)} candidate themes")
    db.session.execute(
        delete(CandidateTheme).where(
            CandidateTheme.consultation_id == consultation_id,
            CandidateTheme.status == CandidateStatus.PENDING,
        )
    )
    db.session.add_all(
        CandidateTheme(
            consultation_id=consultation_id,
            label=c.label,
            top_phrases=c.top_phrases,
            example_passage_ids=c.example_ids,
            size=c.size,
        )  # fmt: skip
        for c in found
    )
    result = {"uncoded_passages": len(rows), "candidates": len(found)}
    audit.record(
        "coding.discovery", actor_id=user_id, object_type="consultation",
        object_id=consultation_id, consultation_id=consultation_id, detail=result,
    )  # fmt: skip
    db.session.commit()
    return result


def _pending(candidate_id: int, consultation_id: int) -> CandidateTheme:
    candidate = db.session.get(CandidateTheme, candidate_id)
    if candidate is None or candidate.consultation_id != consultation_id:
        raise DiscoveryError("That candidate theme does not exist in this consultation.")
    if candidate.status != CandidateStatus.PENDING:
        raise DiscoveryError("That candidate theme has already been reviewed.")
    return candidate


def _close(candidate: CandidateTheme, status: CandidateStatus, user_id: int, **detail) -> None:
    candidate.status, candidate.reviewed_by_id, candidate.reviewed_at = status, user_id, utcnow()
    audit.record(
        f"coding.candidate_{status.value}", actor_id=user_id, object_type="candidate_theme",
        object_id=candidate.id, consultation_id=candidate.consultation_id,
        detail={"label": candidate.label, **detail},
    )  # fmt: skip


def accept_candidate(
    candidate_id: int, *, consultation_id: int, user_id: int, name: str | None = None
) -> Theme:
    """Turn a candidate into an active theme with its phrases as keywords and example quotes."""
    candidate = _pending(candidate_id, consultation_id)
    name = (name or candidate.label).strip()
    if not name:
        raise DiscoveryError("Give the theme a name.")
    texts = dict(
        db.session.execute(
            select(Passage.id, Passage.text).where(
                Passage.id.in_(candidate.example_passage_ids or []),
                Passage.consultation_id == consultation_id,
            )
        ).all()
    )
    position = db.session.scalar(
        select(func.coalesce(func.max(Theme.position), 0)).where(
            Theme.consultation_id == consultation_id
        )
    )
    theme = Theme(
        consultation_id=consultation_id, name=name[:300],
        description=f"Discovered in {candidate.size} uncoded passages.",
        keywords=list(candidate.top_phrases[:8]),
        examples=[texts[i][:400] for i in candidate.example_passage_ids if i in texts],
        status=ThemeStatus.ACTIVE, position=position + 1,
    )  # fmt: skip
    db.session.add(theme)
    db.session.flush()
    candidate.accepted_theme_id = theme.id
    _close(candidate, CandidateStatus.ACCEPTED, user_id, theme_id=theme.id, name=theme.name)
    db.session.commit()
    return theme


def rename_candidate(candidate_id: int, label: str, *, consultation_id: int, user_id: int) -> None:
    """Change a pending candidate's label before accepting it."""
    candidate = _pending(candidate_id, consultation_id)
    label = (label or "").strip()
    if not label:
        raise DiscoveryError("Enter a name for the candidate theme.")
    old, candidate.label = candidate.label, label[:300]
    audit.record(
        "coding.candidate_renamed", actor_id=user_id, object_type="candidate_theme",
        object_id=candidate.id, consultation_id=consultation_id,
        detail={"from": old, "to": candidate.label},
    )  # fmt: skip
    db.session.commit()


def merge_candidate(
    candidate_id: int, theme_id: int, *, consultation_id: int, user_id: int
) -> None:
    """Fold a candidate into an existing theme: its phrases join the theme's keywords."""
    candidate = _pending(candidate_id, consultation_id)
    theme = db.session.get(Theme, theme_id) if theme_id else None
    if theme is None or theme.consultation_id != consultation_id:
        raise DiscoveryError("Choose a theme of this consultation to merge into.")
    if theme.status != ThemeStatus.ACTIVE:
        raise DiscoveryError("Choose an active theme to merge into.")
    keywords = list(theme.keywords or [])
    added = [p for p in candidate.top_phrases[:8] if p not in keywords]
    theme.keywords = keywords + added
    candidate.accepted_theme_id = theme.id
    _close(candidate, CandidateStatus.MERGED, user_id, theme_id=theme.id, keywords_added=added)
    db.session.commit()


def dismiss_candidate(candidate_id: int, *, consultation_id: int, user_id: int) -> None:
    """Set a candidate aside; it stays in the history but is not offered again as pending."""
    candidate = _pending(candidate_id, consultation_id)
    _close(candidate, CandidateStatus.DISMISSED, user_id)
    db.session.commit()


@job_handler("discover")
def _discover_job(job, progress, **params) -> dict:
    return run_discovery(
        job.consultation_id, n_topics=params.get("n_topics"), user_id=job.created_by_id,
        progress=progress,
    )  # fmt: skip
