"""The agency's panel dates as an iCalendar feed (RFC 5545), written by hand, and the signed token
that lets a calendar app, which cannot send a session cookie, fetch one user's feed.

The feed holds no personal data: each event is "Adoption panel", its date and how many items are
on the agenda; never a child's or an applicant's name or reference."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

CALENDAR_TYPE = "text/calendar; charset=utf-8"
SALT = "openraa.panels.calendar-feed"
SUMMARY = "Adoption panel"


@dataclass(frozen=True)
class PanelDate:
    key: int  # the meeting's id: the event's stable UID
    held_on: date
    items: int


def _key(user) -> str:
    """Changes when the user's password does: a new password retires every feed address given before."""
    return salted_hmac(SALT, user.password or "").hexdigest()[:16]


def make_token(user) -> str:
    """A token naming the user and their agency, signed with the site's key under its own salt."""
    return signing.dumps({"u": user.pk, "a": user.agency_id, "k": _key(user)}, salt=SALT, compress=False)


def read_token(token: str) -> tuple[int, int, str] | None:
    """(user id, agency id, key) the token names, or None when it is not one this site signed."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("u"), int) or not isinstance(value.get("a"), int):
        return None
    return value["u"], value["a"], str(value.get("k", ""))


def still_valid(user, key: str) -> bool:
    return constant_time_compare(key, _key(user))


def _escape(text: str) -> str:
    """TEXT values (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Content lines longer than 75 octets are folded (RFC 5545 3.1), never inside a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > limit:
            parts.append(current.decode("utf-8"))
            current, limit = b"", 74  # continuation lines start with a space
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _items(count: int) -> str:
    return f"{count} item{'' if count == 1 else 's'} on the agenda"


def ics(panel_dates: Iterable[PanelDate], *, calendar_name: str, uid_domain: str, now: datetime) -> str:
    """The VCALENDAR: one all-day VEVENT per panel date."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//OpenRAA//Adoption panels//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(calendar_name)}",
    ]
    for panel in panel_dates:
        lines += [
            "BEGIN:VEVENT",
            f"UID:panel-{panel.key}@{uid_domain}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{panel.held_on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{panel.held_on + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{SUMMARY}",
            f"DESCRIPTION:{_escape(_items(panel.items))}",
            "TRANSP:OPAQUE",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
