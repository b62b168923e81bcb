"""How quiz questions, answers and summaries look in the chat (phone-sized, buttons first)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from dialogs.quiz.due import when
from dialogs.quiz.grading import LETTERS, Verdict, lettered
from dialogs.quiz.questions import Question
from dialogs.replies import Button, Keyboard, Message, rows
from dialogs.text import bold, esc
from storage.models import QuizQuestion

AFTER_QUIZ = rows(Button("📝 Another quiz", "m:quiz"), Button("🏠 Menu", "m:start"))


def header(position: int, size: int, *, review: bool) -> str:
    """ "Question 3 of 10", marked when it is a due review."""
    tag = " · 🔁 review" if review else ""
    return f"📝 {bold(f'Question {position} of {size}')}{tag}"


def _body(question: Question) -> str:
    text = question.prompt
    if lettered(question):
        listed = "\n".join(f"{bold(LETTERS[i])}) {esc(o)}" for i, o in enumerate(question.options))
        text += "\n\n" + listed
    elif question.typed:
        text += "\n\n✍️ Type your answer."
    return text


def _keyboard(question_id: int, question: Question, *, hinted: bool) -> Keyboard:
    if lettered(question):
        labels = [LETTERS[i] for i in range(len(question.options))]
        options = rows(
            *(Button(label, f"q:{question_id}:{i}") for i, label in enumerate(labels)), width=4
        )
    else:
        options = rows(*(Button(o, f"q:{question_id}:{i}") for i, o in enumerate(question.options)))
    extras = []
    if question.hint and not hinted:
        extras.append(Button("💡 Hint", f"q:h:{question_id}"))
    if question.typed:
        extras.append(Button("🤷 Show answer", f"q:s:{question_id}"))
    return options + rows(*extras)


def pending_message(row: QuizQuestion, *, size: int) -> Message:
    """A stored, still unanswered question, shown again (to carry on, or in a reminder)."""
    assert row.id is not None
    return question_message(
        row.id,
        Question.from_payload(row.payload),
        position=row.position,
        size=size,
        review=bool(row.payload.get("review")),
        hinted=row.hinted,
    )


def question_message(
    question_id: int,
    question: Question,
    *,
    position: int,
    size: int,
    review: bool,
    hinted: bool = False,
) -> Message:
    """The question with its option buttons, hint and (for typed ones) show-answer buttons."""
    text = f"{header(position, size, review=review)}\n\n{_body(question)}"
    return Message(text, _keyboard(question_id, question, hinted=hinted))


# Room left for the feedback when it joins the answered question (Telegram allows 4096).
_EDIT_LIMIT = 3800


def answered_message(
    question: Question, verdict: Verdict, *, position: int, size: int, review: bool
) -> tuple[Message, Message | None]:
    """The question as it stays in the chat once answered (the choice shown, no buttons) with
    the verdict's explanation beneath it; the explanation comes back as a message of its own
    only when both would not fit in one."""
    mark = "✅" if verdict.correct else ("🟡" if verdict.partial else "❌")
    text = f"{header(position, size, review=review)}\n\n{_body(question)}"
    text += f"\n\nYour answer: {bold(verdict.chosen)} {mark}"
    joined = f"{text}\n\n{verdict.feedback}"
    if len(joined) <= _EDIT_LIMIT:
        return Message(joined), None
    return Message(text), feedback_message(verdict)


def feedback_message(verdict: Verdict) -> Message:
    """The verdict and the explanation."""
    return Message(verdict.feedback)


def summary_message(
    *,
    correct: int,
    answered: int,
    ran_out: bool,
    due_now: int,
    next_due: datetime | None,
    now: datetime,
    zone: ZoneInfo,
    topic_label: str | None = None,
    extra: Sequence[Button] = (),
) -> Message:
    """The end of a quiz: the score, what is due (counted as /review counts it) and when the
    next review comes, and buttons to carry on (``extra`` first: ways to top up)."""
    if answered == 0:
        score = "That quiz ended before any answers."
    else:
        cheer = "🎉 " if correct == answered else ("👍 " if correct * 2 >= answered else "")
        score = f"{cheer}You got {bold(f'{correct} of {answered}')} right."
    lines = [f"🏁 {bold('Quiz complete!')}", score]
    if ran_out:
        where = f" in {esc(topic_label)}" if topic_label else ""
        lines.append(f"That's everything due or new{where} for now.")
    if due_now:
        items = "1 item is" if due_now == 1 else f"{due_now} items are"
        lines.append(f"🔁 {items} due for review now.")
    elif next_due is not None:
        lines.append(f"Your next review is due {when(next_due, now, zone)}.")
    if correct < answered:
        lines.append("The ones you missed come back sooner, so they stick. 💪")
    buttons = AFTER_QUIZ
    if due_now:
        buttons = rows(Button("🔁 Review now", "m:review"), Button("🏠 Menu", "m:start"))
    return Message("\n".join(lines), rows(*extra, width=1) + buttons)
