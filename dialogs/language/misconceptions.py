"""Spot common misconceptions in anything a student types (the correction is in
:mod:`dialogs.corrections`).

Detection is deliberately precise: a trigger phrase matches only when all of its content words
appear close together in one sentence (typos and word endings allowed), and not when the
sentence negates it ("segmentation is NOT the same as targeting") or discusses it as a myth.
Questions ("is segmentation the same as targeting?") are not beliefs, so they never match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dialogs.language.matching import ordered_match
from dialogs.language.normalise import NEGATIONS, STOPWORDS, normalise
from knowledge.base import KnowledgeBase
from knowledge.models import Misconception

# Words that show the student is talking ABOUT the wrong belief rather than holding it.
_DISTANCING = frozenset(
    {"myth", "misconception", "false", "wrong", "untrue", "incorrect", "mistake", "mistaken"}
)
# Intensifiers: the belief holds with or without them ("more segments is (always) better").
_OPTIONAL = frozenset({"always", "must", "definitely", "surely", "certainly", "totally"})
_SENTENCES = re.compile(r"(?<=[.!?;\n])\s*|\s+but\s+", re.IGNORECASE)


def _sentences(text: str) -> list[tuple[str, bool]]:
    """Each sentence of ``text`` with whether it is a question."""
    parts = [p.strip() for p in _SENTENCES.split(text) if p and p.strip()]
    return [(part, part.rstrip().endswith("?")) for part in parts]


def _holds(words: Sequence[str], trigger: Sequence[str]) -> bool:
    """True when the sentence states the trigger's belief (not negated, not distanced).

    The trigger's content words must appear in order, close together, with at most one other
    content word among them, so a sentence that merely uses the same words in another claim
    ("digital marketing includes SEO, email and social media") is not read as the belief.
    """
    core = [w for w in trigger if w not in _OPTIONAL]
    match = ordered_match(words, core, slack=3)
    if match is None:
        return False
    start, end, positions = match
    if any(w in _DISTANCING for w in words):
        return False
    extras = [
        w
        for index, w in enumerate(words[start:end], start)
        if index not in positions and w not in STOPWORDS and w not in _OPTIONAL
    ]
    said = sum(w in NEGATIONS for w in words[max(0, start - 3) : end])
    meant = sum(w in NEGATIONS for w in core)
    return said == meant and len([w for w in extras if w not in NEGATIONS]) <= 1


def detect(kb: KnowledgeBase, text: str) -> list[Misconception]:
    """The misconceptions ``text`` expresses, in knowledge-base order (each at most once)."""
    sentences = [normalise(s).split() for s, question in _sentences(text) if not question]
    sentences = [s for s in sentences if s]
    if not sentences:
        return []
    found: list[Misconception] = []
    for misconception in kb.misconceptions.values():
        triggers = [normalise(t).split() for t in misconception.triggers]
        if any(_holds(words, trigger) for words in sentences for trigger in triggers):
            found.append(misconception)
    return found
