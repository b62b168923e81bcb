"""The database: opened, migrated (Alembic) and used through one call, ``Database.run``.

Every transaction is a plain function of a SQLModel ``Session``; ``await db.run(work)`` runs it
and commits (or rolls back if it raises). Storage query functions are plain functions too, so
a dialog reads, decides and writes in one ``run`` without a round trip per statement.

SQLite: transactions run one after another on the database's own thread, with a synchronous
engine. The event loop never waits on SQLite, in-process writers never contend (SQLite lets
one writer in at a time anyway), and a transaction costs one hand-off to the thread rather
than one per statement. Each transaction starts with ``BEGIN IMMEDIATE``, so another process
writing to the same file makes it wait (``busy_timeout``) rather than fail half way.

PostgreSQL (asyncpg): the same functions run through ``AsyncSession.run_sync``, in READ
COMMITTED transactions side by side, so storage functions that read, decide and write lock
what they decide on (``storage/locks.py``, ``FOR UPDATE``) or write conditionally. A
transaction PostgreSQL aborts to break a deadlock, or that lost a race to insert the same
unique row, is simply run again (and then sees the winner's row). Migrations run under
an advisory lock, so several instances starting at once migrate one after another.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session
from sqlmodel.ext.asyncio.session import AsyncSession

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_DRIVERS = ("sqlite", "sqlite+pysqlite", "sqlite+aiosqlite")
BUSY_TIMEOUT_S = 10.0
MIGRATION_LOCK = 0x7475746F72  # any fixed number: "tutor" in ASCII
# Deadlock detected, serialization failure, and a unique violation: a row another
# transaction inserted meanwhile (select-then-insert of a membership, a vote, a card), which
# the rerun finds and uses instead.
RETRIED_STATES = frozenset({"40P01", "40001", "23505"})
ATTEMPTS = 3
POOL_SIZE = 5  # PostgreSQL connections kept open per instance (as many again at peaks)

T = TypeVar("T")


def is_sqlite(url: str | URL) -> bool:
    """Whether ``url`` names a SQLite database (any of the accepted drivers)."""
    return make_url(url).drivername in SQLITE_DRIVERS


def sqlite_engine(url: str | URL) -> Engine:
    """A synchronous engine on a SQLite file (its folder created): WAL, a busy timeout,
    foreign keys, and transactions that begin IMMEDIATE (see the module docstring)."""
    parsed = make_url(url).set(drivername="sqlite")
    path = parsed.database or ":memory:"
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    # check_same_thread off: the engine is created here and used on the database thread.
    engine = create_engine(
        parsed, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_S}
    )
    event.listen(engine, "connect", _sqlite_connected)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _sqlite_connected(dbapi_connection: Any, _record: Any) -> None:
    # Autocommit at the driver: we issue BEGIN ourselves (pysqlite would defer it to the
    # first write, so a read-then-write transaction could meet another writer half way).
    dbapi_connection.isolation_level = None
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        dbapi_connection.execute(f"PRAGMA {pragma}")


def _begin_immediate(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def unavailable(error: BaseException | None) -> bool:
    """Whether ``error`` means the database could not be reached (down, restarting, the
    connection lost) rather than a mistake in what was asked: worth trying again shortly.
    The transaction it interrupted was rolled back, so nothing was half-written."""
    if isinstance(error, DBAPIError):
        state = _sqlstate(error) or ""
        return (
            error.connection_invalidated
            or isinstance(error, (OperationalError, InterfaceError))
            or state.startswith(("08", "57P"))  # connection exception, operator intervention
            or isinstance(error.orig, (OSError, ConnectionError))
        )
    return isinstance(error, (OSError, ConnectionError))


def _sqlstate(error: DBAPIError) -> str | None:
    return getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)


def alembic_config() -> Config:
    """Alembic configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _upgrade(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


class Database:
    """The one handle on the database; created once, closed at shutdown."""

    def __init__(self, url: str, *, pool_size: int = POOL_SIZE) -> None:
        self._sqlite: Engine | None = None
        self._thread: ThreadPoolExecutor | None = None
        self._async: AsyncEngine | None = None
        if is_sqlite(url):
            self._sqlite = sqlite_engine(url)
            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="database")
            self._sessions = sessionmaker(self._sqlite, class_=Session, expire_on_commit=False)
        else:
            # At most 2 x pool_size connections per instance (the overflow closes when idle).
            self._async = create_async_engine(
                url, pool_pre_ping=True, pool_size=pool_size, max_overflow=pool_size
            )
            self._async_sessions = async_sessionmaker(
                self._async, class_=AsyncSession, expire_on_commit=False
            )

    @classmethod
    def from_url(cls, url: str, *, pool_size: int = POOL_SIZE) -> Database:
        """A handle on the database at ``url``; nothing connects until first use."""
        return cls(url, pool_size=pool_size)

    @classmethod
    async def open(cls, url: str) -> Database:
        """Connect and bring the schema up to date."""
        database = cls(url)
        await database.upgrade()
        return database

    async def run(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one transaction: committed if it returns, rolled back if it raises.

        Objects it returns stay readable afterwards (nothing expires on commit).
        """
        if self._sqlite is not None:
            return await self._on_thread(lambda: self._transaction(work))
        for attempt in range(1, ATTEMPTS + 1):
            try:
                async with self._async_sessions() as session, session.begin():
                    # sqlmodel's AsyncSession hands ``work`` its own (sqlmodel) Session class.
                    return await session.run_sync(work)  # type: ignore[arg-type]
            except DBAPIError as error:
                if attempt == ATTEMPTS or _sqlstate(error) not in RETRIED_STATES:
                    raise
        raise AssertionError("unreachable")

    def _transaction(self, work: Callable[[Session], T]) -> T:
        with self._sessions() as session, session.begin():
            return work(session)

    async def upgrade(self) -> None:
        """Apply every pending migration."""
        if self._sqlite is not None:
            await self._on_thread(self._sqlite_upgrade)
            return
        assert self._async is not None
        async with self._async.begin() as connection:
            # Held until commit: a second instance waits here, then finds nothing to do.
            await connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
            await connection.run_sync(_upgrade)

    def _sqlite_upgrade(self) -> None:
        assert self._sqlite is not None
        with self._sqlite.begin() as connection:
            _upgrade(connection)

    async def connection_run(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` on a plain connection (schema inspection in tests and tools)."""
        if self._sqlite is not None:
            engine = self._sqlite

            def inspect() -> T:
                with engine.connect() as connection:
                    return work(connection)

            return await self._on_thread(inspect)
        assert self._async is not None
        async with self._async.connect() as connection:
            return await connection.run_sync(work)

    async def _on_thread(self, call: Callable[[], T]) -> T:
        if self._thread is None:
            raise RuntimeError("the database is closed")
        return await asyncio.get_running_loop().run_in_executor(self._thread, call)

    async def close(self) -> None:
        """Release every connection (and the SQLite thread). Closing twice does nothing."""
        if self._sqlite is not None and self._thread is not None:
            await self._on_thread(self._sqlite.dispose)
            self._thread.shutdown(wait=False)  # it ends by itself; the loop never waits on it
            self._thread = None
        elif self._async is not None:
            await self._async.dispose()
