"""Queries about people: first contact, last seen, roles, the blocked flag, preferences."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import User


async def touch_user(
    session: AsyncSession,
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
    user = await session.get(User, user_id)
    if user is None:
        user = User(id=user_id, created_at=now, last_seen_at=now, first_name=first_name)
    user.first_name = first_name
    user.username = username
    user.language = language
    user.last_seen_at = now
    user.blocked = False
    session.add(user)
    await session.flush()
    return user


async def get_user(session: AsyncSession, *, user_id: int) -> User | None:
    """The stored user, or None if they never wrote to the bot."""
    return await session.get(User, user_id)


async def set_blocked(session: AsyncSession, *, user_id: int, blocked: bool = True) -> None:
    """Flag (or unflag) a user who blocked the bot, so nothing more is sent to them."""
    user = await session.get(User, user_id)
    if user is not None:
        user.blocked = blocked
        session.add(user)


async def count_users(session: AsyncSession) -> int:
    """How many people the bot knows."""
    result = await session.exec(select(func.count()).select_from(User))
    return result.one()
