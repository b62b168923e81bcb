"""Quiz questions generated from the knowledge base: nothing here is a hard-coded question.

Every quizzable item (variable, grouping, misconception, concept, command word) can yield one
or more kinds of question; a card is per item, whichever kind is asked. A :class:`Question`
holds everything needed to grade it and explain every option, and round-trips through JSON
(``to_payload``/``from_payload``) so it can wait in the database across a restart.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from knowledge.base import KnowledgeBase
from knowledge.models import Concept, Grouping, Variable

OPTIONS = 4

BASE_LABELS: dict[str, str] = {
    "demographic": "Demographic",
    "geographic": "Geographic",
    "psychographic": "Psychographic",
    "behavioural": "Behavioural",
    "firmographic": "Firmographic",
}
BASE_ABOUT: dict[str, str] = {
    "demographic": "who the customer is, in measurable facts such as age, income or job",
    "geographic": "where the customer is: country, region, town or how far from a store",
    "psychographic": "what goes on inside the customer's head: lifestyle, values, personality",
    "behavioural": "what the customer does: how often and how much they buy, loyalty, benefits",
    "firmographic": "what kind of organisation a business customer is: sector, size, location",
}
BASE_ALIASES: dict[str, list[str]] = {
    "demographic": ["demographic", "demographics", "demographic segmentation"],
    "geographic": ["geographic", "geographical", "geography", "geographic segmentation"],
    "psychographic": ["psychographic", "psychographics", "psychological", "psychographic seg"],
    "behavioural": ["behavioural", "behavioral", "behaviour", "behavior", "behaviourial"],
    "firmographic": ["firmographic", "firmographics", "firmographic segmentation"],
}
MYTH, FACT = "Myth", "Fact"
# What students type for each side of a myth-or-fact question.
MYTH_FACT_ACCEPT: dict[str, list[str]] = {
    "0": [
        *("myth", "false", "untrue", "not true", "wrong", "incorrect", "nah", "nope", "no"),
        *("lie", "rubbish", "not a fact", "fake", "its a myth", "not right", "disagree"),
    ],
    "1": [
        *("fact", "true", "correct", "right", "yes", "yeah", "yep", "yup", "real", "not a myth"),
        *("its true", "that is right", "agree", "truth"),
    ],
}
# Words too common among option names to pick one out on their own.
_GENERIC = frozenset(
    {"rate", "value", "customer", "customers", "marketing", "sales", "analysis", "process"}
    | {"data", "cost", "the", "and", "of", "for", "level", "type", "stage", "channel"}
)


@dataclass(frozen=True)
class Question:
    """One question with everything needed to grade and explain it.

    ``prompt`` is HTML; every other text is plain and escaped when shown. Option questions have
    ``options`` (button labels) and the indices in ``correct``, with ``why[i]`` explaining
    option ``i``. Typed questions have no options: ``accept`` maps each recognisable answer key
    to its phrases, ``right`` lists the keys that score and ``need`` how many are wanted;
    numeric questions carry ``number`` (answer, tolerance, unit, method).
    """

    item_id: str
    kind: str
    prompt: str
    options: tuple[str, ...] = ()
    correct: tuple[int, ...] = ()
    why: tuple[str, ...] = ()
    answer: str = ""
    explanation: str = ""
    hint: str = ""
    accept: dict[str, list[str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    right: tuple[str, ...] = ()
    need: int = 1
    notes: dict[str, str] = field(default_factory=dict)
    number: dict[str, Any] = field(default_factory=dict)

    @property
    def typed(self) -> bool:
        """True when the student types the answer instead of tapping a button."""
        return not self.options

    @property
    def numeric(self) -> bool:
        """True when the answer is a number."""
        return bool(self.number)

    def to_payload(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Question:
        """Rebuild a question stored with ``to_payload``."""
        data = dict(payload)
        for name in ("options", "correct", "why", "right"):
            data[name] = tuple(data.get(name, ()))
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


def quizzable(kb: KnowledgeBase) -> list[str]:
    """Every item id that can be quizzed, in a sensible learning order."""
    return [
        *kb.variables,
        *kb.groupings,
        *kb.concepts,
        *kb.misconceptions,
        *kb.command_words,
    ]


def names_of(item: Variable | Grouping | Concept) -> list[str]:
    """Every name of an item: its name, without and inside its bracket, and its aliases."""
    head = item.name.split("(")[0].strip()
    extra = [head] if head != item.name else []
    bracket = re.findall(r"\(([^)]+)\)", item.name)
    # "Climate and weather" is also just "climate", and just "weather".
    halves = (
        [h.strip() for h in re.split(r"\band\b|/|&", head) if h.strip()] if " and " in head else []
    )
    return [item.name, *extra, *bracket, *halves, *item.aliases]


def pick_other(rng: random.Random, pool: list[Any], exclude: set[str], count: int) -> list[Any]:
    choices = [p for p in pool if p.id not in exclude]
    rng.shuffle(choices)
    return choices[:count]


def shuffled_options(rng: random.Random, right: Any, others: list[Any]) -> tuple[list[Any], int]:
    items = [right, *others]
    rng.shuffle(items)
    return items, items.index(right)


def option_phrases(label: str, labels: Sequence[str], aliases: Sequence[str] = ()) -> list[str]:
    """How a student may type one option of several: its label, the label without a bracket
    and inside it, its aliases (a base's too), and any word no other option shares."""
    head = label.split("(")[0].strip()
    phrases = [label, head, *re.findall(r"\(([^)]+)\)", label), *aliases]
    phrases += BASE_ALIASES.get(label.lower(), [])
    others = {w for other in labels if other != label for w in re.findall(r"[a-z]+", other.lower())}
    phrases += [
        word
        for word in re.findall(r"[a-z]+", label.lower())
        if len(word) >= 4 and word not in others and word not in _GENERIC
    ]
    return list(dict.fromkeys(p for p in phrases if p))


def option_accept(items: Sequence[Variable | Grouping | Concept]) -> dict[str, list[str]]:
    """``Question.accept`` for options that are knowledge-base items, keyed by option index."""
    labels = [item.name for item in items]
    return {
        str(i): option_phrases(item.name, labels, names_of(item)[1:])
        for i, item in enumerate(items)
    }
