"""The quiz feature: /quiz [topic], /review, answer buttons (prefix "q") and typed answers.

A quiz lives in the database: the session, and each question with everything needed to grade
it, so a restart loses nothing. Due reviews come first, then new items up to the student's
daily cap. Callback data (all validated; forged or stale data changes nothing):

* ``q:<question_id>:<option>`` answer, ``q:h:<question_id>`` hint,
  ``q:s:<question_id>`` show the answer (typed questions);
* ``q:r:<quiz_id>`` carry on with a running quiz, ``q:n:<quiz_id>:<mode>[:<topic>]`` start a
  new one instead, ``q:t:<quiz_id or 0>:<mode>[:<topic>]`` top up after a short quiz,
  ``q:p:<topic>`` start one on a topic picked from a list.

Typed text counts as an answer only while a question waits and the quiz has been touched in
the last ``TIMEOUT``; after that the quiz is closed and the student is told so.

Each turn loads, grades and writes in one transaction (a sync function given to
``Database.run``); the reminder offer after a finished quiz comes once that has committed.
"""

from __future__ import annotations

from sqlmodel import Session

from dialogs import corrections
from dialogs.context import Context
from dialogs.feature import Feature
from dialogs.quiz.buttons import (
    on_button,
)
from dialogs.quiz.exam import exam_command
from dialogs.quiz.flow import (
    after_finishing,
    is_stale,
    settle_answer,
    start_or_offer,
)
from dialogs.quiz.grading import Unreadable
from dialogs.quiz.progress import progress_command
from dialogs.quiz.questions import Question
from dialogs.quiz.topics import find_topic, suggested_topics
from dialogs.quiz.typed_grading import grade_text
from dialogs.quiz.view import (
    AFTER_QUIZ,
    feedback_message,
)
from dialogs.replies import Button, Message, Reply, rows
from dialogs.text import bold
from storage.models import QuizSession
from storage.quizzes import (
    active_session,
    end_session,
    pending_question,
    waiting_question,
)


def feature() -> Feature:
    """The quiz feature for the Tutor, with /progress and /exam, which belong with it."""
    return Feature(
        name="quiz",
        commands={
            "quiz": quiz_command,
            "review": review_command,
            "progress": progress_command,
            "exam": exam_command,
        },
        buttons={"q": on_button},
        text=on_text,
        cancel=on_cancel,
    )


async def quiz_command(ctx: Context, args: str) -> list[Reply]:
    """/quiz [topic]: due reviews first, then new items; a topic narrows it."""
    topic = None
    if args.strip():
        found = find_topic(ctx.kb, args)
        if found is None:
            text = (
                f"I don't know the topic {bold(args[:60])}. Pick one below, or type one, "
                "for example /quiz psychographic, /quiz kpis, /quiz b2b or /quiz lo2."
            )
            choices = [Button(t.label, f"q:p:{t.key}") for t in suggested_topics(ctx.kb, args)]
            return [Message(text, rows(*choices, width=2))]
        topic = found.key
    return await start_or_offer(ctx, "quiz", topic)


async def review_command(ctx: Context, args: str) -> list[Reply]:
    """/review: only the items due now."""
    return await start_or_offer(ctx, "review", None)


async def on_text(ctx: Context, text: str) -> list[Reply] | None:
    """A typed answer to the waiting question; None when no quiz question is waiting."""

    def answer(
        session: Session,
    ) -> list[Reply] | tuple[Message, Message | None, QuizSession] | None:
        """Final replies; or (verdict, what follows it, quiz) when corrections and a reminder
        offer may come in between and after."""
        waiting = waiting_question(session, user_id=ctx.person.id)
        if waiting is None:
            return None
        row, quiz = waiting
        if is_stale(quiz, ctx.now):
            end_session(session, quiz=quiz, status="expired", now=ctx.now)
            timed_out = Message(
                "⏰ Your quiz timed out (no answer for a couple of hours), so I haven't "
                "marked that. Everything you answered before is saved.",
                AFTER_QUIZ,
            )
            return timed_out, None, quiz
        result = grade_text(Question.from_payload(row.payload), text)
        if isinstance(result, Unreadable):
            still = f"\n\n(Question {row.position} of {quiz.size} is still waiting.)"
            return [Message(result.message + still)]
        following = settle_answer(session, ctx, quiz, row, result, text)
        if following is None:
            return [Message("You've already answered that one. ✔️")]
        return feedback_message(result), following, quiz

    answered = await ctx.db.run(answer)
    if not isinstance(answered, tuple):
        return answered
    verdict, following, quiz = answered
    fixes = await corrections.correct(ctx, text, where="quiz")
    then = [following] if following else []
    return [verdict, *fixes, *then, *await after_finishing(ctx, quiz)]


async def on_cancel(ctx: Context) -> list[Reply] | None:
    """/cancel during a quiz: stop it, keeping every answer so far."""

    def stop(session: Session) -> tuple[QuizSession, int] | None:
        quiz = active_session(session, user_id=ctx.person.id)
        if quiz is None:
            return None
        waiting = quiz.id is not None and pending_question(session, quiz_id=quiz.id) is not None
        answered = quiz.asked - (1 if waiting else 0)
        end_session(session, quiz=quiz, status="cancelled", now=ctx.now)
        return quiz, answered

    stopped = await ctx.db.run(stop)
    if stopped is None:
        return None
    quiz, answered = stopped
    if answered == 0:
        text = "Quiz stopped before any answers, so there's nothing to save."
    else:
        text = f"Quiz stopped. You got {bold(f'{quiz.correct} of {answered}')} right; all saved."
    return [Message(text, AFTER_QUIZ)]
