"""Numbers from button data and command arguments are range-checked before any use."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dialogs.numbers import DB_INT_MAX, bounded_int, forged_number, unreadable_digits
from dialogs.replies import Message
from dialogs.tutor import Turn, Tutor


@pytest.mark.parametrize(
    ("text", "low", "high", "expected"),
    [
        ("12", 0, 100, 12),
        ("-3", -5, 5, -3),
        ("101", 0, 100, None),
        (str(DB_INT_MAX), 0, DB_INT_MAX, DB_INT_MAX),
        (str(DB_INT_MAX + 1), 0, DB_INT_MAX, None),
        ("9" * 40, 0, DB_INT_MAX, None),
        ("²", 0, 9, None),
        ("١٢", 0, 99, None),
        (" 12", 0, 99, None),
        ("+12", 0, 99, None),
        ("", 0, 99, None),
        ("-", 0, 99, None),
    ],
)
def test_bounded_int_takes_only_plain_digits_in_range(
    text: str, low: int, high: int, expected: int | None
) -> None:
    assert bounded_int(text, low, high) == expected


def test_forged_numbers_in_button_data() -> None:
    assert not forged_number("q:12:3")
    assert not forged_number(f"s:{DB_INT_MAX}:0:n")
    assert forged_number("s:9223372036854775808:0:n")
    assert forged_number("g:sx:" + "9" * 30)
    assert forged_number("st:new:²")
    assert forged_number("q:١:0")
    assert unreadable_digits("²") and not unreadable_digits("١٢ 12")


FORGED = (
    "s:9223372036854775808:0:n",
    "g:sx:99999999999999999999",
    "q:99999999999999999999:0",
    "tu:r:9223372036854775808",
    "s:²:0:n",
    "g:sx:²",
    "st:new:²",
    "pv:forget:²",
    "cj:join:99999999999999999999",
    "ta:ok:9223372036854775808",
)


@pytest.mark.parametrize("data", FORGED)
async def test_forged_buttons_are_expired_not_errors(
    tutor: Tutor, turn: Callable[..., Turn], data: str
) -> None:
    outcome = await tutor.on_button(turn(), data)
    assert "expired" in (outcome.toast or "")


@pytest.mark.parametrize(
    ("command", "args"),
    [("scenario", "²"), ("challenge", "²"), ("start", "ch_²"), ("exam", "²⁰²⁷-01-15")],
)
async def test_unreadable_digits_in_commands_get_a_friendly_answer(
    tutor: Tutor, turn: Callable[..., Turn], command: str, args: str
) -> None:
    replies = await tutor.on_command(turn(user=999), command, args)
    assert replies and all(isinstance(r, Message) for r in replies)


async def test_full_width_digits_in_commands_read_as_plain_ones(
    tutor: Tutor, turn: Callable[..., Turn]
) -> None:
    replies = await tutor.on_command(turn(), "remind", "１８:３０")
    assert isinstance(replies[0], Message) and "18:30" in replies[0].html
