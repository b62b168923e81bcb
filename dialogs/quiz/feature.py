"""The quiz feature: /quiz [topic], /review, answer buttons (prefix "q") and typed answers.

A quiz lives in the database: the session, and each question with everything needed to grade
it, so a restart loses nothing. Due reviews come first, then new items up to the student's
daily cap. Callback data (all validated; forged or stale data changes nothing):

* ``q:<question_id>:<option>`` answer, ``q:h:<question_id>`` hint,
  ``q:s:<question_id>`` show the answer (typed questions);
* ``q:r:<quiz_id>`` carry on with a running quiz, ``q:n:<quiz_id>:<mode>[:<topic>]`` start a
  new one instead.

Typed text counts as an answer only while a question waits and the quiz has been touched in
the last ``TIMEOUT``; after that the quiz is closed and the student is told so.

Each turn loads, grades and writes in one transaction (a sync function given to
``Database.run``); the reminder offer after a finished quiz comes once that has committed.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import datetime, timedelta

from sqlmodel import Session

from dialogs.context import Context
from dialogs.feature import Feature
from dialogs.language import misconceptions
from dialogs.quiz.exam import exam_command
from dialogs.quiz.grading import Unreadable, Verdict, grade_option, grade_text, reveal
from dialogs.quiz.plan import Plan, choose, read_plan, upcoming
from dialogs.quiz.progress import progress_command
from dialogs.quiz.questions import Question, make
from dialogs.quiz.scheduling import rating_for, schedule
from dialogs.quiz.topics import find_topic, topics
from dialogs.quiz.view import (
    AFTER_QUIZ,
    answered_message,
    feedback_message,
    pending_message,
    question_message,
    summary_message,
)
from dialogs.reminders import offer
from dialogs.replies import Button, ButtonOutcome, Message, Reply, rows
from dialogs.text import bold, esc
from storage.cards import add_review, save_card
from storage.models import QuizQuestion, QuizSession
from storage.quizzes import (
    active_session,
    add_question,
    claim_answer,
    count_correct,
    end_session,
    get_session,
    load_question,
    mark_hinted,
    pending_question,
    start_session,
    waiting_question,
)

QUIZ_SIZE = 10
TIMEOUT = timedelta(hours=2)
_ID = re.compile(r"^[0-9]{1,12}$")
_ENDED = "That quiz has ended."


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


def _stale(quiz: QuizSession, now: datetime) -> bool:
    return now - quiz.updated_at > TIMEOUT


def _ask(
    session: Session, ctx: Context, quiz: QuizSession, picked: tuple[str, bool] | None
) -> Message | None:
    """Store and render the question about ``picked``; None if there is nothing to ask."""
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
    return question_message(row.id, question, position=row.position, size=quiz.size, review=review)


def _finish(
    session: Session, ctx: Context, quiz: QuizSession, plan: Plan, *, ran_out: bool
) -> Message:
    end_session(session, quiz=quiz, status="finished", now=ctx.now)
    return summary_message(
        correct=quiz.correct,
        answered=quiz.asked,
        ran_out=ran_out,
        next_due=upcoming(plan, ctx.now),
        now=ctx.now,
    )


def _nothing_to_do(mode: str, topic: str | None, ctx: Context) -> list[Reply]:
    if mode == "review":
        text = "🎉 Nothing is due for review right now. Try /quiz to learn something new."
    else:
        where = f" in {esc(topics(ctx.kb)[topic].label)}" if topic else ""
        text = (
            f"You're all caught up{where}: nothing is due and you've met today's new items. "
            "Come back tomorrow, or raise your daily limit in /settings."
        )
    return [Message(text, rows(Button("🏠 Menu", "m:start")))]


def start_quiz(session: Session, ctx: Context, mode: str, topic: str | None) -> list[Reply]:
    """Start a quiz (mode "quiz" or "review", optionally on a topic): its first question, or
    a friendly "nothing to do"."""
    plan = read_plan(session, ctx, quiz_id=None)
    if plan is None:
        return [Message("Please send /start first.")]
    picked = choose(session, ctx, mode=mode, topic=topic, plan=plan)
    if picked is None:
        return _nothing_to_do(mode, topic, ctx)
    quiz = start_session(
        session, user_id=plan.user.id, mode=mode, topic=topic, size=QUIZ_SIZE, now=ctx.now
    )
    first = _ask(session, ctx, quiz, picked)
    if first is None:
        end_session(session, quiz=quiz, status="empty", now=ctx.now)
        return _nothing_to_do(mode, topic, ctx)
    return [first]


async def _start_or_offer(ctx: Context, mode: str, topic: str | None) -> list[Reply]:
    def offer_or_start(session: Session) -> list[Reply]:
        waiting = waiting_question(session, user_id=ctx.person.id)
        if waiting is not None and not _stale(waiting[1], ctx.now):
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


async def quiz_command(ctx: Context, args: str) -> list[Reply]:
    """/quiz [topic]: due reviews first, then new items; a topic narrows it."""
    topic = None
    if args.strip():
        found = find_topic(ctx.kb, args)
        if found is None:
            names = ", ".join(sorted({t.aliases[0] for t in topics(ctx.kb).values()}))
            text = (
                f"I don't know the topic {bold(args[:60])}. Try one of: {esc(names)}.\n"
                "For example: /quiz psychographic, /quiz kpis, /quiz lo2"
            )
            return [Message(text)]
        topic = found.key
    return await _start_or_offer(ctx, "quiz", topic)


async def review_command(ctx: Context, args: str) -> list[Reply]:
    """/review: only the items due now."""
    return await _start_or_offer(ctx, "review", None)


def _after_answer(
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
    following = None if finishing else _ask(session, ctx, quiz, picked)
    if following is None:
        following = _finish(session, ctx, quiz, plan, ran_out=not finishing)
    return following


async def _after_finishing(ctx: Context, quiz: QuizSession) -> list[Reply]:
    """Once a quiz is over (its own transaction committed): the one-time reminder offer."""
    if quiz.status != "finished":
        return []
    return await offer.maybe_offer(ctx)


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
        if _stale(quiz, ctx.now):
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
        following = _after_answer(session, ctx, quiz, row, result, text)
        if following is None:
            return [Message("You've already answered that one. ✔️")]
        return feedback_message(result), following, quiz

    answered = await ctx.db.run(answer)
    if not isinstance(answered, tuple):
        return answered
    verdict, following, quiz = answered
    corrections = await misconceptions.correct(ctx, text, where="quiz")
    then = [following] if following else []
    return [verdict, *corrections, *then, *await _after_finishing(ctx, quiz)]


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
    text = f"Quiz stopped. You got {bold(f'{quiz.correct} of {answered}')} right; all saved."
    return [Message(text, AFTER_QUIZ)]


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
        again = Message(f"{_ENDED} Fancy a new one?", AFTER_QUIZ)
        return ButtonOutcome(toast=_ENDED, replies=[again])
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
        following = _after_answer(session, ctx, quiz, row, verdict, verdict.chosen)
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
    return replace(outcome, replies=[*outcome.replies, *await _after_finishing(ctx, quiz)])


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
            again = Message(f"{_ENDED} Fancy a new one?", AFTER_QUIZ)
            return ButtonOutcome(toast=_ENDED, replies=[again])
        quiz.updated_at = ctx.now
        session.add(quiz)
        message = pending_message(row, size=quiz.size)
        return ButtonOutcome(edit=Message("▶️ Carrying on."), replies=[message])

    return await ctx.db.run(resume)


async def _new_button(ctx: Context, quiz_id: int, mode: str, topic: str | None) -> ButtonOutcome:
    if mode not in ("quiz", "review") or (topic is not None and topic not in topics(ctx.kb)):
        return _EXPIRED

    def start_new(session: Session) -> ButtonOutcome:
        quiz = get_session(session, quiz_id=quiz_id)
        if quiz is None or quiz.user_id != ctx.person.id:
            return _EXPIRED
        replies = start_quiz(session, ctx, mode, topic)
        return ButtonOutcome(edit=Message("🆕 New quiz started."), replies=replies)

    return await ctx.db.run(start_new)


async def on_button(ctx: Context, rest: str) -> ButtonOutcome:
    """Every "q:" button; the data is parsed and checked against the stored quiz."""
    parts = rest.split(":")
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
    if action == "n" and len(parts) in (3, 4):
        return await _new_button(ctx, number, parts[2], parts[3] if len(parts) == 4 else None)
    return _EXPIRED
