"""Display helpers: local times in the hearing's time zone and the person's language."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime


def _locale() -> str:
    try:
        from flask_babel import get_locale

        return str(get_locale() or "en")
    except RuntimeError:
        return "en"


def local_time(value: datetime | None, tz: str = "UTC", fmt: str = "full") -> str:
    """ "Tuesday, December 15, 2026, 10:00 AM EST" in the hearing's zone and the page's language."""
    if value is None:
        return ""
    zone = ZoneInfo(tz or "UTC")
    pattern = {"full": "EEEE d MMMM y, HH:mm zzz", "short": "d MMM y, HH:mm zzz"}.get(fmt, fmt)
    return format_datetime(value, pattern, tzinfo=zone, locale=_locale())


def to_utc(naive: datetime | None, tz: str) -> datetime | None:
    """A wall-clock time entered in the hearing's zone, in UTC (SQLite keeps no zone)."""
    if naive is None:
        return None
    return naive.replace(tzinfo=ZoneInfo(tz or "UTC")).astimezone(UTC)


def to_local_naive(value: datetime | None, tz: str) -> datetime | None:
    """An aware datetime as wall-clock time in the hearing's zone (for form fields)."""
    if value is None:
        return None
    return value.astimezone(ZoneInfo(tz or "UTC")).replace(tzinfo=None)


STAFF_LABELS = {
    "support": "Support",
    "oppose": "Oppose",
    "neutral": "Neutral",
    "information": "For information",
    "in_person": "In person",
    "remote": "Remote",
    "written": "Written only",
    "registered": "Registered",
    "present": "Present",
    "spoke": "Spoke",
    "no_show": "No-show",
    "withdrawn": "Withdrawn",
    "pending": "Pending",
    "approved": "Approved",
    "rejected": "Rejected",
    "public": "Public",
    "name_withheld": "Name withheld",
    "confidential": "Confidential",
    "scheduled": "Scheduled",
    "open": "Open for sign-up",
    "closed": "Sign-up closed",
    "held": "Held",
}


def staff_label(value) -> str:
    """ "No-show" for SpeakerStatus.NO_SHOW or "no_show": words for the staff pages and printouts."""
    raw = getattr(value, "value", value)
    if raw is None:
        return ""
    return STAFF_LABELS.get(str(raw), str(raw).replace("_", " ").capitalize())
