"""The quiz's buttons (prefix ``q``): answers, hints, show the answer, carry on or start anew.

Callback data is never trusted: every id is parsed, then checked against the stored quiz, so
forged or stale data changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace

from sqlmodel import Session

from dialogs.context import Context
from dialogs.quiz.flow import (
    ENDED,
    after_finishing,
    settle_answer,
    start_or_offer,
    start_quiz,
)
from dialogs.quiz.grading import grade_option, reveal
from dialogs.quiz.questions import Question
from dialogs.quiz.topics import topics
from dialogs.quiz.view import (
    AFTER_QUIZ,
    answered_message,
    pending_message,
    question_message,
)
from dialogs.replies import ButtonOutcome, Message, Reply
from dialogs.text import bold, esc
from storage.models import QuizQuestion, QuizSession
from storage.quizzes import (
    get_session,
    load_question,
    mark_hinted,
    pending_question,
)

MODES = ("quiz", "review", "practice")

_ID = re.compile(r"^[0-9]{1,12}$")


_ANSWERED = ButtonOutcome(toast="You've already answered that one. ✔️")


_EXPIRED = ButtonOutcome(toast="That button has expired. Try /quiz for a fresh one.")


def _load(
    session: Session, ctx: Context, question_id: int
) -> tuple[QuizSession, QuizQuestion] | ButtonOutcome:
    found = load_question(session, question_id=question_id)
    if found is None:
        return _EXPIRED
    row, quiz = found
    if quiz.user_id != ctx.person.id:
        return ButtonOutcome(toast="That quiz belongs to someone else. Start yours with /quiz.")
    if row.answered_at is not None:
        return _ANSWERED
    if quiz.status != "active":
        again = Message(f"{ENDED} Fancy a new one?", AFTER_QUIZ)
        return ButtonOutcome(toast=ENDED, replies=[again])
    return quiz, row


async def _answer_button(ctx: Context, question_id: int, option: int | None) -> ButtonOutcome:
    def answer(session: Session) -> ButtonOutcome | tuple[ButtonOutcome, QuizSession]:
        """The outcome; (outcome, quiz) when the tap was taken as an answer."""
        loaded = _load(session, ctx, question_id)
        if isinstance(loaded, ButtonOutcome):
            return loaded
        quiz, row = loaded
        question = Question.from_payload(row.payload)
        if option is None:
            verdict = reveal(question)
        elif 0 <= option < len(question.options):
            verdict = grade_option(question, option)
        else:
            return _EXPIRED
        position, size = row.position, quiz.size
        following = settle_answer(session, ctx, quiz, row, verdict, verdict.chosen)
        if following is None:
            return _ANSWERED
        review = bool(row.payload.get("review"))
        edit, feedback = answered_message(
            question, verdict, position=position, size=size, review=review
        )
        # The explanation joins the answered question; the next question follows it.
        replies: list[Reply] = [feedback, following] if feedback else [following]
        toast = (
            "✅ Right!"
            if verdict.correct
            else ("👀 Here it is" if option is None else "❌ Not quite")
        )
        return ButtonOutcome(toast=toast, edit=edit, replies=replies), quiz

    answered = await ctx.db.run(answer)
    if isinstance(answered, ButtonOutcome):
        return answered
    outcome, quiz = answered
    return replace(outcome, replies=[*outcome.replies, *await after_finishing(ctx, quiz)])


async def _hint_button(ctx: Context, question_id: int) -> ButtonOutcome:
    def hint(session: Session) -> ButtonOutcome:
        loaded = _load(session, ctx, question_id)
        if isinstance(loaded, ButtonOutcome):
            return loaded
        quiz, row = loaded
        question = Question.from_payload(row.payload)
        if not question.hint:
            return ButtonOutcome(toast="No hint for this one, sorry!")
        if row.hinted:
            return ButtonOutcome(toast="The hint is just above. 🙂")
        mark_hinted(session, question=row)
        assert row.id is not None
        edit = question_message(
            row.id,
            question,
            position=row.position,
            size=quiz.size,
            review=bool(row.payload.get("review")),
            hinted=True,
        )
        text = f"💡 {bold('Hint:')} {esc(question.hint)}"
        return ButtonOutcome(edit=edit, replies=[Message(text)])

    return await ctx.db.run(hint)


async def _resume_button(ctx: Context, quiz_id: int) -> ButtonOutcome:
    def resume(session: Session) -> ButtonOutcome:
        quiz = get_session(session, quiz_id=quiz_id)
        if quiz is None or quiz.user_id != ctx.person.id:
            return _EXPIRED
        row = pending_question(session, quiz_id=quiz_id) if quiz.status == "active" else None
        if row is None or row.id is None:
            again = Message(f"{ENDED} Fancy a new one?", AFTER_QUIZ)
            return ButtonOutcome(toast=ENDED, replies=[again])
        quiz.updated_at = ctx.now
        session.add(quiz)
        message = pending_message(row, size=quiz.size)
        return ButtonOutcome(edit=Message("▶️ Carrying on."), replies=[message])

    return await ctx.db.run(resume)


async def _new_button(
    ctx: Context, quiz_id: int, mode: str, topic: str | None, *, top_up: bool = False
) -> ButtonOutcome:
    """Start a new quiz: instead of a running one (its offer edited away), or as a top-up
    offered under a summary or a "nothing to do" (quiz id 0: no quiz came before)."""
    if mode not in MODES or (topic is not None and topic not in topics(ctx.kb)):
        return _EXPIRED

    def start_new(session: Session) -> ButtonOutcome:
        quiz = get_session(session, quiz_id=quiz_id) if quiz_id else None
        if (quiz_id or not top_up) and (quiz is None or quiz.user_id != ctx.person.id):
            return _EXPIRED
        replies = start_quiz(session, ctx, mode, topic)
        if top_up:
            return ButtonOutcome(toast="Topping up.", replies=replies)
        return ButtonOutcome(edit=Message("🆕 New quiz started."), replies=replies)

    return await ctx.db.run(start_new)


async def _topic_button(ctx: Context, key: str) -> ButtonOutcome:
    """A topic picked from the list offered for a topic /quiz did not recognise."""
    if key not in topics(ctx.kb):
        return _EXPIRED
    replies = await start_or_offer(ctx, "quiz", key)
    return ButtonOutcome(
        edit=Message(f"📝 Quiz on {bold(topics(ctx.kb)[key].label)}"), replies=replies
    )


async def on_button(ctx: Context, rest: str) -> ButtonOutcome:
    """Every "q:" button; the data is parsed and checked against the stored quiz."""
    parts = rest.split(":")
    if len(parts) == 2 and parts[0] == "p":
        return await _topic_button(ctx, parts[1])
    if len(parts) == 2 and _ID.match(parts[0]) and _ID.match(parts[1]):
        return await _answer_button(ctx, int(parts[0]), int(parts[1]))
    if len(parts) < 2 or not _ID.match(parts[1]):
        return _EXPIRED
    action, number = parts[0], int(parts[1])
    if action == "h" and len(parts) == 2:
        return await _hint_button(ctx, number)
    if action == "s" and len(parts) == 2:
        return await _answer_button(ctx, number, None)
    if action == "r" and len(parts) == 2:
        return await _resume_button(ctx, number)
    if action in ("n", "t") and len(parts) in (3, 4):
        topic = parts[3] if len(parts) == 4 else None
        return await _new_button(ctx, number, parts[2], topic, top_up=action == "t")
    return _EXPIRED
