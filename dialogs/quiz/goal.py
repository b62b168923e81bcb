"""The end of a quiz in context: today's answers against the daily goal, the streak, and what
comes back when (the student sets the goal in /settings)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from dialogs.context import Context
from dialogs.quiz.plan import day_start
from dialogs.reminders.streak_days import streak_in
from dialogs.text import bold, esc
from storage.cards import count_due, reviews_since
from storage.models import User


def day_lines(session: Session, ctx: Context, user: User) -> list[str]:
    """Lines for the quiz summary: the goal, the streak, and the reviews coming back."""
    done = len(reviews_since(session, user_id=user.id, since=day_start(user, ctx)))
    goal = user.daily_goal
    if done >= goal:
        today = f"🏁 Today: {bold(f'{done} answers')}, daily goal of {goal} reached! 🎉"
    else:
        today = f"🏁 Today: {bold(f'{done} of {goal}')} answers, {goal - done} to your daily goal."
    lines = [today, esc(streak_in(session, user, ctx.services, ctx.now).describe())]
    day = count_due(session, user_id=user.id, until=ctx.now + timedelta(days=1))
    week = count_due(session, user_id=user.id, until=ctx.now + timedelta(days=7))
    if week:
        lines.append(f"🔁 Coming back: {day} within a day, {week} within a week.")
    return lines
