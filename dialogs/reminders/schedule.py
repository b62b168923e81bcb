"""When the next daily reminder is due: local wall-clock time + zone + now -> a UTC instant.

Pure functions, no I/O. The instant is recomputed from the local time after every send, so
"18:30" stays 18:30 on the student's clock across daylight-saving changes.

Deliberate choices at the two daylight-saving edges:

* a gap (the clock jumps from 01:00 to 02:00, so 01:30 never happens that day): the reminder
  comes at the same instant it would have without the jump, which the clock shows as 02:30;
* a fold (01:00-02:00 happens twice when the clock goes back): the first 01:30 only, so the
  reminder comes once.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def format_hhmm(at: time) -> str:
    """``time(18, 30)`` -> ``"18:30"``, the form stored in the database."""
    return f"{at.hour:02d}:{at.minute:02d}"


def parse_hhmm(text: str) -> time | None:
    """The stored ``"HH:MM"`` form back to a time; None if it is not exactly that shape."""
    found = _HHMM.match(text)
    return time(int(found.group(1)), int(found.group(2))) if found else None


def occurrence(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant at which the clocks of ``zone`` show ``at`` on ``day``.

    In a gap the time does not exist; Python's fold=0 reading then uses the offset from
    before the jump, which lands exactly as far past the jump as ``at`` is past its start.
    In a fold fold=0 is the first of the two readings.
    """
    return datetime.combine(day, at, tzinfo=zone).replace(fold=0).astimezone(UTC)


def next_reminder(at: time, zone: ZoneInfo, after: datetime) -> datetime:
    """The first instant strictly after ``after`` when the local clock of ``zone`` shows ``at``."""
    local_day = after.astimezone(zone).date()
    for offset in range(-1, 3):  # -1: the gap rule can push yesterday's slot past midnight
        candidate = occurrence(local_day + timedelta(days=offset), at, zone)
        if candidate > after:
            return candidate
    raise AssertionError("a daily time always recurs within three days")  # pragma: no cover


def previous_reminder(at: time, zone: ZoneInfo, now: datetime) -> datetime:
    """The last instant at or before ``now`` when the local clock of ``zone`` showed ``at``."""
    local_day = now.astimezone(zone).date()
    for offset in range(1, -3, -1):  # +1: the gap rule can pull tomorrow's slot before midnight
        candidate = occurrence(local_day + timedelta(days=offset), at, zone)
        if candidate <= now:
            return candidate
    raise AssertionError("a daily time always recurs within three days")  # pragma: no cover


def slot_to_send(at: time, zone: ZoneInfo, due_at: datetime, now: datetime) -> datetime | None:
    """Which reminder a run at ``now`` sends for a row due at ``due_at``, or None.

    The latest reminder that has fallen due (the row's own instant, or a later daily slot
    missed while the bot was down), provided it fell on today's local date: after downtime,
    today's missed reminder goes out once and earlier days' are dropped.
    """
    slot = max(due_at, previous_reminder(at, zone, now))
    return slot if still_worth_sending(slot, now, zone) else None


def skip_one(at: time, zone: ZoneInfo, after: datetime) -> tuple[datetime, datetime]:
    """Pause for a day: (the reminder that is skipped, the one after it)."""
    skipped = next_reminder(at, zone, after)
    return skipped, next_reminder(at, zone, skipped)


def still_worth_sending(due_at: datetime, now: datetime, zone: ZoneInfo) -> bool:
    """A late reminder goes out only on the local day it was due (and not before it is due).

    So a bot that was down all afternoon sends this evening's missed reminder once when it
    comes back before midnight, and nothing at all for the days it missed entirely.
    """
    return due_at <= now and due_at.astimezone(zone).date() == now.astimezone(zone).date()


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    """The date on the clocks of ``zone`` at ``moment``."""
    return moment.astimezone(zone).date()
