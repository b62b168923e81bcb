"""Segmentation variables named in a text, by name or alias, typos allowed."""

from __future__ import annotations

from dataclasses import dataclass

from dialogs.language.matching import (
    find_phrases,
)
from knowledge.base import KnowledgeBase


@dataclass(frozen=True)
class VariableHit:
    """A segmentation variable found in a text: its id, the words that matched, and how well.

    ``score`` runs from 0 to 100 like rapidfuzz scores: 100 is an exact name or alias.
    """

    variable_id: str
    phrase: str
    score: float


def _variable_phrases(kb: KnowledgeBase) -> dict[str, list[str]]:
    return {
        v.id: [v.name, v.id.replace("_", " "), *v.aliases, *_bracketless(v.name)]
        for v in kb.variables.values()
    }


def _bracketless(name: str) -> list[str]:
    # "Social class (social grade)" is also written plain "social class".
    head = name.split("(")[0].strip()
    return [head] if head and head != name else []


_KB_PHRASES: dict[int, dict[str, list[str]]] = {}


def find_variables(kb: KnowledgeBase, text: str) -> list[VariableHit]:
    """Every segmentation variable ``text`` mentions (by name or alias, typos allowed).

    One hit per variable, in the order they first appear, with its best-scoring phrase.
    """
    options = _KB_PHRASES.get(id(kb))
    if options is None:
        options = _KB_PHRASES[id(kb)] = _variable_phrases(kb)
    best: dict[str, VariableHit] = {}
    for hit in find_phrases(text, options):
        current = best.get(hit.key)
        if current is None or hit.score > current.score:
            best[hit.key] = VariableHit(hit.key, hit.phrase, hit.score)
    return list(best.values())  # dicts keep first-insertion order: the order of first mention
