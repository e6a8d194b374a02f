"""Offline text analysis: sentences with offsets, tokens, lemmas, noun phrases, sentiment.

Only TextBlob's pattern components (tagger/chunker, tokenizer, PatternAnalyzer) and NLTK's
Snowball stemmers are used: none of them needs a downloaded corpus, so a deployment never reaches
for the internet. English gets tags, chunks and sentiment; other languages (Spanish) get tokens,
Snowball stems and key words, and sentiment None (the pattern lexicon is English only).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from nltk.stem.snowball import SnowballStemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from textblob.en import parse as _pattern_parse
from textblob.en.inflect import singularize
from textblob.en.sentiments import PatternAnalyzer

SPANISH_STOP_WORDS = frozenset(
    """
    a al algo algunas algunos ante antes como con contra cual cuando de del desde donde
    durante e el ella ellas ellos en entre era es esa esas ese eso esos esta estaba estado
    estar estas este esto estos fue fueron ha han hay la las le les lo los mas más me mi mis
    muy nada ni no nos nosotros o os otra otras otro otros para pero poco por porque que qué
    quien se sea ser si sí sin sobre son su sus también tan te tiene tienen todo todos tu tus
    un una uno unos usted y ya yo
    """.split()  # noqa: SIM905
)
STOP_WORDS = {"en": frozenset(ENGLISH_STOP_WORDS), "es": SPANISH_STOP_WORDS}
_STEMMER_LANG = {"en": "english", "es": "spanish", "fr": "french", "pt": "portuguese"}

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st no vs etc e.g i.e u.s u.k u.n inc ltd co gov sen rep jan feb
    mar apr jun jul aug sep sept oct nov dec art sec fig approx dept est sra srta ud uds núm
    """.split()  # noqa: SIM905
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n\s*\n|\n(?=\s*[-*•\d])")
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)

_IRREGULAR = {
    "is": "be", "are": "be", "was": "be", "were": "be", "been": "be", "am": "be", "being": "be",
    "has": "have", "had": "have", "having": "have", "does": "do", "did": "do", "done": "do",
    "went": "go", "gone": "go", "goes": "go", "made": "make", "taken": "take", "took": "take",
    "given": "give", "gave": "give", "got": "get", "gotten": "get", "children": "child",
    "people": "person", "women": "woman", "men": "man", "better": "good", "best": "good",
    "worse": "bad", "worst": "bad", "found": "find", "left": "leave", "kept": "keep",
    "paid": "pay", "said": "say", "thought": "think", "brought": "bring", "bought": "buy",
    "felt": "feel", "lost": "lose", "held": "hold", "ran": "run", "led": "lead", "fed": "feed",
}  # fmt: skip
_VOWELS = set("aeiou")


@dataclass(frozen=True)
class Token:
    """A word with its character offsets, Penn tag, lemma and matching key (stem of the lemma)."""

    text: str
    start: int
    end: int
    tag: str
    lemma: str
    key: str
    stop: bool
    chunk: str = ""  # pattern's chunk label: B-NP, I-NP, B-VP, O, ...


@dataclass(frozen=True)
class Sentence:
    """A sentence's character span and its tokens."""

    start: int
    end: int
    tokens: tuple[Token, ...]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans [start, end) of `text`, trimmed of surrounding white space."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        if m.group().startswith("."):
            word = re.search(r"([\w.]+)\.$", text[start : m.start() + 1])
            if word and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1):
                continue
        _add_span(text, start, end, spans)
        start = end
    _add_span(text, start, len(text), spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    spans.append((start + lead, start + lead + len(stripped)))


@lru_cache(maxsize=8)
def stemmer(language: str = "en") -> SnowballStemmer:
    """A Snowball stemmer for the language (English when unknown); needs no corpus."""
    return SnowballStemmer(_STEMMER_LANG.get(language, "english"))


@lru_cache(maxsize=200_000)
def lemmatize(word: str, tag: str = "") -> str:
    """A light rule-based lemma from the word and its Penn tag (no WordNet needed)."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if tag in ("NNS", "NNPS") or (not tag and w.endswith("s") and len(w) > 3):
        return singularize(w)
    if tag.startswith("VB") and len(w) > 4:
        if w.endswith("ied"):
            return w[:-3] + "y"
        for suffix in ("ing", "ed"):
            if w.endswith(suffix):
                return _restore_stem(w[: -len(suffix)])
        if tag == "VBZ" and w.endswith("s"):
            return w[:-2] if w.endswith(("ches", "shes", "sses", "xes")) else w[:-1]
    return w


def _restore_stem(stem: str) -> str:
    """Undo consonant doubling (stopped -> stop) or restore a silent e (making -> make)."""
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]
    consonant_vowel_consonant = (
        len(stem) > 2
        and stem[-1] not in _VOWELS | set("wxy")
        and stem[-2] in _VOWELS
        and stem[-3] not in _VOWELS
    )
    if consonant_vowel_consonant:
        return stem + "e"
    return stem


@lru_cache(maxsize=200_000)
def _key(lemma: str, language: str) -> str:
    return stemmer(language).stem(lemma)


def analyse(text: str, language: str = "en") -> list[Sentence]:
    """Sentences with tokens (offsets, tags, lemmas, stem keys) for any language."""
    lang = (language or "en")[:2].lower()
    stops = STOP_WORDS.get(lang, STOP_WORDS["en"])
    spans = split_sentences(text)
    words = [
        [(m.group(), s + m.start(), s + m.end()) for m in _TOKEN.finditer(text[s:e])]
        for s, e in spans
    ]
    if lang == "en":
        tags = _tags([[w for w, _, _ in sentence] for sentence in words])
    else:
        tags = [[("", "")] * len(sentence) for sentence in words]
    out = []
    for (s_start, s_end), sentence, sentence_tags in zip(spans, words, tags, strict=True):
        tokens = []
        for (word, start, end), (tag, chunk) in zip(sentence, sentence_tags, strict=True):
            lemma = lemmatize(word, tag) if lang == "en" else word.lower()
            stop = lemma in stops or word.lower() in stops
            tokens.append(Token(word, start, end, tag, lemma, _key(lemma, lang), stop, chunk))
        out.append(Sentence(s_start, s_end, tuple(tokens)))
    return out


def _tags(sentences: list[list[str]]) -> list[list[tuple[str, str]]]:
    """(Penn tag, chunk label) per word from pattern's offline tagger and chunker (one call)."""
    lines = [" ".join(words) for words in sentences]
    if not any(lines):
        return [[("", "")] * len(words) for words in sentences]
    parsed = _pattern_parse("\n".join(lines), tokenize=False, tags=True, chunks=True)
    out = []
    for words, line in zip(sentences, _realign(lines, parsed.split("\n")), strict=True):
        items = [item.split("/") for item in line.split(" ")] if line else []
        if len(items) != len(words) or any(len(parts) < 4 for parts in items):
            out.append([("", "")] * len(words))  # the tagger re-split something: no tags
        else:
            out.append([(parts[-3], parts[-2]) for parts in items])
    return out


def _realign(lines: list[str], tagged: list[str]) -> list[str]:
    """Pattern drops empty lines; put them back so tagged lines match their sentences."""
    if len(tagged) == len(lines):
        return tagged
    it = iter(tagged)
    return [next(it, "") if line else "" for line in lines]


def noun_phrases(text: str, language: str = "en") -> list[str]:
    """Lemmatized noun-phrase chunks (pattern's chunker), stop words trimmed; English only."""
    if (language or "en")[:2].lower() != "en" or not text.strip():
        return []
    return noun_phrases_in(analyse(text, "en"))


def noun_phrases_in(sentences: list[Sentence]) -> list[str]:
    """Noun phrases from already-analysed English sentences."""
    phrases: list[str] = []
    for sentence in sentences:
        current: list[str] = []
        previous = ""
        for token in sentence.tokens:
            tag, chunk = token.tag, token.chunk
            if chunk.endswith("NP") and tag.startswith(("NN", "JJ", "VBG")):
                # the tagger often reads a verb as a noun ("survivors need safe housing"):
                # a plural noun, or a noun before an adjective, ends a phrase
                boundary = previous == "NNS" or (previous.startswith("NN") and tag == "JJ")
                if current and (chunk.startswith("B-") or boundary):
                    _flush_phrase(current, phrases)
                current.append(token.lemma if tag.startswith("NN") else token.text.lower())
                previous = tag
            else:
                _flush_phrase(current, phrases)
                previous = ""
        _flush_phrase(current, phrases)
    return phrases


def _flush_phrase(words: list[str], phrases: list[str]) -> None:
    while words and words[0] in STOP_WORDS["en"]:
        words.pop(0)
    if words and any(len(w) > 2 for w in words) and words[-1] not in STOP_WORDS["en"]:
        phrases.append(" ".join(words))
    words.clear()


def key_phrases(
    text: str, language: str = "en", limit: int = 5, sentences: list[Sentence] | None = None
) -> list[str]:
    """The passage's most salient phrases: multi-word noun phrases first, then frequent nouns."""
    lang = (language or "en")[:2].lower()
    if lang == "en":
        candidates = noun_phrases_in(sentences if sentences is not None else analyse(text, lang))
    else:
        stops = STOP_WORDS.get(lang, frozenset())
        candidates = [
            w.lower() for w in _TOKEN.findall(text) if len(w) > 3 and w.lower() not in stops
        ]
    counts: dict[str, int] = {}
    for phrase in candidates:
        counts[phrase] = counts.get(phrase, 0) + 1
    ranked = sorted(counts, key=lambda p: (-counts[p] - 0.5 * p.count(" "), -len(p), p))
    return ranked[:limit]


_ANALYZER = PatternAnalyzer()


def sentiment(text: str, language: str = "en") -> tuple[float | None, float | None]:
    """(polarity -1..1, subjectivity 0..1) from pattern's lexicon; (None, None) unless English."""
    if (language or "en")[:2].lower() != "en" or not text.strip():
        return None, None
    result = _ANALYZER.analyze(text)
    return round(float(result[0]), 4), round(float(result[1]), 4)
