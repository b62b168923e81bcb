"""How a later part changes the stance of the one before it: "That's a myth." and "wait no,"
distance it, "I agreed." makes a reported view the student's own, "or is that wrong?" turns it
into a question, and "..., but it isn't" after "X sounds better" leaves X only a seeming."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from dialogs.language.parts import ASSERTED, DISTANCED, QUESTION, Mention, Part
from dialogs.language.terms import INLINE
from dialogs.language.words import Word

_EARLY = 5  # words: how soon a retraction must name its subject again
_THEY = frozenset({"they", "it", "its", "both", "them"})  # the subject again, not the claim


def look_back(parts: list[Part], mentions: list[Mention], words: Sequence[Word]) -> None:
    """A part that only distances ("That's a myth.") distances the part before it, and so
    does one that takes it back ("CLV is one sale... wait no, that's AOV"); one that opens
    by agreeing ("My mum said X. I agreed.") makes a reported view the student's own; the
    other side of a "but" after how something seems ("X sounds better, but...") distances it.
    ``parts`` and ``mentions`` are updated in place."""
    for index in range(1, len(parts)):
        # A claim's inline pattern ("that is") says nothing of its own here.
        here = {m.concept for m in mentions if m.part == index and not m.concept.startswith(INLINE)}
        part = parts[index]
        opening = {m.concept for m in mentions if m.part == index and m.start == part.start}
        only_distance = here and here <= {"distance", "question_cue"}
        before = parts[index - 1]
        if "retraction" in opening or (only_distance and part.stance == DISTANCED):
            parts[index - 1] = replace(before, stance=DISTANCED)
            # "psychographic is values and... no wait, they're the same": what is taken back
            # was said of the same subjects, so the new claim is about them too.
            early = words[part.start : part.start + _EARLY]
            if "retraction" in opening and any(w.lemma in _THEY for w in early):
                taken = [m for m in mentions if m.part == index - 1]
                mentions += [replace(m, part=index) for m in taken]
        elif here == {"question_cue"} and before.stance == ASSERTED:
            # "wouldn't it be better to ...? or is that wrong": the tag asks
            parts[index - 1] = replace(before, stance=QUESTION)
        elif "endorsed" in opening and before.stance == DISTANCED and part.stance == ASSERTED:
            parts[index - 1] = replace(before, stance=ASSERTED)
        elif part.contrast and any(
            m.part == index - 1 and m.concept == "seeming" for m in mentions
        ):
            # "more segments sounds better, but it isn't": only how it looks, then the answer
            parts[index - 1] = replace(before, stance=DISTANCED)
