"""Load the YAML knowledge base from disk, validate it, merge tutor overrides, build the base.

Files under ``scenarios/`` hold one Scenario each; every other ``*.yaml`` file is a mapping of
sections (``variables:``, ``concepts:``, ``coverage:`` ...) to lists of items. Every problem
found, in any file, is collected and raised together in one :class:`KnowledgeError`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, SequenceNode

from knowledge.base import KnowledgeBase
from knowledge.checks import cross_check, topic_problems
from knowledge.errors import KnowledgeError
from knowledge.gc_pause import paused_gc
from knowledge.messages import validation_problems
from knowledge.models import (
    BASES,
    CommandWord,
    Concept,
    ConceptTopic,
    CoverageEntry,
    Grouping,
    LexiconEntry,
    MarkingPoint,
    Misconception,
    Scenario,
    Variable,
)
from knowledge.source import Source, YamlProblem, format_problem, parse

SECTIONS: dict[str, type[BaseModel]] = {
    "variables": Variable,
    "groupings": Grouping,
    "misconceptions": Misconception,
    "topics": ConceptTopic,
    "concepts": Concept,
    "command_words": CommandWord,
    "marking_points": MarkingPoint,
    "coverage": CoverageEntry,
    "scenarios": Scenario,
    "lexicon": LexiconEntry,
}
_LIST_SECTIONS = tuple(s for s in SECTIONS if s != "scenarios")
# Topic ids name what cards are about ("crm", "rfm"), so they may repeat a card's id.
_OWN_IDS = frozenset({"topics"})


@dataclass(frozen=True)
class Entry:
    """One validated item, the section it belongs to, where it came from, and whether from extra."""

    section: str
    item: BaseModel
    source: Source
    extra: bool = False

    @property
    def id(self) -> str:
        """The item's id."""
        return str(getattr(self.item, "id"))  # noqa: B009 - every section model has an id


@dataclass
class Tree:
    """What reading one directory produced."""

    entries: list[Entry]
    broken: list[tuple[str, str]]  # (id, section) of items that failed validation
    problems: list[str]


def default_content_dir() -> Path:
    """The packaged content directory, ``knowledge/content``."""
    return Path(__file__).parent / "content"


def _yaml_files(root: Path) -> list[Path]:
    files = [p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()]
    named = {p.relative_to(root).as_posix(): p for p in files}
    # Skip hidden files and folders (editor backups, .git): they are not content.
    visible = [n for n in named if not any(part.startswith(".") for part in n.split("/"))]
    return [named[n] for n in sorted(visible)]


def _validate(section: str, source: Source, data: object, tree: Tree, extra: bool) -> None:
    model = SECTIONS[section]
    try:
        item = model.model_validate(data)
    except ValidationError as error:
        tree.problems.extend(validation_problems(source, error))
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            tree.broken.append((data["id"], section))
        return
    tree.entries.append(Entry(section, item, source, extra))


def _read_sections(source: Source, data: object, tree: Tree, extra: bool) -> None:
    if not isinstance(data, dict) or not isinstance(source.node, MappingNode):
        expected = ", ".join(f"'{s}:'" for s in _LIST_SECTIONS)
        message = f"expected a mapping of sections such as {expected}"
        tree.problems.append(source.problem((), message))
        return
    node_of: dict[object, Node] = {k.value: v for k, v in source.node.value}
    for section, items in data.items():
        if section not in _LIST_SECTIONS:
            expected = ", ".join(_LIST_SECTIONS)
            message = f"unknown section (expected one of {expected})"
            if section == "scenarios":
                message = "scenarios go in scenarios/<id>.yaml, one per file"
            tree.problems.append(source.problem((section,), message))
            continue
        node = node_of.get(section)
        if not isinstance(items, list) or not isinstance(node, SequenceNode):
            tree.problems.append(source.problem((section,), "must be a list"))
            continue
        for index, (data_item, item_node) in enumerate(zip(items, node.value, strict=True)):
            item_source = Source(source.file, item_node, (section, index))
            _validate(section, item_source, data_item, tree, extra)


def _check_variable_file(entries: Iterable[Entry], tree: Tree) -> None:
    """``variables/<base>.yaml`` may hold only variables of that base."""
    for entry in entries:
        path = PurePosixPath(entry.source.file)
        if entry.section == "variables" and path.parent.name == "variables" and path.stem in BASES:
            base = getattr(entry.item, "base")  # noqa: B009
            if base != path.stem:
                message = f"a {base} variable in {path.name}: move it to variables/{base}.yaml"
                tree.problems.append(entry.source.problem(("base",), message))


def read_tree(root: Path, *, extra: bool = False) -> Tree:
    """Parse and validate every YAML file under ``root``; cross-file checks come later."""
    tree = Tree([], [], [])
    if not root.is_dir():
        tree.problems.append(f"{root}: content directory not found")
        return tree
    for path in _yaml_files(root):
        rel = path.relative_to(root).as_posix()
        try:
            parsed = parse(path.read_bytes())
        except YamlProblem as problem:
            tree.problems.append(format_problem(rel, (), problem.line, problem.problem))
            continue
        except OSError as error:
            tree.problems.append(f"{rel}: cannot read the file: {error.strerror}")
            continue
        data, node = parsed.data, parsed.node
        if node is None:
            tree.problems.append(format_problem(rel, (), 1, "the file is empty"))
            continue
        for path_, line, first in parsed.duplicates:
            message = f"duplicate key (first on line {first}): YAML keeps only the last"
            tree.problems.append(format_problem(rel, path_, line, message))
        source = Source(rel, node)
        if PurePosixPath(rel).parts[0] == "scenarios":
            _validate("scenarios", source, data, tree, extra)
        else:
            before = len(tree.entries)
            _read_sections(source, data, tree, extra)
            _check_variable_file(tree.entries[before:], tree)
    return tree


def merge(built_in: Tree, extra: Tree) -> tuple[list[Entry], list[Entry], list[str]]:
    """Combine built-in entries with tutor extras: same id and kind overrides, new ids add.

    Any other repeated id (within one directory, or an extra of a different kind) is a problem;
    returns (merged entries, dropped duplicates, problems).
    """
    merged: list[Entry] = []
    dropped: list[Entry] = []
    index: dict[str, int] = {}
    problems: list[str] = []
    for entry in [*built_in.entries, *extra.entries]:
        key = f"{entry.section}:{entry.id}" if entry.section in _OWN_IDS else entry.id
        at = index.get(key)
        if at is None:
            index[key] = len(merged)
            merged.append(entry)
            continue
        first = merged[at]
        if entry.extra and not first.extra and entry.section == first.section:
            merged[at] = entry
            continue
        if entry.extra and not first.extra:
            message = (
                f"id {entry.id!r} is already used by built-in {first.section} "
                f"({first.source.where(('id',))}); an override must be the same kind of item"
            )
        else:
            message = f"duplicate id {entry.id!r} (first defined in {first.source.where(('id',))})"
        problems.append(entry.source.problem(("id",), message))
        dropped.append(entry)
    return merged, dropped, problems


def build(entries: Iterable[Entry]) -> KnowledgeBase:
    """A KnowledgeBase holding ``entries`` (already merged, ids unique)."""
    tables: dict[str, dict[str, BaseModel]] = {section: {} for section in SECTIONS}
    for entry in entries:
        tables[entry.section][entry.id] = entry.item
    return KnowledgeBase(**tables)  # type: ignore[arg-type]


def load(path: Path | None = None, extra: Path | None = None) -> KnowledgeBase:
    """Load and validate the knowledge base from ``path`` (default: the packaged content).

    ``extra`` is an optional tutor directory merged over it: an item with an existing id
    replaces the built-in one, a new id adds an item. Raises KnowledgeError listing every
    problem in either directory.
    """
    with paused_gc():
        return _load(path, extra)


def _load(path: Path | None, extra: Path | None) -> KnowledgeBase:
    built_in = read_tree(path if path is not None else default_content_dir())
    tutor = read_tree(extra, extra=True) if extra is not None else Tree([], [], [])
    entries, duplicates, clashes = merge(built_in, tutor)
    base = build(entries)
    dropped = [*built_in.broken, *tutor.broken, *((d.id, d.section) for d in duplicates)]
    sources = {entry.id: entry.source for entry in entries if entry.section not in _OWN_IDS}
    topic_sources = {e.id: e.source for e in entries if e.section == "topics"}
    problems = [
        *built_in.problems,
        *tutor.problems,
        *clashes,
        *cross_check(base, sources, dropped),
        *topic_problems(base, sources, topic_sources),
    ]
    if problems:
        raise KnowledgeError(problems)
    return base
