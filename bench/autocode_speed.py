"""Speed of automatic coding and theme discovery (benchmark; prints figures).

1. autocode over N passages (default 20,000) against a 20-theme codebook, as pure functions
   (analysis, scoring, suggestion choice), beside a bare TextBlob pattern parse of the same texts
   (tokenize + tags + chunks), and the ratio;
2. passage analysis (sentiment + key phrases) for the same passages;
3. theme discovery on M passages (default 10,000) beside bare TF-IDF + NMF on the raw texts.

Texts are synthetic consultation sentences built from a fixed vocabulary with a seeded RNG.

    .venv/bin/python bench/autocode_speed.py [--passages 20000] [--discovery 10000]
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SUBJECTS = [
    "survivors",
    "shelter staff",
    "labour inspectors",
    "police officers",
    "school counsellors",
    "interpreters",
    "prosecutors",
    "hotline volunteers",
    "farm workers",
    "hotel managers",
    "case managers",
    "immigration lawyers",
    "health workers",
    "county judges",
    "parents",
]
VERBS = [
    "need",
    "cannot find",
    "ask for",
    "rarely receive",
    "wait weeks for",
    "should get",
    "were refused",
    "depend on",
    "struggle to reach",
    "deserve",
]
OBJECTS = [
    "safe housing",
    "emergency shelter beds",
    "trauma counselling",
    "legal representation",
    "a T visa decision",
    "training on coercion",
    "language access",
    "hotline numbers in hotels",
    "labour inspections on farms",
    "funding for victim services",
    "online grooming lessons",
    "witness protection",
    "job training",
    "translated forms",
    "night-time transport",
]
TAILS = [
    "in rural counties",
    "after the raid",
    "before the trial",
    "at every interview",
    "during the winter",
    "because funding was cut",
    "as the report recommended",
    "",
]
THEMES = [
    ("Housing and shelter", "Emergency shelter beds and long-term housing", ["shelter", "housing"]),
    ("Legal help", "Lawyers and legal representation for survivors", ["lawyer", "legal"]),
    ("Immigration relief", "T visa decisions and work permits", ["visa", "immigration"]),
    ("Police training", "Officers recognising coercion", ["training", "coercion"]),
    ("Language access", "Interpreters and translated forms", ["interpreter", "translated"]),
    ("Labour exploitation", "Labour inspections on farms and in hotels", ["labour", "farm"]),
    ("Hotline", "Hotline numbers and night staff", ["hotline"]),
    ("Schools and youth", "Online grooming and school counsellors", ["school", "grooming"]),
    ("Funding", "Money for victim services", ["funding", "grant"]),
    ("Health care", "Trauma counselling and health workers", ["counselling", "health"]),
    ("Courts", "Judges, prosecutors and trials", ["trial", "judge", "prosecutor"]),
    ("Witness protection", "Protecting survivors who testify", ["witness"]),
    ("Employment", "Job training and work", ["job", "employment"]),
    ("Transport", "Getting to services at night and in rural areas", ["transport", "rural"]),
    ("Hotels", "Hotel managers spotting exploitation", ["hotel"]),
    ("Rural services", "Services outside the cities", ["rural", "county"]),
    ("Data and reporting", "Counting cases and publishing reports", ["report", "data"]),
    ("Prevention", "Stopping exploitation before it starts", ["prevention", "awareness"]),
    ("Partnerships", "Agencies and NGOs working together", ["partnership", "coalition"]),
    ("Survivor voice", "Survivors shaping policy", ["survivor leadership"]),
]


def make_texts(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        sentences = []
        for _ in range(rng.randint(1, 4)):
            s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"
            sentences.append(s.strip().capitalize() + ".")
        texts.append(" ".join(sentences))
    return texts


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=20_000)
    parser.add_argument("--discovery", type=int, default=10_000)
    args = parser.parse_args()

    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer
    from textblob.en import parse

    from consult.coding import autocode, discovery, nlp

    texts = make_texts(args.passages)
    parse("Warm up the tagger.", tokenize=True, tags=True, chunks=True)
    _, bare = timed(lambda: [parse(t, tokenize=True, tags=True, chunks=True) for t in texts])
    passages = [autocode.PassageText(i, t) for i, t in enumerate(texts)]
    themes = [
        autocode.ThemeText(100 + i, name, description=desc, keywords=tuple(kw))
        for i, (name, desc, kw) in enumerate(THEMES)
    ]
    nlp.lemmatize.cache_clear()
    sentences, read = timed(lambda: [nlp.analyse(t) for t in texts])
    found, scoring = timed(lambda: autocode.suggest(passages, themes, analysed=sentences))
    _, analysis = timed(
        lambda: [
            (nlp.sentiment(t), nlp.key_phrases(t, sentences=s))
            for t, s in zip(texts, sentences, strict=True)
        ]
    )
    n, auto = len(texts), read + scoring
    print(f"autocode: {n} passages x {len(themes)} themes, {len(found)} suggestions")
    print(
        f"  autocode: read (sentences, tags, chunks, lemmas) {read:6.1f} s + score {scoring:6.1f} s"
    )
    print(f"  autocode total            {auto:7.1f} s  {n / auto:8.0f} passages/s")
    print(f"  bare TextBlob parse       {bare:7.1f} s  {n / bare:8.0f} passages/s")
    print(f"  ratio autocode/bare parse {auto / bare:7.2f}")
    print(f"  + sentiment and key phrases (same sentences) {analysis:6.1f} s")

    sample = make_texts(args.discovery, seed=11)
    items = [(i, t, "en") for i, t in enumerate(sample)]
    candidates, disc = timed(lambda: discovery.discover(items, n_topics=12))

    def bare_nmf():
        matrix = TfidfVectorizer(min_df=2, max_df=0.6, stop_words="english").fit_transform(sample)
        return NMF(n_components=12, init="nndsvd", random_state=0, max_iter=400).fit(matrix)

    _, bare_disc = timed(bare_nmf)
    print(f"discovery: {len(sample)} passages, {len(candidates)} candidates")
    print(f"  discovery (noun phrases + NMF) {disc:7.1f} s")
    print(f"  bare TF-IDF + NMF              {bare_disc:7.1f} s  ratio {disc / bare_disc:.1f}")
    for c in candidates[:5]:
        print(f"    {c.size:5d}  {c.label}  [{', '.join(c.top_phrases[:4])}]")


if __name__ == "__main__":
    main()
