"""XLSForm rows → a Consult survey definition, with every unmapped item kept as an Issue."""

import copy
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from consult.surveys.definition_io import FORMAT, VERSION
from consult.surveys.xlsform_expr import constraint_to_validation, relevant_to_condition

TRANSLATED = ("label", "hint", "constraint_message")
SURVEY_COLUMNS = {
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "appearance",
    "parameters",
}
SIMPLE_TYPES = {
    "text": "short_text",
    "string": "short_text",
    "integer": "number",
    "int": "number",
    "decimal": "number",
    "date": "date",
    "note": "note",
}
SELECTS = {
    "select_one": "single_choice",
    "select one": "single_choice",
    "select1": "single_choice",
    "select one from": "single_choice",
    "add select one prompt using": "single_choice",
    "select_multiple": "multiple_choice",
    "select all that apply": "multiple_choice",
    "select all that apply from": "multiple_choice",
    "add select multiple prompt using": "multiple_choice",
    "rank": "ranking",
}
CANONICAL = {
    **{
        k: (
            "rank"
            if v == "ranking"
            else "select_one"
            if v == "single_choice"
            else "select_multiple"
        )
        for k, v in SELECTS.items()
    },
    "string": "text",
    "int": "integer",
}
REPEAT_BEGIN = ("begin repeat", "begin_repeat", "begin loop", "begin_loop")
REPEAT_END = ("end repeat", "end_repeat", "end loop", "end_loop")
METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
    "background-audio",
    "uri:email",
    "uri:username",
    "uri:phonenumber",
    "uri:deviceid",
}
LANG_NAMES = {
    "english": "en",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
    "french": "fr",
    "français": "fr",
    "portuguese": "pt",
    "german": "de",
    "deutsch": "de",
    "arabic": "ar",
    "chinese": "zh",
    "italian": "it",
    "swahili": "sw",
    "hindi": "hi",
    "russian": "ru",
}


@dataclass
class Issue:
    sheet: str
    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.sheet} sheet" + (f", row {self.row}" if self.row else "")
        return f"{where}, column {self.column}: {self.reason}"


@dataclass
class Conversion:
    definition: dict
    issues: list[Issue] = field(default_factory=list)
    types: Counter = field(default_factory=Counter)


def lang_code(name: str) -> str:
    """'English (en)' → 'en'; 'Spanish' → 'es'; otherwise a short slug of the name."""
    m = re.search(r"\(\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)\s*\)\s*$", name)
    if m:
        return m.group(1).lower().replace("_", "-")
    plain = name.strip().lower()
    return LANG_NAMES.get(plain) or re.sub(r"[^a-z0-9]", "", plain)[:10] or "en"


COLUMN_ALIASES = {
    "bind:relevant": "relevant",
    "bind::relevant": "relevant",
    "relevance": "relevant",
    "bind:constraint": "constraint",
    "bind::constraint": "constraint",
    "bind:required": "required",
    "bind::required": "required",
    "bind:jr:constraintmsg": "constraint_message",
    "bind::jr:constraintmsg": "constraint_message",
    "constraining_message": "constraint_message",
    "control:appearance": "appearance",
    "control::appearance": "appearance",
    "caption": "label",
}


def _norm(key: str) -> tuple[str, str | None]:
    """'Label::Spanish (es)' → ('label', 'Spanish (es)'); 'hint' → ('hint', None)."""
    alias = COLUMN_ALIASES.get(key.strip().lower())
    if alias:
        return alias, None
    base, sep, lang = key.partition("::")
    if not sep:
        base, sep, lang = (
            key.partition(":") if key.lower().split(":")[0] in TRANSLATED else (key, "", "")
        )
    return base.strip().lower(), (lang.strip() or None) if sep else None


class Mapper:
    """Walks the survey sheet once, building sections and collecting issues."""

    def __init__(self, book, filename: str):
        self.book, self.issues, self.types = book, [], Counter()
        settings = (book.settings or [{}])[0] if book.settings else {}
        self.settings = {k.strip().lower(): v for k, v in settings.items()}
        self.default = lang_code(self.settings.get("default_language") or "en")
        self.languages = [self.default]
        self.title_fallback = Path(filename).stem
        self.choices = self._choices()
        self.sections: list[dict] = []
        self.section: dict | None = None
        self.groups: list[dict] = []
        self.repeat_depth = 0
        self.codes: dict[str, str] = {}

    def issue(self, sheet, row, column, reason):
        self.issues.append(Issue(sheet, row, column, reason))

    def texts(self, row: dict, base: str) -> dict:
        out = {}
        for key, value in row.items():
            b, lang = _norm(key)
            if b == base and value not in (None, ""):
                code = lang_code(lang) if lang else self.default
                if code not in self.languages:
                    self.languages.append(code)
                if lang or code not in out:
                    out[code] = str(value)
        return out

    def _choices(self) -> dict[str, list[dict]]:
        lists: dict[str, list[dict]] = {}
        seen_cols: set[str] = set()
        for i, row in enumerate(self.book.choices or []):
            if not row:
                continue
            rownum = i + 2
            row = {k: v for k, v in row.items() if k}
            lower = {k.strip().lower(): v for k, v in row.items()}
            list_name = lower.get("list_name") or lower.get("list name")
            value = str(lower.get("name") or lower.get("value") or "").strip()
            if not list_name or not value:
                self.issue(
                    "choices", rownum, "list_name/name", "a choice needs a list name and a name"
                )
                continue
            if len(value) > 100:
                self.issue(
                    "choices",
                    rownum,
                    "name",
                    "a choice name longer than 100 characters was skipped",
                )
                continue
            options = lists.setdefault(list_name, [])
            if any(c["value"] == value for c in options):
                self.issue(
                    "choices",
                    rownum,
                    "name",
                    f"duplicate choice {value!r} in list {list_name!r} skipped",
                )
                continue
            label = self.texts(row, "label") or {self.default: value}
            options.append({"value": value, "label": label})
            for key in row:
                b, _ = _norm(key)
                if (
                    b not in ("list_name", "list name", "name", "value", "label")
                    and key not in seen_cols
                ):
                    seen_cols.add(key)
                    self.issue(
                        "choices",
                        rownum,
                        key,
                        "column not supported; its values were ignored (first at this row)",
                    )
        return lists

    def run(self) -> Conversion:
        for i, row in enumerate(self.book.survey):
            if row:
                self.row(i + 2, {k: v for k, v in row.items() if k})
        for key in self.settings:
            if key not in ("form_title", "default_language", "form_id", "version"):
                self.issue("settings", 2, key, "setting not supported; ignored")
        title = {self.default: self.settings.get("form_title") or self.title_fallback}
        sections = [s for s in self.sections if s["questions"]]
        definition = {
            "format": FORMAT,
            "version": VERSION,
            "survey": {
                "title": title,
                "introduction": {},
                "languages": self.languages,
                "sections": sections,
            },
        }
        order = {"survey": 0, "choices": 1, "settings": 2}
        self.issues.sort(key=lambda i: (order.get(i.sheet, 3), i.row or 0))
        return Conversion(definition, self.issues, self.types)

    def row(self, n: int, row: dict) -> None:
        lower = {}
        for key, value in row.items():
            lower.setdefault(_norm(key)[0], value)
        kind = re.sub(r"\s+", " ", str(lower.get("type") or "").strip().lower())
        if not kind:
            self.issue("survey", n, "type", "row without a type skipped")
            return
        if kind.startswith(REPEAT_BEGIN) or self.repeat_depth:
            return self._repeat(n, kind, lower)
        if kind in ("begin group", "begin_group"):
            return self._begin_group(n, row, lower)
        if kind in ("end group", "end_group"):
            if self.groups:
                self.groups.pop()
            self.section = None
            return None
        self._question(n, kind, row, lower)
        return None

    def _repeat(self, n, kind, lower):
        name = lower.get("name") or ""
        if kind.startswith(REPEAT_BEGIN):
            self.repeat_depth += 1
            self.issue(
                "survey",
                n,
                "type",
                f"repeat group {name!r} is not supported; its questions were skipped",
            )
        elif kind.startswith(REPEAT_END):
            self.repeat_depth -= 1
        else:
            self.issue("survey", n, "type", f"{name!r} is inside a repeat group; skipped")

    def _begin_group(self, n, row, lower):
        cond = None
        if lower.get("relevant"):
            cond, reason = relevant_to_condition(str(lower["relevant"]), self.codes)
            if reason:
                self.issue("survey", n, "relevant", f"group condition not imported: {reason}")
        parent = [g["condition"] for g in self.groups if g["condition"]]
        combined = None
        if parent or cond:
            rules = [r for c in parent + ([cond] if cond else []) for r in c["rules"]]
            if all(
                c["combine"] == "all" or len(c["rules"]) == 1
                for c in parent + ([cond] if cond else [])
            ):
                combined = {"combine": "all", "rules": rules}
            else:
                self.issue(
                    "survey",
                    n,
                    "relevant",
                    "nested group conditions combining 'or' cannot be merged; the group is always shown",
                )
        title = self.texts(row, "label") or {self.default: str(lower.get("name") or "")}
        self.groups.append({"title": title, "condition": combined})
        self.section = None

    def _current_section(self) -> dict:
        if self.section is None:
            group = self.groups[-1] if self.groups else None
            self.section = {
                "title": group["title"] if group else {},
                "introduction": {},
                "condition": group["condition"] if group else None,
                "questions": [],
            }
            self.sections.append(self.section)
        return self.section

    def _question(self, n, kind, row, lower):
        name = str(lower.get("name") or "").strip()
        words = kind.split(" ")
        base, rest = words[0], words[1:]
        if kind in METADATA or base in METADATA:
            return self.issue(
                "survey", n, "type", f"metadata field {name!r} ({kind}) is not a question; skipped"
            )
        qtype, options, choices = None, {}, []
        select = next(
            (s for s in sorted(SELECTS, key=len, reverse=True) if kind.startswith(s + " ")), None
        )
        if select:
            qtype = SELECTS[select]
            args = kind[len(select) :].split()
            list_name, or_other = (args[0] if args else ""), args[1:] == ["or_other"]
            if list_name not in self.choices:
                return self.issue(
                    "survey", n, "type", f"choice list {list_name!r} not found; question skipped"
                )
            choices = copy.deepcopy(self.choices[list_name])
            if or_other and any(c["value"] == "other" for c in choices):
                self.issue(
                    "survey",
                    n,
                    "type",
                    f"or_other: list {list_name!r} already has a choice named 'other'; "
                    "kept as a plain choice, without a box to specify it",
                )
            elif or_other:
                options["other"] = True  # "Other, please specify" with its text box
        elif base in SIMPLE_TYPES and not rest:
            qtype = SIMPLE_TYPES[base]
            if base in ("integer", "int"):
                options["integer"] = True
        elif base == "range":
            qtype = "number"
        else:
            return self.issue(
                "survey", n, "type", f"question type {kind!r} is not supported; {name!r} skipped"
            )
        code = re.sub(r"[^A-Za-z0-9_\-]", "_", name)[:80]
        if not code or not re.match(r"[A-Za-z_]", code):
            code = f"q_{n}"
        if code != name:
            self.issue("survey", n, "name", f"name {name!r} imported as {code!r}")
        if code in self.codes:
            return self.issue(
                "survey", n, "name", f"name {code!r} is used twice; the second question was skipped"
            )
        question = {
            "code": code,
            "type": qtype,
            "text": self.texts(row, "label") or {self.default: name},
            "help": self.texts(row, "hint"),
            "required": False,
            "options": options,
            "validation": {},
            "condition": None,
            "choices": choices,
        }
        self._details(n, kind, base, lower, row, question)
        self._current_section()["questions"].append(question)
        self.codes[code] = "integer" if options.get("integer") else qtype
        self.types[CANONICAL.get(select or base, base)] += 1
        return None

    def _details(self, n, kind, base, lower, row, q):
        appearance = str(lower.get("appearance") or "").strip().lower()
        for word in appearance.split():
            if word == "multiline" and q["type"] == "short_text":
                q["type"] = "long_text"
            elif word == "minimal" and q["type"] == "single_choice":
                q["options"]["display"] = "dropdown"
            elif word not in (
                "likert",
                "field-list",
                "horizontal",
                "horizontal-compact",
                "vertical",
            ):
                self.issue(
                    "survey", n, "appearance", f"appearance {word!r} has no equivalent; ignored"
                )
        required = str(lower.get("required") or "").strip().lower()
        if required in ("yes", "true", "true()", "1"):
            q["required"] = q["type"] != "note"
        elif required not in ("", "no", "false", "false()", "0"):
            self.issue(
                "survey",
                n,
                "required",
                f"required expression {required!r} is not supported; the question is optional",
            )
        if lower.get("relevant"):
            cond, reason = relevant_to_condition(str(lower["relevant"]), self.codes)
            if reason:
                self.issue(
                    "survey",
                    n,
                    "relevant",
                    f"condition not imported, the question is always shown: {reason}",
                )
            else:
                q["condition"] = cond
        if lower.get("constraint"):
            rules, reason = constraint_to_validation(
                str(lower["constraint"]), q["options"].get("integer", False)
            )
            if reason:
                self.issue("survey", n, "constraint", f"constraint not imported: {reason}")
            else:
                q["validation"].update(rules)
                message = self.texts(row, "constraint_message")
                if message:
                    q["validation"]["message"] = message
        if base == "range":
            self._range(n, lower, q)
        for key, value in row.items():
            b, _ = _norm(key)
            if b not in SURVEY_COLUMNS and value not in (None, ""):
                self.issue(
                    "survey",
                    n,
                    key,
                    f"column not supported; the value {str(value)[:60]!r} was ignored",
                )

    def _range(self, n, lower, q):
        params = dict(re.findall(r"(\w+)\s*=\s*([-\d.]+)", str(lower.get("parameters") or "")))
        try:
            start, end, step = (
                float(params.get(k, d)) for k, d in (("start", 1), ("end", 10), ("step", 1))
            )
        except ValueError:
            start, end, step = 1.0, 10.0, 1.0
        q["validation"].update(
            {
                "min": int(start) if start.is_integer() else start,
                "max": int(end) if end.is_integer() else end,
            }
        )
        if step.is_integer():
            q["options"]["integer"] = True
        self.issue(
            "survey",
            n,
            "type",
            "range imported as a number question with the same limits (no slider)",
        )
