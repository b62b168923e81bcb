"""Which ids exist and of what kind, and the problems for references that point nowhere."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from difflib import get_close_matches

from knowledge.source import Key, Source

SINGULAR = {
    "variables": "variable",
    "groupings": "grouping",
    "misconceptions": "misconception",
    "concepts": "concept",
    "command_words": "command word",
    "marking_points": "marking point",
    "scenarios": "scenario",
    "coverage": "coverage entry",
}
ITEM_SECTIONS = frozenset(SINGULAR) - {"coverage"}


class Known:
    """Every id in the base and its section(s), including ids of items that were dropped
    (failed validation, duplicates) so references to them are not reported a second time."""

    def __init__(
        self, sections: Mapping[str, Iterable[str]], others: Iterable[tuple[str, str]]
    ) -> None:
        self.sections: dict[str, set[str]] = {}
        for section, ids in sections.items():
            for item_id in ids:
                self.sections.setdefault(item_id, set()).add(section)
        for item_id, section in others:
            self.sections.setdefault(item_id, set()).add(section)

    def _closest(self, ref: str, allowed: frozenset[str]) -> str:
        pool = [i for i, s in self.sections.items() if s & allowed]
        match = get_close_matches(ref, pool, n=1, cutoff=0.75)
        return f" (did you mean {match[0]!r}?)" if match else ""

    def check(
        self,
        source: Source,
        path: Sequence[Key],
        refs: Sequence[str],
        allowed: frozenset[str],
        what: str,
    ) -> list[str]:
        """A problem for each of ``refs`` (listed at ``path``) that is not an id of ``allowed``."""
        problems: list[str] = []
        for index, ref in enumerate(refs):
            sections = self.sections.get(ref)
            if sections is None:
                message = f"unknown {what} {ref!r}{self._closest(ref, allowed)}"
            elif not sections & allowed:
                message = f"{ref!r} is a {SINGULAR[min(sections)]}, not a {what}"
            else:
                continue
            problems.append(source.problem((*path, index), message))
        return problems
