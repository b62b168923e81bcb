"""SQLite writers queue on an asyncio lock; statements still run on aiosqlite's thread."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import OperationalError

from storage import Database
from storage.models import User
from storage.users import get_user, touch_user

NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


async def _add(database: Database, user_id: int) -> None:
    async with database.session() as session:
        await touch_user(
            session, user_id=user_id, first_name="A", username=None, language=None, now=NOON
        )


async def test_a_second_writer_waits_for_the_first_to_commit(database: Database) -> None:
    holding, release = asyncio.Event(), asyncio.Event()
    order: list[str] = []

    async def first() -> None:
        async with database.session() as session:
            session.add(User(id=1, first_name="First", created_at=NOON, last_seen_at=NOON))
            await session.flush()  # the write lock is now held, across the await below
            holding.set()
            await release.wait()
            order.append("first commits")

    async def second() -> None:
        await holding.wait()
        async with database.session() as session:
            session.add(User(id=2, first_name="Second", created_at=NOON, last_seen_at=NOON))
            await session.flush()
            order.append("second writes")

    tasks = [asyncio.create_task(first()), asyncio.create_task(second())]
    await holding.wait()
    async with database.session() as session:  # readers are not held up by the writer
        assert await get_user(session, user_id=1) is None
    release.set()
    await asyncio.gather(*tasks)
    assert order == ["first commits", "second writes"]
    async with database.session() as session:
        assert await get_user(session, user_id=1) is not None
        assert await get_user(session, user_id=2) is not None


async def test_a_write_nested_in_a_write_fails_at_once_instead_of_hanging(
    database: Database,
) -> None:
    async with database.session() as outer:
        outer.add(User(id=3, first_name="Outer", created_at=NOON, last_seen_at=NOON))
        await outer.flush()
        with pytest.raises(OperationalError, match="locked"):
            await _add(database, 4)
    async with database.session() as session:
        assert await get_user(session, user_id=3) is not None
        assert await get_user(session, user_id=4) is None


async def test_the_lock_is_free_again_after_a_rollback(database: Database) -> None:
    with pytest.raises(RuntimeError):
        async with database.session() as session:
            session.add(User(id=5, first_name="Gone", created_at=NOON, last_seen_at=NOON))
            await session.flush()
            raise RuntimeError("boom")
    await _add(database, 6)  # would wait forever if the rollback had kept the lock
    async with database.session() as session:
        assert await get_user(session, user_id=5) is None
        assert await get_user(session, user_id=6) is not None
