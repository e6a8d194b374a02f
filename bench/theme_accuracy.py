"""Theme-suggestion accuracy on IBM's ArgKP key-point matching data (benchmark; prints figures).

For each topic of ../shared/data/argkp/kpm_data (dev and train splits): a consultation in a
temporary SQLite database, the arguments imported as passages, the key points as themes
(name = key point; stance +1 -> for, -1 -> against); run autocode through the real service and
score its suggestions against the labelled (argument, key point) pairs. A suggested theme of the
other stance counts as a false positive. Done twice: with each argument's position imported
(support/oppose) and without. A plain baseline (TF-IDF cosine over stemmed words, best key point
per argument) is printed beside it.

    .venv/bin/python bench/theme_accuracy.py [--split dev|train|both] [--data DIR]
"""

import argparse
import csv
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "argkp" / "kpm_data"
POSITION = {"1": "support", "-1": "oppose"}
STANCE = {"1": "for", "-1": "against"}


def load(data: Path, split: str):
    def rows(name):
        with (data / f"{name}_{split}.csv").open(newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    labels = {(r["arg_id"], r["key_point_id"]): int(r["label"]) for r in rows("labels")}
    return rows("arguments"), rows("key_points"), labels


class Tally:
    """True positives, false positives and the number of positive labels."""

    def __init__(self):
        self.tp = self.fp = self.positives = 0

    def add(self, other: "Tally") -> None:
        self.tp, self.fp = self.tp + other.tp, self.fp + other.fp
        self.positives += other.positives

    def figures(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / self.positives if self.positives else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(pairs, arguments, key_points, labels) -> Tally:
    """Tally suggested (arg_id, key_point_id) pairs against the labels."""
    tally = Tally()
    args = {a["arg_id"]: a for a in arguments}
    kps = {k["key_point_id"]: k for k in key_points}
    tally.positives = sum(v for (a, k), v in labels.items() if a in args and k in kps)
    for arg_id, kp_id in pairs:
        if kps[kp_id]["stance"] != args[arg_id]["stance"]:
            tally.fp += 1
        elif labels.get((arg_id, kp_id)) == 1:
            tally.tp += 1
        elif labels.get((arg_id, kp_id)) == 0:
            tally.fp += 1
    return tally


def run_product(arguments, key_points, slug: str, with_position: bool):
    """Import into a consultation, run the autocode service, return suggested pairs."""
    from sqlalchemy import select

    from consult.coding.models import Coding, Stance, Theme
    from consult.coding.suggestions import run_autocode
    from consult.consultations.services import create_consultation
    from consult.extensions import db
    from consult.passages.models import OriginKind, SourceKind
    from consult.passages.services import publish_passage

    c = create_consultation(title=slug, slug=slug, languages=["en"], stage="open")
    theme_kp = {}
    for i, kp in enumerate(key_points):
        theme = Theme(
            consultation_id=c.id, name=kp["key_point"][:300], position=i,
            stance=Stance(STANCE[kp["stance"]]), keywords=[], examples=[],
        )  # fmt: skip
        db.session.add(theme)
        db.session.flush()
        theme_kp[theme.id] = kp["key_point_id"]
    passage_arg = {}
    for a in arguments:
        p = publish_passage(
            consultation_id=c.id, origin_kind=OriginKind.IMPORT, origin_id=f"{slug}:{a['arg_id']}",
            source_kind=SourceKind.IMPORT, text=a["argument"], external_id=a["arg_id"],
            position=POSITION[a["stance"]] if with_position else None,
        )  # fmt: skip
        db.session.flush()
        passage_arg[p.id] = a["arg_id"]
    db.session.commit()
    run_autocode(c.id)
    rows = db.session.execute(
        select(Coding.passage_id, Coding.theme_id).where(Coding.theme_id.in_(list(theme_kp)))
    ).all()
    return [(passage_arg[p], theme_kp[t]) for p, t in rows]


def run_baseline(arguments, key_points, with_position: bool):
    """TF-IDF cosine over stemmed words; the best key point for every argument."""
    from nltk.stem.snowball import SnowballStemmer
    from sklearn.feature_extraction.text import TfidfVectorizer

    stem = SnowballStemmer("english").stem

    def analyzer(text):
        return [stem(w) for w in re.findall(r"\w+", text.lower())]

    texts = [a["argument"] for a in arguments]
    kp_texts = [k["key_point"] for k in key_points]
    vec = TfidfVectorizer(analyzer=analyzer).fit(texts + kp_texts)
    sims = (vec.transform(texts) @ vec.transform(kp_texts).T).toarray()
    pairs = []
    for i, a in enumerate(arguments):
        allowed = [
            j for j, k in enumerate(key_points) if not with_position or k["stance"] == a["stance"]
        ]
        best = max(allowed, key=lambda j: (sims[i, j], -j))
        pairs.append((a["arg_id"], key_points[best]["key_point_id"]))
    return pairs


def bench_split(data: Path, split: str) -> dict:
    from consult import create_app
    from consult.extensions import db

    arguments, key_points, labels = load(data, split)
    topics = sorted({a["topic"] for a in arguments})
    totals = {key: Tally() for key in ("product+pos", "product", "baseline+pos", "baseline")}
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "TESTING": True, "SECRET_KEY": "bench-" + "x" * 40,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                "INSTANCE_PATH": tmp, "JOBS_INLINE_SYNC": True, "RATELIMIT_ENABLED": False,
            }
        )  # fmt: skip
        with app.app_context():
            db.create_all()
            print(f"\n== {split}: {len(topics)} topics, {len(arguments)} arguments, "
                  f"{len(key_points)} key points, {len(labels)} labelled pairs ==")  # fmt: skip
            print(f"{'topic':48s} {'with position P/R/F1':>22s} {'without P/R/F1':>22s}")
            for n, topic in enumerate(topics):
                args = [a for a in arguments if a["topic"] == topic]
                kps = [k for k in key_points if k["topic"] == topic]
                row = {}
                for with_pos in (True, False):
                    key = "product+pos" if with_pos else "product"
                    pairs = run_product(args, kps, f"{split}-{n}-{int(with_pos)}", with_pos)
                    row[key] = score(pairs, args, kps, labels)
                    totals[key].add(row[key])
                    base_key = "baseline+pos" if with_pos else "baseline"
                    totals[base_key].add(
                        score(run_baseline(args, kps, with_pos), args, kps, labels)
                    )
                print(
                    f"{topic[:48]:48s} {_fmt(row['product+pos']):>22s} {_fmt(row['product']):>22s}"
                )
            db.session.remove()
            db.engine.dispose()
    print(
        f"{'OVERALL product (micro)':48s} {_fmt(totals['product+pos']):>22s} {_fmt(totals['product']):>22s}"
    )
    print(
        f"{'OVERALL baseline TF-IDF best key point':48s} {_fmt(totals['baseline+pos']):>22s} {_fmt(totals['baseline']):>22s}"
    )
    return totals


def _fmt(t: Tally) -> str:
    p, r, f = t.figures()
    return f"{p:.3f}/{r:.3f}/{f:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "train", "both"], default="both")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    if not (args.data / "arguments_dev.csv").exists():
        sys.exit(f"ArgKP data not found in {args.data}")
    started = time.perf_counter()
    for split in ["dev", "train"] if args.split == "both" else [args.split]:
        bench_split(args.data, split)
    print(f"\n{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
