"""Fresh PostgreSQL databases for tests, cloned from one migrated template.

Migrating takes longer than cloning, so the suite migrates one template database once and
each test gets ``CREATE DATABASE ... TEMPLATE`` of it, dropped afterwards. The calls are
synchronous (fixtures use them) and run asyncpg on a thread of their own, so they work
whether or not an event loop is running in the caller's thread.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import asyncpg
from sqlalchemy.engine import make_url

from storage import Database

T = TypeVar("T")
TEMPLATE = f"tutor_template_{os.getpid()}"


class Databases:
    """Creates and drops test databases on the server ``TEST_DATABASE_URL`` points at."""

    def __init__(self, url: str) -> None:
        self._url = make_url(url)
        self._numbers = itertools.count(1)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-admin")

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of ``database`` on this server."""
        return self._url.set(database=database).render_as_string(hide_password=False)

    def _run(self, work: Callable[[], Awaitable[T]]) -> T:
        return self._thread.submit(lambda: asyncio.run(work())).result()  # type: ignore[arg-type]

    async def _admin(self, *statements: str) -> None:
        dsn = self._url.set(drivername="postgresql").render_as_string(hide_password=False)
        connection = await asyncpg.connect(dsn)
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    def make_template(self) -> None:
        """Create the template database and bring it up to the newest migration."""

        async def build() -> None:
            await self._admin(
                f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)", f"CREATE DATABASE {TEMPLATE}"
            )
            database = await Database.open(self.url(TEMPLATE))
            await database.close()

        self._run(build)

    def clone(self) -> str:
        """A new database copied from the template; its name."""
        name = f"{TEMPLATE}_t{next(self._numbers)}"
        self._run(lambda: self._admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}"))
        return name

    def empty(self) -> str:
        """A new database with nothing in it (not even migrations); its name."""
        name = f"{TEMPLATE}_e{next(self._numbers)}"
        self._run(lambda: self._admin(f"CREATE DATABASE {name}"))
        return name

    def drop(self, name: str) -> None:
        """Drop a test database, cutting off any connection a test left open."""
        self._run(lambda: self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))

    def drop_template(self) -> None:
        """Drop the template (end of the run)."""
        self.drop(TEMPLATE)
        self.close()

    def close(self) -> None:
        """Stop the helper thread."""
        self._thread.shutdown()
