"""Time zones from what people type: city, country or zone names, or the time on their clock.

Pure functions, no I/O. ``lookup("leeds")`` and ``lookup("Europe/Berlin")`` read a place:
candidate zones, best first, and whether the best is sure enough to apply without asking
(only an exact name of a zone, a country, an abbreviation or a sizeable city that one clock
or one much bigger place dominates; a typo, a small town or a word picked out of a sentence
is a guess, offered as a question). ``parse_clock("6.05 pm")`` reads a time of day;
``zones_at_local_time`` turns "it's 18:05 here" into the zones whose clocks show that time
now, the default zone's region first. Places come from GeoNames (:mod:`.places`).
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz, process

from dialogs.context import Services
from dialogs.reminders import places
from dialogs.reminders.places import Place
from dialogs.reminders.zone_names import ABBREVIATIONS, NICKNAMES, POPULAR
from storage.models import User

# Geographic areas of the IANA database; other top-level names are legacy aliases.
_AREAS = frozenset(
    {"Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian"}
    | {"Pacific"}
)
_NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})
MAX_CHOICES = 4
_FUZZY_CUTOFF = 85.0
_FUZZY_TIE = 3.0
SURE_POPULATION = 100_000
"""A city smaller than this is asked about, even when its name matches exactly."""
DOMINATES = 5
"""The biggest place wins outright when it is this many times bigger than the next clock's."""


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
    """Normalised place name -> zones: cities from zone names, and full names."""
    index: dict[str, list[str]] = {}
    for name in sorted(known_zones(), key=_canonical_first):
        parts = name.split("/")
        if parts[0] not in _AREAS or len(parts) < 2:
            continue
        for key in (_normalise(parts[-1]), _normalise(name.replace("/", " "))):
            index.setdefault(key, []).append(name)
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


@dataclass(frozen=True)
class Lookup:
    """What a typed place became: candidate zones, best first, a label for each (the place
    that brought it), and whether the first may be applied without asking."""

    zones: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    sure: bool = False
    exact: bool = True
    """False for a guess: a typo's neighbours, or a place picked out of a longer phrase."""


def find_zones(text: str) -> list[str]:
    """The candidate zones for a place someone typed, best first (see :func:`lookup`)."""
    return list(lookup(text).zones)


def lookup(text: str) -> Lookup:
    """Zones for a place someone typed: zone names in any case (``europe/berlin``), fixed
    offsets (``UTC+2``), abbreviations (``pst``), countries and their nicknames (``uk``),
    any city of 15,000 people or more (``Leeds``, ``Kraków``), a place inside a short phrase
    (``I live in Leeds``, ``berlin germany``) and small typos (``londn``); several when the
    place spans several clocks (``usa``) or several places share the name."""
    raw = text.strip()
    query = _FILLER.sub("", _normalise(raw)).strip()
    if not query:
        return Lookup()
    if raw.lower() in _by_lower():
        return _sure(_by_lower()[raw.lower()])
    if offset := _fixed_offset(query):
        return _sure(offset)
    plain = places.key(query)
    if plain in ABBREVIATIONS:
        zones = ABBREVIATIONS[plain]
        return Lookup(zones, {z: zone_label(z) for z in zones}, sure=len(zones) == 1)
    if plain in NICKNAMES:
        return _from_places(places.country(NICKNAMES[plain]), exact=True)
    if found := places.find(plain):
        return _from_places(found, exact=True)
    if query in _city_index():
        zones = _city_index()[query][:MAX_CHOICES]
        return Lookup(zones, {z: zone_label(z) for z in zones}, sure=len(zones) == 1)
    for phrase in _word_groups(plain):
        if len(phrase) >= 3 and (found := places.find(phrase)):
            return _from_places(found, exact=False)
    return _fuzzy([plain, *_word_groups(plain)])


def _sure(zone: str) -> Lookup:
    return Lookup((zone,), {zone: zone_label(zone)}, sure=True)


def _from_places(found: tuple[Place, ...], *, exact: bool) -> Lookup:
    """One candidate per distinct clock, biggest place first; sure only for an exact name
    whose biggest place is sizeable and stands alone or dominates."""
    kept: dict[tuple[float, ...], Place] = {}
    for place in found:
        if place.zone in known_zones():
            kept.setdefault(_signature(place.zone), place)
    best = list(kept.values())[:MAX_CHOICES]
    if not best:
        return Lookup(exact=exact)
    top = best[0]
    big = top.name == top.country or top.population >= SURE_POPULATION
    alone = len(best) == 1 or top.population >= DOMINATES * best[1].population
    titles = [p.title for p in best]
    labels = {
        p.zone: f"{p.title} ({zone_label(p.zone)})" if titles.count(p.title) > 1 else p.title
        for p in best
    }
    return Lookup(tuple(labels), labels, sure=exact and big and alone, exact=exact)


def _fuzzy(phrases: list[str]) -> Lookup:
    """Names close to a typo, offered (never applied) as a question."""
    keys = places.names()
    for phrase in phrases:
        if len(phrase) < 4:  # too short to guess at
            continue
        matches = process.extract(
            phrase, keys, scorer=fuzz.ratio, limit=8, score_cutoff=_FUZZY_CUTOFF
        )
        if matches:
            best = matches[0][1]
            close = [k for k, score, _ in matches if best - score <= _FUZZY_TIE]
            found = sorted((p for k in close for p in places.find(k)), key=lambda p: -p.population)
            return _from_places(tuple(found), exact=False)
    return Lookup(exact=False)


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
