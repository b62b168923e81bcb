"""The tutor's vocabulary for a knowledge base: one compiled lexicon, built once per base.

It holds the lexicon's concepts; every segmentation variable as a concept of its own (name,
aliases, and the name without its bracket); each base including its variables; and the
inline terms of every claim, so claims find them. Each scenario gets the same plus its own
concepts (its segments and people) and the inline terms of its key points.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dialogs.language.claims import inline_terms
from dialogs.language.lexicon import Lexicon
from knowledge.base import KnowledgeBase
from knowledge.gc_pause import paused_gc
from knowledge.models import BASES, LexiconEntry, Scenario

_CACHE: dict[tuple[int, str], tuple[KnowledgeBase, Lexicon]] = {}
_KEEP = 64  # vocabularies kept: a few knowledge bases' worth (tests load many)


def variable_terms(name: str, variable_id: str, aliases: Iterable[str]) -> list[str]:
    """How a variable may be written: its name, the name without a bracket, the bracket, aliases."""
    head = name.split("(")[0].strip()
    inside = re.findall(r"\(([^)]+)\)", name)
    halves = [h.strip() for h in re.split(r"\band\b|/|&", head)] if " and " in head else []
    terms = [name, head, variable_id.replace("_", " "), *inside, *halves, *aliases]
    # Term syntax treats | ~ # ? specially; names never need them.
    cleaned = [re.sub(r"[|~#?()]", " ", t).strip() for t in terms]
    return list(dict.fromkeys(t for t in cleaned if t))


def _parts(
    entries: Iterable[LexiconEntry], claims: Iterable[str]
) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, str], list[str], list[str]]:
    """Concepts, includes, opposites, greedy and predicates of some lexicon entries."""
    concepts: dict[str, list[str]] = {}
    includes: dict[str, list[str]] = {}
    opposites: dict[str, str] = {}
    greedy: list[str] = []
    predicates: list[str] = []
    for entry in entries:
        concepts[entry.id] = list(entry.terms)
        includes[entry.id] = list(entry.includes)
        if entry.opposite is not None:
            opposites[entry.id] = entry.opposite
        if entry.predicate:
            predicates.append(entry.id)
        if entry.greedy:
            greedy.append(entry.id)
    for concept, terms in inline_terms(claims).items():
        concepts.setdefault(concept, terms)
    return concepts, includes, opposites, greedy, predicates


def _entries(kb: KnowledgeBase, claims: Iterable[str]) -> Lexicon:
    concepts, includes, opposites, greedy, predicates = _parts(kb.lexicon.values(), claims)
    for variable in kb.variables.values():
        concepts[variable.id] = variable_terms(variable.name, variable.id, variable.aliases)
        for base in (variable.base,):
            includes.setdefault(base, []).append(variable.id)
    for base in BASES:
        concepts.setdefault(base, [base])
    greedy += [*kb.variables, *BASES]
    return Lexicon(concepts, includes, opposites, greedy=greedy, predicates=predicates)


def _claims_of(kb: KnowledgeBase) -> list[str]:
    found: list[str] = []
    for misconception in kb.misconceptions.values():
        found += [*misconception.claims, *misconception.unless]
    return found


def _remember(key: tuple[int, str], value: tuple[KnowledgeBase, Lexicon]) -> None:
    if len(_CACHE) >= _KEEP:
        del _CACHE[next(iter(_CACHE))]
    _CACHE[key] = value


def vocabulary(kb: KnowledgeBase) -> Lexicon:
    """The compiled lexicon for ``kb`` (built on first use, then kept)."""
    cached = _CACHE.get((id(kb), ""))
    if cached is None or cached[0] is not kb:
        with paused_gc():
            cached = (kb, _entries(kb, _claims_of(kb)))
        _remember((id(kb), ""), cached)
    return cached[1]


def scenario_vocabulary(kb: KnowledgeBase, scenario: Scenario) -> Lexicon:
    """The lexicon for marking ``scenario``: the base's, its own concepts and key-point terms."""
    cached = _CACHE.get((id(kb), scenario.id))
    if cached is None or cached[0] is not kb:
        claims = [
            claim
            for step in scenario.steps
            for point in step.key_points
            for claim in (*point.claims, *point.contradicts)
        ]
        concepts, includes, opposites, greedy, predicates = _parts(scenario.concepts, claims)
        base = vocabulary(kb)
        with paused_gc():
            lexicon = Lexicon(
                concepts, includes, opposites, greedy=greedy, predicates=predicates, base=base
            )
        cached = (kb, lexicon)
        _remember((id(kb), scenario.id), cached)
    return cached[1]
