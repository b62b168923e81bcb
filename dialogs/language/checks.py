"""The exam-tip checks on persona and recommendation answers, read from what the answer says.

A persona should hold a psychographic element, a behavioural element and a number from the
data; a recommendation a channel, a message and a tactic, tied back to the profile. Each is
met by an asserted sentence that mentions it (the lexicon's ``channel``, ``tactic``,
``message`` and ``link`` concepts, the bases and their variables), never by a bare list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dialogs.language.reading import Reading
from knowledge.base import KnowledgeBase
from knowledge.models import Step

_UNITS = frozenset(
    {"visit", "visits", "time", "times", "year", "years", "yr", "yrs", "month", "months", "week"}
    | {"weeks", "day", "days", "staff", "employee", "employees", "customer", "customers", "call"}
    | {"calls", "order", "orders", "per", "a", "pound", "pounds", "percent", "k", "%", "£"}
    | {"quid", "product", "products", "account", "accounts", "visit", "callout", "callouts"}
)
_QUOTED = re.compile(r"[\"“‘']([^\"”’']{6,})[\"”’']")


@dataclass(frozen=True)
class Check:
    """One exam-tip check on an answer: met or not, what met it, what to add if not."""

    name: str
    ok: bool
    found: str = ""
    advice: str = ""


def _said(reading: Reading, concepts: set[str]) -> str:
    """The words of the first asserted, un-negated mention of one of ``concepts``."""
    for part in reading.asserted:
        for mention in reading.in_part(part):
            if mention.concept in concepts and not mention.negated:
                return reading.surface(mention.start, mention.end)
    return ""


def _quantity(reading: Reading) -> str:
    """A number with its unit from an asserted sentence ("£32 a month", "6 years", "25%")."""
    for part in reading.asserted:
        words = reading.tokens[reading.parts[part].start : reading.parts[part].end]
        for index, word in enumerate(words):
            if not word.number:
                continue
            after = words[index + 1].lemma if index + 1 < len(words) else ""
            if word.surface[:1] in "£$€" or "%" in word.surface or after in _UNITS:
                return word.surface + (f" {words[index + 1].surface}" if after in _UNITS else "")
    return ""


def _via_point(kb: KnowledgeBase, step: Step, made: Mapping[str, str], base: str) -> str:
    """A made key point that stands for ``base``: named after it or about its variables."""
    for point in step.key_points:
        if point.id not in made:
            continue
        bases = {kb.variables[v].base for v in point.variables if v in kb.variables}
        if point.id == base or (bases and bases == {base}):
            return made[point.id]
    return ""


def persona_checks(
    kb: KnowledgeBase, step: Step, reading: Reading, made: Mapping[str, str]
) -> tuple[Check, ...]:
    """The exam tip for profiles: a psychographic and a behavioural element, and a number."""
    psycho = _said(reading, {"psychographic"}) or _via_point(kb, step, made, "psychographic")
    behaviour = _said(reading, {"behavioural", "behaviour_cue"}) or _via_point(
        kb, step, made, "behavioural"
    )
    number = _quantity(reading) or made.get("quantitative", "")
    return (
        Check(
            "Psychographic element",
            bool(psycho),
            psycho,
            "add what they value, think or how they live (lifestyle, attitudes, values)",
        ),
        Check(
            "Behavioural element",
            bool(behaviour),
            behaviour,
            "add what they do: how often they buy, loyalty, channel or benefits sought",
        ),
        Check(
            "Quantitative fact",
            bool(number),
            number,
            "add a number from the data, such as spend, visits, tenure or CLV",
        ),
    )


def _quoted(text: str) -> str:
    found = _QUOTED.search(text)
    return found.group(1) if found else ""


def recommendation_checks(
    step: Step, reading: Reading, text: str, made: Mapping[str, str]
) -> tuple[Check, ...]:
    """Is the recommendation actionable (channel, message, tactic) and tied to the profile?"""
    channel = made.get("channel") or _said(reading, {"channel"})
    message = made.get("message") or _said(reading, {"message"}) or _quoted(text)
    tactic = made.get("tactic") or _said(reading, {"tactic"})
    link = next((v for k, v in made.items() if k == "link" or k.startswith("link_")), "")
    return (
        Check("Channel", bool(channel), channel, "say where they will see or hear it"),
        Check("Message", bool(message), message, "say what you will tell them, in their terms"),
        Check("Tactic", bool(tactic), tactic, "name the sales or marketing tactic (an offer...)"),
        Check(
            "Link to the profile",
            bool(link),
            link,
            "say why it suits this segment, using what the data shows about them",
        ),
    )


def point_for_check(step: Step, name: str) -> str | None:
    """The id of the step's key point a check stands for ("Channel" -> ``channel``)."""
    key = name.split()[0].casefold()
    return next((p.id for p in step.key_points if p.id == key or p.id.startswith(key + "_")), None)


def checks_met(checks: Sequence[Check]) -> dict[str, str]:
    """Check name -> what met it, for the checks that are met."""
    return {c.name: c.found for c in checks if c.ok}
