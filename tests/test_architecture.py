"""The layout is the architecture: dependencies run one way and modules stay small.

``bot`` -> ``dialogs`` -> (``knowledge``, ``storage``); ``dialogs`` never imports Telegram or
the adapter; no two modules import each other, however indirectly (a late import inside a
function counts: it hides a cycle, it does not remove one).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "dialogs", "knowledge", "storage")
MAX_LINES = 300
# Declarative tables (SQLModel models) are allowed to be long: splitting them hides the schema.
LONG_ALLOWED = {"storage.models"}


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, at any depth of the file (late imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            # "from dialogs.quiz import plan" imports the module dialogs.quiz.plan.
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _graph() -> dict[str, set[str]]:
    return {
        name: {target for target in _imports(path) if target in MODULES and target != name}
        for name, path in MODULES.items()
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle in ``graph``, as the list of modules around it, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)) is not None:
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def test_no_import_cycle_between_modules():
    cycle = _cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("layer", ["dialogs", "knowledge", "storage"])
def test_inner_layers_never_import_telegram_or_the_adapter(layer):
    offenders = [
        f"{name} imports {target}"
        for name, path in MODULES.items()
        if name.split(".")[0] == layer
        for target in _imports(path)
        if target.split(".")[0] in ("telegram", "bot")
    ]
    assert offenders == []


@pytest.mark.parametrize(("layer", "forbidden"), [("knowledge", "dialogs"), ("storage", "dialogs")])
def test_dependencies_run_one_way(layer, forbidden):
    offenders = [
        f"{name} imports {target}"
        for name, path in MODULES.items()
        if name.split(".")[0] == layer
        for target in _imports(path)
        if target.split(".")[0] == forbidden
    ]
    assert offenders == []


def test_language_reads_text_only():
    """The language layer knows text and the knowledge base: no database, no features."""
    offenders = [
        f"{name} imports {target}"
        for name, path in MODULES.items()
        if name.startswith("dialogs.language")
        for target in _imports(path)
        if target.split(".")[0] in ("storage", "sqlmodel", "sqlalchemy")
        or (target.startswith("dialogs.") and not target.startswith("dialogs.language"))
    ]
    assert offenders == []


def test_modules_stay_small():
    long = {
        name: lines
        for name, path in MODULES.items()
        if name not in LONG_ALLOWED
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
