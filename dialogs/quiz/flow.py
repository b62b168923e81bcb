"""A quiz's flow in one transaction each: start it, ask the next item, record an answer, finish.

Each function takes the open database session from the caller's transaction, reads first and
writes at the end, so a racing second answer writes nothing at all.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from dialogs.context import Context
from dialogs.quiz.due import due_cards, next_due, pool
from dialogs.quiz.grading import Verdict
from dialogs.quiz.makers import make
from dialogs.quiz.plan import Plan, choose, read_plan, supply
from dialogs.quiz.scheduling import rating_for, schedule
from dialogs.quiz.topics import topics
from dialogs.quiz.topup import shortfall_note, topup_buttons, topup_choices
from dialogs.quiz.view import (
    question_message,
    summary_message,
)
from dialogs.reminders import offer
from dialogs.reminders.zones import zone_name
from dialogs.replies import Button, Message, Reply, rows
from dialogs.text import bold, esc
from storage.cards import add_review, save_card
from storage.models import QuizQuestion, QuizSession
from storage.quizzes import (
    add_question,
    claim_answer,
    count_correct,
    end_session,
    recent_kinds,
    start_session,
    waiting_question,
)

QUIZ_SIZE = 10


TIMEOUT = timedelta(hours=2)


ENDED = "That quiz has ended."


def is_stale(quiz: QuizSession, now: datetime) -> bool:
    return now - quiz.updated_at > TIMEOUT


def ask_next(
    session: Session, ctx: Context, quiz: QuizSession, picked: tuple[str, bool] | None
) -> Message | None:
    """Store and render the question about ``picked``; None if there is nothing to ask."""
    if picked is None:
        return None
    item_id, review = picked
    rng = random.Random(f"{quiz.id}:{quiz.asked + 1}:{item_id}")
    assert quiz.id is not None
    recent = recent_kinds(session, quiz_id=quiz.id, count=1)
    question = make(ctx.kb, item_id, rng, reviewed=review, avoid=recent)
    if question is None:
        return None
    payload = question.to_payload() | {"review": review}
    row = add_question(
        session, quiz=quiz, item_id=item_id, kind=question.kind, payload=payload, now=ctx.now
    )
    assert row.id is not None
    return question_message(row.id, question, position=row.position, size=quiz.size, review=review)


def finish(
    session: Session, ctx: Context, quiz: QuizSession, plan: Plan, *, ran_out: bool
) -> Message:
    """End the quiz: the score, what is due now and next (as /review counts it), and, after
    a quiz shorter than ten, buttons to top it up."""
    end_session(session, quiz=quiz, status="finished", now=ctx.now)
    everything = pool(ctx.kb, None)
    topic = topics(ctx.kb).get(quiz.topic or "")
    return summary_message(
        correct=quiz.correct,
        answered=quiz.asked,
        ran_out=ran_out,
        due_now=len(due_cards(plan.cards.values(), ctx.now, everything)),
        next_due=next_due(plan.cards.values(), ctx.now, everything),
        now=ctx.now,
        zone=ZoneInfo(zone_name(plan.user, ctx.services)),
        topic_label=topic.label if topic else None,
        extra=topup_buttons(session, ctx, quiz, plan, most=QUIZ_SIZE),
    )


def nothing_to_do(
    mode: str, topic: str | None, ctx: Context, extra: Sequence[Button] = ()
) -> list[Reply]:
    """Nothing left to ask: said plainly, with ``extra`` ways to carry on (top-ups)."""
    if mode == "review":
        text = "🎉 Nothing is due for review right now. Try /quiz to learn something new."
    elif mode == "practice":
        text = "There's nothing you've seen before to practise yet. Try /quiz to start."
    else:
        where = f" in {esc(topics(ctx.kb)[topic].label)}" if topic else ""
        text = (
            f"You're all caught up{where}: nothing is due and you've met today's new items. "
            "Come back tomorrow, or raise your daily limit in /settings."
        )
    return [Message(text, rows(*extra, width=1) + rows(Button("🏠 Menu", "m:start")))]


def start_quiz(
    session: Session, ctx: Context, mode: str, topic: str | None, *, most: int = QUIZ_SIZE
) -> list[Reply]:
    """Start a quiz (mode "quiz", "review" or "practice", optionally on a topic) of at most
    ``most`` questions: its first question, headed with the real length (and, when that is
    short of ``most`` in a quiz, a note saying why), or a friendly "nothing to do"."""
    plan = read_plan(session, ctx, quiz_id=None)
    if plan is None:
        return [Message("Please send /start first.")]
    found = supply(session, ctx, topic, plan)
    size = found.size(mode, most)
    picked = choose(session, ctx, mode=mode, topic=topic, plan=plan) if size else None
    if picked is None:
        extra = topup_choices(session, ctx, 0, topic, plan, most=most) if mode == "quiz" else []
        return nothing_to_do(mode, topic, ctx, extra)
    quiz = start_session(
        session, user_id=plan.user.id, mode=mode, topic=topic, size=size, now=ctx.now
    )
    first = ask_next(session, ctx, quiz, picked)
    if first is None:
        end_session(session, quiz=quiz, status="empty", now=ctx.now)
        return nothing_to_do(mode, topic, ctx)
    if mode == "quiz" and size < most:
        return [Message(shortfall_note(ctx, found, size, topic)), first]
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
    following = None if finishing else ask_next(session, ctx, quiz, picked)
    if following is None:
        following = finish(session, ctx, quiz, plan, ran_out=not finishing)
    return following


async def after_finishing(ctx: Context, quiz: QuizSession) -> list[Reply]:
    """Once a quiz is over (its own transaction committed): the one-time reminder offer."""
    if quiz.status != "finished":
        return []
    return await offer.maybe_offer(ctx)


async def start_or_offer(ctx: Context, mode: str, topic: str | None) -> list[Reply]:
    """Start a quiz, or when one is running, offer to carry on with it or start anew."""

    def offer_or_start(session: Session) -> list[Reply]:
        waiting = waiting_question(session, user_id=ctx.person.id)
        if waiting is not None and not is_stale(waiting[1], ctx.now):
            running = waiting[1]
            data = f"q:n:{running.id}:{mode}" + (f":{topic}" if topic else "")
            text = (
                f"You have a quiz running ({bold(f'{running.asked} of {running.size}')} "
                "asked). Carry on, or start a new one?"
            )
            buttons = rows(Button("▶️ Carry on", f"q:r:{running.id}"), Button("🆕 New quiz", data))
            return [Message(text, buttons)]
        return start_quiz(session, ctx, mode, topic)

    return await ctx.db.run(offer_or_start)
