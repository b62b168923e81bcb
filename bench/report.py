"""BENCHMARKS.md, written one section at a time."""

from __future__ import annotations

from pathlib import Path


def replace_section(path: Path, section: str) -> None:
    """Put ``section`` (starting "## Title") in place of the section of that title in ``path``,
    or at the end when there is none."""
    title = section.strip().splitlines()[0]
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    parts = text.split("\n## ")
    head, rest = parts[0], ["## " + p for p in parts[1:]]
    kept = [p if p.splitlines()[0] != title else section.strip() + "\n" for p in rest]
    if all(p.splitlines()[0] != title for p in rest):
        kept.append(section.strip() + "\n")
    path.write_text(head.rstrip() + "\n\n" + "\n".join(p.rstrip() + "\n" for p in kept), "utf-8")
