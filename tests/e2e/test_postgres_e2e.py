"""PostgreSQL faults and start-up, on a server of the test's own (it is stopped on purpose):
instances migrating an empty database at once, and the database going away mid-conversation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, text
from sqlmodel import func, select

from bot.app import build_application
from bot.settings import load_settings
from storage import Database
from storage.models import QuizSession
from tests.emulator import Emulator, polling
from tests.postgres_databases import Databases
from tests.postgres_server import Server, throwaway_server

pytestmark = pytest.mark.postgres_only


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """A PostgreSQL server this module may stop and start."""
    with throwaway_server() as running:
        yield running


@pytest.fixture
def empty_database(server: Server) -> Iterator[str]:
    """The URL of a new, empty (unmigrated) database on that server."""
    admin = Databases(server.url())
    name = admin.empty()
    yield server.url(name)
    admin.drop(name)
    admin.close()


async def test_instances_starting_at_once_on_an_empty_database_all_come_up(
    empty_database: str,
) -> None:
    instances = [Database.from_url(empty_database) for _ in range(4)]
    try:
        await asyncio.gather(*(db.upgrade() for db in instances))  # one migrates, others wait

        def versions(connection: Connection) -> list[str]:
            return list(
                connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
            )

        assert len(await instances[0].connection_run(versions)) == 1
    finally:
        for db in instances:
            await db.close()


async def test_the_database_going_away_gets_a_try_again_reply_and_the_bot_recovers(
    emulator: Emulator, server: Server, empty_database: str
) -> None:
    settings = load_settings(
        telegram_bot_token=emulator.token,
        telegram_api_base_url=emulator.base_url,
        database_url=empty_database,
        _env_file=None,
    )
    ada = emulator.user(first_name="Ada")
    async with polling(build_application(settings), raise_handler_errors=False):
        emulator.command(ada, "start")
        assert "Hi Ada" in ((await emulator.reply_to(ada)).text or "")
        server.stop()
        try:
            emulator.command(ada, "quiz")
            away = await emulator.reply_to(ada)
        finally:
            server.start()
        assert "try again in a moment" in (away.text or "")
        assert "nothing was half-saved" in (away.text or "")
        emulator.command(ada, "quiz")  # the server is back: the same bot carries on
        assert "Question 1 of" in ((await emulator.reply_to(ada)).text or "")
    database = Database.from_url(empty_database)
    try:
        quizzes = await database.run(
            lambda s: s.exec(select(func.count()).select_from(QuizSession)).one()
        )
    finally:
        await database.close()
    assert quizzes == 1  # the quiz asked for while the database was away was never half-made
