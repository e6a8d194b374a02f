"""Stored XSS: hostile text in every human-text column, then every page is checked.

Every String/Text column whose name says it holds human text (names, titles, text, notes,
answers, testimony, file names, themes, memos, recommendations...) and every translated JSON
text, in every row of every table, is replaced with a payload. Then every GET route is fetched
as an administrator, staff, a respondent and anonymously: no HTML page may contain the payload
unescaped; CSV exports never start a cell with a formula character; XLSX exports hold no formulas.
"""

import csv
import io
import re

import pytest
from sqlalchemy import JSON, String, Text, cast, literal, select, update

from consult.extensions import db
from tests.security.urls import fill, probe_rules

PAYLOAD = '=HYPERLINK("x")"><script>alert(1)</script><img src=x onerror=alert(1)>'
SHORT = '"><svg/onload=1>'
JS_URL = "javascript:alert(1)"
TEXT_COLUMN = re.compile(
    r"^(name|title|text|body|purpose|notes|summary|description|label|written_text|transcript|"
    r"value_text|original_name|organization_name|contact_name|source_label|introduction|help|"
    r"executive_summary|memo|content|comment|rationale|question|answer|privacy|region|"
    r"agenda_item|accessibility_needs|location|venue|intro|statement|quote|definition|"
    r"display_name|caption|heading|message)$"
)
DANGEROUS = [
    re.compile(r"<script>alert\(1\)</script>", re.I),
    re.compile(r"<img src=x onerror", re.I),
    re.compile(r"<svg/onload", re.I),
    re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I),
]


def poison_database() -> int:
    """Put payloads into every human-text column; return how many columns were poisoned."""
    poisoned = 0
    for table in db.metadata.sorted_tables:
        if table.name in ("alembic_version", "audit_event", "user"):
            continue
        for column in table.c:
            if not TEXT_COLUMN.match(column.name) or column.primary_key or column.foreign_keys:
                continue
            if isinstance(column.type, JSON):
                poisoned += _poison_json(table, column)
                continue
            if not isinstance(column.type, String | Text):
                continue
            length = getattr(column.type, "length", None)
            text_value = PAYLOAD if (length or 10_000) >= len(PAYLOAD) + 12 else SHORT
            if length is not None and length < len(SHORT) + 12:
                continue
            value = literal(text_value + " #") + cast(table.c.id, String)
            db.session.execute(update(table).values({column.name: value}))
            poisoned += 1
    user = db.metadata.tables["user"]
    db.session.execute(update(user).values(name=literal(PAYLOAD + " #") + cast(user.c.id, String)))
    db.session.commit()
    return poisoned


def _poison_json(table, column) -> int:
    rows = db.session.execute(select(table.c.id, column)).all()
    for row_id, value in rows:
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            new = {k: PAYLOAD for k in value}
            db.session.execute(update(table).where(table.c.id == row_id).values({column.name: new}))
    return 1


def _problems_in(resp, where: str) -> list[str]:
    ctype = resp.headers.get("Content-Type", "")
    body = resp.get_data()
    out = []
    if "text/html" in ctype:
        html = body.decode("utf-8", "replace")
        out += [f"{where}: unescaped {p.pattern}" for p in DANGEROUS if p.search(html)]
    elif "text/csv" in ctype:
        text = body.decode("utf-8-sig", "replace")
        for row in csv.reader(io.StringIO(text)):
            out += [f"{where}: CSV formula {c[:30]!r}" for c in row if c[:1] in ("=", "+", "@")]
    elif "spreadsheetml" in ctype:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(body))
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f" or (
                        isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "@")
                    ):
                        out.append(f"{where}: XLSX formula in {ws.title}!{cell.coordinate}")
    return out


@pytest.mark.parametrize("role", ["admin", "staff", "respondent", None])
def test_stored_xss_is_escaped_everywhere(fresh_world, role):
    world = fresh_world
    if not getattr(world, "_poisoned", False):
        world.poisoned_columns = poison_database()
        world._poisoned = True
    assert world.poisoned_columns >= 8
    client = world.client(role)
    problems, pages = [], 0
    for rule in probe_rules(world.app):
        if "GET" not in rule.methods or rule.endpoint == "main.set_language":
            continue
        url = fill(rule)
        if url is None:
            continue
        try:
            resp = client.get(url)
        except Exception as exc:  # noqa: BLE001 - hostile text must never crash a page
            problems.append(f"GET {url}: raised {exc!r}")
            continue
        if resp.status_code >= 500:
            problems.append(f"GET {url}: {resp.status_code}")
        if resp.status_code == 200:
            pages += 1
            problems += _problems_in(resp, f"GET {url} as {role or 'anonymous'}")
    print(f"\nXSS sweep as {role or 'anonymous'}: {pages} pages checked")
    assert pages >= 3
    assert problems == [], "\n".join(problems)
