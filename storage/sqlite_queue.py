"""aiosqlite connections whose writers queue on an asyncio lock instead of busy-sleeping.

SQLite lets one writer in at a time. When several handlers write at once, the losers wait in
SQLite's busy handler, which sleeps in steps of up to 100 ms: a few unlucky answers take a
second. Here a writer first takes an asyncio lock (one per database file and event loop)
before its first writing statement and gives it back when the transaction ends, so writers
in this process queue fairly and never meet inside SQLite. Reads never take it: in WAL mode
readers and the writer do not block each other. Every statement still runs on aiosqlite's
thread, so the event loop is never blocked by a database call.

The classes extend aiosqlite's, so SQLAlchemy's aiosqlite dialect uses them unchanged through
``create_async_engine(..., async_creator=connector(path))``.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from weakref import WeakKeyDictionary

import aiosqlite
from aiosqlite.context import contextmanager

_LOCKS: WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, WriterLock]] = WeakKeyDictionary()
_READS = ("SELECT", "PRAGMA")  # PRAGMA here: only reads, or connection settings


class WriterLock(asyncio.Lock):
    """An asyncio lock that knows which task holds it."""

    owner: asyncio.Task[Any] | None = None

    async def take(self) -> None:
        """Acquire, as the current task.

        A task that already writes through another connection would wait for itself
        forever: SQLite's "database is locked" comes at once instead.
        """
        task = asyncio.current_task()
        if self.owner is not None and self.owner is task:
            raise sqlite3.OperationalError("database is locked (nested write transaction)")
        await self.acquire()
        self.owner = task

    def give_back(self) -> None:
        """Release, letting the next writer in."""
        self.owner = None
        self.release()


def writer_lock(path: str) -> WriterLock:
    """The lock writers to ``path`` queue on, shared by every engine in this event loop."""
    per_loop = _LOCKS.setdefault(asyncio.get_running_loop(), {})
    return per_loop.setdefault(path, WriterLock())


def _is_read(sql: str) -> bool:
    return sql.lstrip()[:6].upper().startswith(_READS)


class QueuedCursor(aiosqlite.Cursor):
    """A cursor that queues writes for the lock and makes one trip to the thread per statement.

    aiosqlite's own cursor goes to its thread to create the cursor, to execute, to fetch and to
    close: four hand-offs for every statement, which cost more than the statement itself.
    Here one hand-off executes, fetches every row (SQLAlchemy reads them all anyway) and
    closes; the rows and counts are then served from memory.
    """

    _conn: QueuedConnection

    def __init__(self, conn: QueuedConnection) -> None:
        self.iter_chunk_size = conn._iter_chunk_size
        self._conn = conn
        self._rows: list[Any] = []
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> QueuedCursor:
        """Execute one statement, queueing first if it writes."""
        async with self._conn.writing(sql):
            await self._conn._execute(self._run, "execute", sql, parameters or ())  # type: ignore[no-untyped-call]
        return self

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]]) -> QueuedCursor:
        """Execute one statement per parameter set, queueing first if it writes."""
        async with self._conn.writing(sql):
            await self._conn._execute(self._run, "executemany", sql, list(parameters))  # type: ignore[no-untyped-call]
        return self

    def _run(self, how: str, sql: str, parameters: Any) -> None:
        """On aiosqlite's thread: execute, read everything back, close."""
        cursor = self._conn._conn.cursor()
        try:
            getattr(cursor, how)(sql, parameters)
            self._description = cursor.description
            self._rows = cursor.fetchall() if cursor.description else []
            self._rowcount = cursor.rowcount
            self._lastrowid = cursor.lastrowid
        finally:
            cursor.close()

    async def fetchone(self) -> Any:
        """The next row, or None."""
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        """Up to ``size`` more rows."""
        count = self._arraysize if size is None else size
        taken, self._rows = self._rows[:count], self._rows[count:]
        return taken

    async def fetchall(self) -> list[Any]:
        """Every remaining row."""
        taken, self._rows = self._rows, []
        return taken

    async def close(self) -> None:
        """Nothing to do: the sqlite3 cursor was closed right after its statement."""
        self._rows = []

    @property
    def description(self) -> Any:
        """Column descriptions of the last query (None after a write)."""
        return self._description

    @property
    def rowcount(self) -> int:
        """Rows changed by the last write."""
        return self._rowcount

    @property
    def lastrowid(self) -> int | None:
        """The rowid of the last inserted row."""
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        """Rows per fetchmany() by default."""
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value


class QueuedConnection(aiosqlite.Connection):
    """An aiosqlite connection holding its database's write lock while it writes."""

    def __init__(self, connector: Callable[[], sqlite3.Connection], path: str) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._path = path
        self._lock: WriterLock | None = None

    def writing(self, sql: str) -> _Writing:
        """Context for one statement: take the lock before a write, free it once committed."""
        return _Writing(self, sql)

    @contextmanager
    async def cursor(self) -> aiosqlite.Cursor:
        """A cursor that queues its writes."""
        return QueuedCursor(self)

    @contextmanager
    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> aiosqlite.Cursor:
        """Execute one statement on a new cursor."""
        cursor = await self.cursor()
        return await cursor.execute(sql, parameters)

    async def commit(self) -> None:
        """Commit, then let the next writer in."""
        try:
            await super().commit()
        finally:
            self.release_if_done()

    async def rollback(self) -> None:
        """Roll back, then let the next writer in."""
        try:
            await super().rollback()
        finally:
            self.release_if_done()

    async def close(self) -> None:
        """Close (an open transaction is rolled back) and let the next writer in."""
        try:
            await super().close()
        finally:
            self.release_if_done()

    def stop(self) -> asyncio.Future[Any] | None:
        """Stop at once (SQLAlchemy's terminate), freeing the lock."""
        future = super().stop()
        self._give_back()
        return future

    async def acquire_for_write(self) -> None:
        """Queue for the write lock unless this connection already holds it."""
        if self._lock is None:
            lock = writer_lock(self._path)
            await lock.take()
            self._lock = lock

    def release_if_done(self) -> None:
        """Give the lock back once no transaction is open on this connection."""
        if self._connection is None or not self.in_transaction:
            self._give_back()

    def _give_back(self) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.give_back()


class _Writing:
    """``async with connection.writing(sql)``: the lock around one statement."""

    def __init__(self, connection: QueuedConnection, sql: str) -> None:
        self._connection = connection
        self._write = not _is_read(sql)

    async def __aenter__(self) -> None:
        if self._write:
            await self._connection.acquire_for_write()

    async def __aexit__(self, *exc: object) -> None:
        self._connection.release_if_done()


def connector(path: str, *, timeout: float = 10.0) -> Callable[[], Awaitable[QueuedConnection]]:
    """An ``async_creator`` for ``create_async_engine``: queued connections to ``path``."""

    async def connect() -> QueuedConnection:
        # check_same_thread off: the pool may close a connection from another thread.
        connection = QueuedConnection(
            lambda: sqlite3.connect(path, timeout=timeout, check_same_thread=False), path
        )
        connection._thread.daemon = True  # never keep the process alive at exit
        await connection
        return connection

    return connect
