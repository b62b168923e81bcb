"""Turn pydantic validation errors into short, friendly problem lines with file, path and line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from yaml.nodes import MappingNode

from knowledge.source import KeyPath, Source, format_problem, resolve

_KINDS = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "Aggregate": "an aggregate (agg, column, where)",
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _text_type(error: ErrorDetails) -> str:
    value = error["input"]
    if isinstance(value, bool):
        return "must be text (put it in quotes: YAML reads yes/no/on/off as true/false)"
    if isinstance(value, int | float):
        return "must be text (put numbers in quotes)"
    return "must be text"


_FRIENDLY: dict[str, Callable[[ErrorDetails, dict[str, Any]], str]] = {
    "missing": lambda e, c: "field required",
    "extra_forbidden": lambda e, c: "unknown field",
    "too_short": lambda e, c: f"at least {_plural(c['min_length'], 'item')} required",
    "too_long": lambda e, c: f"at most {_plural(c['max_length'], 'item')} allowed",
    "string_too_short": lambda e, c: "must not be empty",
    "string_too_long": lambda e, c: f"at most {c['max_length']} characters allowed",
    "string_pattern_mismatch": lambda e, c: (
        f"{e['input']!r} is not a valid id (a-z, 0-9 and _, starting with a letter)"
    ),
    "literal_error": lambda e, c: f"must be one of {c['expected']}, not {e['input']!r}",
    "string_type": lambda e, c: _text_type(e),
    "float_type": lambda e, c: "must be a number",
    "float_parsing": lambda e, c: "must be a number",
    "int_type": lambda e, c: "must be a whole number",
    "int_parsing": lambda e, c: "must be a whole number",
    "int_from_float": lambda e, c: "must be a whole number",
    "list_type": lambda e, c: "must be a list",
    "dict_type": lambda e, c: "must be a mapping",
    "model_type": lambda e, c: "must be a mapping",
    "model_attributes_type": lambda e, c: "must be a mapping",
    "greater_than_equal": lambda e, c: f"must be at least {c['ge']}",
}


def friendly(error: ErrorDetails) -> str:
    """A short lower-case message for one pydantic error."""
    make = _FRIENDLY.get(error["type"])
    if make is not None:
        return make(error, dict(error.get("ctx") or {}))
    message = error["msg"]
    return message[:1].lower() + message[1:]


def _either(members: list[str]) -> str:
    kinds = [m for m in dict.fromkeys(members) if not (m == "int" and "float" in members)]
    words = [_KINDS.get(k, k) for k in kinds]
    joined = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
    return f"must be {joined}"


def validation_problems(source: Source, error: ValidationError) -> list[str]:
    """Every error of ``error`` as a problem line, located through ``source``'s node tree.

    For a union (a number or an aggregate; text or a number) pydantic reports one error per
    member. When the YAML holds a mapping and a model is among the members, the author
    evidently meant the model, so we keep that model's detailed errors; otherwise we fold the
    members into one "must be X or Y" line.
    """
    lines: list[str] = []
    # union path -> (its line, whether the YAML there is a mapping, members, model errors)
    unions: dict[KeyPath, tuple[int, bool, list[str], list[str]]] = {}
    for detail in error.errors():
        found = resolve(source.node, detail["loc"])
        path = (*source.prefix, *found.path)
        if found.union_at is None:
            message = friendly(detail)
            lines.append(format_problem(source.file, path, found.line, message))
            continue
        union_path, union_line, union_node = found.union_at
        full = (*source.prefix, *union_path)
        group = unions.setdefault(full, (union_line, isinstance(union_node, MappingNode), [], []))
        member = found.tags[0]
        group[2].append(member)
        if member[:1].isupper():
            group[3].append(format_problem(source.file, path, found.line, friendly(detail)))
    for full, (line, is_mapping, members, detailed) in unions.items():
        if is_mapping and detailed:
            lines.extend(detailed)
        else:
            lines.append(format_problem(source.file, full, line, _either(members)))
    return list(dict.fromkeys(lines))
