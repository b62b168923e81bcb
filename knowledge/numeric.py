"""Safe arithmetic for numeric tasks, and reading the numbers students type.

``compute`` recomputes a :class:`NumericTask` answer from its inputs (literal numbers or
aggregates over a scenario's rows) and its expression. The expression language is deliberately
tiny: numbers, input names, ``+ - * / **``, unary minus, brackets and ``round``/``min``/``max``.
It is evaluated by walking Python's AST, never with ``eval``.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Mapping, Sequence

from knowledge.models import Aggregate, NumericTask

Row = Mapping[str, object]

_MAX_EXPRESSION = 500
_MAX_EXPONENT = 100.0


class NumericError(ValueError):
    """An expression or aggregate that cannot be computed; ``input`` names the culprit input."""

    def __init__(self, message: str, input_name: str | None = None) -> None:
        super().__init__(message)
        self.input_name = input_name


def _round(*args: float) -> float:
    if len(args) not in (1, 2):
        raise NumericError("round() takes a number and optionally a number of decimal places")
    if len(args) == 2:
        if args[1] != int(args[1]):
            raise NumericError("round() needs a whole number of decimal places")
        return float(round(args[0], int(args[1])))
    return float(round(args[0]))


def _min(*args: float) -> float:
    if not args:
        raise NumericError("min() needs at least one number")
    return min(args)


def _max(*args: float) -> float:
    if not args:
        raise NumericError("max() needs at least one number")
    return max(args)


_FUNCTIONS: dict[str, Callable[..., float]] = {"round": _round, "min": _min, "max": _max}


def _power(base: float, exponent: float) -> float:
    if abs(exponent) > _MAX_EXPONENT:
        raise NumericError(f"exponent {format_number(exponent)} is too large")
    result: object = base**exponent
    if not isinstance(result, float):
        raise NumericError("a negative number raised to a fractional power")
    return result


_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: _power,
}


def _walk(node: ast.AST, names: Mapping[str, float]) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        if isinstance(node.value, bool):
            raise NumericError("true/false is not a number")
        return float(node.value)
    if isinstance(node, ast.Name):
        if node.id not in names:
            raise NumericError(f"unknown name {node.id!r} (not one of the inputs)")
        return float(names[node.id])
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _walk(node.operand, names)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _walk(node.left, names), _walk(node.right, names)
        return _BINARY[type(node.op)](left, right)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _FUNCTIONS
        and not node.keywords
        and not any(isinstance(a, ast.Starred) for a in node.args)
    ):
        return _FUNCTIONS[node.func.id](*(_walk(a, names) for a in node.args))
    raise NumericError(f"not allowed in an expression: {ast.unparse(node)!r}")


def evaluate(expression: str, names: Mapping[str, float]) -> float:
    """Evaluate arithmetic ``expression`` with ``names``; NumericError if disallowed or invalid."""
    if len(expression) > _MAX_EXPRESSION:
        raise NumericError(f"expression longer than {_MAX_EXPRESSION} characters")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
        result = _walk(tree.body, names)
    except SyntaxError as error:
        raise NumericError(f"not a valid expression: {error.msg}") from None
    except ZeroDivisionError:
        raise NumericError("division by zero") from None
    except (OverflowError, RecursionError, MemoryError):
        raise NumericError("the result is too large to compute") from None
    if not math.isfinite(result):
        raise NumericError("the result is not a finite number")
    return result


def _matches(row: Row, where: Mapping[str, object]) -> bool:
    return all(key in row and row[key] == value for key, value in where.items())


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def aggregate(spec: Aggregate, rows: Sequence[Row]) -> float:
    """Apply ``spec`` (sum/mean/count/min/max over a column, rows filtered by ``where``)."""
    matching = [row for row in rows if _matches(row, spec.where)]
    if spec.agg == "count":
        return float(len(matching))
    if spec.column is None:
        raise NumericError(f"{spec.agg} needs a column")
    values: list[float] = []
    for row in matching:
        value = _number(row.get(spec.column))
        if value is None:
            shown = row.get(spec.column)
            raise NumericError(f"column {spec.column!r} holds a non-numeric value {shown!r}")
        values.append(value)
    if not values:
        raise NumericError("no rows match")
    if spec.agg == "sum":
        return math.fsum(values)
    if spec.agg == "mean":
        return math.fsum(values) / len(values)
    return min(values) if spec.agg == "min" else max(values)


def inputs(task: NumericTask, rows: Sequence[Row] | None = None) -> dict[str, float]:
    """The value of every input of ``task``, aggregates computed over ``rows``."""
    values: dict[str, float] = {}
    for name, spec in task.inputs.items():
        if isinstance(spec, Aggregate):
            if rows is None:
                raise NumericError("an aggregate needs a scenario data table", name)
            try:
                values[name] = aggregate(spec, rows)
            except NumericError as error:
                raise NumericError(str(error), name) from None
        else:
            values[name] = float(spec)
    return values


def compute(task: NumericTask, rows: Sequence[Row] | None = None) -> float:
    """The answer recomputed from ``task.inputs`` and ``task.expression`` (rows for aggregates)."""
    return evaluate(task.expression, inputs(task, rows))


def format_number(value: float) -> str:
    """A number as people write it: ``1200``, ``1180.5``, ``0.3333`` (at most 4 decimals)."""
    if math.isfinite(value) and value == round(value) and abs(value) < 1e15:
        return str(round(value))
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


_HEDGES = (
    "approximately",
    "approx.",
    "approx",
    "about",
    "around",
    "roughly",
    "nearly",
    "almost",
    "circa",
    "ca.",
    "c.",
    "~",
    "≈",
    "=",
)
_UNITS = (
    "%",
    "percent",
    "per cent",
    "pounds",
    "pound",
    "gbp",
    "customers",
    "months",
    "years",
    "points",
    "pts",
)
_NUMBER = re.compile(
    r"(?P<sign>[-+])?\s*(?P<cur>[£$€])?\s*(?P<sign2>[-+])?\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?: \d{3})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+)"
)
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "−": "-", "–": "-"})


def _strip_words(text: str, words: tuple[str, ...], *, front: bool) -> str:
    changed = True
    while changed:
        changed = False
        for word in words:
            if front and text.startswith(word):
                text, changed = text[len(word) :].lstrip(), True
            elif not front and text.endswith(word):
                text, changed = text[: -len(word)].rstrip(), True
    return text


def parse_number(text: str) -> float | None:
    """Read a number a student typed: ``3.5``, ``3.5%``, ``£1,234.50``, ``1 234``, ``about 42``.

    Returns None when the text is not a single number (words, ranges, two numbers...).
    """
    cleaned = " ".join(text.translate(_SPACES).casefold().split()).rstrip(".!")
    cleaned = _strip_words(cleaned, _HEDGES, front=True)
    cleaned = _strip_words(cleaned, _UNITS, front=False)
    found = _NUMBER.fullmatch(cleaned)
    if found is None or (found["sign"] and found["sign2"]):
        return None
    value = float(found["num"].replace(",", "").replace(" ", ""))
    return -value if "-" in (found["sign"], found["sign2"]) else value
