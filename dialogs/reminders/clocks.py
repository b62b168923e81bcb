"""Reading the time on someone's clock, and the zones whose clocks show it now."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from dialogs.reminders.zone_names import POPULAR
from dialogs.reminders.zones import (
    _AREAS,
    MAX_CHOICES,
    _distinct,
    known_zones,
)

_CLOCK = re.compile(
    r"^(?P<h>\d{1,2})(?:\s*[:.h]\s*(?P<m>\d{2}))?(?:\s*(?P<ampm>[ap])\.?\s*m?\.?)?$"
)


_COMPACT = re.compile(r"^(?P<h>\d{2})(?P<m>\d{2})$")


@dataclass(frozen=True)
class Clock:
    """A time of day someone typed, and how precise it was.

    ``twelve_hour`` is true for an hour from 1 to 12 with no am/pm, which could be either.
    """

    time: time
    has_minutes: bool
    twelve_hour: bool = False


def parse_clock(text: str) -> Clock | None:
    """A time of day: ``18:30``, ``18.30``, ``1830``, ``6pm``, ``6.05 pm``, ``noon``; else None."""
    value = text.strip().lower()
    if value in ("noon", "midday"):
        return Clock(time(12, 0), has_minutes=True)
    if value == "midnight":
        return Clock(time(0, 0), has_minutes=True)
    found = _CLOCK.match(value) or _COMPACT.match(value)
    if found is None:
        return None
    hour, minute_text = int(found.group("h")), found.group("m")
    minute = int(minute_text) if minute_text else 0
    ampm = found.groupdict().get("ampm")
    if minute > 59:
        return None
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "p" else 0)
        return Clock(time(hour, minute), has_minutes=minute_text is not None)
    if hour > 23:
        return None
    return Clock(
        time(hour, minute), has_minutes=minute_text is not None, twelve_hour=1 <= hour <= 12
    )


def zones_at_local_time(clock: Clock, now: datetime, default_zone: str) -> list[str]:
    """Zones whose clocks show ``clock`` at ``now``, most likely first (at most four).

    A reading with minutes may be off by a few minutes, an hour alone ("6pm") by half an
    hour. Among equally good fits, the default zone comes first, then well-known zones in
    its region, then well-known zones elsewhere, then the rest of its region.
    """
    utc_now = now.astimezone(UTC)
    tolerance = 10 if clock.has_minutes else 35
    readings = [clock.time]
    if clock.twelve_hour:
        readings.append(time((clock.time.hour + 12) % 24, clock.time.minute))
    wanted: list[tuple[int, int]] = []  # (offset in minutes, 1 if the other half of the day)
    for flipped, reading in enumerate(readings):
        typed = reading.hour * 60 + reading.minute
        actual = utc_now.hour * 60 + utc_now.minute
        diff = (typed - actual) % 1440
        wanted.extend((d, flipped) for d in (diff, diff - 1440) if -12 * 60 <= d <= 14 * 60)
    region = default_zone.split("/", 1)[0]
    scored: list[tuple[int, int, int, str]] = []
    for zone in _inhabited_zones():
        offset = _offset_minutes(zone, utc_now)
        distance, flipped = min(((abs(offset - w), f) for w, f in wanted), default=(9999, 1))
        if distance <= tolerance:
            scored.append((distance, flipped, _preference(zone, default_zone, region), zone))
    scored.sort()
    return _distinct([zone for *_, zone in scored])[:MAX_CHOICES]


@cache
def _inhabited_zones() -> tuple[str, ...]:
    # Research stations are left out: nobody answering "what time is it?" lives there.
    areas = _AREAS - {"Antarctica"}
    return tuple(sorted(z for z in known_zones() if z.split("/", 1)[0] in areas or z == "UTC"))


def _offset_minutes(zone: str, when: datetime) -> int:
    offset = when.astimezone(ZoneInfo(zone)).utcoffset() or timedelta(0)
    return int(offset.total_seconds() // 60)


def _preference(zone: str, default_zone: str, region: str) -> int:
    if zone == default_zone:
        return 0
    popular = zone in POPULAR
    same_region = zone.split("/", 1)[0] == region
    if popular and same_region:
        return 1 + POPULAR.index(zone)
    if popular:
        return 100 + POPULAR.index(zone)
    return 200 if same_region else 300
