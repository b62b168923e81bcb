"""``make eval``: run the labelled corpus through ``tutor mark`` and print the figures.

    python -m evaluation [--part dev|test|all] [--misses dev|test|all|none] [--benchmarks]

Every disagreement on the test part is printed by default (tune on dev, report test). Use
``--misses dev`` while tuning so the test part stays unread. ``--benchmarks`` also writes the
figures to BENCHMARKS.md ("Marking quality").
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.report import replace_section
from evaluation.scoring import KINDS, PARTS, Figures, load, score


def run_mark(lines: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], float]:
    """Answers from ``tutor mark -`` for ``lines`` (one process), and its wall time in s."""
    payload = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "mark", "-"],
        input=payload,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    answers = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if len(answers) != len(lines):
        raise SystemExit(f"tutor mark answered {len(answers)} of {len(lines)} lines")
    return answers, time.perf_counter() - started


def _table(results: dict[str, dict[str, Figures]]) -> str:
    rows = ["| part | kind | lines | figures | counts |", "| --- | --- | --- | --- | --- |"]
    for part, by_kind in results.items():
        for kind, figures in by_kind.items():
            values = ", ".join(f"{name} {value:.1%}" for name, value in figures.values.items())
            counts = ", ".join(f"{name} {value}" for name, value in figures.counts.items())
            rows.append(f"| {part} | {kind} | {figures.lines} | {values} | {counts} |")
    return "\n".join(rows)


def _section(results: dict[str, dict[str, Figures]]) -> str:
    return "\n".join(
        [
            "## Marking quality",
            "",
            f"`make eval` (runs `python -m evaluation --benchmarks`) on {date.today()}: "
            "the labelled corpus in "
            "`evaluation/` run through `tutor mark`. The dev part is what the marker was tuned "
            "on; the test part was written by authors who had not read the knowledge base and "
            "was not read while tuning. Caught = the beliefs stated that were found; false "
            "alarms = clean lines flagged; agreement = verdicts or pass/fail as labelled.",
            "",
            _table(results),
            "",
            "Goals on the test part: misconceptions caught >= 90% with <= 5% false alarms; "
            "typed answers >= 95% agreement; steps >= 90% pass/fail agreement; no keyword list "
            "passes a step.",
            "",
        ]
    )


def main() -> int:
    """Score the chosen parts and print a Markdown table, then the disagreements asked for."""
    parser = argparse.ArgumentParser(prog="python -m evaluation", description=__doc__)
    parser.add_argument("--part", choices=[*PARTS, "all"], default="all")
    parser.add_argument("--misses", choices=[*PARTS, "all", "none"], default="test")
    parser.add_argument("--benchmarks", action="store_true", help="write BENCHMARKS.md too")
    args = parser.parse_args()
    parts = PARTS if args.part == "all" else (args.part,)
    results: dict[str, dict[str, Figures]] = {}
    for part in parts:
        results[part] = {}
        for kind in KINDS:
            lines = load(part, kind)
            answers, _ = run_mark(lines)
            results[part][kind] = score(kind, lines, answers)
    print(_table(results))
    if args.benchmarks:
        replace_section(Path("BENCHMARKS.md"), _section(results))
    shown = PARTS if args.misses == "all" else () if args.misses == "none" else (args.misses,)
    for part in parts:
        if part not in shown:
            continue
        for kind, figures in results[part].items():
            print(f"\n## {part} / {kind}: {len(figures.misses)} disagreements")
            for miss in figures.misses:
                print(f"- {miss}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
