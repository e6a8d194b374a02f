"""Codebook services: create, edit, merge, split, retire themes and start from a template."""

import re

from sqlalchemy import func, select, update

from consult.audit import record
from consult.coding.models import Coding, Stance, Theme, ThemeStatus
from consult.extensions import db
from consult.models import utcnow

COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
PALETTE = [
    "#1f5f99",
    "#c4553a",
    "#3b8a4f",
    "#8a5a9e",
    "#b58400",
    "#4a7f8c",
    "#a8447a",
    "#7a6a55",
    "#2b7bb9",
    "#d0743c",
]
EDITABLE = (
    "name",
    "description",
    "inclusion_notes",
    "exclusion_notes",
    "examples",
    "keywords",
    "stance",
    "colour",
    "parent_id",
)

VICTIM_SERVICES = [
    "Health care",
    "Human services",
    "Housing",
    "Education",
    "Legal assistance",
    "Job training",
    "Interpreting",
    "ESL classes",
    "Voluntary repatriation",
    "Victim compensation",
]
TEMPLATES: dict[str, dict] = {
    "four-ps": {
        "label": "Prevention, protection, prosecution, partnership (with victim-service areas)",
        "themes": [
            ("Prevention", None, "Stopping trafficking before it happens: awareness, labor rules."),
            ("Protection", None, "Identifying victims and giving them services and safety."),
            ("Prosecution", None, "Investigating and prosecuting traffickers; criminal statutes."),
            ("Partnership", None, "Collaboration between agencies, NGOs and communities."),
        ]
        + [
            (name, "Protection", f"Services for victims: {name.lower()}.")
            for name in VICTIM_SERVICES
        ],
    },
    "victim-services": {
        "label": "Victim-service areas only",
        "themes": [
            (name, None, f"Services for victims: {name.lower()}.") for name in VICTIM_SERVICES
        ],
    },
}


class CodebookError(Exception):
    """A codebook problem worded for the person."""


def snapshot(theme: Theme) -> dict:
    """The audited fields of a theme."""
    return {
        "name": theme.name,
        "parent_id": theme.parent_id,
        "description": theme.description,
        "inclusion_notes": theme.inclusion_notes,
        "exclusion_notes": theme.exclusion_notes,
        "examples": len(theme.examples or []),  # quotes may be testimony: count only
        "keywords": list(theme.keywords or []),
        "stance": theme.stance.value if theme.stance else None,
        "colour": theme.colour,
        "status": theme.status.value,
        "merged_into_id": theme.merged_into_id,
    }


def themes_for(consultation_id: int, *, include_inactive: bool = False) -> list[Theme]:
    """Themes in codebook order (parents before children, by position then name)."""
    stmt = select(Theme).where(Theme.consultation_id == consultation_id)
    if not include_inactive:
        stmt = stmt.where(Theme.status == ThemeStatus.ACTIVE)
    themes = db.session.scalars(stmt.order_by(Theme.position, Theme.name)).all()
    return tree_order(themes)


def tree_order(themes: list[Theme]) -> list[Theme]:
    """Depth-first order; sets a transient `depth` on each theme for indentation."""
    by_parent: dict[int | None, list[Theme]] = {}
    ids = {t.id for t in themes}
    for t in themes:
        by_parent.setdefault(t.parent_id if t.parent_id in ids else None, []).append(t)
    out: list[Theme] = []

    def walk(parent_id, depth):
        for t in by_parent.get(parent_id, []):
            t.depth = depth
            out.append(t)
            walk(t.id, depth + 1)

    walk(None, 0)
    return out


def get_theme(consultation_id: int, theme_id: int) -> Theme | None:
    return db.session.scalar(
        select(Theme).where(Theme.id == theme_id, Theme.consultation_id == consultation_id)
    )


def _clean(consultation_id: int, values: dict, theme: Theme | None) -> dict:
    out = {k: values[k] for k in EDITABLE if k in values}
    if "name" in out:
        out["name"] = (out["name"] or "").strip()
        if not out["name"]:
            raise CodebookError("Enter a name for the theme.")
        if len(out["name"]) > 300:
            raise CodebookError("Theme names can be at most 300 characters long.")
        clash = db.session.scalar(
            select(Theme.id).where(
                Theme.consultation_id == consultation_id,
                func.lower(Theme.name) == out["name"].lower(),
                Theme.status == ThemeStatus.ACTIVE,
                Theme.id != (theme.id if theme else -1),
            )
        )
        if clash:
            raise CodebookError(f"There is already an active theme called {out['name']!r}.")
    for key in ("keywords", "examples"):
        if key in out:
            out[key] = [s.strip() for s in (out[key] or []) if s and s.strip()]
    if "stance" in out:
        out["stance"] = out["stance"] or None
        if out["stance"] not in (None, "for", "against"):
            raise CodebookError("The stance must be for, against or empty.")
        out["stance"] = Stance(out["stance"]) if out["stance"] else None
    if "colour" in out:
        if not out["colour"]:
            out.pop("colour")
        elif not COLOUR_RE.match(out["colour"]):
            raise CodebookError("Give the colour as # and six hexadecimal digits, like #1f5f99.")
    if out.get("parent_id"):
        parent = get_theme(consultation_id, int(out["parent_id"]))
        if parent is None:
            raise CodebookError("The parent theme does not exist in this codebook.")
        if theme is not None and _is_descendant_or_self(parent, theme):
            raise CodebookError("A theme cannot be placed under itself or one of its children.")
    elif "parent_id" in out:
        out["parent_id"] = None
    for key in ("description", "inclusion_notes", "exclusion_notes"):
        if key in out:
            out[key] = (out[key] or "").strip() or None
    return out


def _is_descendant_or_self(candidate: Theme, theme: Theme) -> bool:
    node, seen = candidate, set()
    while node is not None and node.id not in seen:
        if node.id == theme.id:
            return True
        seen.add(node.id)
        node = node.parent
    return False


def _next_colour(consultation_id: int) -> str:
    n = db.session.scalar(
        select(func.count(Theme.id)).where(Theme.consultation_id == consultation_id)
    )
    return PALETTE[(n or 0) % len(PALETTE)]


def create_theme(consultation_id: int, values: dict, *, actor_id: int | None, commit=True) -> Theme:
    """Add a theme to the codebook."""
    data = _clean(consultation_id, {"name": "", **values}, None)
    last = db.session.scalar(
        select(func.max(Theme.position)).where(Theme.consultation_id == consultation_id)
    )
    theme = Theme(
        consultation_id=consultation_id,
        colour=_next_colour(consultation_id),
        position=(last or 0) + 1,  # codebook order follows creation order
    )
    for key, value in data.items():
        setattr(theme, key, value)
    theme.examples = theme.examples or []
    theme.keywords = theme.keywords or []
    db.session.add(theme)
    db.session.flush()
    record(
        "theme.create",
        actor_id=actor_id,
        object_type="theme",
        object_id=theme.id,
        consultation_id=consultation_id,
        detail={"after": snapshot(theme)},
    )
    if commit:
        db.session.commit()
    return theme


def update_theme(theme: Theme, values: dict, *, actor_id: int | None, commit=True) -> Theme:
    """Edit a theme's fields."""
    before = snapshot(theme)
    for key, value in _clean(theme.consultation_id, values, theme).items():
        setattr(theme, key, value)
    db.session.flush()
    if snapshot(theme) != before:
        _audit(theme, "theme.update", actor_id, before)
    if commit:
        db.session.commit()
    return theme


def merge_themes(source: Theme, target: Theme, *, actor_id: int | None) -> int:
    """Move every coding of `source` (and its children) to `target`; returns codings moved."""
    if source.consultation_id != target.consultation_id:
        raise CodebookError("Both themes must belong to the same codebook.")
    if source.id == target.id:
        raise CodebookError("Choose a different theme to merge into.")
    if target.status != ThemeStatus.ACTIVE:
        raise CodebookError("Merge into an active theme.")
    if _is_descendant_or_self(target, source):
        raise CodebookError("A theme cannot be merged into one of its own children.")
    before = snapshot(source)
    moved = db.session.execute(
        update(Coding).where(Coding.theme_id == source.id).values(theme_id=target.id)
    ).rowcount
    db.session.execute(
        update(Theme).where(Theme.parent_id == source.id).values(parent_id=target.id)
    )
    target.keywords = list(dict.fromkeys([*(target.keywords or []), *(source.keywords or [])]))
    source.status = ThemeStatus.MERGED
    source.merged_into_id = target.id
    db.session.flush()
    _audit(source, "theme.merge", actor_id, before, codings_moved=moved, into=target.id)
    db.session.commit()
    return moved


def split_theme(
    theme: Theme, values: dict, coding_ids: list[int], *, actor_id: int | None
) -> Theme:
    """Create a new theme beside `theme` and move the chosen codings to it."""
    values = {"parent_id": theme.parent_id, "stance": None, **values}
    new = create_theme(theme.consultation_id, values, actor_id=actor_id, commit=False)
    ids = [int(i) for i in coding_ids]
    moved = 0
    if ids:
        moved = db.session.execute(
            update(Coding)
            .where(Coding.theme_id == theme.id, Coding.id.in_(ids))
            .values(theme_id=new.id)
        ).rowcount
    record(
        "theme.split",
        actor_id=actor_id,
        object_type="theme",
        object_id=theme.id,
        consultation_id=theme.consultation_id,
        detail={"new_theme": new.id, "codings_moved": moved, "coding_ids": ids[:500]},
    )
    db.session.commit()
    return new


def retire_theme(theme: Theme, *, actor_id: int | None, reactivate: bool = False) -> Theme:
    """Retire a theme (its codings stay, it is no longer offered), or bring it back."""
    before = snapshot(theme)
    theme.status = ThemeStatus.ACTIVE if reactivate else ThemeStatus.RETIRED
    db.session.flush()
    _audit(theme, "theme.reactivate" if reactivate else "theme.retire", actor_id, before)
    db.session.commit()
    return theme


def apply_template(consultation_id: int, key: str, *, actor_id: int | None) -> int:
    """Add a template's themes (skipping names already present); returns themes added."""
    template = TEMPLATES.get(key)
    if template is None:
        raise CodebookError("Choose one of the templates offered.")
    existing = {
        t.name.lower(): t
        for t in db.session.scalars(select(Theme).where(Theme.consultation_id == consultation_id))
    }
    added = 0
    for name, parent_name, description in template["themes"]:
        if name.lower() in existing:
            continue
        parent = existing.get(parent_name.lower()) if parent_name else None
        theme = create_theme(
            consultation_id,
            {"name": name, "description": description, "parent_id": parent.id if parent else None},
            actor_id=actor_id,
            commit=False,
        )
        existing[name.lower()] = theme
        added += 1
    db.session.commit()
    return added


def set_blind_mode(consultation_id: int, blind: bool, *, actor_id: int | None) -> None:
    """Switch blind mode for double coding on or off."""
    from consult.coding.models import CodingSettings

    settings = db.session.scalar(
        select(CodingSettings).where(CodingSettings.consultation_id == consultation_id)
    )
    if settings is None:
        settings = CodingSettings(consultation_id=consultation_id)
        db.session.add(settings)
    before = bool(settings.blind_mode)
    settings.blind_mode = bool(blind)
    record(
        "coding.blind_mode",
        actor_id=actor_id,
        object_type="consultation",
        object_id=consultation_id,
        consultation_id=consultation_id,
        detail={"before": before, "after": bool(blind), "at": utcnow().isoformat()},
    )
    db.session.commit()


def blind_mode(consultation_id: int) -> bool:
    from consult.coding.models import CodingSettings

    return bool(
        db.session.scalar(
            select(CodingSettings.blind_mode).where(
                CodingSettings.consultation_id == consultation_id
            )
        )
    )


def _audit(theme: Theme, action: str, actor_id: int | None, before: dict, **extra) -> None:
    record(
        action,
        actor_id=actor_id,
        object_type="theme",
        object_id=theme.id,
        consultation_id=theme.consultation_id,
        detail={"before": before, "after": snapshot(theme), **extra},
    )
