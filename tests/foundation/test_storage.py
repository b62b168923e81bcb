"""Storage basics: migrations agree with the models, users persist, datetimes stay aware UTC."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables)
from storage import Database
from storage.users import count_users, get_user, set_blocked, touch_user

NOW = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)


async def test_migrations_match_the_models(database: Database) -> None:
    def diff(connection):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(connection)
        return compare_metadata(context, SQLModel.metadata)

    async with database.engine.connect() as connection:
        assert await connection.run_sync(diff) == []


async def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(database: Database) -> None:
    async with database.engine.connect() as connection:
        assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await connection.execute(text("PRAGMA busy_timeout"))).scalar() == 10000


async def test_first_contact_creates_then_refreshes_a_user(database: Database) -> None:
    async with database.session() as session:
        await touch_user(
            session, user_id=7, first_name="Ana", username=None, language="en", now=NOW
        )
    later = NOW + timedelta(days=1)
    async with database.session() as session:
        await set_blocked(session, user_id=7)
    async with database.session() as session:
        assert (await get_user(session, user_id=7)).blocked  # type: ignore[union-attr]
        await touch_user(
            session, user_id=7, first_name="Ana B", username="ana", language="en", now=later
        )
    async with database.session() as session:
        user = await get_user(session, user_id=7)
        assert user is not None
        assert (user.first_name, user.username, user.blocked) == ("Ana B", "ana", False)
        assert user.created_at == NOW and user.last_seen_at == later
        assert user.created_at.tzinfo is not None
        assert await count_users(session) == 1


async def test_datetimes_come_back_in_utc(database: Database) -> None:
    paris = timezone(timedelta(hours=2))
    async with database.session() as session:
        await touch_user(
            session,
            user_id=8,
            first_name="B",
            username=None,
            language=None,
            now=NOW.astimezone(paris),
        )
    async with database.session() as session:
        user = await get_user(session, user_id=8)
        assert (
            user is not None
            and user.last_seen_at == NOW
            and user.last_seen_at.utcoffset() == timedelta(0)
        )


async def test_two_first_contacts_at_once_make_one_user(database: Database) -> None:
    async def contact(name: str) -> None:
        async with database.session() as session:
            await touch_user(
                session, user_id=9, first_name=name, username=None, language=None, now=NOW
            )

    await asyncio.gather(contact("A"), contact("B"))
    async with database.session() as session:
        assert await count_users(session) == 1
