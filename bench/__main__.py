"""Run the benchmarks and write BENCHMARKS.md with the figures and the command that made them.

``python -m bench`` runs every suite and rewrites the file; ``python -m bench understanding``
runs only the suites named and replaces just their sections, keeping the others.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench.report import replace_section

SUITES = (
    "bench.knowledge_load",
    "bench.understanding",
    "bench.quiz_answers",
    "bench.quiz_postgres",
    "bench.reminders",
    "bench.places",
)


async def _run_all(names: tuple[str, ...] = SUITES) -> list[str]:
    sections = []
    for name in names:
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
    chosen = tuple(f"bench.{name}" for name in sys.argv[1:])
    if chosen:
        made = (
            f"_Updated alone with `python -m bench {' '.join(sys.argv[1:])}` on "
            f"{datetime.now(UTC):%Y-%m-%d}, Python {platform.python_version()}, "
            f"{os.cpu_count()} cores._"
        )
        for section in asyncio.run(_run_all(chosen)):
            title, _, body = section.strip().partition("\n")
            section = f"{title}\n\n{made}\n{body}"
            replace_section(Path("BENCHMARKS.md"), section)
            print(section)
        return
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
