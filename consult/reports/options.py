"""Report options: sections to include, edition, whether unreviewed suggestions count."""

from dataclasses import dataclass, field

# (key, title) in the order they appear in the report
SECTIONS: list[tuple[str, str]] = [
    ("summary", "Executive summary"),
    ("method", "Method"),
    ("surveys", "Survey results"),
    ("services", "Service inventory"),
    ("waves", "Progress across waves"),
    ("themes", "Themes"),
    ("hearings", "Hearing summaries"),
    ("recommendations", "Recommendations"),
    ("appendix", "Appendix: tracing recommendations to sources"),
    ("organizations", "Participating organizations"),
    ("codebook", "Codebook"),
]
SECTION_KEYS = [key for key, _ in SECTIONS]
SECTION_TITLES = dict(SECTIONS)
EDITIONS = {"public": "Public edition", "internal": "Internal edition"}


class OptionsError(ValueError):
    """Options a person chose that cannot be used; the message is for them."""


@dataclass(frozen=True)
class ReportOptions:
    """What to put in a summary report."""

    sections: tuple[str, ...] = tuple(SECTION_KEYS)
    edition: str = "public"
    include_suggestions: bool = False
    lang: str = "en"
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def public(self) -> bool:
        return self.edition == "public"

    def has(self, section: str) -> bool:
        return section in self.sections

    def to_dict(self) -> dict:
        return {
            "sections": list(self.sections),
            "edition": self.edition,
            "include_suggestions": self.include_suggestions,
            "lang": self.lang,
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> "ReportOptions":
        """Validate and normalise options coming from a form, the CLI or a stored run."""
        data = data or {}
        edition = data.get("edition") or "public"
        if edition not in EDITIONS:
            raise OptionsError("Choose the public or the internal edition.")
        raw = data.get("sections")
        sections = SECTION_KEYS if raw is None else [s for s in SECTION_KEYS if s in set(raw)]
        if not sections:
            raise OptionsError("Choose at least one section to include.")
        lang = (data.get("lang") or "en")[:10]
        return cls(
            sections=tuple(sections),
            edition=edition,
            include_suggestions=bool(data.get("include_suggestions")),
            lang=lang,
        )
