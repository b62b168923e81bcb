"""Checking that the knowledge base can be read: every term compiles, every claim parses and
names concepts that exist. ``tutor kb check`` reports these problems with the others, and the
bot refuses to start on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import knowledge
from dialogs.language.claims import ClaimError, parse
from dialogs.language.restated import RESTATED
from dialogs.language.terms import TermError, compile_terms, split_phrase
from dialogs.language.vocabulary import scenario_vocabulary, vocabulary
from knowledge.base import KnowledgeBase
from knowledge.errors import KnowledgeError
from knowledge.models import BASES, LexiconEntry

_COUNT = re.compile(r"^(\d+) of (.+)$")
_REFERENCE = re.compile(r"@([a-z][a-z0-9_]*)")


def _compile(concept: str, text: str) -> None:
    """Compile a term as the reader will; raise :class:`TermError` also for a phrase written
    among alternatives without its brackets, which compiles but never matches as meant."""
    for term in compile_terms(concept, text):
        word = split_phrase(term)
        if word is not None:
            raise TermError(
                f"term {text!r}: {word!r} stands at two places in a row; a phrase among "
                "alternatives needs brackets, as in '(a|b c)'"
            )


def _term_problems(where: str, entries: Iterable[LexiconEntry], known: set[str]) -> Iterator[str]:
    for entry in entries:
        for term in entry.terms:
            try:
                _compile(entry.id, term)
            except TermError as error:
                yield f"{where}: {entry.id}: {error}"
        for other in [*entry.includes, *([entry.opposite] if entry.opposite else [])]:
            if other not in known:
                yield f"{where}: {entry.id}: unknown concept {other!r}"


def _claim_problems(where: str, claims: Iterable[str], known: set[str]) -> Iterator[str]:
    for claim in claims:
        counted = _COUNT.match(claim)
        try:
            if counted is None:
                parse(claim)
        except (ClaimError, TermError) as error:
            yield f"{where}: {error}"
            continue
        for name in _REFERENCE.findall(claim):
            if name not in known:
                yield f"{where}: claim {claim!r} names unknown concept @{name}"
        try:
            for part in re.split(r" [+>=]{1,2} | \| ", counted.group(2) if counted else claim):
                option = part.strip().removeprefix("!")
                if option and not option.startswith("@"):
                    _compile("inline", option)
        except TermError as error:
            yield f"{where}: claim {claim!r}: {error}"


def problems(kb: KnowledgeBase) -> list[str]:
    """Every reading problem in ``kb``, one line each (file, item, what is wrong)."""
    known = {*kb.lexicon, *kb.variables, *BASES, RESTATED}
    found = list(_term_problems("lexicon.yaml", kb.lexicon.values(), known))
    for misconception in kb.misconceptions.values():
        where = f"misconceptions.yaml: {misconception.id}"
        found += _claim_problems(where, [*misconception.claims, *misconception.unless], known)
    for scenario in kb.scenarios.values():
        where = f"scenarios/{scenario.id}.yaml"
        local = {c.id for c in scenario.concepts}
        found += [
            f"{where}: concept {name!r} is already a concept of the lexicon"
            for name in sorted(local & known)
        ]
        found += _term_problems(where, scenario.concepts, known | local)
        subjects = {c.id for c in scenario.concepts if c.subject}
        for step in scenario.steps:
            if step.about is not None and step.about not in subjects:
                found.append(f"{where}: {step.id}: about {step.about!r} is not a subject concept")
            for point in step.key_points:
                claims = [*point.claims, *point.contradicts]
                found += _claim_problems(f"{where}: {step.id}.{point.id}", claims, known | local)
    return found


def load_readable(extra: Path | None = None) -> KnowledgeBase:
    """The knowledge base (with ``extra`` merged over it), checked and with its vocabularies
    built; raises :class:`KnowledgeError` listing every problem, loading or reading."""
    kb = knowledge.load(extra=extra)
    ensure_readable(kb)
    return kb


def ensure_readable(kb: KnowledgeBase) -> None:
    """Raise :class:`KnowledgeError` listing every reading problem; otherwise build (and keep)
    every vocabulary now, so the first student does not wait for it."""
    found = problems(kb)
    if found:
        raise KnowledgeError(found)
    vocabulary(kb)
    for scenario in kb.scenarios.values():
        scenario_vocabulary(kb, scenario)
