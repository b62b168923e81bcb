"""A quiz's flow in one transaction each: start it, ask the next item, record an answer, finish.

Each function takes the open database session from the caller's transaction, reads first and
writes at the end, so a racing second answer writes nothing at all.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlmodel import Session

from dialogs.context import Context
from dialogs.quiz.goal import day_lines
from dialogs.quiz.grading import Verdict
from dialogs.quiz.intro import with_intro
from dialogs.quiz.makers import make
from dialogs.quiz.plan import Plan, choose, read_plan, upcoming
from dialogs.quiz.scheduling import rating_for, schedule
from dialogs.quiz.topics import topics
from dialogs.quiz.view import (
    question_message,
    summary_message,
    with_undo,
)
from dialogs.reminders import offer
from dialogs.replies import Button, Message, Reply, rows
from dialogs.text import esc
from storage.cards import add_review, save_card
from storage.models import QuizQuestion, QuizSession
from storage.quizzes import (
    add_question,
    claim_answer,
    count_correct,
    end_session,
    start_session,
)

QUIZ_SIZE = 10


TIMEOUT = timedelta(hours=2)


ENDED = "That quiz has ended."


def is_stale(quiz: QuizSession, now: datetime) -> bool:
    return now - quiz.updated_at > TIMEOUT


def ask_next(
    session: Session,
    ctx: Context,
    quiz: QuizSession,
    picked: tuple[str, bool] | None,
    *,
    introduce: bool = False,
) -> Message | None:
    """Store and render the question about ``picked``; None if there is nothing to ask.

    With ``introduce``, an item never seen before comes with its card first (as Anki shows a
    new card before testing it)."""
    if picked is None:
        return None
    item_id, review = picked
    rng = random.Random(f"{quiz.id}:{quiz.asked + 1}:{item_id}")
    question = make(ctx.kb, item_id, rng, reviewed=review)
    if question is None:
        return None
    payload = question.to_payload() | {"review": review}
    row = add_question(
        session, quiz=quiz, item_id=item_id, kind=question.kind, payload=payload, now=ctx.now
    )
    assert row.id is not None
    message = question_message(
        row.id, question, position=row.position, size=quiz.size, review=review
    )
    return with_intro(ctx.kb, item_id, message) if introduce and not review else message


def finish(
    session: Session, ctx: Context, quiz: QuizSession, plan: Plan, *, ran_out: bool
) -> Message:
    end_session(session, quiz=quiz, status="finished", now=ctx.now)
    summary = summary_message(
        correct=quiz.correct,
        answered=quiz.asked,
        ran_out=ran_out,
        next_due=upcoming(plan, ctx.now),
        now=ctx.now,
    )
    day = "\n".join(day_lines(session, ctx, plan.user))
    return Message(f"{summary.html}\n\n{day}", summary.buttons)


def nothing_to_do(mode: str, topic: str | None, ctx: Context) -> list[Reply]:
    if mode == "review":
        text = "🎉 Nothing is due for review right now. Try /quiz to learn something new."
    else:
        where = f" in {esc(topics(ctx.kb)[topic].label)}" if topic else ""
        text = (
            f"You're all caught up{where}: nothing is due and you've met today's new items. "
            "Come back tomorrow, or raise your daily limit in /settings."
        )
    return [Message(text, rows(Button("🏠 Menu", "m:start")))]


def start_quiz(
    session: Session, ctx: Context, mode: str, topic: str | None, size: int = QUIZ_SIZE
) -> list[Reply]:
    """Start a quiz (mode "quiz" or "review", optionally on a topic): its first question, or
    a friendly "nothing to do"."""
    plan = read_plan(session, ctx, quiz_id=None)
    if plan is None:
        return [Message("Please send /start first.")]
    picked = choose(session, ctx, mode=mode, topic=topic, plan=plan)
    if picked is None:
        return nothing_to_do(mode, topic, ctx)
    quiz = start_session(
        session, user_id=plan.user.id, mode=mode, topic=topic, size=size, now=ctx.now
    )
    first = ask_next(session, ctx, quiz, picked, introduce=plan.user.introduce_new)
    if first is None:
        end_session(session, quiz=quiz, status="empty", now=ctx.now)
        return nothing_to_do(mode, topic, ctx)
    return [first]


def settle_answer(
    session: Session,
    ctx: Context,
    quiz: QuizSession,
    row: QuizQuestion,
    verdict: Verdict,
    answer: str,
) -> Message | None:
    """Record the verdict and schedule the item; what follows it: the next question, or the
    summary.

    Reads everything first and writes at the end. None when the question turned out to be
    answered already (a second tap racing the first): nothing is written then.
    """
    assert quiz.id is not None
    plan = read_plan(session, ctx, quiz_id=quiz.id)
    if plan is None:
        return None
    card = plan.cards.get(row.item_id)
    finishing = quiz.asked >= quiz.size
    picked = None
    if not finishing:
        picked = choose(
            session,
            ctx,
            mode=quiz.mode,
            topic=quiz.topic,
            plan=plan,
            unlogged_new=1 if card is None else 0,
        )
    duration_ms = max(0, int((ctx.now - row.asked_at).total_seconds() * 1000))
    rating = rating_for(
        correct=verdict.correct,
        partial=verdict.partial,
        hinted=row.hinted,
        duration_ms=duration_ms,
        stability=card.stability if card else None,
    )
    # Writes from here on: claim first, so a racing second tap writes nothing at all.
    if not claim_answer(session, question=row, answer=answer, correct=verdict.correct, now=ctx.now):
        return None
    card = schedule(card, user=plan.user, item_id=row.item_id, rating=rating, now=ctx.now)
    plan.cards[row.item_id] = card
    save_card(session, card)
    add_review(
        session,
        user_id=plan.user.id,
        item_id=row.item_id,
        rating=int(rating),
        source="quiz",
        duration_ms=duration_ms,
        now=ctx.now,
    )
    if verdict.correct:
        count_correct(session, quiz=quiz, now=ctx.now)
    following = None
    if not finishing:
        following = ask_next(session, ctx, quiz, picked, introduce=plan.user.introduce_new)
    if following is None:
        following = finish(session, ctx, quiz, plan, ran_out=not finishing)
    assert row.id is not None
    return with_undo(following, row.id)


async def after_finishing(ctx: Context, quiz: QuizSession) -> list[Reply]:
    """Once a quiz is over (its own transaction committed): the one-time reminder offer."""
    if quiz.status != "finished":
        return []
    return await offer.maybe_offer(ctx)
