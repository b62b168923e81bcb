"""Grade quiz answers fairly and explain every verdict.

Buttons are graded by index (typed answers are in :mod:`dialogs.quiz.typed_grading`). Input
that cannot be read as an answer at all (emoji only, another script, a number where words are
wanted or the reverse) is :class:`Unreadable`: the student is told why and nothing is counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dialogs.language.words import fold
from dialogs.quiz.questions import Question
from dialogs.text import bold, esc

LONG_OPTION = 24
REVEALED = "(shown the answer)"  # what "I don't know" stores as the answer
LETTERS = "ABCDEFGH"
_LATIN = re.compile(r"[a-z]")


@dataclass(frozen=True)
class Verdict:
    """A graded answer: right, partly right or wrong, what was chosen, and the feedback HTML."""

    correct: bool
    feedback: str
    chosen: str = ""
    partial: bool = False


@dataclass(frozen=True)
class Unreadable:
    """Text that is not an answer to the question; ``message`` (HTML) says what is wanted."""

    message: str


def lettered(question: Question) -> bool:
    """True when the options are too long for buttons and are listed as A, B, C... instead."""
    return any(len(option) > LONG_OPTION for option in question.options)


def answer_line(question: Question) -> str:
    """The right answer, in bold, as a line of feedback."""
    return f"The answer: {bold(question.answer)}"


def _tail(question: Question) -> str:
    return f"\n\n{esc(question.explanation)}" if question.explanation else ""


# Kinds whose prompt already shows the right answer's explanation (the definition asked about).
_SELF_EXPLAINED = frozenset({"define", "command_word"})


def grade_option(question: Question, index: int) -> Verdict:
    """Grade a tapped option; the explanation is specific to the option chosen."""
    chosen = question.options[index]
    why = question.why[index] if index < len(question.why) else ""
    if index in question.correct:
        said = "" if question.kind in _SELF_EXPLAINED else f" {esc(why)}"
        return Verdict(True, f"✅ {bold('Right!')}{said}{_tail(question)}", chosen)
    right = question.correct[0]
    right_why = question.why[right] if right < len(question.why) else ""
    if question.kind in _SELF_EXPLAINED:
        right_why = ""
    lines = [f"❌ {bold('Not quite.')} You chose {bold(chosen)}.", esc(why)]
    lines.append(answer_line(question))
    if right_why and right_why not in why:
        lines.append(esc(right_why))
    return Verdict(False, "\n".join(lines) + _tail(question), chosen)


def reveal(question: Question) -> Verdict:
    """The student asked to see the answer: counted as not known, with the full explanation."""
    lines = [f"👀 {answer_line(question)}"]
    if question.options:
        right = question.correct[0]
        if right < len(question.why):
            lines.append(esc(question.why[right]))
    elif question.numeric:
        lines.append(bold("How to work it out:"))
        lines.append(esc(question.number["method"]))
        return Verdict(False, "\n".join(lines), REVEALED)
    return Verdict(False, "\n".join(lines) + _tail(question), REVEALED)


def unreadable_words(text: str) -> Unreadable | None:
    """Why ``text`` cannot be an answer in words (none, or not in English), or None."""
    plain = fold(text)
    if not any(ch.isalnum() for ch in plain):
        return Unreadable("I couldn't find any words in that. Please type your answer in words.")
    if not _LATIN.search(plain):
        return Unreadable(
            "I can only mark answers written in English (Latin letters). "
            "Please type your answer in English."
        )
    return None
