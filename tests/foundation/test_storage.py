"""Storage basics: migrations agree with the models, users persist, datetimes stay aware UTC,
and transactions run off the event loop holding SQLite's write lock from the start."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, make_url, text
from sqlmodel import Session, SQLModel

import storage.models  # noqa: F401  (registers the tables)
from storage import Database
from storage.users import count_users, get_user, set_blocked, touch_user

NOW = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)


async def test_migrations_match_the_models(database: Database) -> None:
    def diff(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection)
        return list(compare_metadata(context, SQLModel.metadata))

    assert await database.connection_run(diff) == []


@pytest.mark.sqlite_only
async def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(database: Database) -> None:

    def pragmas(connection: Connection) -> tuple[object, object]:
        return (
            connection.execute(text("PRAGMA journal_mode")).scalar(),
            connection.execute(text("PRAGMA busy_timeout")).scalar(),
        )

    assert await database.connection_run(pragmas) == ("wal", 10000)


async def test_first_contact_creates_then_refreshes_a_user(database: Database) -> None:
    await database.run(
        lambda s: touch_user(s, user_id=7, first_name="Ana", username=None, language="en", now=NOW)
    )
    later = NOW + timedelta(days=1)
    await database.run(lambda s: set_blocked(s, user_id=7))

    def come_back(session: Session) -> None:
        assert get_user(session, user_id=7).blocked  # type: ignore[union-attr]
        touch_user(session, user_id=7, first_name="Ana B", username="ana", language="en", now=later)

    def check(session: Session) -> None:
        user = get_user(session, user_id=7)
        assert user is not None
        assert (user.first_name, user.username, user.blocked) == ("Ana B", "ana", False)
        assert user.created_at == NOW and user.last_seen_at == later
        assert user.created_at.tzinfo is not None
        assert count_users(session) == 1

    await database.run(come_back)
    await database.run(check)


async def test_datetimes_come_back_in_utc(database: Database) -> None:
    paris = timezone(timedelta(hours=2))
    await database.run(
        lambda s: touch_user(
            s, user_id=8, first_name="B", username=None, language=None, now=NOW.astimezone(paris)
        )
    )
    user = await database.run(lambda s: get_user(s, user_id=8))
    assert (
        user is not None
        and user.last_seen_at == NOW
        and user.last_seen_at.utcoffset() == timedelta(0)
    )


async def test_two_first_contacts_at_once_make_one_user(database: Database) -> None:
    async def contact(name: str) -> None:
        await database.run(
            lambda s: touch_user(
                s, user_id=9, first_name=name, username=None, language=None, now=NOW
            )
        )

    await asyncio.gather(contact("A"), contact("B"))
    assert await database.run(count_users) == 1


@pytest.mark.sqlite_only
async def test_a_transaction_waiting_for_another_writer_leaves_the_event_loop_free(
    database: Database, db_url: str
) -> None:
    other = sqlite3.connect(make_url(db_url).database or "", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process is writing
    try:
        waiting = asyncio.create_task(database.run(count_users))
        # The loop keeps turning (this timeout fires) while the transaction waits its turn.
        done, _ = await asyncio.wait({waiting}, timeout=0.05)
        assert not done
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert await waiting == 0


@pytest.mark.sqlite_only
async def test_a_transaction_holds_the_write_lock_from_its_first_statement(
    database: Database, db_url: str
) -> None:
    path = make_url(db_url).database or ""

    def read_then_try_another_writer(session: Session) -> str:
        count_users(session)  # only a read so far
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            return str(error)
        finally:
            other.close()
        return "another writer got in"

    assert await database.run(read_then_try_another_writer) == "database is locked"
