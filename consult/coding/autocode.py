"""Automatic theme suggestions: pure functions from passage and theme texts to scored suggestions.

No database here. A Scorer is fitted on one consultation's passages and codebook:
1. every text is analysed offline (nlp.py): sentences with offsets, lemmas from pattern's tags,
   Snowball keys of the lemmas (so "shelters", "sheltered" and "shelter" meet); a compound
   ("mass-shootings") also counts as its parts;
2. terms are content-word keys weighted by TF-IDF fitted on the consultation's passages and
   theme texts (a word found in every passage counts for little);
3. a theme's profile blends its name, keywords, description, inclusion notes and example quotes
   (FIELD_WEIGHTS), built per passage language with that language's stemmer;
4. a passage's score for a theme is the mean of its best sentence's score (plus a bonus for each
   keyword or phrase found there, lemma-aware) and the whole passage's score: word cosine plus
   a character n-gram cosine (CHAR_WEIGHT: "qualified" meets "quality");
5. relevance feedback: each theme's profile takes in the words of the passages that match it
   best (FEEDBACK_*), and the scores are computed again; then each passage borrows the theme
   scores of its nearest passages (NEIGHBOUR_*), which finds paraphrases;
6. themes of the stance opposite to the passage's known position are never suggested; when the
   position is unknown, only themes of the best theme's stance are kept (a passage argues one side);
7. the best theme is suggested above THRESHOLD, others when within MARGIN of the best.
The suggestion's span is the best sentence; its rule says which words and keywords matched.
The constants were tuned on the ArgKP train split and checked on dev (bench/theme_accuracy.py).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from consult.coding.nlp import STOP_WORDS, Sentence, analyse, lemmatize, split_sentences, stemmer

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
THRESHOLD = 0.18
MARGIN = 0.75
MAX_PER_PASSAGE = 3
KEYWORD_BONUS = 0.1
SENTENCE_WEIGHT = 0.5  # best sentence vs whole passage
NEIGHBOURS = 15  # nearest passages whose theme scores a passage borrows
NEIGHBOUR_WEIGHT = 0.6
NEIGHBOUR_DIMS = 128
EXACT_NEIGHBOURS_UP_TO = 3000  # passages; above this, neighbours in an LSA projection
CHAR_WEIGHT = 0.6  # character n-gram cosine added to the whole-passage score
CHAR_NGRAMS = (3, 5)
FEEDBACK_WEIGHT = 1.0  # relevance feedback: weight of the best-matching passages' words
FEEDBACK_PASSAGES = 10  # how many of them per theme
_STANCE_SIDE = {"for": 1, "against": -1}
_SIDE = {"support": 1, "oppose": -1}


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


def _terms(sentence: Sentence, language: str = "en") -> list[str]:
    """Content-word keys (Snowball stems of the lemmas); stop words and numbers left out.

    A compound ("mass-shootings", "well-being") counts as itself and as each of its parts, so
    it meets passages that write the parts apart ("shootings").
    """
    out = []
    for t in sentence.tokens:
        if t.stop or len(t.key) < 2 or t.key.isdigit():
            continue
        out.append(t.key)
        if "-" in t.text:
            out.extend(_part_keys(t.text, t.tag, language))
    return out


def _part_keys(word: str, tag: str, language: str) -> list[str]:
    """Keys of a compound's parts; only the last part (the head: "mass-shootings") is inflected."""
    stops = STOP_WORDS.get(language, STOP_WORDS["en"])
    parts = word.lower().split("-")
    if language == "en":
        parts[-1] = lemmatize(parts[-1], tag)
    stem = stemmer(language).stem
    return [stem(p) for p in parts if len(p) > 1 and p not in stops and not p.isdigit()]


def _doc(text: str, language: str = "en") -> _Doc:
    sentences = analyse(text or "", language)
    return _Doc(sentences, [_terms(s, _lang(language)) for s in sentences])


def _phrase_keys(phrase: str, language: str = "en") -> tuple[str, ...]:
    doc = _doc(phrase, language)
    return tuple(t.key for s in doc.sentences for t in s.tokens if not t.stop)


def _identity(terms: list[str]) -> list[str]:
    return terms


def _lang(language: str | None) -> str:
    return (language or "en")[:2].lower()


class Scorer:
    """A scorer fitted on one consultation's passages and themes (one profile per language)."""

    def __init__(
        self,
        themes: Sequence[ThemeText],
        passages: Sequence[PassageText],
        use_position: bool = True,
        progress: Callable[[float, str], None] | None = None,
        analysed: Sequence[list[Sentence]] | None = None,
    ):
        self.themes = list(themes)
        self.positions = [p.position if use_position else None for p in passages]
        self.languages = [_lang(p.language) for p in passages]
        self.docs = []
        step = max(1, len(passages) // 20)
        for i, (p, lang) in enumerate(zip(passages, self.languages, strict=True)):
            if progress and i % step == 0:
                progress(0.6 * i / len(passages), f"Read {i} of {len(passages)} passages")
            if analysed is not None:
                self.docs.append(_Doc(analysed[i], [_terms(s, lang) for s in analysed[i]]))
            else:
                self.docs.append(_doc(p.text, lang))
        langs = sorted(set(self.languages)) or ["en"]
        # a theme written in English still matches Spanish passages through shared stems
        self.fields = {lang: [self._theme_fields(t, lang) for t in self.themes] for lang in langs}
        corpus = [sum(d.terms, []) for d in self.docs]
        themes_corpus = [terms for lang in langs for f in self.fields[lang] for _, terms in f]
        self.vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, norm="l2")
        self.empty = not any(corpus + themes_corpus)
        if self.empty:
            return
        self.vectorizer.fit(corpus + themes_corpus)
        self.passage_matrix = self.vectorizer.transform(corpus)
        self.char_sims = self._char_similarities(passages) if CHAR_WEIGHT else None
        self.theme_matrix = {lang: self._theme_vectors(self.fields[lang]) for lang in langs}
        # keyword phrase (a tuple of content keys) -> [(theme index, keyword as written)]
        self.keyword_index: dict[str, dict[tuple[str, ...], list[tuple[int, str]]]] = {}
        for lang in langs:
            index: dict[tuple[str, ...], list[tuple[int, str]]] = {}
            for j, theme in enumerate(self.themes):
                for kw in theme.keywords:
                    phrase = _phrase_keys(kw, lang)
                    if phrase:
                        index.setdefault(phrase, []).append((j, kw.strip()))
            self.keyword_index[lang] = index
        self.phrase_lengths = {
            lang: sorted({len(p) for p in index}) for lang, index in self.keyword_index.items()
        }

    @staticmethod
    def _theme_fields(theme: ThemeText, language: str) -> list[tuple[str, list[str]]]:
        fields = [
            ("name", theme.name),
            ("keywords", ". ".join(theme.keywords)),
            ("description", theme.description),
            ("inclusion", theme.inclusion_notes),
            ("examples", " ".join(theme.examples)),
        ]
        return [
            (name, sum(_doc(text, language).terms, []))
            for name, text in fields
            if text and text.strip()
        ]

    def _theme_vectors(self, fields_per_theme):
        """Each theme's profile: its fields' TF-IDF vectors, weighted and summed."""
        rows = []
        for fields in fields_per_theme:
            vec = sparse.csr_matrix((1, len(self.vectorizer.vocabulary_)))
            for name, terms in fields:
                vec = vec + self.vectorizer.transform([terms]) * FIELD_WEIGHTS[name]
            rows.append(vec)
        return normalize(sparse.vstack(rows).tocsr())

    def _char_similarities(self, passages: Sequence[PassageText]) -> np.ndarray:
        """Passage x theme cosine over character n-grams within words.

        Catches what stems miss: "qualified" and "quality", "discriminatory" and
        "discrimination", misspellings. Themes' fields are weighted as for word terms.
        """
        fields = [
            [
                (theme.name, FIELD_WEIGHTS["name"]),
                (". ".join(theme.keywords), FIELD_WEIGHTS["keywords"]),
                (theme.description, FIELD_WEIGHTS["description"]),
                (theme.inclusion_notes, FIELD_WEIGHTS["inclusion"]),
                (" ".join(theme.examples), FIELD_WEIGHTS["examples"]),
            ]
            for theme in self.themes
        ]
        texts = [p.text or "" for p in passages]
        theme_texts = [text for f in fields for text, _ in f if text and text.strip()]
        vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True, dtype=np.float32
        )
        try:
            vectorizer.fit(texts + theme_texts)
        except ValueError:  # nothing but white space
            return np.zeros((len(texts), len(self.themes)), dtype=np.float32)
        rows = []
        for f in fields:
            parts = [(t, w) for t, w in f if t and t.strip()]
            if not parts:
                rows.append(sparse.csr_matrix((1, len(vectorizer.vocabulary_)), dtype=np.float32))
                continue
            vecs = vectorizer.transform([t for t, _ in parts])
            weights = sparse.diags(np.array([w for _, w in parts], dtype=np.float32))
            rows.append(sparse.csr_matrix((weights @ vecs).sum(axis=0)))
        theme_matrix = normalize(sparse.vstack(rows).tocsr())
        return (vectorizer.transform(texts) @ theme_matrix.T).toarray()

    def all_similarities(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Per passage: (sentences x themes) and (themes,) whole-passage scores."""
        by_lang = {}
        for lang in self.theme_matrix:
            idx = [i for i, lg in enumerate(self.languages) if lg == lang]
            if idx:
                sent_terms = [terms for i in idx for terms in (self.docs[i].terms or [[]])]
                bounds = np.cumsum([0] + [max(1, len(self.docs[i].terms)) for i in idx])
                by_lang[lang] = (idx, self.vectorizer.transform(sent_terms), bounds)
        s_out, w_out = self._direct(by_lang)
        if FEEDBACK_WEIGHT and len(self.docs) > FEEDBACK_PASSAGES:
            self._expand_themes(by_lang, s_out, w_out)
            s_out, w_out = self._direct(by_lang)
        if NEIGHBOUR_WEIGHT and len(self.docs) > NEIGHBOURS:
            w_all = np.vstack(w_out)
            evidence = self._neighbour_evidence(w_all)
            w_out = list((1 - NEIGHBOUR_WEIGHT) * w_all + NEIGHBOUR_WEIGHT * evidence)
            s_out = [
                (1 - NEIGHBOUR_WEIGHT) * s + NEIGHBOUR_WEIGHT * evidence[i][None, :]
                for i, s in enumerate(s_out)
            ]
        return s_out, w_out

    def _direct(self, by_lang) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Each passage's own scores: its sentences' and its whole text's against every theme."""
        s_out: list[np.ndarray] = [np.zeros((0, len(self.themes)))] * len(self.docs)
        w_out: list[np.ndarray] = [np.zeros(len(self.themes))] * len(self.docs)
        for lang, (idx, sentence_matrix, bounds) in by_lang.items():
            theme_matrix = self.theme_matrix[lang]
            s_sim = (sentence_matrix @ theme_matrix.T).toarray()
            w_sim = (self.passage_matrix[idx] @ theme_matrix.T).toarray()
            if self.char_sims is not None:
                w_sim = w_sim + CHAR_WEIGHT * self.char_sims[idx]
            for n, i in enumerate(idx):
                s_out[i], w_out[i] = s_sim[bounds[n] : bounds[n + 1]], w_sim[n]
        return s_out, w_out

    def _expand_themes(self, by_lang, s_out, w_out) -> None:
        """Relevance feedback (Rocchio): add to each theme the words of the passages that match it best.

        A theme is often a short phrase ("Austerity cuts access to essential services"); the
        passages that clearly match it bring the words others use for the same point ("social
        programs", "safety net"), so a second pass finds passages the phrase alone misses.
        """
        sides = np.array([_SIDE.get((p or "").lower(), 0) for p in self.positions])
        stances = np.array([_STANCE_SIDE.get(t.stance or "", 0) for t in self.themes])
        for lang, (idx, _, _) in by_lang.items():
            scores = np.vstack(
                [
                    SENTENCE_WEIGHT * (s_out[i].max(axis=0) if len(s_out[i]) else 0)
                    + (1 - SENTENCE_WEIGHT) * w_out[i]
                    for i in idx
                ]
            )
            scores[np.multiply.outer(sides[idx], stances) < 0] = -1  # never across known sides
            best = scores.argmax(axis=1)
            rows = []
            matrix = self.theme_matrix[lang]
            for j in range(len(self.themes)):
                mine = np.flatnonzero((best == j) & (scores[:, j] >= THRESHOLD))
                mine = mine[np.argsort(-scores[mine, j], kind="stable")][:FEEDBACK_PASSAGES]
                if len(mine) < 2:
                    rows.append(matrix[j])
                    continue
                centroid = normalize(
                    sparse.csr_matrix(self.passage_matrix[[idx[m] for m in mine]].mean(axis=0))
                )
                rows.append(matrix[j] + FEEDBACK_WEIGHT * centroid)
            self.theme_matrix[lang] = normalize(sparse.vstack(rows).tocsr())

    def _neighbour_evidence(self, w_all: np.ndarray) -> np.ndarray:
        """For each passage, its nearest passages' theme scores (weighted by similarity).

        Passages worded differently from a theme often read like passages that match it
        closely; borrowing their evidence finds paraphrases plain word overlap misses.
        Computed in row blocks, so 20,000 passages need no 20,000 x 20,000 matrix.
        """
        matrix = self.passage_matrix
        if matrix.shape[0] > EXACT_NEIGHBOURS_UP_TO:
            # dense rows keep the pairwise products fast on large consultations: an LSA
            # projection when the vocabulary is large (on ArgKP, 100 dimensions instead of
            # exact cosines changed dev F1 by -0.9 / +0.7 points), else the vectors themselves
            if matrix.shape[1] > NEIGHBOUR_DIMS:
                svd = TruncatedSVD(n_components=NEIGHBOUR_DIMS, random_state=0)
                matrix = normalize(svd.fit_transform(matrix)).astype(np.float32)
            else:
                matrix = matrix.toarray().astype(np.float32)
        sides = np.array([_SIDE.get((p or "").lower(), 0) for p in self.positions], dtype=np.int8)
        evidence = np.zeros_like(w_all)
        any_side = bool(sides.any())
        k = NEIGHBOURS
        for start in range(0, matrix.shape[0], 1000):
            sims = matrix[start : start + 1000] @ matrix.T
            sims = sims.toarray() if sparse.issparse(sims) else np.asarray(sims)
            rows = np.arange(sims.shape[0])
            sims[rows, rows + start] = 0
            if any_side:  # never borrow across known sides
                block_sides = sides[start : start + 1000]
                sims[np.multiply.outer(block_sides, sides) < 0] = 0
            top = np.argpartition(sims, sims.shape[1] - k, axis=1)[:, -k:]
            weights = np.take_along_axis(sims, top, axis=1)
            totals = weights.sum(axis=1, keepdims=True)
            weights = np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)
            evidence[start : start + 1000] = np.einsum("rn,rnk->rk", weights, w_all[top])
        return evidence


def suggest(
    passages: Sequence[PassageText],
    themes: Sequence[ThemeText],
    *,
    threshold: float = THRESHOLD,
    margin: float = MARGIN,
    max_per_passage: int = MAX_PER_PASSAGE,
    use_position: bool = True,
    progress: Callable[[float, str], None] | None = None,
    analysed: Sequence[list[Sentence]] | None = None,
) -> list[Suggestion]:
    """Suggestions for every passage against every theme, in passage order (deterministic).

    `analysed` may carry nlp.analyse() of each passage, when the caller already has it.
    """
    themes = list(themes)
    if not themes or not passages:
        return []
    scorer = Scorer(themes, passages, use_position, progress, analysed)
    if scorer.empty:
        return []
    out: list[Suggestion] = []
    if progress:
        progress(0.6, "Comparing passages with themes and with each other")
    s_sims, w_sims = scorer.all_similarities()
    step = max(1, len(passages) // 10)
    for i, (passage, doc) in enumerate(zip(passages, scorer.docs, strict=True)):
        if progress and i % step == 0:
            progress(0.8 + 0.2 * i / len(passages), f"Choosing themes: {i} of {len(passages)}")
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
    bonus = np.zeros_like(s_sim)
    hits: dict[tuple[int, int], list[str]] = {}
    lang = _lang(passage.language)
    index, lengths = scorer.keyword_index[lang], scorer.phrase_lengths[lang]
    for si, sentence in enumerate(doc.sentences):
        if not index:
            break
        keys = [t.key for t in sentence.tokens if not t.stop]
        grams = {tuple(keys[i : i + n]) for n in lengths for i in range(len(keys) - n + 1)}
        for gram in grams & index.keys():
            for j, kw in index[gram]:
                hits.setdefault((si, j), []).append(kw)
    for (si, j), found in hits.items():
        found.sort()
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
        fields = scorer.fields[_lang(passage.language)][j]
        rule = _rule(fields, doc, si, hits.get((si, j), []), float(w_sim[j]))
        results.append(
            Suggestion(passage.id, scorer.themes[j].id, round(float(scores[j]), 4),
                       sentence.start, sentence.end, rule)
        )  # fmt: skip
    return results


def _rule(fields, doc: _Doc, si: int, keywords: list[str], whole: float) -> str:
    """A readable reason: keywords found, shared words with each theme field, overlap scores."""
    sentence_terms = set(doc.terms[si])
    words = {t.key: t.lemma for t in doc.sentences[si].tokens}
    parts = []
    if keywords:
        parts.append("keywords: " + ", ".join(keywords))
    for name, terms in fields:
        shared = [t for t in dict.fromkeys(terms) if t in sentence_terms and " " not in t]
        if shared and name != "keywords":
            parts.append(f"{name} words: " + ", ".join(words.get(t, t) for t in shared[:5]))
    parts.append(f"passage overlap {whole:.2f}")
    if len(doc.sentences) > 1:
        parts.append(f"best sentence {si + 1} of {len(doc.sentences)}")
    return "; ".join(parts)[:500]
