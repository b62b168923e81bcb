"""Queries about people: first contact, last seen, roles, the blocked flag, preferences."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, func, select

from storage.models import User

_USER = select(User).where(col(User.id) == bindparam("user_id"))
# Built once (this runs on every turn): a row only when the stored names are these.
_FRESH = select(col(User.blocked), col(User.last_seen_at)).where(
    col(User.id) == bindparam("user_id"),
    col(User.first_name) == bindparam("first_name"),
    col(User.username).is_not_distinct_from(bindparam("username")),
    col(User.language).is_not_distinct_from(bindparam("language")),
)


def touch_user(
    session: Session,
    *,
    user_id: int,
    first_name: str,
    username: str | None,
    language: str | None,
    now: datetime,
) -> User:
    """Record that a person was seen: created on first contact, refreshed after that.

    Hearing from someone proves they have not blocked the bot (any longer).
    """
    user = session.get(User, user_id)
    if user is None:
        # Two updates from a brand-new person can arrive at once: insert-if-absent, then read.
        session.exec(
            _insert(session)(User)
            .values(id=user_id, first_name=first_name, created_at=now, last_seen_at=now)
            .on_conflict_do_nothing(index_elements=["id"])
        )
        user = session.get(User, user_id, populate_existing=True)
        assert user is not None
    user.first_name = first_name
    user.username = username
    user.language = language
    user.last_seen_at = now
    user.blocked = False
    session.add(user)
    session.flush()
    return user


def is_fresh(
    session: Session,
    *,
    user_id: int,
    first_name: str,
    username: str | None,
    language: str | None,
    now: datetime,
    within: timedelta,
) -> bool:
    """True when touch_user would change nothing that matters: the person is stored with
    these names, is not flagged blocked, and was last seen less than ``within`` before ``now``.

    A read, so it takes no write lock; callers skip touch_user (a write) when it is True.
    """
    names = {"first_name": first_name, "username": username, "language": language}
    row = (session.exec(_FRESH, params={"user_id": user_id, **names})).first()
    if row is None:  # a stranger, or their names changed
        return False
    blocked, last_seen = row
    return not blocked and timedelta(0) <= now - last_seen < within


def _insert(session: Session) -> Callable[..., Any]:
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL alike)."""
    return postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def get_user(session: Session, *, user_id: int) -> User | None:
    """The stored user, or None if they never wrote to the bot."""
    return session.execute(_USER, {"user_id": user_id}).scalar_one_or_none()


def set_blocked(session: Session, *, user_id: int, blocked: bool = True) -> None:
    """Flag (or unflag) a user who blocked the bot, so nothing more is sent to them."""
    user = session.get(User, user_id)
    if user is not None:
        user.blocked = blocked
        session.add(user)


def count_users(session: Session) -> int:
    """How many people the bot knows."""
    result = session.exec(select(func.count()).select_from(User))
    return result.one()


def set_study_preferences(
    session: Session,
    *,
    user_id: int,
    daily_new_cap: int | None = None,
    desired_retention: float | None = None,
    daily_goal: int | None = None,
    introduce_new: bool | None = None,
    self_rating: bool | None = None,
) -> User | None:
    """Change how many new items a day, how much recall the schedule aims for, the daily
    goal, and whether new cards come first and right answers are rated by the student."""
    user = session.get(User, user_id)
    if user is None:
        return None
    if daily_new_cap is not None:
        user.daily_new_cap = daily_new_cap
    if desired_retention is not None:
        user.desired_retention = desired_retention
    if daily_goal is not None:
        user.daily_goal = daily_goal
    if introduce_new is not None:
        user.introduce_new = introduce_new
    if self_rating is not None:
        user.self_rating = self_rating
    session.add(user)
    return user
