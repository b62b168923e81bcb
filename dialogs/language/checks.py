"""The exam-tip checks on persona and recommendation answers.

A persona should hold a psychographic element, a behavioural element and a number; a
recommendation a channel, a message and a tactic tied back to the profile.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dialogs.language.matching import find_phrases
from dialogs.language.variables import find_variables
from knowledge.base import KnowledgeBase
from knowledge.models import Base, Step

_QUANTITY = re.compile(
    r"(?<![\w.,])(?:[£$€]\s?\d[\d,]*(?:\.\d+)?"
    r"|\d[\d,]*(?:\.\d+)?\s?(?:%|k\b|x\b|times\b|visits?\b|orders?\b|years?\b(?!\s+old)"
    r"|yrs\b|months?\b|weeks?\b|days?\b|staff\b|employees\b|customers\b|calls\b|per\b"
    r"|a (?:week|month|year)\b|pounds\b|percent\b))",
    re.IGNORECASE,
)


_BEHAVIOUR_CUES = (
    "times a week",
    "times a month",
    "times a year",
    "every week",
    "every month",
    "visits",
    "orders",
    "buys",
    "loyal",
    "regular",
    "repeat",
    "renews",
    "switches",
    "cancels",
)


_CHANNELS = (
    "social media",
    "instagram",
    "tiktok",
    "facebook",
    "linkedin",
    "youtube",
    "email",
    "newsletter",
    "website",
    "app",
    "push notification",
    "text message",
    "sms",
    "search ads",
    "seo",
    "ppc",
    "google ads",
    "leaflet",
    "flyer",
    "poster",
    "local paper",
    "newspaper",
    "magazine",
    "radio",
    "tv",
    "billboard",
    "direct mail",
    "letter",
    "phone call",
    "telemarketing",
    "in store",
    "in branch",
    "trade show",
    "event",
    "webinar",
    "word of mouth",
    "referral",
    "account manager",
    "sales rep",
    "community centre",
)


_TACTICS = (
    "offer",
    "discount",
    "voucher",
    "free trial",
    "taster",
    "demo",
    "bring a friend",
    "referral reward",
    "loyalty scheme",
    "loyalty card",
    "rewards",
    "points",
    "bundle",
    "upsell",
    "cross sell",
    "follow up",
    "call back",
    "open day",
    "launch event",
    "competition",
    "early access",
    "personalised",
    "free delivery",
    "price promise",
    "case study",
    "testimonial",
)


_MESSAGE_CUES = (
    "message",
    "tell them",
    "slogan",
    "tagline",
    "emphasise",
    "highlight",
    "stress that",
    "show them",
    "promise",
    "headline",
)


_BECAUSE = ("because", "since", "as they", "so they", "suits", "this segment", "they value")


@dataclass(frozen=True)
class Check:
    """One exam-tip check on an answer: met or not, what met it, what to add if not."""

    name: str
    ok: bool
    found: str = ""
    advice: str = ""


def _by_base(kb: KnowledgeBase, text: str, base: Base) -> str:
    for hit in find_variables(kb, text):
        variable = kb.variables.get(hit.variable_id)
        if variable is not None and base in variable.accepted_bases:
            return hit.phrase
    return ""


def _via_point(kb: KnowledgeBase, step: Step, made: Mapping[str, str], base: Base) -> str:
    """A made key point that stands for ``base``: named after it or about its variables."""
    for point in step.key_points:
        if point.id not in made:
            continue
        bases = {kb.variables[v].base for v in point.variables if v in kb.variables}
        if point.id == base or (bases and bases == {base}):
            return made[point.id]
    return ""


def persona_checks(
    kb: KnowledgeBase, step: Step, text: str, made: Mapping[str, str]
) -> tuple[Check, ...]:
    """The exam tip for profiles: a psychographic and a behavioural element, and a number."""
    psycho = _by_base(kb, text, "psychographic") or _via_point(kb, step, made, "psychographic")
    behaviour = (
        _by_base(kb, text, "behavioural")
        or _via_point(kb, step, made, "behavioural")
        or _first(text, _BEHAVIOUR_CUES)
    )
    quantity = _QUANTITY.search(text)
    number = quantity.group() if quantity else made.get("quantitative", "")
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


def _first(text: str, phrases: Sequence[str]) -> str:
    found = find_phrases(text, {"x": phrases})
    return found[0].phrase if found else ""


def recommendation_checks(
    kb: KnowledgeBase, step: Step, text: str, made: Mapping[str, str]
) -> tuple[Check, ...]:
    """Is the recommendation actionable (channel, message, tactic) and tied to the profile?"""
    digital = [n for c in kb.concepts_on("digital_channel") for n in (c.name, *c.aliases)]
    channel = made.get("channel") or _first(text, [*_CHANNELS, *digital])
    message = made.get("message") or _first(text, _MESSAGE_CUES) or _quoted(text)
    tactic = made.get("tactic") or _first(text, _TACTICS)
    link = next((v for k, v in made.items() if k == "link" or k.startswith("link_")), "")
    if not link and _first(text, _BECAUSE) and find_variables(kb, text):
        link = _first(text, _BECAUSE)
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


def _quoted(text: str) -> str:
    found = re.search(r"[\"“‘']([^\"”’']{6,})[\"”’']", text)
    return found.group(1) if found else ""
