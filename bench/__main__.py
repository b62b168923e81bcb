"""Run every benchmark and write BENCHMARKS.md with the figures and the command that made them."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

SUITES = ("bench.knowledge_load", "bench.quiz_answers", "bench.reminders")


async def _run_all() -> list[str]:
    sections = []
    for name in SUITES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        print(f"running {name} ...", file=sys.stderr, flush=True)
        result = module.run()
        sections.append(await result if inspect.isawaitable(result) else result)
    return sections


def main() -> None:
    """Run the suites and write the report next to the README."""
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    sections = asyncio.run(_run_all())
    header = (
        "# Benchmarks\n\n"
        "Made with `make bench` (runs `python -m bench`) on "
        f"{datetime.now(UTC):%Y-%m-%d}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores ({platform.machine()}).\n"
    )
    report = header + "\n" + "\n\n".join(s.strip() for s in sections) + "\n"
    Path("BENCHMARKS.md").write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
