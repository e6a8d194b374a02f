"""Import every XLSForm under a folder (default ../shared/data/xlsform) into a scratch database.

    .venv/bin/python bench/xlsform_import.py [FOLDER] [--verbose]

Prints how many files imported, questions per XLSForm type, what was reported as not imported
(grouped by reason), and why the refused files were refused.
"""

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT = ROOT.parent / "shared" / "data" / "xlsform"
SUFFIXES = {".xlsx", ".xls", ".csv"}


def reason_family(reason: str) -> str:
    """Group similar reasons: drop quoted names and values so counts add up by kind."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"|“[^”]*”", "…", reason)
    return re.sub(r"\d+", "N", text)[:110]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(DEFAULT))
    parser.add_argument("--verbose", action="store_true", help="list every reported item")
    args = parser.parse_args()
    files = sorted(p for p in Path(args.folder).rglob("*") if p.suffix.lower() in SUFFIXES)
    if not files:
        raise SystemExit(f"No .xlsx, .xls or .csv files under {args.folder}")

    from consult import create_app
    from consult.consultations.services import create_consultation
    from consult.extensions import db
    from consult.surveys.xlsform import XLSFormError, import_xlsform

    tmp = Path(tempfile.mkdtemp(prefix="xlsform-bench-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'x.db'}",
            "SECRET_KEY": "b" * 40,
            "INSTANCE_PATH": str(tmp),
        }
    )
    imported, refused, types, reasons, columns = [], [], Counter(), Counter(), Counter()
    started = time.perf_counter()
    with app.app_context():
        db.create_all()
        consultation = create_consultation(title="XLSForm bench", slug="xlsform-bench")
        for path in files:
            name = path.relative_to(args.folder)
            try:
                outcome = import_xlsform(path.read_bytes(), path.name, consultation.id)
            except XLSFormError as exc:
                refused.append((name, str(exc)))
                continue
            n = sum(outcome.types.values())
            imported.append((name, n, len(outcome.issues)))
            types.update(outcome.types)
            for issue in outcome.issues:
                reasons[reason_family(issue.reason)] += 1
                columns[f"{issue.sheet}:{issue.column}"] += 1
                if args.verbose:
                    print(f"  {name}: {issue}")
    seconds = time.perf_counter() - started

    print(
        f"XLSForm files: {len(files)}; imported {len(imported)}; refused {len(refused)}; {seconds:.1f} s"
    )
    print(f"Questions imported: {sum(types.values())}")
    for kind, n in types.most_common():
        print(f"  {kind:20} {n:5}")
    print(f"Reported as not imported or imported differently: {sum(reasons.values())} items")
    print("  by sheet:column")
    for col, n in columns.most_common(12):
        print(f"    {col:40} {n:5}")
    print("  by reason")
    for reason, n in reasons.most_common(15):
        print(f"    {n:5}  {reason}")
    print("Refused files (invalid XLSForm or unreadable):")
    for name, message in refused:
        print(f"  {name}: {message[:150]}")
    print("Per file (questions, reported items):")
    for name, n, issues in imported:
        print(f"  {str(name):70} {n:4} {issues:4}")


if __name__ == "__main__":
    main()
