"""Shared fixtures: the knowledge base, a fresh database per test, the tutor, a fixed clock.

The database is a SQLite file unless ``TEST_DATABASE_URL`` names a PostgreSQL server
(``make test-postgres`` starts a throwaway one): then every test gets a fresh database of its
own on that server, cloned from one migrated template. Tests about SQLite itself are marked
``sqlite_only`` and skipped there; those about PostgreSQL are marked ``postgres_only``.
"""

from __future__ import annotations

import asyncio
import os
import shutil

os.environ.setdefault("PTB_TIMEDELTA", "1")  # before telegram is imported anywhere

from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import knowledge
from bot.app import build_application
from bot.settings import Settings, load_settings
from dialogs.context import Person, Services, TutorConfig
from dialogs.tutor import Turn, Tutor
from knowledge.base import KnowledgeBase
from storage import Database
from tests import postgres_databases
from tests.emulator import Emulator
from tests.emulator.polling import AnyApplication

pytest_plugins = ["tests.emulator_plugin"]

NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The shipped knowledge base, loaded once."""
    return knowledge.load()


POSTGRES_URL = os.environ.get("TEST_DATABASE_URL") or None


def pytest_configure(config: pytest.Config) -> None:
    """Declare the markers that tie a test to one database."""
    config.addinivalue_line("markers", "sqlite_only: about SQLite itself; skipped on PostgreSQL")
    config.addinivalue_line("markers", "postgres_only: needs PostgreSQL (TEST_DATABASE_URL)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the tests that are about the other database than the one this run uses."""
    unwanted = "sqlite_only" if POSTGRES_URL else "postgres_only"
    reason = (
        "about SQLite; this run uses PostgreSQL"
        if POSTGRES_URL
        else "needs PostgreSQL: run make test-postgres"
    )
    for item in items:
        if item.get_closest_marker(unwanted):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def postgres() -> Iterator[postgres_databases.Databases | None]:
    """The PostgreSQL server of this run (a migrated template made once), or None on SQLite."""
    if POSTGRES_URL is None:
        yield None
        return
    databases = postgres_databases.Databases(POSTGRES_URL)
    databases.make_template()
    yield databases
    databases.drop_template()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database built by the real migrations, copied for each test (migrating is slow)."""
    path = tmp_path_factory.mktemp("template") / "tutor.db"

    async def build() -> None:
        database = await Database.open(f"sqlite:///{path}")
        await database.close()

    asyncio.run(build())
    return path


@pytest.fixture
def db_url(
    request: pytest.FixtureRequest, postgres: postgres_databases.Databases | None
) -> Iterator[str]:
    """A fresh, migrated database per test: a SQLite file, or a PostgreSQL database."""
    if postgres is None:
        target = request.getfixturevalue("tmp_path") / "tutor.db"
        shutil.copyfile(request.getfixturevalue("migrated_template"), target)
        yield f"sqlite:///{target}"
        return
    name = postgres.clone()
    yield postgres.url(name)
    postgres.drop(name)


@pytest.fixture
async def database(db_url: str) -> AsyncIterator[Database]:
    """A migrated database, closed after the test."""
    db = Database.from_url(db_url)
    yield db
    await db.close()


@pytest.fixture
def services(database: Database, kb: KnowledgeBase) -> Services:
    """The services a tutor needs, with one tutor id (999) configured."""
    return Services(database, kb, TutorConfig(tutor_ids=frozenset({999})))


@pytest.fixture
def tutor(services: Services) -> Tutor:
    """The tutor with every feature, on a fresh database."""
    return Tutor(services)


@pytest.fixture
def turn() -> Callable[..., Turn]:
    """Make a Turn: ``turn(user=1, now=NOON, chat_kind="private")``."""

    def make(
        user: int = 1, now: datetime = NOON, chat_kind: str = "private", name: str = "Sam"
    ) -> Turn:
        chat_id = user if chat_kind == "private" else -100
        return Turn(Person(user, name), chat_id, now, chat_kind)

    return make


@pytest.fixture
def bot_settings(emulator: Emulator, db_url: str) -> Settings:
    """Settings that point the real bot at the emulator and a fresh database."""
    return load_settings(
        telegram_bot_token=emulator.token,
        telegram_api_base_url=emulator.base_url,
        database_url=db_url,
        tutor_ids="999",
        _env_file=None,
    )


@pytest.fixture
def make_app(bot_settings: Settings) -> Callable[[], AnyApplication]:
    """Build the real Application (same factory as ``tutor run``); call again to "restart"."""
    return lambda: build_application(bot_settings)
