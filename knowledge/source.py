"""One YAML file read once: its data plus its node tree, so any key path maps back to a line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Key = str | int
KeyPath = tuple[Key, ...]

# libyaml's parser is several times faster; the pure-Python one behaves the same.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Pydantic names the member of a union it tried as an extra location element.
UNION_TAGS = frozenset({"str", "int", "float", "bool", "Aggregate"})


class YamlProblem(Exception):
    """A file that is not readable YAML; ``line`` is 1-based."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


@dataclass(frozen=True)
class Parsed:
    """A parsed document: its data, its node tree (None if empty) and any repeated keys."""

    data: object
    node: Node | None
    # (key path, line, line of the first occurrence): YAML silently keeps only the last.
    duplicates: list[tuple[KeyPath, int, int]]


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"


class _Builder:
    """Python data from a composed node tree, noting repeated keys on the way.

    Plain strings, lists and mappings (nearly all content) are built here directly, which is
    several times faster than PyYAML's constructor; every other node (numbers, booleans,
    dates, merge keys...) goes to the SafeLoader constructor so the semantics are unchanged.
    """

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.duplicates: list[tuple[KeyPath, int, int]] = []
        self.active: set[int] = set()

    def build(self, node: Node, path: KeyPath) -> object:
        if isinstance(node, ScalarNode):
            return node.value if node.tag == _STR else self.loader.construct_object(node, True)
        if id(node) in self.active:
            raise YamlProblem(_line(node), "an alias refers to its own parent")
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode) and node.tag == _SEQ:
                return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
            if (
                isinstance(node, MappingNode)
                and node.tag == _MAP
                and not any(k.tag == _MERGE for k, _ in node.value)
            ):
                return self._mapping(node, path)
            return self.loader.construct_object(node, True)
        finally:
            self.active.discard(id(node))

    def _mapping(self, node: MappingNode, path: KeyPath) -> dict[object, object]:
        result: dict[object, object] = {}
        first: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = self.build(key_node, path)
            if not isinstance(key, str | int | float | bool | None):
                raise YamlProblem(_line(key_node), "a key must be a plain value")
            if key in first:
                self.duplicates.append(((*path, str(key)), _line(key_node), first[key]))
            else:
                first[key] = _line(key_node)
            result[key] = self.build(value_node, (*path, str(key)))
        return result


# A plain list item with " # " in it: YAML reads the rest as a comment, so the term "in # go"
# (any number) would silently become "in".
_CUT_BY_COMMENT = re.compile(r"^[ \t]*- [^\"'#\[{|>\n][^\n#]*[ \t]#(?:[ \t]|$)", re.MULTILINE)


def parse(raw: bytes) -> Parsed:
    """Parse one YAML document; the data is built from the same node tree used for lines."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise YamlProblem(raw.count(b"\n", 0, error.start) + 1, "not valid UTF-8") from None
    if (cut := _CUT_BY_COMMENT.search(text)) is not None:
        line = text.count("\n", 0, cut.start()) + 1
        raise YamlProblem(line, "' #' starts a YAML comment here: quote this item")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        builder = _Builder(loader)
        data = None if node is None else builder.build(node, ())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlProblem(line, error.problem or error.context or "invalid YAML") from None
    except yaml.YAMLError as error:
        raise YamlProblem(1, str(error)) from None
    finally:
        loader.dispose()
    return Parsed(data, node, sorted(builder.duplicates, key=lambda d: d[1]))


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _entry(node: MappingNode, key: str) -> tuple[Node, Node] | None:
    """The last ``key: value`` pair with this key (YAML keeps the last of duplicates)."""
    found = None
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            found = (key_node, value_node)
    return found


@dataclass(frozen=True)
class Resolved:
    """Where a (pydantic) location lands in the node tree.

    ``tags`` are the union member names met on the way; ``union_at`` is the (path, line,
    node) of the value the union was tried on.
    """

    path: KeyPath
    line: int
    tags: tuple[str, ...] = ()
    union_at: tuple[KeyPath, int, Node | None] | None = None


def resolve(node: Node, loc: Sequence[Key]) -> Resolved:
    """Follow ``loc`` through the tree as far as it exists.

    Union member names are dropped from the path (kept in ``tags``); ``[key]`` (a bad dict
    key) ends the path at that key. Parts past the deepest existing node are kept in the
    path, and the line is that of the deepest existing node (or its key).
    """
    path: list[Key] = []
    tags: list[str] = []
    union_at: tuple[KeyPath, int, Node | None] | None = None
    line = _line(node)
    current: Node | None = node
    for part in loc:
        if part == "[key]":
            break
        if current is None:
            path.append(part)
            continue
        if isinstance(current, MappingNode):
            entry = _entry(current, str(part))
            if entry is not None:
                path.append(part)
                line, current = _line(entry[0]), entry[1]
                continue
        elif (
            isinstance(current, SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(current.value)
        ):
            path.append(part)
            current = current.value[part]
            line = _line(current)
            continue
        if isinstance(part, str) and part in UNION_TAGS:
            if union_at is None:
                union_at = (tuple(path), line, current)
            tags.append(part)
            continue
        path.append(part)
        current = None
    return Resolved(tuple(path), line, tuple(tags), union_at)


def format_problem(file: str, path: Sequence[Key], line: int, message: str) -> str:
    """``file: a.b.0 (line N): message``, or ``file: (line N): message`` for the whole file."""
    where = ".".join(str(p) for p in path)
    located = f"{where} (line {line})" if where else f"(line {line})"
    return f"{file}: {located}: {message}"


@dataclass(frozen=True)
class Source:
    """Where an item lives: its file (relative to its root), its node and its key path."""

    file: str
    node: Node
    prefix: KeyPath = ()

    def line(self, path: Sequence[Key] = ()) -> int:
        """The line of ``path`` below this item (or of its deepest existing part)."""
        return resolve(self.node, path).line

    def problem(self, path: Sequence[Key], message: str) -> str:
        """A problem message pointing at ``path`` below this item."""
        return format_problem(self.file, (*self.prefix, *path), self.line(path), message)

    def where(self, path: Sequence[Key] = ()) -> str:
        """``file line N``, to point at another place from a message."""
        return f"{self.file} line {self.line(path)}"
