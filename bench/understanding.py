"""Benchmark: reading student text. Start-up (the knowledge base with its lexicon compiled) and
the whole understanding of one message: misconception check plus marking, per kind."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import knowledge
from dialogs.language.check import ensure_readable
from dialogs.language.misconceptions import detections
from dialogs.marking import mark

CORPUS = Path(__file__).resolve().parent.parent / "evaluation"
COLD_RUNS = 5
_COLD = """
import json, time
laps = {}
t = time.perf_counter()
import simplemma; simplemma.lemmatize("running", lang="en")
laps["lemmatiser"] = time.perf_counter() - t; t = time.perf_counter()
import knowledge; kb = knowledge.load()
laps["knowledge"] = time.perf_counter() - t; t = time.perf_counter()
from dialogs.language.vocabulary import vocabulary; vocabulary(kb)
laps["lexicon"] = time.perf_counter() - t; t = time.perf_counter()
from dialogs.language.check import ensure_readable; ensure_readable(kb)
laps["scenarios"] = time.perf_counter() - t
print(json.dumps({k: v * 1000 for k, v in laps.items()}))
"""
PHASES = ("lemmatiser", "knowledge", "lexicon", "scenarios")


def _cold_start() -> list[dict[str, float]]:
    """Fresh processes, timed by phase: the lemmatiser's dictionary, importing and loading the
    knowledge base, compiling the lexicon, checking and compiling every scenario's vocabulary."""
    return [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", _COLD], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(COLD_RUNS)
    ]


def _lines() -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    for path in sorted(CORPUS.glob("*/*.jsonl")):
        found += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return found


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    return f"{statistics.median(ordered):.2f} ms | {p90:.2f} ms | {max(ordered):.2f} ms"


def run() -> str:
    """Time start-up and every corpus line; return a markdown section."""
    cold = _cold_start()
    kb = knowledge.load()
    start = time.perf_counter()
    ensure_readable(kb)
    warm_compile = (time.perf_counter() - start) * 1000
    lines = _lines()
    by_kind: dict[str, list[float]] = {}
    for line in lines:
        text = str(line["text"])
        start = time.perf_counter()
        detections(kb, text)  # every message is checked for misconceptions
        if line["kind"] != "misconception":
            mark(kb, line)
        by_kind.setdefault(str(line["kind"]), []).append((time.perf_counter() - start) * 1000)
    every = [t for times in by_kind.values() for t in times]
    rows = [f"| {kind} | {len(times)} | {_ms(times)} |" for kind, times in sorted(by_kind.items())]
    verdict = "✅" if statistics.median(every) < 2 else "❌"
    phase = {name: statistics.median(run[name] for run in cold) for name in PHASES}
    loaded = phase["knowledge"] + phase["lexicon"]
    start_verdict = "✅" if loaded < 300 else "❌"
    total = sum(phase.values())
    return "\n".join(
        [
            "## Understanding student text",
            "",
            f"Start-up, in fresh processes (median of {COLD_RUNS}): importing and loading the "
            f"knowledge base {phase['knowledge']:.0f} ms and compiling its lexicon "
            f"{phase['lexicon']:.0f} ms, {loaded:.0f} ms together (target under 300 ms "
            f"{start_verdict}); the lemmatiser's dictionary {phase['lemmatiser']:.0f} ms and "
            f"checking and compiling every scenario's vocabulary {phase['scenarios']:.0f} ms "
            f"come on top, {total:.0f} ms in all before the bot answers. Compiling the "
            f"vocabularies again in a warm process: {warm_compile:.0f} ms.",
            "",
            "One message, understood whole: the misconception check plus the marking of a typed "
            f"answer or a scenario step, over the {len(lines)} lines of the labelled corpus "
            "(`evaluation/`), in one process after warm-up.",
            "",
            "| kind | lines | median | p90 | max |",
            "|---|---:|---:|---:|---:|",
            *rows,
            f"| all | {len(every)} | {_ms(every)} |",
            "",
            f"Target: median under 2 ms: {statistics.median(every):.2f} ms {verdict}.",
            "",
        ]
    )


if __name__ == "__main__":
    print(run())
