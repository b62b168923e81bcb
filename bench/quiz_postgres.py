"""Benchmark: the quiz-answer load of ``bench.quiz_answers`` on PostgreSQL, beside SQLite.

The same students, driver and emulator; the real Application once with SQLite on disk and
once with a throwaway PostgreSQL server on this machine (``tests/postgres_server.py``: started
for the run, durability off as in the tests, deleted afterwards), paced and saturated. Without
PostgreSQL's server binaries installed, the section says so instead of giving figures.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.quiz_answers import STUDENTS, THINK, Result, TimedRequest, _measure
from bot.app import build_application
from bot.settings import load_settings
from tests.emulator import Emulator
from tests.emulator.polling import AnyApplication
from tests.postgres_databases import Databases
from tests.postgres_server import PostgresUnavailable, throwaway_server


def _builder(url: str) -> Callable[[Emulator, TimedRequest], AnyApplication]:
    def build(emulator: Emulator, request: TimedRequest) -> AnyApplication:
        settings = load_settings(
            telegram_bot_token=emulator.token, database_url=url, _env_file=None
        )
        application = build_application(settings, request=request)
        application.bot._rate_limiter = None  # measure our code, as bench.quiz_answers does
        return application

    return build


async def _runs(postgres_url: str, folder: Path) -> list[Result]:
    results = []
    for think, label in ((THINK, "paced"), (None, "saturated")):
        sqlite = _builder(f"sqlite:///{folder / label}.db")
        results.append(await _measure(f"SQLite, {label}", sqlite, think))
        results.append(await _measure(f"PostgreSQL, {label}", _builder(postgres_url), think))
    return results


HEAD = [
    "## Quiz answers on PostgreSQL",
    "",
    f"The quiz-answer load above ({STUDENTS} students, 10 questions each, paced and "
    "saturated) with the real Application on SQLite on disk and on PostgreSQL "
    "(a throwaway local server, fsync off; one instance, the default pool of 5+5 "
    "connections). Same columns as above.",
    "",
]


async def run() -> str:
    """Both databases, paced and saturated; a markdown section with the figures."""
    try:
        with throwaway_server() as server, tempfile.TemporaryDirectory() as folder:
            admin = Databases(server.url())
            try:
                admin.make_template()  # a migrated database named by the template
                url = admin.url(admin.clone())
            finally:
                admin.close()
            results = await _runs(url, Path(folder))
    except PostgresUnavailable as error:
        return "\n".join([*HEAD, f"Not measured: {error}.", ""])
    by_name = {r.name: r for r in results}
    paced = by_name["PostgreSQL, paced"], by_name["SQLite, paced"]
    saturated = by_name["PostgreSQL, saturated"], by_name["SQLite, saturated"]
    p99 = [sorted(r.full)[min(len(r.full) - 1, round(0.99 * (len(r.full) - 1)))] for r in paced]
    return "\n".join(
        [
            *HEAD,
            "| run | answers | first response median | first p99 | full reply median | "
            "full reply p99 | answers/s | CPU per turn | peak RSS |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
            *(r.row() for r in results),
            "",
            f"Paced, full reply p99: PostgreSQL {p99[0] * 1000:.0f} ms, SQLite "
            f"{p99[1] * 1000:.0f} ms. Saturated, PostgreSQL takes "
            f"{saturated[0].rate / saturated[1].rate:.0%} of SQLite's answers a second on one "
            "instance (each answer is a few round trips to a server instead of calls into a "
            "file); the point of PostgreSQL is several instances, not one faster one.",
            "",
        ]
    )


if __name__ == "__main__":
    print(asyncio.run(run()))
