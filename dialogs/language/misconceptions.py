"""Spot common misconceptions in anything a student types (the correction is in
:mod:`dialogs.corrections`).

A misconception is found when one asserted sentence makes one of its claims (see
:mod:`dialogs.language.claims`) and nothing in that sentence shows the student means
otherwise (its ``unless`` list: a hedge, the other side of the story). Questions, beliefs
called myths, reported ("people think...") or given up ("I used to think...") never match.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from dialogs.language.claims import Slot, find, parse
from dialogs.language.parts import QUESTION
from dialogs.language.reading import Reading, read
from dialogs.language.vocabulary import vocabulary
from knowledge.base import KnowledgeBase
from knowledge.models import Misconception

MAX_TEXT = 4096
# A side a student opens by granting ("ok i see X, but Y") is conceded: what it says does
# not hold back the other side's claim.
_CONCEDING = frozenset({"ok", "okay", "yeah", "yes", "fair", "granted", "admittedly", "sure"})
_CONCEDING_I = frozenset({"get", "see", "know", "understand", "agree", "accept", "admit"})


@dataclass(frozen=True)
class Detection:
    """A misconception found, and the student's words that stated it."""

    misconception: Misconception
    words: str


def _blocker(text: str) -> Slot:
    return parse(text).slots[0]


@dataclass(frozen=True, slots=True)
class _Sentence:
    """What one asserted part offers: the concepts its claims may use (with their polarity),
    and those an ``unless`` entry looks at."""

    part: int
    usable: frozenset[tuple[str, bool]]
    context: frozenset[tuple[str, bool]]


def _conceded(reading: Reading, part: int) -> bool:
    """Whether ``part`` opens by granting a point ("ok i see...", "fair enough, ...")."""
    first = reading.parts[part].start
    words = [w.surface for w in reading.tokens[first : first + 3]]
    if words and words[0] in _CONCEDING:
        return True
    return any(a == "i" and b in _CONCEDING_I for a, b in pairwise(words))


def _sentences(reading: Reading) -> list[_Sentence]:
    sentences = []
    for part in reading.asserted:
        # The whole sentence ("a good start, but not enough on their own"; "the same
        # department, but they do different things"), not a question it answers, nor the view
        # a "but" or "however" sets aside ("Some count the website as digital. However...").
        answers = part > 0 and reading.parts[part - 1].stance == QUESTION
        side = reading.parts[part]
        conceding = side.contrast and _conceded(reading, part - 1)
        # "only redo it if X, otherwise it stays valid": the exception does not hold back
        # the rule.
        default = reading.tokens[side.start].surface == "otherwise"
        own = answers or side.turn or conceding or default
        pool = reading.pool(part)
        context = reading.in_part(part) if own else pool
        if part + 1 < len(reading.parts) and reading.parts[part + 1].contrast:
            context = [*context, *reading.in_part(part + 1)]
        sentences.append(
            _Sentence(
                part,
                frozenset((m.concept, m.negated) for m in pool),
                frozenset((m.concept, m.negated) for m in context),
            )
        )
    return sentences


def _offers(slot: Slot, said: frozenset[tuple[str, bool]]) -> bool:
    return any((concept, slot.negated) in said for concept in slot.concepts)


def _states(
    misconception: Misconception, reading: Reading, sentences: list[_Sentence]
) -> str | None:
    for sentence in sentences:
        if any(_offers(_blocker(unless), sentence.context) for unless in misconception.unless):
            continue
        for text in misconception.claims:
            claim = parse(text)
            # Most claims lack a concept in most sentences: skip them before placing slots.
            if not all(_offers(slot, sentence.usable) for slot in claim.slots):
                continue
            found = find(claim, reading, [sentence.part])
            if found is not None:
                return reading.quote(found.mentions)
    return None


def detections(kb: KnowledgeBase, text: str) -> list[Detection]:
    """Each misconception ``text`` states, with the words that stated it, in base order."""
    reading = read(text[:MAX_TEXT], vocabulary(kb))
    sentences = _sentences(reading)
    found: list[Detection] = []
    for misconception in kb.misconceptions.values():
        words = _states(misconception, reading, sentences)
        if words is not None:
            found.append(Detection(misconception, words))
    return found


def detect(kb: KnowledgeBase, text: str) -> list[Misconception]:
    """The misconceptions ``text`` expresses, in knowledge-base order (each at most once)."""
    return [d.misconception for d in detections(kb, text)]
