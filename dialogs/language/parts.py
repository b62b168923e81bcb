"""The pieces a reading is made of: parts (a sentence, or one side of a "but") with their
stance, and the concepts each part mentions. See :mod:`dialogs.language.reading`."""

from __future__ import annotations

from dataclasses import dataclass

ASSERTED, QUESTION, DISTANCED = "asserted", "question", "distanced"


@dataclass(frozen=True, slots=True)
class Part:
    """A sentence, or one side of a contrast: its tokens, how it is meant, whether it joins
    the part before it, and whether it is the second side of a contrast ("..., but ...")."""

    start: int
    end: int
    stance: str
    joined: bool = False
    contrast: bool = False
    turn: bool = False  # opens with "However"/"But": it sets the sentence before aside
    refers_back: bool = False  # opens by pointing back: "that's...", "done, that covers..."


@dataclass(frozen=True, slots=True)
class Mention:
    """A concept mentioned in a part, and whether a negation in its clause flips it."""

    concept: str
    start: int
    end: int
    negated: bool
    part: int
