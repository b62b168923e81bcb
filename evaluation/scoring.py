"""Score the tutor's marking against a labelled corpus: the figures ``make eval`` prints.

A corpus line is a ``tutor mark`` request plus the label: ``expect`` (misconception ids, a
verdict, or ``{"pass", "points", "contradicted"}`` for a step) and an optional ``note`` (the
kind of example: "casual", "keywords", "rejection"...). Scoring only compares what ``tutor
mark`` answered with the labels, so it works on any marker that keeps the contract.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PARTS = ("dev", "test")
KINDS = ("misconceptions", "typed", "steps")


@dataclass
class Figures:
    """The figures of one kind of corpus line, and the lines the marker got wrong."""

    kind: str
    lines: int = 0
    values: dict[str, float] = field(default_factory=dict)
    counts: dict[str, str] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)


def load(part: str, kind: str) -> list[dict[str, Any]]:
    """The labelled lines of one part ("dev" or "test") and kind."""
    path = HERE / part / f"{kind}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _ratio(top: float, bottom: float) -> float:
    return round(top / bottom, 4) if bottom else 1.0


def _show(line: dict[str, Any], got: Any) -> str:
    text = line["text"] if len(line["text"]) <= 160 else line["text"][:157] + "..."
    where = line.get("step") or line.get("item") or ""
    label = f"[{line.get('note') or line.get('question', '')}] {where}".strip()
    return f"{label}\n    text: {text}\n    want: {line['expect']}\n    got:  {got}"


def misconceptions(lines: Sequence[dict[str, Any]], answers: Sequence[dict[str, Any]]) -> Figures:
    """Caught (expected ids found), false alarms (clean lines flagged) and precision."""
    figures = Figures("misconceptions", len(lines))
    wanted = caught = reported = right_reports = clean = alarms = 0
    for line, answer in zip(lines, answers, strict=True):
        expect, got = set(line["expect"]), set(answer.get("misconceptions", []))
        wanted += len(expect)
        caught += len(expect & got)
        reported += len(got)
        right_reports += len(got & expect)
        if not expect:
            clean += 1
            alarms += bool(got)
        if expect != got:
            figures.misses.append(_show(line, sorted(got) or answer.get("error", [])))
    figures.values = {
        "caught": _ratio(caught, wanted),
        "false_alarms": _ratio(alarms, clean),
        "precision": _ratio(right_reports, reported),
    }
    figures.counts = {"beliefs": str(wanted), "clean lines": str(clean)}
    return figures


def typed(lines: Sequence[dict[str, Any]], answers: Sequence[dict[str, Any]]) -> Figures:
    """Agreement of verdicts, overall and per question kind."""
    figures = Figures("typed", len(lines))
    agree: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for line, answer in zip(lines, answers, strict=True):
        kind = str(line.get("question"))
        total[kind] += 1
        got = answer.get("verdict", answer.get("error"))
        if got == line["expect"]:
            agree[kind] += 1
        else:
            figures.misses.append(_show(line, got))
    figures.values = {"agreement": _ratio(sum(agree.values()), sum(total.values()))}
    figures.counts = {kind: f"{agree[kind]}/{total[kind]}" for kind in sorted(total)}
    return figures


def steps(lines: Sequence[dict[str, Any]], answers: Sequence[dict[str, Any]]) -> Figures:
    """Pass/fail agreement with the examiner, key-point precision and recall, keyword lists."""
    figures = Figures("steps", len(lines))
    agree = keyword_lists = keyword_passes = 0
    credited = labelled = right_credit = 0
    for line, answer in zip(lines, answers, strict=True):
        expect = line["expect"]
        passed = bool(answer.get("pass"))
        agree += passed == expect["pass"]
        if line.get("note") == "keywords":
            keyword_lists += 1
            keyword_passes += passed
        made = {point for point, ok in answer.get("points", {}).items() if ok}
        want = set(expect.get("points", []))
        credited += len(made)
        labelled += len(want)
        right_credit += len(made & want)
        if passed != expect["pass"]:
            got = {"pass": passed, "score": answer.get("score"), "points": sorted(made)}
            figures.misses.append(_show(line, answer.get("error", got)))
    figures.values = {
        "pass_agreement": _ratio(agree, len(lines)),
        "point_precision": _ratio(right_credit, credited),
        "point_recall": _ratio(right_credit, labelled),
    }
    figures.counts = {"keyword lists passed": f"{keyword_passes}/{keyword_lists}"}
    return figures


SCORERS = {"misconceptions": misconceptions, "typed": typed, "steps": steps}


def score(kind: str, lines: Sequence[dict[str, Any]], answers: Iterable[dict[str, Any]]) -> Figures:
    """Score ``answers`` (one per line, in order) against the labels of ``lines``."""
    return SCORERS[kind](lines, list(answers))
