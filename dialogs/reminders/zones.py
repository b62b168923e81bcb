"""Time zones from what people type: city, country or zone names, or the time on their clock.

Pure functions, no I/O. ``find_zones("new york")`` and ``find_zones("Europe/Berlin")`` read a
place; ``parse_clock("6.05 pm")`` reads a time of day; ``zones_at_local_time`` turns "it's
18:05 here" into the zones whose clocks show that time now, the default zone's region first.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz, process

from dialogs.context import Services
from storage.models import User

# Geographic areas of the IANA database; other top-level names are legacy aliases.
_AREAS = frozenset(
    {"Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian"}
    | {"Pacific"}
)
_NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})
MAX_CHOICES = 4
_FUZZY_CUTOFF = 78.0
_FUZZY_TIE = 3.0

# Places people name that are not the city in a zone's name: countries, nations, big cities
# and the abbreviations people use. A tuple of several zones means "ask which one".
ALIASES: dict[str, tuple[str, ...]] = {
    "uk": ("Europe/London",),
    "united kingdom": ("Europe/London",),
    "great britain": ("Europe/London",),
    "britain": ("Europe/London",),
    "england": ("Europe/London",),
    "scotland": ("Europe/London",),
    "wales": ("Europe/London",),
    "northern ireland": ("Europe/London",),
    "manchester": ("Europe/London",),
    "birmingham": ("Europe/London",),
    "leeds": ("Europe/London",),
    "liverpool": ("Europe/London",),
    "bristol": ("Europe/London",),
    "sheffield": ("Europe/London",),
    "newcastle": ("Europe/London",),
    "nottingham": ("Europe/London",),
    "leicester": ("Europe/London",),
    "glasgow": ("Europe/London",),
    "edinburgh": ("Europe/London",),
    "cardiff": ("Europe/London",),
    "swansea": ("Europe/London",),
    "aberdeen": ("Europe/London",),
    "belfast": ("Europe/London",),
    "bst": ("Europe/London",),
    "ireland": ("Europe/Dublin",),
    "cork": ("Europe/Dublin",),
    "france": ("Europe/Paris",),
    "germany": ("Europe/Berlin",),
    "munich": ("Europe/Berlin",),
    "frankfurt": ("Europe/Berlin",),
    "hamburg": ("Europe/Berlin",),
    "cologne": ("Europe/Berlin",),
    "spain": ("Europe/Madrid",),
    "barcelona": ("Europe/Madrid",),
    "portugal": ("Europe/Lisbon",),
    "porto": ("Europe/Lisbon",),
    "italy": ("Europe/Rome",),
    "milan": ("Europe/Rome",),
    "netherlands": ("Europe/Amsterdam",),
    "holland": ("Europe/Amsterdam",),
    "rotterdam": ("Europe/Amsterdam",),
    "belgium": ("Europe/Brussels",),
    "switzerland": ("Europe/Zurich",),
    "geneva": ("Europe/Zurich",),
    "austria": ("Europe/Vienna",),
    "poland": ("Europe/Warsaw",),
    "krakow": ("Europe/Warsaw",),
    "greece": ("Europe/Athens",),
    "sweden": ("Europe/Stockholm",),
    "norway": ("Europe/Oslo",),
    "denmark": ("Europe/Copenhagen",),
    "finland": ("Europe/Helsinki",),
    "romania": ("Europe/Bucharest",),
    "ukraine": ("Europe/Kyiv",),
    "kiev": ("Europe/Kyiv",),
    "turkey": ("Europe/Istanbul",),
    "russia": ("Europe/Moscow",),
    "cet": ("Europe/Paris",),
    "cest": ("Europe/Paris",),
    "usa": ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
    "us": ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
    "united states": (
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Los_Angeles",
    ),
    "america": ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
    "nyc": ("America/New_York",),
    "new york city": ("America/New_York",),
    "washington": ("America/New_York",),
    "washington dc": ("America/New_York",),
    "boston": ("America/New_York",),
    "philadelphia": ("America/New_York",),
    "atlanta": ("America/New_York",),
    "miami": ("America/New_York",),
    "eastern": ("America/New_York",),
    "est": ("America/New_York",),
    "edt": ("America/New_York",),
    "houston": ("America/Chicago",),
    "dallas": ("America/Chicago",),
    "austin": ("America/Chicago",),
    "texas": ("America/Chicago",),
    "central": ("America/Chicago",),
    "cst": ("America/Chicago",),
    "cdt": ("America/Chicago",),
    "mountain": ("America/Denver",),
    "mst": ("America/Denver",),
    "mdt": ("America/Denver",),
    "la": ("America/Los_Angeles",),
    "san francisco": ("America/Los_Angeles",),
    "seattle": ("America/Los_Angeles",),
    "california": ("America/Los_Angeles",),
    "pacific": ("America/Los_Angeles",),
    "pst": ("America/Los_Angeles",),
    "pdt": ("America/Los_Angeles",),
    "hawaii": ("Pacific/Honolulu",),
    "alaska": ("America/Anchorage",),
    "canada": ("America/Toronto", "America/Winnipeg", "America/Edmonton", "America/Vancouver"),
    "montreal": ("America/Toronto",),
    "ottawa": ("America/Toronto",),
    "calgary": ("America/Edmonton",),
    "mexico": ("America/Mexico_City",),
    "brazil": ("America/Sao_Paulo",),
    "rio de janeiro": ("America/Sao_Paulo",),
    "argentina": ("America/Argentina/Buenos_Aires",),
    "india": ("Asia/Kolkata",),
    "delhi": ("Asia/Kolkata",),
    "new delhi": ("Asia/Kolkata",),
    "mumbai": ("Asia/Kolkata",),
    "bangalore": ("Asia/Kolkata",),
    "bengaluru": ("Asia/Kolkata",),
    "chennai": ("Asia/Kolkata",),
    "hyderabad": ("Asia/Kolkata",),
    "calcutta": ("Asia/Kolkata",),
    "ist": ("Asia/Kolkata",),
    "pakistan": ("Asia/Karachi",),
    "lahore": ("Asia/Karachi",),
    "islamabad": ("Asia/Karachi",),
    "bangladesh": ("Asia/Dhaka",),
    "nepal": ("Asia/Kathmandu",),
    "sri lanka": ("Asia/Colombo",),
    "china": ("Asia/Shanghai",),
    "beijing": ("Asia/Shanghai",),
    "shenzhen": ("Asia/Shanghai",),
    "guangzhou": ("Asia/Shanghai",),
    "japan": ("Asia/Tokyo",),
    "osaka": ("Asia/Tokyo",),
    "korea": ("Asia/Seoul",),
    "south korea": ("Asia/Seoul",),
    "philippines": ("Asia/Manila",),
    "indonesia": ("Asia/Jakarta",),
    "malaysia": ("Asia/Kuala_Lumpur",),
    "thailand": ("Asia/Bangkok",),
    "vietnam": ("Asia/Ho_Chi_Minh",),
    "uae": ("Asia/Dubai",),
    "abu dhabi": ("Asia/Dubai",),
    "saudi arabia": ("Asia/Riyadh",),
    "qatar": ("Asia/Qatar",),
    "israel": ("Asia/Jerusalem",),
    "tel aviv": ("Asia/Jerusalem",),
    "iran": ("Asia/Tehran",),
    "egypt": ("Africa/Cairo",),
    "nigeria": ("Africa/Lagos",),
    "abuja": ("Africa/Lagos",),
    "kenya": ("Africa/Nairobi",),
    "ghana": ("Africa/Accra",),
    "south africa": ("Africa/Johannesburg",),
    "cape town": ("Africa/Johannesburg",),
    "morocco": ("Africa/Casablanca",),
    "australia": (
        "Australia/Sydney",
        "Australia/Brisbane",
        "Australia/Adelaide",
        "Australia/Perth",
    ),
    "canberra": ("Australia/Sydney",),
    "aest": ("Australia/Sydney",),
    "new zealand": ("Pacific/Auckland",),
    "nz": ("Pacific/Auckland",),
    "wellington": ("Pacific/Auckland",),
    "utc": ("UTC",),
    "gmt": ("Europe/London", "UTC"),
}

# Well-known zones, roughly west to east: offered first when a clock reading fits several.
POPULAR: tuple[str, ...] = (
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Helsinki",
    "Europe/Bucharest",
    "Europe/Kyiv",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Africa/Cairo",
    "Africa/Nairobi",
    "Asia/Jerusalem",
    "Asia/Riyadh",
    "Asia/Tehran",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Singapore",
    "Asia/Hong_Kong",
    "Asia/Shanghai",
    "Asia/Manila",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Perth",
    "Australia/Adelaide",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Atlantic/Reykjavik",
    "Atlantic/Azores",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "America/Halifax",
    "America/New_York",
    "America/Toronto",
    "America/Chicago",
    "America/Mexico_City",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Vancouver",
    "America/Anchorage",
    "Pacific/Honolulu",
    "UTC",
)

_FILLER = re.compile(
    r"^(?:i\s*(?:am|'m|m)?\s*(?:live|living|based)?\s*(?:in|near|at)\s+|in\s+|near\s+)", re.I
)
_OFFSET = re.compile(r"^(?:utc|gmt)\s*([+-])\s*(\d{1,2})(?::?(00))?$")
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


@cache
def known_zones() -> frozenset[str]:
    """Every zone name the system knows, minus the pseudo-zones."""
    return frozenset(zoneinfo.available_timezones() - _NOT_ZONES)


@cache
def _by_lower() -> dict[str, str]:
    return {name.lower(): name for name in known_zones()}


def _normalise(text: str) -> str:
    text = text.strip().lower().replace("_", " ")
    text = re.sub(r"[^\w\s/+:-]", " ", text)
    return " ".join(text.split())


@cache
def _city_index() -> dict[str, tuple[str, ...]]:
    """Normalised place name -> zones: cities from zone names, full names, then the aliases."""
    index: dict[str, list[str]] = {}
    for name in sorted(known_zones(), key=_canonical_first):
        parts = name.split("/")
        if parts[0] not in _AREAS or len(parts) < 2:
            continue
        for key in (_normalise(parts[-1]), _normalise(name.replace("/", " "))):
            index.setdefault(key, []).append(name)
    for key, zones in ALIASES.items():
        valid = [z for z in zones if z in known_zones()]
        if valid:
            index[key] = valid  # an alias is a deliberate choice: it wins over a zone's city
    return {key: tuple(_distinct(zones)) for key, zones in index.items()}


def _canonical_first(zone: str) -> tuple[bool, int, str]:
    # Legacy links are usually the shorter names (America/Buenos_Aires for
    # America/Argentina/Buenos_Aires), so deeper names and well-known ones come first.
    return (zone not in POPULAR, -zone.count("/"), zone)


@cache
def _signature(zone: str) -> tuple[float, ...]:
    """UTC offsets through two sample years: zones with equal signatures keep the same clocks."""
    tz = ZoneInfo(zone)
    samples = (
        datetime(year, month, day, 12, tzinfo=UTC)
        for year in (2026, 2027)
        for month in range(1, 13)
        for day in (1, 16)
    )
    return tuple((s.astimezone(tz).utcoffset() or timedelta(0)).total_seconds() for s in samples)


def _distinct(zones: list[str]) -> list[str]:
    """Drop zones whose clocks behave exactly like an earlier one's (links, twin cities)."""
    seen: set[tuple[float, ...]] = set()
    kept: list[str] = []
    for zone in zones:
        signature = _signature(zone)
        if signature not in seen:
            seen.add(signature)
            kept.append(zone)
    return kept


def zone_label(zone: str) -> str:
    """A short place name: ``Europe/London`` -> ``London``, ``Etc/GMT-2`` -> ``UTC+2``."""
    if zone.startswith("Etc/GMT") and len(zone) > len("Etc/GMT"):
        sign = "-" if zone[7] == "+" else "+"  # Etc/ names invert the sign, POSIX-style
        return f"UTC{sign}{zone[8:]}"
    if zone.startswith("Etc/"):
        return zone[4:]
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def find_zones(text: str) -> list[str]:
    """Zones for a place someone typed, best first; one when sure, none when nothing fits.

    Accepts zone names in any case (``europe/berlin``), city names from the zone database
    (``new york``), a table of countries, big cities and abbreviations (``uk``, ``usa``,
    ``pst``), fixed offsets (``UTC+2``), small typos (``londn``) and a place inside a short
    phrase (``I live in Leeds``, ``berlin germany``). Several zones come back when the place
    spans several (``usa``) or a typo is equally close to two places.
    """
    raw = text.strip()
    query = _FILLER.sub("", _normalise(raw)).strip()
    if not query:
        return []
    index = _city_index()
    if query in ALIASES and query in index:
        return list(index[query])
    if raw.lower() in _by_lower():
        return [_by_lower()[raw.lower()]]
    if offset := _fixed_offset(query):
        return [offset]
    phrases = [query, *_word_groups(query)]
    for phrase in phrases:
        if phrase in index:
            return list(index[phrase][:MAX_CHOICES])
    keys = list(index)
    for phrase in phrases:
        if len(phrase) < 4:  # too short to guess at: "la" is an alias, "ab" is nothing
            continue
        matches = process.extract(
            phrase, keys, scorer=fuzz.ratio, limit=6, score_cutoff=_FUZZY_CUTOFF
        )
        if matches:
            best = matches[0][1]
            zones: list[str] = []
            for key, score, _ in matches:
                if best - score <= _FUZZY_TIE:
                    zones.extend(z for z in index[key] if z not in zones)
            return _distinct(zones)[:MAX_CHOICES]
    return []


def _word_groups(query: str) -> list[str]:
    """Runs of two words, then single words, of a multi-word query (its longest parts first)."""
    words = query.split()
    if len(words) < 2:
        return []
    pairs = [" ".join(words[i : i + 2]) for i in range(len(words) - 1)]
    return [*pairs, *words] if len(words) > 2 else words


def _fixed_offset(query: str) -> str | None:
    found = _OFFSET.match(query.replace(" ", ""))
    if found is None:
        return None
    sign, hours = found.group(1), int(found.group(2))
    if hours == 0:
        return "UTC"
    name = f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"  # POSIX sign: UTC+2 is Etc/GMT-2
    return name if name in known_zones() else None


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


def local_now(zone: str, now: datetime) -> datetime:
    """``now`` on the clocks of ``zone``."""
    return now.astimezone(ZoneInfo(zone))


def zone_name(user: User | None, services: Services) -> str:
    """The student's zone name, or the configured default (also when a stored name is bad)."""
    if user is not None and user.timezone and user.timezone in known_zones():
        return user.timezone
    return services.config.default_timezone
