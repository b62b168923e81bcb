"""A reading cut by subject, for marking a scenario step: a part that moves on from one
customer group to another becomes two parts, so what is said of each stays with it."""

from __future__ import annotations

from dataclasses import replace

from dialogs.language.parts import Mention, Part
from dialogs.language.reading import Reading


def by_subject(reading: Reading, subjects: frozenset[str]) -> Reading:
    """The same reading with each asserted part cut where it moves on to another subject.

    "The young ones visit loads and the older ones stay longest" becomes two parts, so
    "visit loads" is read about the young ones only. A part that names one subject (or
    several in a row: "Amy, Ben and Cal") stays whole, and so does one that names its subject
    only late ("targeting the over-60s is a different thing").
    """
    if not subjects:
        return reading
    parts: list[Part] = []
    mentions: list[Mention] = []
    current: str | None = None
    for index, part in enumerate(reading.parts):
        own = reading.in_part(index)
        cuts = [part.start]
        first = next(
            (m.concept for m in sorted(own, key=lambda m: m.start) if m.concept in subjects),
            None,
        )
        # A sentence (or side of a "but") about another group does not join the one before.
        if first is not None and current is not None and first != current:
            part = replace(part, joined=False)
        named = False  # a subject named in this part so far: only then is a new one a cut
        for mention in sorted(own, key=lambda m: m.start):
            if mention.concept in subjects and not mention.negated:
                if named and mention.concept != current and mention.start > cuts[-1]:
                    cuts.append(mention.start)
                current, named = mention.concept, True
        for number, start in enumerate(cuts):
            end = cuts[number + 1] if number + 1 < len(cuts) else part.end
            joined = part.joined if number == 0 else False
            leading = number == 0
            parts.append(
                replace(
                    part,
                    start=start,
                    end=end,
                    joined=joined,
                    contrast=part.contrast and leading,
                    turn=part.turn and leading,
                )
            )
            new_index = len(parts) - 1
            mentions += [
                Mention(m.concept, m.start, m.end, m.negated, new_index)
                for m in own
                if start <= m.start < end
            ]
    return Reading(
        reading.tokens, tuple(parts), tuple(mentions), reading.predicates, reading.rewritten
    )
