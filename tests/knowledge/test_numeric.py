"""The safe expression evaluator, aggregates over scenario rows, and reading typed numbers."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.models import Aggregate, NumericTask
from knowledge.numeric import NumericError, compute, evaluate, format_number, parse_number

ROWS = [
    {"name": "Amy", "plan": "basic", "spend": 20},
    {"name": "Ben", "plan": "premium", "spend": 45.5},
    {"name": "Cal", "plan": "premium", "spend": 50},
    {"name": "Dee", "plan": "basic", "spend": 22},
]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("a + b * 2", 7.0),
        ("(a + b) * 2", 8.0),
        ("-a + +b", 2.0),
        ("b ** 2 / 3", 3.0),
        ("round(a / b * 100, 1)", 33.3),
        ("round(2.5)", 2.0),
        ("min(a, b, 0.5)", 0.5),
        ("max(a, b)", 3.0),
        ("1_000 * a", 1000.0),
        ("  a  ", 1.0),
    ],
)
def test_evaluate(expression: str, expected: float) -> None:
    assert evaluate(expression, {"a": 1, "b": 3}) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("__import__('os')", "not allowed in an expression: \"__import__('os')\""),
        ("a.real", "not allowed in an expression: 'a.real'"),
        ("abs(a)", "not allowed in an expression: 'abs(a)'"),
        ("round(a, ndigits=1)", "not allowed in an expression: 'round(a, ndigits=1)'"),
        ("max(*a)", "not allowed in an expression: 'max(*a)'"),
        ("(lambda: 1)()", "not allowed in an expression: '(lambda: 1)()'"),
        ("[a][0]", "not allowed in an expression: '[a][0]'"),
        ("a % 2", "not allowed in an expression: 'a % 2'"),
        ("a if a else 2", "not allowed in an expression: 'a if a else 2'"),
        ("'text'", "not allowed in an expression: \"'text'\""),
        ("True", "true/false is not a number"),
        ("b", "unknown name 'b' (not one of the inputs)"),
        ("a +", "not a valid expression: invalid syntax"),
        ("a / 0", "division by zero"),
        ("9 ** 9 ** 9", "exponent 387420489 is too large"),
        ("(-8) ** 0.5", "a negative number raised to a fractional power"),
        ("10.0 ** 99 * 10.0 ** 99 * 10.0 ** 99 * 10.0 ** 99", "the result is not a finite number"),
        ("round(a, 0.5)", "round() needs a whole number of decimal places"),
        ("max()", "max() needs at least one number"),
        ("a" + " + a" * 300, "expression longer than 500 characters"),
    ],
)
def test_evaluate_rejects(expression: str, message: str) -> None:
    with pytest.raises(NumericError) as caught:
        evaluate(expression, {"a": 1})
    assert str(caught.value) == message


def task(inputs: dict[str, float | Aggregate], expression: str) -> NumericTask:
    return NumericTask(question="q", inputs=inputs, expression=expression, answer=0, method="m")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (Aggregate(agg="sum", column="spend"), 137.5),
        (Aggregate(agg="mean", column="spend", where={"plan": "premium"}), 47.75),
        (Aggregate(agg="count"), 4.0),
        (Aggregate(agg="count", where={"plan": "basic"}), 2.0),
        (Aggregate(agg="min", column="spend"), 20.0),
        (Aggregate(agg="max", column="spend", where={"plan": "basic"}), 22.0),
    ],
)
def test_compute_aggregates(spec: Aggregate, expected: float) -> None:
    assert compute(task({"x": spec}, "x"), ROWS) == pytest.approx(expected)


def test_compute_combines_literals_and_aggregates() -> None:
    spend = Aggregate(agg="sum", column="spend", where={"plan": "premium"})
    count = Aggregate(agg="count", where={"plan": "premium"})
    numeric = task({"spend": spend, "count": count, "months": 12}, "spend / count * months")
    assert compute(numeric, ROWS) == pytest.approx(573.0)


@pytest.mark.parametrize(
    ("spec", "rows", "message"),
    [
        (
            Aggregate(agg="sum", column="name"),
            ROWS,
            "column 'name' holds a non-numeric value 'Amy'",
        ),
        (Aggregate(agg="mean"), ROWS, "mean needs a column"),
        (Aggregate(agg="max", column="spend", where={"plan": "gold"}), ROWS, "no rows match"),
        (Aggregate(agg="sum", column="spend"), None, "an aggregate needs a scenario data table"),
    ],
)
def test_compute_aggregate_errors_name_the_input(
    spec: Aggregate, rows: list[dict[str, object]] | None, message: str
) -> None:
    with pytest.raises(NumericError) as caught:
        compute(task({"total": spec}, "total"), rows)
    assert (str(caught.value), caught.value.input_name) == (message, "total")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3.5", 3.5),
        ("3.5%", 3.5),
        ("3.5 %", 3.5),
        ("£1,234.50", 1234.5),
        ("£ 1,234.50", 1234.5),
        ("1 234", 1234.0),
        ("1\u00a0234", 1234.0),
        ("1,234,567", 1234567.0),
        ("about 42", 42.0),
        ("Approx. £42", 42.0),
        ("roughly 42 customers", 42.0),
        ("~42", 42.0),
        ("-2", -2.0),
        ("−2", -2.0),
        ("-£2", -2.0),
        ("£-2", -2.0),
        ("+7", 7.0),
        (".5", 0.5),
        ("12.", 12.0),
        ("  42  ", 42.0),
        ("42.", 42.0),
        ("5 percent", 5.0),
        ("6 years", 6.0),
        ("$10", 10.0),
        ("€10", 10.0),
        ("", None),
        ("   ", None),
        ("abc", None),
        ("forty-two", None),
        ("12 or 13", None),
        ("10-12", None),
        ("1,5", None),
        ("12,34", None),
        ("1.2.3", None),
        ("1e3", None),
        ("--2", None),
        ("-£-2", None),
        ("£", None),
        ("%", None),
        ("nan", None),
        ("inf", None),
    ],
)
def test_parse_number(text: str, expected: float | None) -> None:
    assert parse_number(text) == expected


finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


@given(
    finite,
    st.sampled_from(
        [("{:.2f}", 2), ("{:,.2f}", 2), ("£{:,.2f}", 2), ("{:.3f}%", 3), ("about {:,.1f}", 1)]
    ),
)
def test_parse_number_reads_formatted_floats(value: float, template: tuple[str, int]) -> None:
    pattern, decimals = template
    assert parse_number(pattern.format(value)) == float(f"{value:.{decimals}f}")


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_parse_number_reads_space_grouped_integers(value: int) -> None:
    assert parse_number(f"{value:,}".replace(",", " ")) == value


@given(finite)
def test_format_number_round_trips_to_four_decimals(value: float) -> None:
    parsed = parse_number(format_number(value))
    assert parsed is not None
    assert math.isclose(parsed, round(value, 4), abs_tol=1e-9)


def test_format_number() -> None:
    assert [format_number(v) for v in (1200.0, 1180.5, 1 / 3, -0.00001, 2.0e6)] == [
        "1200",
        "1180.5",
        "0.3333",
        "0",
        "2000000",
    ]
