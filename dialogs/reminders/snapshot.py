"""What the reminder dispatch reads about one student before deciding: whether they are busy
in a quiz, a question already waiting, how many items are due and how many new ones are left
today (counted as the quiz counts them), when they last studied, and their streak."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from dialogs.context import Context
from dialogs.quiz import flow
from dialogs.quiz.plan import read_plan, supply
from dialogs.quiz.view import pending_message
from dialogs.reminders.streak_days import _read_streak
from dialogs.reminders.streaks import Streak
from dialogs.replies import Message
from storage import reminders as store
from storage.models import QuizSession
from storage.quizzes import active_session, pending_question

BUSY_FOR = timedelta(minutes=30)


@dataclass(frozen=True)
class Snapshot:
    """What a reminder needs to know about a student, read in one go."""

    busy: bool
    pending: tuple[Message, int] | None
    due: int
    new_left: int
    last_review: datetime | None
    streak: Streak


def snapshot(session: Session, ctx: Context, tz: ZoneInfo, last_seen: datetime) -> Snapshot:
    """Read what a reminder needs about the student, counting due and new items exactly as
    the quiz does (``dialogs.quiz.plan.supply``)."""
    user_id = ctx.person.id
    running = active_session(session, user_id=user_id)
    # Busy: in a quiz they touched lately. A quiz a reminder opened does not count
    # until the student answers in it (their own turns move ``last_seen``).
    busy = (
        running is not None
        and ctx.now - running.updated_at < BUSY_FOR
        and ctx.now - last_seen < BUSY_FOR
    )
    pending = None if busy else pending_in(session, ctx, running)
    plan = read_plan(session, ctx, quiz_id=None)
    found = supply(session, ctx, None, plan) if plan is not None else None
    return Snapshot(
        busy=busy,
        pending=pending,
        due=found.due if found else 0,
        new_left=found.new if found else 0,
        last_review=store.last_review_at(session, user_id=user_id),
        streak=_read_streak(session, user_id, tz, ctx.now),
    )


def pending_in(
    session: Session, ctx: Context, running: QuizSession | None
) -> tuple[Message, int] | None:
    """The question a live quiz is waiting on, shown again, and the quiz's id."""
    if running is None or running.id is None or ctx.now - running.updated_at > flow.TIMEOUT:
        return None
    row = pending_question(session, quiz_id=running.id)
    if row is None or row.id is None:
        return None
    return pending_message(row, size=running.size), running.id
