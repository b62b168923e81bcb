"""Typed answers: which of the expected answers a student named, read the way a teacher would.

``read_answer`` takes the answers a question accepts (key -> the ways to write it: names,
aliases, abbreviations) and returns what the text names, in order. A self-correction counts
as the final answer ("demographic, no wait, behavioural" names *behavioural*); a negated
answer is not named ("not demographic, it's behavioural"); spelling slips, plurals and
abbreviations are read like everything else the tutor reads (see :mod:`dialogs.language.words`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from dialogs.language.lexicon import Lexicon
from dialogs.language.numbers import CORRECTIONS
from dialogs.language.reading import read
from dialogs.language.words import fold

_DONT_KNOW = re.compile(
    r"^\W*(?:i\s+)?(?:do\s*n[o']?t\s+know|dont\s+know|dunno|idk|no\s+idea|not\s+sure|no\s+clue"
    r"|pass|skip|\?+|no\s+idea\s+tbh|idk\s+tbh|i\s+have\s+no\s+idea)\W*(?:tbh|sorry|lol)?\W*$"
)
_TERM_SYNTAX = re.compile(r"[|~#?]")


@dataclass(frozen=True)
class Named:
    """One expected answer found in the text, and the words that named it."""

    key: str
    words: str


@dataclass(frozen=True)
class AnswerReading:
    """What a typed answer names (after any self-correction), and what it explicitly rejects."""

    named: tuple[Named, ...]
    rejected: tuple[str, ...] = ()
    corrected: bool = False

    @property
    def keys(self) -> list[str]:
        """The keys named, in order, each once."""
        return list(dict.fromkeys(n.key for n in self.named))


def dont_know(text: str) -> bool:
    """True for "idk", "no idea", "not sure", "?": the student is not trying an answer."""
    return bool(_DONT_KNOW.match(fold(text).strip()))


@lru_cache(maxsize=512)
def _lexicon(choices: tuple[tuple[str, tuple[str, ...]], ...]) -> Lexicon:
    concepts = {
        key: [t for t in (_TERM_SYNTAX.sub(" ", p).strip() for p in phrases) if t]
        for key, phrases in choices
    }
    return Lexicon({k: v for k, v in concepts.items() if v})


def read_answer(text: str, choices: Mapping[str, Sequence[str]]) -> AnswerReading:
    """Which of ``choices`` (key -> ways to write it) ``text`` names; see the module docstring."""
    lexicon = _lexicon(tuple((k, tuple(v)) for k, v in choices.items()))
    segments = [s for s in CORRECTIONS.split(fold(text)) if s.strip()]
    for index in range(len(segments) - 1, -1, -1):
        reading = read(segments[index], lexicon)
        named = tuple(
            Named(m.concept, reading.surface(m.start, m.end))
            for m in sorted(reading.mentions, key=lambda m: m.start)
            if not m.negated
        )
        rejected = tuple(dict.fromkeys(m.concept for m in reading.mentions if m.negated))
        if named or rejected:
            return AnswerReading(named, rejected, corrected=index < len(segments) - 1)
    return AnswerReading(())
