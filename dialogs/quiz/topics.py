"""What ``/quiz [topic]`` can narrow to: a base, a learning outcome, a concept topic, and more."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from dialogs.language.answers import read_answer
from dialogs.quiz.questions import BASE_ALIASES, BASE_LABELS, quizzable
from knowledge.base import KnowledgeBase
from knowledge.models import BASES, OUTCOMES, Concept

# Topics that are not concept topics, and extra names for the bases, as students type them.
_EXTRA_ALIASES: dict[str, list[str]] = {
    "firmographic": ["b2b", "b2b firmographic", "business customers", "business to business"],
    "misconceptions": ["misconceptions", "myths", "myth or fact", "mistakes"],
    "command_words": ["command words", "command word", "exam words", "exam technique"],
    "variables": ["variables", "segmentation variables", "bases", "segmentation bases"],
    "groupings": ["groupings", "other groupings", "funnel", "customer journey"],
}


@dataclass(frozen=True)
class Topic:
    """One way to narrow a quiz: its key (stored on the session), label and typed names."""

    key: str
    label: str
    aliases: tuple[str, ...]


def topics(kb: KnowledgeBase) -> dict[str, Topic]:
    """Every topic the knowledge base supports, keyed by its stable key."""
    found: dict[str, Topic] = {}
    for base in BASES:
        aliases = (*BASE_ALIASES[base], *_EXTRA_ALIASES.get(base, []))
        found[base] = Topic(base, f"{BASE_LABELS[base]} variables", aliases)
    for outcome, text in OUTCOMES.items():
        number = outcome[-1]
        aliases = (
            outcome,
            f"lo {number}",
            f"learning outcome {number}",
            f"outcome {number}",
            text,
        )
        found[outcome.lower()] = Topic(outcome.lower(), f"{outcome}: {text}", aliases)
    for topic in kb.topics.values():
        if not any(c.topic == topic.id for c in kb.concepts.values()):
            continue
        aliases = (topic.name, topic.id.replace("_", " "), *topic.aliases)
        found[topic.id] = Topic(topic.id, topic.name[:1].upper() + topic.name[1:], aliases)
    for key, label in (
        ("misconceptions", "Myths and misconceptions"),
        ("command_words", "Exam command words"),
        ("variables", "All segmentation variables"),
        ("groupings", "Other ways to group customers"),
    ):
        found[key] = Topic(key, label, tuple(_EXTRA_ALIASES[key]))
    return found


def find_topic(kb: KnowledgeBase, text: str) -> Topic | None:
    """The topic a student typed after /quiz ("kpis", "psycografic", "lo2"), or None."""
    catalogue = topics(kb)
    keys = read_answer(text, {k: list(t.aliases) for k, t in catalogue.items()}).keys
    return catalogue[keys[0]] if len(keys) == 1 else None


# The topics offered as buttons when a typed topic is not recognised, after the closest ones.
MAIN_TOPICS = (
    *("demographic", "geographic", "psychographic", "behavioural", "firmographic"),
    *("kpi", "marketing_mix", "sales_process", "stp", "misconceptions"),
)


def suggested_topics(kb: KnowledgeBase, text: str, limit: int = 8) -> list[Topic]:
    """Topics to offer for an unrecognised ``text``: those whose names are closest to a word
    the student typed first, then the main ones, ``limit`` in all."""
    catalogue = topics(kb)
    typed = [text.lower()[:60], *(w for w in text.lower().split()[:8] if len(w) >= 3)]
    scored = []
    for key, topic in catalogue.items():
        names = [a.lower() for a in topic.aliases if len(a) >= 4]
        best = max((fuzz.ratio(w, a) for w in typed for a in names), default=0.0)
        if best >= 70:
            scored.append((best, key))
    keys = [key for _, key in sorted(scored, reverse=True)]
    keys += [k for k in MAIN_TOPICS if k in catalogue]
    return [catalogue[k] for k in dict.fromkeys(keys)][:limit]


def topic_items(kb: KnowledgeBase, key: str | None) -> list[str]:
    """The quizzable item ids in a topic (all of them for None), in learning order."""
    every = quizzable(kb)
    if key is None:
        return every
    if key in BASES:
        return [v.id for v in kb.variables.values() if key in v.accepted_bases]
    if key in ("lo1", "lo2", "lo3"):
        wanted = key.upper()
        return [i for i in every if wanted in getattr(kb.item(i), "outcomes", [])]
    tables: dict[str, list[str]] = {
        "misconceptions": list(kb.misconceptions),
        "command_words": list(kb.command_words),
        "variables": list(kb.variables),
        "groupings": list(kb.groupings),
    }
    if key in tables:
        return tables[key]
    return [c.id for c in kb.concepts.values() if isinstance(c, Concept) and c.topic == key]
