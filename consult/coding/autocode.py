"""Automatic theme suggestions: pure functions from passage and theme texts to scored suggestions.

No database here. The scorer is fitted on one consultation's passages and codebook:
1. every text is analysed offline (nlp.py): sentences, lemmas, Snowball keys of the lemmas;
2. terms are content-word keys plus adjacent-key bigrams, weighted by TF-IDF fitted on the
   consultation (so a word common to every passage counts for little);
3. a theme's profile is a weighted blend of its name, keywords, description, inclusion notes and
   example quotes; a latent-semantic (LSA) projection adds related words that co-occur;
4. a passage's score for a theme combines its best-matching sentence with the whole passage,
   plus a bonus for each keyword or phrase found (lemma-aware);
5. themes of the stance opposite to the passage's known position are never suggested; when the
   position is unknown, only themes of the best theme's stance are kept (a passage argues one side);
6. the best theme is suggested above a threshold; others when close to the best (relative margin).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from consult.coding.nlp import Sentence, analyse, split_sentences

__all__ = [
    "PassageText",
    "Suggestion",
    "ThemeText",
    "opposite_stance",
    "split_sentences",
    "suggest",
]

FIELD_WEIGHTS = {
    "name": 1.0,
    "keywords": 1.0,
    "description": 0.7,
    "inclusion": 0.5,
    "examples": 0.6,
}
THRESHOLD = 0.03
MARGIN = 0.8
MAX_PER_PASSAGE = 3
KEYWORD_BONUS = 0.1
SENTENCE_WEIGHT = 0.5  # best sentence vs whole passage
LSA_WEIGHT = 0.0
LSA_COMPONENTS = 100
FEEDBACK_ROUNDS = 0
FEEDBACK_WEIGHT = 0.5
FEEDBACK_MIN = 0.05
USE_FEEDBACK_POSITION = True
COLUMN_CENTRE = 0.0
BIGRAMS = False
COVERAGE_WEIGHT = 0.0
KEEP_WORDS = frozenset()


@dataclass(frozen=True)
class ThemeText:
    """The texts that describe a theme; stance is "for", "against" or None."""

    id: int
    name: str
    description: str = ""
    inclusion_notes: str = ""
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    stance: str | None = None


@dataclass(frozen=True)
class PassageText:
    """A passage's text; position is support/oppose/neutral or None when unknown."""

    id: int
    text: str
    language: str = "en"
    position: str | None = None


@dataclass(frozen=True)
class Suggestion:
    """A theme suggested for a passage, on the span of its best sentence, with the reason."""

    passage_id: int
    theme_id: int
    score: float
    start: int
    end: int
    rule: str


@dataclass
class _Doc:
    sentences: list[Sentence]
    terms: list[list[str]] = field(default_factory=list)  # per sentence


def opposite_stance(position: str | None) -> str | None:
    """The theme stance that contradicts a passage position (support -> against, oppose -> for)."""
    return {"support": "against", "oppose": "for"}.get((position or "").lower())


def _same_stance(position: str | None) -> str | None:
    return {"support": "for", "oppose": "against"}.get((position or "").lower())


def _terms(sentence: Sentence) -> list[str]:
    """Content-word keys plus bigrams of adjacent content keys."""
    keys = [
        t.key
        for t in sentence.tokens
        if (not t.stop or t.lemma in KEEP_WORDS) and len(t.key) > 1 and not t.key.isdigit()
    ]
    if not BIGRAMS:
        return keys
    return keys + [f"{a} {b}" for a, b in zip(keys, keys[1:], strict=False)]


def _doc(text: str, language: str = "en") -> _Doc:
    sentences = analyse(text or "", language)
    return _Doc(sentences, [_terms(s) for s in sentences])


def _phrase_keys(phrase: str, language: str = "en") -> tuple[str, ...]:
    doc = _doc(phrase, language)
    return tuple(t.key for s in doc.sentences for t in s.tokens if not t.stop)


def _contains(keys: Sequence[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return n > 0 and any(tuple(keys[i : i + n]) == phrase for i in range(len(keys) - n + 1))


class Scorer:
    """A scorer fitted on one consultation's passages and themes."""

    def __init__(self, themes: Sequence[ThemeText], passages: Sequence[PassageText]):
        self.themes = list(themes)
        self.docs = [_doc(p.text, p.language) for p in passages]
        self.fields = [self._theme_fields(t) for t in self.themes]
        corpus = [sum(d.terms, []) for d in self.docs]
        corpus += [terms for fields in self.fields for _, terms in fields]
        self.vectorizer = TfidfVectorizer(
            analyzer=lambda terms: terms, sublinear_tf=True, min_df=1, norm="l2"
        )
        matrix = self.vectorizer.fit_transform(corpus or [["empty"]])
        self.theme_matrix = self._theme_vectors()
        self.passage_matrix = self.vectorizer.transform(corpus[: len(self.docs)])
        self.positions = [p.position for p in passages]
        for _ in range(FEEDBACK_ROUNDS):
            self.theme_matrix = self._feedback(self.theme_matrix)
        self.svd = None
        n_comp = min(LSA_COMPONENTS, matrix.shape[1] - 1, matrix.shape[0] - 1)
        if LSA_WEIGHT and n_comp >= 10:
            self.svd = TruncatedSVD(n_components=n_comp, random_state=0).fit(matrix)
            self.theme_lsa = normalize(self.svd.transform(self.theme_matrix))
        self.keyword_keys = [
            [(kw, _phrase_keys(kw)) for kw in t.keywords if kw.strip()] for t in self.themes
        ]

    def _theme_fields(self, theme: ThemeText) -> list[tuple[str, list[str]]]:
        fields = [
            ("name", theme.name),
            ("keywords", ". ".join(theme.keywords)),
            ("description", theme.description),
            ("inclusion", theme.inclusion_notes),
            ("examples", " ".join(theme.examples)),
        ]
        return [(name, sum(_doc(text).terms, [])) for name, text in fields if text and text.strip()]

    def _theme_vectors(self):
        rows = []
        for fields in self.fields:
            vec = None
            for name, terms in fields:
                v = self.vectorizer.transform([terms]) * FIELD_WEIGHTS[name]
                vec = v if vec is None else vec + v
            rows.append(vec if vec is not None else sparse.csr_matrix((1, self._dim())))
        if not rows:
            return sparse.csr_matrix((0, self._dim()))
        return normalize(sparse.vstack(rows).tocsr())

    def _coverage(self, sent_terms):
        """Share of each theme's IDF weight whose terms the sentence / passage contains."""
        idf = sparse.diags(self.vectorizer.idf_)
        theme_bin = (self.theme_matrix > 0).astype(float) @ idf
        totals = np.asarray(theme_bin.sum(axis=1)).ravel()
        totals[totals == 0] = 1
        sent_bin = (self.vectorizer.transform(sent_terms) > 0).astype(float)
        pass_bin = (self.passage_matrix > 0).astype(float)
        return (
            (sent_bin @ theme_bin.T).toarray() / totals,
            (pass_bin @ theme_bin.T).toarray() / totals,
        )

    def _feedback(self, theme_matrix):
        """Move each theme's profile towards the passages that match it best (Rocchio)."""
        sims = (self.passage_matrix @ theme_matrix.T).toarray()
        if USE_FEEDBACK_POSITION:
            for i, position in enumerate(self.positions):
                blocked = opposite_stance(position)
                if blocked:
                    sims[i, [j for j, t in enumerate(self.themes) if t.stance == blocked]] = -1
        best = sims.argmax(axis=1)
        top = sims.max(axis=1)
        rows = []
        for j in range(len(self.themes)):
            members = np.flatnonzero((best == j) & (top > FEEDBACK_MIN))
            if len(members) == 0:
                rows.append(theme_matrix[j])
                continue
            weights = sims[members, j]
            centroid = sparse.csr_matrix(weights @ self.passage_matrix[members])
            rows.append(theme_matrix[j] + FEEDBACK_WEIGHT * normalize(centroid))
        return normalize(sparse.vstack(rows).tocsr())

    def _dim(self) -> int:
        return len(self.vectorizer.vocabulary_)

    def all_similarities(self) -> tuple[list[np.ndarray], np.ndarray]:
        """Per passage: (sentences x themes) scores; and (passages x themes) whole-passage scores."""
        sent_terms = [terms for d in self.docs for terms in (d.terms or [[]])]
        bounds = np.cumsum([0] + [max(1, len(d.terms)) for d in self.docs])
        s_sim = (self.vectorizer.transform(sent_terms) @ self.theme_matrix.T).toarray()
        w_sim = (self.passage_matrix @ self.theme_matrix.T).toarray()
        if COVERAGE_WEIGHT:
            s_cov, w_cov = self._coverage(sent_terms)
            s_sim = (1 - COVERAGE_WEIGHT) * s_sim + COVERAGE_WEIGHT * s_cov
            w_sim = (1 - COVERAGE_WEIGHT) * w_sim + COVERAGE_WEIGHT * w_cov
        if COLUMN_CENTRE:
            centre = w_sim.mean(axis=0, keepdims=True) * COLUMN_CENTRE
            s_sim, w_sim = s_sim - centre, w_sim - centre
        return [s_sim[bounds[i] : bounds[i + 1]] for i in range(len(self.docs))], w_sim


def suggest(
    passages: Sequence[PassageText],
    themes: Sequence[ThemeText],
    *,
    threshold: float = THRESHOLD,
    margin: float = MARGIN,
    max_per_passage: int = MAX_PER_PASSAGE,
    use_position: bool = True,
    progress=None,
) -> list[Suggestion]:
    """Suggestions for every passage against every theme, in passage order (deterministic)."""
    themes = list(themes)
    if not themes or not passages:
        return []
    scorer = Scorer(themes, passages)
    out: list[Suggestion] = []
    step = max(1, len(passages) // 20)
    s_sims, w_sims = scorer.all_similarities()
    for i, (passage, doc) in enumerate(zip(passages, scorer.docs, strict=True)):
        if progress and i % step == 0:
            progress(i, len(passages))
        if not doc.sentences:
            continue
        out.extend(
            _suggest_one(
                scorer,
                passage,
                doc,
                (s_sims[i], w_sims[i]),
                threshold,
                margin,
                max_per_passage,
                use_position,
            )
        )
    return out


def _suggest_one(
    scorer, passage, doc, sims, threshold, margin, k, use_position
) -> Iterable[Suggestion]:
    s_sim, w_sim = sims
    sentence_keys = [[t.key for t in s.tokens] for s in doc.sentences]
    bonus = np.zeros_like(s_sim)
    hits: dict[tuple[int, int], list[str]] = {}
    for j, keywords in enumerate(scorer.keyword_keys):
        for si, keys in enumerate(sentence_keys):
            found = [kw for kw, phrase in keywords if _contains(keys, phrase)]
            if found:
                hits[si, j] = found
                bonus[si, j] = min(2, len(found)) * KEYWORD_BONUS
    combined = SENTENCE_WEIGHT * (s_sim + bonus) + (1 - SENTENCE_WEIGHT) * w_sim[None, :]
    best_sentence = combined.argmax(axis=0)
    scores = combined.max(axis=0)
    blocked = opposite_stance(passage.position) if use_position else None
    order = sorted(range(len(scorer.themes)), key=lambda j: (-scores[j], scorer.themes[j].id))
    order = [j for j in order if blocked is None or scorer.themes[j].stance != blocked]
    if not order or scores[order[0]] < threshold:
        return []
    top_stance = scorer.themes[order[0]].stance
    known = _same_stance(passage.position) if use_position else None
    chosen = []
    for j in order[:k]:
        stance = scorer.themes[j].stance
        if scores[j] < max(threshold, margin * scores[order[0]]):
            break
        if known is None and stance and top_stance and stance != top_stance:
            continue
        chosen.append(j)
    results = []
    for j in chosen:
        si = int(best_sentence[j])
        sentence = doc.sentences[si]
        rule = _rule(scorer, j, doc, si, hits.get((si, j), []), float(w_sim[j]))
        results.append(
            Suggestion(passage.id, scorer.themes[j].id, round(float(scores[j]), 4),
                       sentence.start, sentence.end, rule)
        )  # fmt: skip
    return results


def _rule(scorer: Scorer, j: int, doc: _Doc, si: int, keywords: list[str], whole: float) -> str:
    """A readable reason: keywords found, shared words with each theme field, overlap scores."""
    sentence_terms = set(doc.terms[si])
    words = {t.key: t.lemma for t in doc.sentences[si].tokens}
    parts = []
    if keywords:
        parts.append("keywords: " + ", ".join(keywords))
    for name, terms in scorer.fields[j]:
        shared = [t for t in dict.fromkeys(terms) if t in sentence_terms and " " not in t]
        if shared and name != "keywords":
            parts.append(f"{name} words: " + ", ".join(words.get(t, t) for t in shared[:5]))
    parts.append(f"passage overlap {whole:.2f}")
    if len(doc.sentences) > 1:
        parts.append(f"best sentence {si + 1} of {len(doc.sentences)}")
    return "; ".join(parts)[:500]
