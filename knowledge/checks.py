"""Cross-checks that span items and files: references, aliases, coverage and worked numbers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from knowledge.base import KnowledgeBase
from knowledge.models import Variable
from knowledge.presentation import presentation_problems
from knowledge.refs import ITEM_SECTIONS, Known
from knowledge.scenario_checks import numeric_problems, scenario_problems
from knowledge.source import KeyPath, Source


def normalise(term: str) -> str:
    """A name or alias compared case-, space- and hyphen-insensitively."""
    return "".join(term.casefold().replace("-", " ").replace("_", " ").split())


def _variable_problems(variable: Variable, source: Source) -> list[str]:
    problems: list[str] = []
    if variable.also_bases and variable.ambiguity is None:
        message = "also_bases needs an 'ambiguity' saying why the variable fits several bases"
        problems.append(source.problem(("also_bases",), message))
    if variable.ambiguity is not None and not variable.also_bases:
        problems.append(source.problem(("ambiguity",), "ambiguity given but also_bases is empty"))
    for index, base in enumerate(variable.also_bases):
        if base == variable.base:
            problems.append(source.problem(("also_bases", index), "repeats the main base"))
    return problems


def _alias_problems(kb: KnowledgeBase, sources: Mapping[str, Source]) -> list[str]:
    """The same name/alias under two bases is ambiguous unless also_bases says so."""
    problems: list[str] = []
    seen: dict[str, list[tuple[Variable, KeyPath]]] = {}
    for variable in kb.variables.values():
        terms: list[tuple[str, KeyPath]] = [(variable.name, ("name",))]
        terms += [(alias, ("aliases", i)) for i, alias in enumerate(variable.aliases)]
        for term, path in terms:
            users = seen.setdefault(normalise(term), [])
            for other, other_path in users:
                if other.id == variable.id or other.base == variable.base:
                    continue
                if other.base in variable.also_bases or variable.base in other.also_bases:
                    continue
                where = sources[other.id].where(other_path)
                message = (
                    f"{term!r} is also a name or alias of {other.id!r} ({other.base}, {where}): "
                    "ambiguous; list the other base in also_bases or drop the alias"
                )
                problems.append(sources[variable.id].problem(path, message))
                break
            users.append((variable, path))
    return problems


def cross_check(
    kb: KnowledgeBase, sources: Mapping[str, Source], dropped: Iterable[tuple[str, str]]
) -> list[str]:
    """Every cross-item problem in ``kb``; ``sources`` locates items, ``dropped`` holds the
    (id, section) of items left out for other problems, so references to them still resolve."""
    tables: dict[str, Mapping[str, object]] = {
        "variables": kb.variables,
        "groupings": kb.groupings,
        "misconceptions": kb.misconceptions,
        "concepts": kb.concepts,
        "command_words": kb.command_words,
        "marking_points": kb.marking_points,
        "scenarios": kb.scenarios,
        "coverage": kb.coverage,
    }
    known = Known({name: table.keys() for name, table in tables.items()}, dropped)
    problems: list[str] = []
    for variable in kb.variables.values():
        problems += _variable_problems(variable, sources[variable.id])
    problems += _alias_problems(kb, sources)
    for misconception in kb.misconceptions.values():
        source = sources[misconception.id]
        problems += known.check(source, ("related",), misconception.related, ITEM_SECTIONS, "id")
    for grouping in kb.groupings.values():
        source = sources[grouping.id]
        groupings = frozenset({"groupings"})
        problems += known.check(source, ("overlaps",), grouping.overlaps, groupings, "grouping")
    for concept in kb.concepts.values():
        if concept.worked is not None:
            problems += numeric_problems(sources[concept.id], ("worked",), concept.worked, None)
    for scenario in kb.scenarios.values():
        problems += scenario_problems(scenario, sources[scenario.id], known)
        problems += presentation_problems(kb, scenario, sources[scenario.id])
    for entry in kb.coverage.values():
        source = sources[entry.id]
        problems += known.check(source, ("taught_by",), entry.taught_by, ITEM_SECTIONS, "item")
    return problems


def topic_problems(
    kb: KnowledgeBase, sources: Mapping[str, Source], topic_sources: Mapping[str, Source]
) -> list[str]:
    """Every card's topic is declared, and an ordered topic's cards are numbered 1, 2, 3..."""
    problems: list[str] = []
    for concept in kb.concepts.values():
        if concept.topic not in kb.topics:
            message = f"unknown topic {concept.topic!r}: declare it under 'topics:'"
            problems.append(sources[concept.id].problem(("topic",), message))
    for topic in kb.topics.values():
        cards = [c for c in kb.concepts.values() if c.topic == topic.id]
        if not topic.ordered:
            continue
        orders = sorted(c.order or 0 for c in cards)
        if len(cards) < 3 or orders != list(range(1, len(cards) + 1)):
            message = (
                "an ordered topic needs three or more cards numbered 1, 2, 3... by 'order' "
                f"(found {orders})"
            )
            problems.append(topic_sources[topic.id].problem(("ordered",), message))
    return problems
