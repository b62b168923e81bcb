"""Grade quiz answers fairly and explain every verdict.

Buttons are graded by index; typed answers are read leniently (typos, aliases, "about 3.5%").
Input that cannot be read as an answer at all (emoji only, another script, a number where
words are wanted or the reverse) is :class:`Unreadable`: the student is told why and nothing
is counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dialogs.language.matching import find_phrases, match_option
from dialogs.language.normalise import normalise
from dialogs.quiz.questions import BASE_ALIASES, Question
from dialogs.text import bold, esc
from knowledge.numeric import format_number, parse_number

LONG_OPTION = 24
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


def _answer_line(question: Question) -> str:
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
    lines.append(_answer_line(question))
    if right_why and right_why not in why:
        lines.append(esc(right_why))
    return Verdict(False, "\n".join(lines) + _tail(question), chosen)


def reveal(question: Question) -> Verdict:
    """The student asked to see the answer: counted as not known, with the full explanation."""
    lines = [f"👀 {_answer_line(question)}"]
    if question.options:
        right = question.correct[0]
        if right < len(question.why):
            lines.append(esc(question.why[right]))
    elif question.numeric:
        lines.append(bold("How to work it out:"))
        lines.append(esc(question.number["method"]))
        return Verdict(False, "\n".join(lines), "(shown the answer)")
    return Verdict(False, "\n".join(lines) + _tail(question), "(shown the answer)")


def _unreadable_words(text: str) -> Unreadable | None:
    words = normalise(text)
    if not words:
        return Unreadable("I couldn't find any words in that. Please type your answer in words.")
    if not _LATIN.search(words):
        return Unreadable(
            "I can only mark answers written in English (Latin letters). "
            "Please type your answer in English."
        )
    return None


def _option_choices(question: Question) -> dict[str, list[str]]:
    choices: dict[str, list[str]] = {}
    for index, option in enumerate(question.options):
        choices[str(index)] = [option, *BASE_ALIASES.get(option.lower(), [])]
    return choices


def _typed_option(question: Question, text: str) -> Verdict | Unreadable:
    plain = normalise(text)
    letters = LETTERS[: len(question.options)].lower()
    if lettered(question) and len(plain) == 1 and plain in letters:
        return grade_option(question, letters.index(plain))
    picked = match_option(text, _option_choices(question))
    if picked is None:
        return Unreadable(
            "Tap one of the buttons under the question, or type the option's name exactly."
        )
    return grade_option(question, int(picked))


def _grade_number(question: Question, text: str) -> Verdict | Unreadable:
    value = parse_number(text)
    if value is None:
        return Unreadable("I need a number here, like <code>3.5</code> or <code>3.5%</code>.")
    answer = float(question.number["answer"])
    tolerance = float(question.number["tolerance"])
    unit = str(question.number["unit"])
    said = f"{'£' if unit == '£' else ''}{format_number(value)}{'%' if unit == '%' else ''}"
    if abs(value - answer) <= tolerance:
        return Verdict(True, f"✅ {bold('Right!')} {_answer_line(question)}", said)
    if unit == "%" and abs(value * 100 - answer) <= tolerance:
        note = (
            f"✅ {bold('Right!')} You gave it as a decimal; as a percentage it is "
            f"{bold(question.answer)} (multiply by 100)."
        )
        return Verdict(True, note, said)
    lines = [
        f"❌ {bold('Not quite.')} You said {bold(said)}.",
        _answer_line(question),
        "",
        bold("How to work it out:"),
        esc(question.number["method"]),
    ]
    return Verdict(False, "\n".join(lines), said)


def _grade_pick_one(question: Question, text: str) -> Verdict | Unreadable:
    key = match_option(text, question.accept)
    if key is None:
        names = ", ".join(question.labels.get(k, k) for k in question.accept)
        return Unreadable(f"I couldn't tell which one you mean. Type one of: {esc(names)}.")
    label = question.labels.get(key, key)
    if key in question.right:
        body = f"✅ {bold('Right!')} {esc(question.explanation)}"
        return Verdict(True, body, label)
    lines = [
        f"❌ {bold('Not quite.')} You said {bold(label)}.",
        esc(question.notes.get(key, "")),
        _answer_line(question),
        esc(question.explanation),
    ]
    return Verdict(False, "\n".join(line for line in lines if line), label)


def _grade_recall(question: Question, text: str) -> Verdict:
    named = list(dict.fromkeys(hit.key for hit in find_phrases(text, question.accept)))
    good = [k for k in named if k in question.right]
    bad = [k for k in named if k not in question.right]
    label = ", ".join(question.labels.get(k, k) for k in named) or text[:60]
    lines: list[str] = []
    if len(good) >= question.need:
        lines.append(f"✅ {bold('Right!')}")
    elif good:
        lines.append(f"🟡 {bold('Partly right')}: {len(good)} of {question.need}.")
    else:
        lines.append(f"❌ {bold('Not quite.')}")
    if named:
        marks = [f"✅ {esc(question.labels.get(k, k))}" for k in good]
        marks += [f"❌ {esc(question.notes.get(k, question.labels.get(k, k)))}" for k in bad]
        lines.append("I read: " + "; ".join(marks))
    else:
        lines.append("I couldn't find any segmentation variables in that.")
    if len(good) < question.need:
        missing = [question.labels.get(k, k) for k in question.right if k not in good][:4]
        lines.append(f"Good answers include: {bold(', '.join(missing))}")
    lines.append(esc(question.explanation))
    return Verdict(
        len(good) >= question.need,
        "\n".join(lines),
        label,
        partial=0 < len(good) < question.need,
    )


def grade_text(question: Question, text: str) -> Verdict | Unreadable:
    """Grade a typed answer, or say why it cannot be read as one."""
    if question.numeric:
        return _grade_number(question, text)
    if parse_number(text) is not None:
        return Unreadable("I was expecting words here, not a number. Have another go in words.")
    problem = _unreadable_words(text)
    if problem is not None:
        return problem
    if question.options:
        return _typed_option(question, text)
    if question.need <= 1:
        return _grade_pick_one(question, text)
    return _grade_recall(question, text)
