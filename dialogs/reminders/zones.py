"""Time zones from what people type: city, country or zone names, or the time on their clock.

Pure functions, no I/O. ``find_zones("new york")`` and ``find_zones("Europe/Berlin")`` read a
place; ``parse_clock("6.05 pm")`` reads a time of day; ``zones_at_local_time`` turns "it's
18:05 here" into the zones whose clocks show that time now, the default zone's region first.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz, process

from dialogs.context import Services
from dialogs.reminders.zone_names import ALIASES, POPULAR
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


_FILLER = re.compile(
    r"^(?:i\s*(?:am|'m|m)?\s*(?:live|living|based)?\s*(?:in|near|at)\s+|in\s+|near\s+)", re.I
)
_OFFSET = re.compile(r"^(?:utc|gmt)\s*([+-])\s*(\d{1,2})(?::?(00))?$")


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


def local_now(zone: str, now: datetime) -> datetime:
    """``now`` on the clocks of ``zone``."""
    return now.astimezone(ZoneInfo(zone))


def zone_name(user: User | None, services: Services) -> str:
    """The student's zone name, or the configured default (also when a stored name is bad)."""
    if user is not None and user.timezone and user.timezone in known_zones():
        return user.timezone
    return services.config.default_timezone
