"""A student's current study streak, read from their review log in their local days."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from dialogs.context import Context, Services
from dialogs.reminders.shared import tzinfo
from dialogs.reminders.streaks import Streak, compute_streak
from dialogs.reminders.zones import zone_name
from storage import reminders as store
from storage.models import User
from storage.users import get_user

STREAK_WINDOW = timedelta(days=60)


async def streak_for(services: Services, user_id: int, now: datetime) -> Streak:
    """The student's current streak, in their local days."""

    def read(session: Session) -> Streak:
        user = get_user(session, user_id=user_id)
        return _read_streak(session, user_id, tzinfo(zone_name(user, services)), now)

    return await services.db.run(read)


def _read_streak(session: Session, user_id: int, tz: ZoneInfo, now: datetime) -> Streak:
    today = now.astimezone(tz).date()
    since = now - STREAK_WINDOW
    times = store.review_times_since(session, user_id=user_id, since=since)
    streak = compute_streak(_days(times, tz), today)
    reach = today - timedelta(days=streak.days + len(streak.frozen))
    if streak.days and reach <= since.astimezone(tz).date():
        # The run may go back further than the window: read everything, once.
        times = store.review_times_since(session, user_id=user_id)
        streak = compute_streak(_days(times, tz), today)
    return streak


def _days(times: list[datetime], tz: ZoneInfo) -> set[date]:
    return {moment.astimezone(tz).date() for moment in times}


async def current_streak(ctx: Context) -> Streak:
    """The streak for /progress: ``.days``, ``.studied_today``, ``.frozen``, ``.describe()``."""
    return await streak_for(ctx.services, ctx.person.id, ctx.now)


def streak_in(session: Session, user: User, services: Services, now: datetime) -> Streak:
    """The streak inside a transaction already open (the end of a quiz reads it there)."""
    return _read_streak(session, user.id, tzinfo(zone_name(user, services)), now)
