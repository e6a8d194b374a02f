"""Pure text functions: personal-data suggestions, redaction, transcripts, openings."""

import re
from dataclasses import dataclass

REDACTED = "[redacted]"

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(
    r"(?<![\w])(?:\+?\d{1,3}[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)"
)
STREET = re.compile(
    r"\b\d{1,6}\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w'-]*\s+){1,4}"
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|"
    r"Terrace|Highway|Hwy|Calle|Avenida)\b\.?(?:,?\s+(?:Apt|Apartment|Unit|Suite|#)\s*\w+)?",
)
NAME_INTRO = re.compile(
    r"\b(?:[Mm]y name is|I am called|I'm called|[Mm]e llamo|[Mm]i nombre es)\s+"
    r"((?:[A-ZÁÉÍÓÚÑ][\w'’-]+)(?:\s+[A-ZÁÉÍÓÚÑ][\w'’-]+){0,3})"
)
TIMESTAMP = re.compile(r"^\s*\[?(\d{1,2}:\d{2}(?::\d{2})?)\]?\s+(.*)$")


@dataclass(frozen=True)
class Suggestion:
    """A span that may be personal data."""

    start: int
    end: int
    kind: str  # email, phone, address, name
    text: str

    @property
    def label(self) -> str:
        return {
            "email": "Email address",
            "phone": "Phone number",
            "address": "Street address",
            "name": "Name",
        }[self.kind]


def suggest_personal_data(text: str | None) -> list[Suggestion]:
    """Emails, phone numbers, street addresses and "my name is ..." names in the text."""
    text = text or ""
    found: list[Suggestion] = []
    for kind, pattern, group in (
        ("email", EMAIL, 0),
        ("phone", PHONE, 0),
        ("address", STREET, 0),
        ("name", NAME_INTRO, 1),
    ):
        for m in pattern.finditer(text):
            found.append(Suggestion(m.start(group), m.end(group), kind, m.group(group)))
    found.sort(key=lambda s: (s.start, -s.end))
    out: list[Suggestion] = []
    for s in found:  # drop suggestions inside an earlier, longer one
        if out and s.start < out[-1].end:
            continue
        out.append(s)
    return out


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


def apply_redactions(text: str | None, spans: list[tuple[int, int]]) -> str:
    """The text with each span replaced by "[redacted]"."""
    text = text or ""
    parts, pos = [], 0
    for start, end in merge_spans([(max(0, a), min(len(text), b)) for a, b in spans]):
        parts.append(text[pos:start])
        parts.append(REDACTED)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def find_phrase(text: str | None, phrase: str) -> list[tuple[int, int]]:
    """Every case-insensitive occurrence of phrase in text."""
    phrase = (phrase or "").strip()
    if not phrase or not text:
        return []
    return [(m.start(), m.end()) for m in re.finditer(re.escape(phrase), text, re.IGNORECASE)]


def marked_segments(text: str | None, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The text split into (segment, is_redacted) pieces, for showing redactions to staff."""
    text = text or ""
    out, pos = [], 0
    for start, end in merge_spans([(max(0, a), min(len(text), b)) for a, b in spans]):
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def parse_transcript(text: str | None) -> list[tuple[str | None, str]]:
    """Transcript lines as (timestamp or None, words); "[00:01:05] words" gives a timestamp."""
    out = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        m = TIMESTAMP.match(line)
        out.append((m.group(1), m.group(2)) if m else (None, line.strip()))
    return out


def opening(text: str | None, words: int = 60) -> str:
    """The first `words` words of a text, with an ellipsis when cut."""
    parts = (text or "").split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]) + " …"
