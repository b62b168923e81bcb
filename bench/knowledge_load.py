"""Benchmark: load and fully validate the shipped knowledge base, as start-up does."""

from __future__ import annotations

import statistics
import time

import knowledge
from knowledge.report import summary

RUNS = 20


def run(runs: int = RUNS) -> str:
    """Load the shipped base ``runs`` times; return a markdown section with the timings."""
    times: list[float] = []
    kb = None
    for _ in range(runs):
        start = time.perf_counter()
        kb = knowledge.load()
        times.append((time.perf_counter() - start) * 1000)
    assert kb is not None
    return "\n".join(
        [
            "## Knowledge base load",
            "",
            f"`knowledge.load()` of the shipped content (parse, validate, cross-check), "
            f"{runs} runs.",
            "",
            "| median | max | first run |",
            "|---:|---:|---:|",
            f"| {statistics.median(times):.1f} ms | {max(times):.1f} ms | {times[0]:.1f} ms |",
            "",
            summary(kb),
            "",
        ]
    )


if __name__ == "__main__":
    print(run())
