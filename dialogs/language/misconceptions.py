"""Spot common misconceptions in anything a student types (the correction is in
:mod:`dialogs.corrections`).

A misconception is found when one asserted sentence makes one of its claims (see
:mod:`dialogs.language.claims`) and nothing in that sentence shows the student means
otherwise (its ``unless`` list: a hedge, the other side of the story). Questions, beliefs
called myths, reported ("people think...") or given up ("I used to think...") never match.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialogs.language.claims import Slot, find, parse
from dialogs.language.reading import QUESTION, Reading, read
from dialogs.language.vocabulary import vocabulary
from knowledge.base import KnowledgeBase
from knowledge.models import Misconception

MAX_TEXT = 4096


@dataclass(frozen=True)
class Detection:
    """A misconception found, and the student's words that stated it."""

    misconception: Misconception
    words: str


def _blocker(text: str) -> Slot:
    return parse(text).slots[0]


def _blocked(misconception: Misconception, reading: Reading, part: int) -> bool:
    # The whole sentence ("a good start, but not enough on their own"; "the same department,
    # but they do different things"), not a question it answers, nor the view a "but" or
    # "however" sets aside ("Some count the website as digital. However, digital means...").
    answers = part > 0 and reading.parts[part - 1].stance == QUESTION
    own = answers or reading.parts[part].turn
    mentions = reading.in_part(part) if own else reading.pool(part)
    following = part + 1 < len(reading.parts) and reading.parts[part + 1].contrast
    if following:
        mentions = [*mentions, *reading.in_part(part + 1)]
    return any(
        _blocker(unless).takes(mention) for unless in misconception.unless for mention in mentions
    )


def _states(misconception: Misconception, reading: Reading) -> str | None:
    for part in reading.asserted:
        if _blocked(misconception, reading, part):
            continue
        for text in misconception.claims:
            found = find(parse(text), reading, [part])
            if found is not None:
                return reading.quote(found.mentions)
    return None


def detections(kb: KnowledgeBase, text: str) -> list[Detection]:
    """Each misconception ``text`` states, with the words that stated it, in base order."""
    reading = read(text[:MAX_TEXT], vocabulary(kb))
    found: list[Detection] = []
    for misconception in kb.misconceptions.values():
        words = _states(misconception, reading)
        if words is not None:
            found.append(Detection(misconception, words))
    return found


def detect(kb: KnowledgeBase, text: str) -> list[Misconception]:
    """The misconceptions ``text`` expresses, in knowledge-base order (each at most once)."""
    return [d.misconception for d in detections(kb, text)]
