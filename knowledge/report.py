"""The ``tutor kb check`` report: problems, or counts, the coverage map and any coverage gaps."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from knowledge.base import AnyItem, KnowledgeBase
from knowledge.errors import KnowledgeError
from knowledge.loader import default_content_dir, load
from knowledge.models import BASES, OUTCOMES

_KINDS: tuple[tuple[str, str], ...] = (
    ("variables", "variables"),
    ("groupings", "groupings"),
    ("misconceptions", "misconceptions"),
    ("concepts", "concepts"),
    ("command_words", "command words"),
    ("marking_points", "marking points"),
    ("scenarios", "scenarios"),
    ("coverage", "coverage entries"),
)


def _tables(kb: KnowledgeBase) -> dict[str, dict[str, AnyItem]]:
    return {name: getattr(kb, name) for name, _ in _KINDS if name != "coverage"}


def summary(kb: KnowledgeBase) -> str:
    """One line of counts for start-up logs."""
    parts = [f"{len(getattr(kb, name))} {label}" for name, label in _KINDS]
    steps = sum(len(s.steps) for s in kb.scenarios.values())
    parts[6] += f" ({steps} steps)"
    return "knowledge base: " + ", ".join(parts)


def _kind_of(kb: KnowledgeBase, item_id: str) -> str | None:
    for name, table in _tables(kb).items():
        if item_id in table:
            return name
    return None


def gaps(kb: KnowledgeBase) -> list[str]:
    """Coverage gaps: entries taught by nothing real, misconceptions no entry points to,
    and examiner marking points that no scenario step earns."""
    found: list[str] = []
    for entry in kb.coverage.values():
        unknown = [i for i in entry.taught_by if _kind_of(kb, i) is None]
        if not entry.taught_by:
            found.append(f"coverage {entry.id!r} is taught by nothing")
        elif unknown:
            found.append(f"coverage {entry.id!r} names unknown items: {', '.join(unknown)}")
    covered = {i for entry in kb.coverage.values() for i in entry.taught_by}
    for misconception in kb.misconceptions:
        if misconception not in covered:
            found.append(f"misconception {misconception!r} is in no coverage entry")
    steps = [step for scenario in kb.scenarios.values() for step in scenario.steps]
    earned = {point for step in steps for point in step.marking_points}
    for point in kb.marking_points.values():
        if point.kind == "marking_point" and point.id not in earned:
            found.append(f"marking point {point.id!r} is earned by no scenario step")
    return found


def _counts(kb: KnowledgeBase) -> list[str]:
    lines = ["Items"]
    lines += [f"  {label:<18}{len(getattr(kb, name)):>5}" for name, label in _KINDS]
    lines += ["", "Variables per base (main base; +n more accept it as an also-base)"]
    also = Counter(b for v in kb.variables.values() for b in v.also_bases)
    for base in BASES:
        extra = f"  (+{also[base]})" if also[base] else ""
        lines.append(f"  {base:<18}{len(kb.variables_in(base)):>5}{extra}")
    lines += ["", "Items per learning outcome"]
    labels = dict(_KINDS)
    for outcome, title in OUTCOMES.items():
        counts = {
            name: sum(outcome in item.outcomes for item in table.values())
            for name, table in _tables(kb).items()
        }
        per_kind = [f"{n} {labels[name]}" for name, n in counts.items() if n]
        total = len(kb.serving(outcome))
        lines.append(f"  {outcome} {title}: {total} ({', '.join(per_kind)})")
    return lines


def _coverage_map(kb: KnowledgeBase) -> list[str]:
    lines = ["Coverage (syllabus point -> what teaches it)"]
    for entry in kb.coverage.values():
        lines.append(f"  {entry.id} [{entry.kind}] {entry.seed}")
        by_kind: dict[str, list[str]] = {}
        for item_id in entry.taught_by:
            by_kind.setdefault(_kind_of(kb, item_id) or "UNKNOWN", []).append(item_id)
        for kind, ids in by_kind.items():
            lines.append(f"    {kind.replace('_', ' ')}: {', '.join(ids)}")
    return lines


def check(
    path: Path | None,
    extra: Path | None = None,
    reading: Callable[[KnowledgeBase], list[str]] | None = None,
) -> tuple[int, str]:
    """Load ``path`` (default: packaged content) plus ``extra`` and report on it.

    Returns (exit code, text): 1 with every problem one per line if it does not load, 1 with
    the full report if it loads but has coverage gaps or ``reading`` problems (terms and
    claims the tutor cannot read, found by the caller's check), 0 with the full report if clean.
    """
    root = path if path is not None else default_content_dir()
    try:
        kb = load(root, extra)
    except KnowledgeError as error:
        count = len(error.problems)
        tail = f"{count} problem{'s' if count != 1 else ''}: the knowledge base cannot be used."
        return 1, "\n".join([*error.problems, "", tail])
    header = f"Knowledge base: {root}" + (f" + {extra}" if extra is not None else "")
    missing = gaps(kb)
    lines = [header, "", *_counts(kb), "", *_coverage_map(kb), "", "Gaps"]
    lines += [f"  {gap}" for gap in missing] or ["  none"]
    unreadable = reading(kb) if reading is not None else []
    if reading is not None:
        lines += ["", "Reading"]
        lines += [f"  {problem}" for problem in unreadable] or ["  no problems"]
    if not missing and not unreadable:
        verdict = "OK: no problems, no gaps."
    else:
        found = [f"{len(missing)} gap(s)"] if missing else []
        found += [f"{len(unreadable)} reading problem(s)"] if unreadable else []
        verdict = f"NOT CLEAN: {', '.join(found)}."
    lines += ["", verdict]
    return (0 if not missing and not unreadable else 1), "\n".join(lines)
