"""Typed quiz answers, marked on what they name (read by :mod:`dialogs.language.answers`).

Every verdict says what was read ("I read: Behavioural"), so a student can see and contest
it. A self-correction grades the final answer; in "name two" questions each item is marked,
and wrong extras make an answer partly right with the wrong ones named. Numbers are read
with their working and the final result taken; a ratio given for a percentage is diagnosed.
"""

from __future__ import annotations

import re

from dialogs.language.answers import AnswerReading, dont_know, read_answer
from dialogs.language.numbers import read_amount
from dialogs.language.words import fold
from dialogs.quiz.grading import (
    LETTERS,
    Unreadable,
    Verdict,
    answer_line,
    grade_option,
    lettered,
    unreadable_words,
)
from dialogs.quiz.questions import Question, option_phrases
from dialogs.text import bold, esc
from knowledge.numeric import format_number

_EITHER = re.compile(r"\d\s*%?\s+or\s+(?:maybe\s+)?[£$]?\d")


def _read_line(reading: AnswerReading, labels: dict[str, str]) -> str:
    said = ", ".join(labels.get(k, k) for k in reading.keys)
    corrected = " (your final answer)" if reading.corrected else ""
    return f"I read: {esc(said)}{corrected}."


def grade_pick_one(question: Question, text: str) -> Verdict | Unreadable:
    """One answer wanted (a base for a variable): right if every answer named is accepted."""
    reading = read_answer(text, question.accept)
    keys = reading.keys
    if not keys:
        names = ", ".join(question.labels.get(k, k) for k in question.accept)
        return Unreadable(f"I couldn't tell which one you mean. Type one of: {esc(names)}.")
    label = ", ".join(question.labels.get(k, k) for k in keys)
    good = [k for k in keys if k in question.right]
    bad = [k for k in keys if k not in question.right]
    read_line = _read_line(reading, question.labels)
    if good and not bad:
        either = ""
        if len(question.right) > 1:
            either = " Either base is fine here. " + esc(question.explanation)
        body = f"✅ {bold('Right!')} {read_line}{either or ' ' + esc(question.explanation)}"
        return Verdict(True, body.strip(), label)
    lines = [
        f"🟡 {bold('Partly right')}: hedging between bases loses the mark."
        if good
        else f"❌ {bold('Not quite.')}",
        read_line,
        *(esc(question.notes[k]) for k in bad if k in question.notes),
        answer_line(question),
        esc(question.explanation),
    ]
    return Verdict(False, "\n".join(line for line in lines if line), label, partial=bool(good))


def grade_recall(question: Question, text: str) -> Verdict:
    """ "Name two...": each item marked; wrong extras make it partly right, named as wrong."""
    reading = read_answer(text, question.accept)
    keys = reading.keys
    good = [k for k in keys if k in question.right]
    bad = [k for k in keys if k not in question.right]
    label = ", ".join(question.labels.get(k, k) for k in keys) or text[:60]
    enough = len(good) >= question.need
    lines: list[str] = []
    if enough and not bad:
        lines.append(f"✅ {bold('Right!')}")
    elif good:
        shown = min(len(good), question.need)
        lines.append(f"🟡 {bold('Partly right')}: {shown} of {question.need} right.")
    else:
        lines.append(f"❌ {bold('Not quite.')}")
    if keys:
        marks = [f"✅ {esc(question.labels.get(k, k))}" for k in good]
        marks += [f"❌ {esc(question.notes.get(k, question.labels.get(k, k)))}" for k in bad]
        lines.append("I read: " + "; ".join(marks))
    else:
        lines.append("I couldn't find any segmentation variables in that.")
    if not enough:
        missing = [question.labels.get(k, k) for k in question.right if k not in good][:4]
        lines.append(f"Good answers include: {bold(', '.join(missing))}")
    elif bad:
        lines.append("Name only the ones that fit: extra wrong ones cost marks in an exam.")
    lines.append(esc(question.explanation))
    return Verdict(
        enough and not bad, "\n".join(lines), label, partial=bool(good) and not (enough and not bad)
    )


def _with_unit(value: float, unit: str) -> str:
    shown = format_number(value)
    return f"£{shown}" if unit == "£" else f"{shown}%" if unit == "%" else shown


def grade_number(question: Question, text: str) -> Verdict | Unreadable:
    """A calculation: the final stated result within tolerance; common slips diagnosed."""
    amount = read_amount(text)
    if amount is not None and _EITHER.search(fold(text)):
        return Unreadable("Give me one answer, not two, and I'll mark it.")
    if amount is None:
        return Unreadable(
            "I need a number here, like <code>3.5</code> or <code>3.5%</code> (working is welcome)."
        )
    answer = float(question.number["answer"])
    tolerance = float(question.number["tolerance"])
    unit = str(question.number["unit"])
    said = _with_unit(amount.value, unit)
    read = f"I read: {bold(said)}" + (" (from your working)." if amount.working else ".")
    if abs(amount.value - answer) <= tolerance:
        return Verdict(True, f"✅ {bold('Right!')} {read}\n{answer_line(question)}", said)
    if unit == "%" and abs(amount.value * 100 - answer) <= tolerance:
        note = (
            f"🟡 {bold('Nearly!')} {read} That is the right ratio, but the question asks "
            f"for a percentage: multiply by 100 to get {bold(question.answer)}."
        )
        return Verdict(False, note, said, partial=True)
    lines = [f"❌ {bold('Not quite.')} {read}", answer_line(question)]
    upside_down = 10000.0 if unit == "%" else 1.0
    if answer and abs(amount.value * answer - upside_down) <= 0.02 * upside_down:
        lines.append("It looks like the division is upside down: check which figure goes on top.")
    lines += ["", bold("How to work it out:"), esc(question.number["method"])]
    return Verdict(False, "\n".join(lines), said)


def _option_choices(question: Question) -> dict[str, list[str]]:
    if question.accept:
        return {k: list(v) for k, v in question.accept.items()}
    return {
        str(i): option_phrases(option, question.options)
        for i, option in enumerate(question.options)
    }


def grade_typed_option(question: Question, text: str) -> Verdict | Unreadable:
    """An option typed instead of tapped: its name, an alias, a distinctive word or a letter."""
    plain = " ".join(fold(text).split()).strip(".!) ")
    letters = LETTERS[: len(question.options)].lower()
    if lettered(question) and len(plain) == 1 and plain in letters:
        return grade_option(question, letters.index(plain))
    keys = read_answer(text, _option_choices(question)).keys
    if len(keys) != 1:
        why = "Which one do you mean? " if keys else ""
        return Unreadable(
            f"{why}Tap one of the buttons under the question, or type the option's name."
        )
    return grade_option(question, int(keys[0]))


def grade_text(question: Question, text: str) -> Verdict | Unreadable:
    """Grade a typed answer, or say why it cannot be read as one."""
    if dont_know(text):
        return Unreadable(
            "No problem. Tap 🤷 <b>I don't know</b> to see it (it will come back soon), "
            "or have a guess."
            if question.typed
            else "No problem: have a guess by tapping the option you think is most likely."
        )
    if question.numeric:
        return grade_number(question, text)
    if read_amount(text) is not None and not any(ch.isalpha() for ch in fold(text)):
        return Unreadable("I was expecting words here, not a number. Have another go in words.")
    problem = unreadable_words(text)
    if problem is not None:
        return problem
    if question.options:
        return grade_typed_option(question, text)
    if question.need <= 1:
        return grade_pick_one(question, text)
    return grade_recall(question, text)
