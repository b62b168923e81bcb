"""Numbers read from untrusted text (button data, command arguments), checked before use.

Anything a person can type or forge reaches the database only as an int inside the range the
caller allows, so a huge number is an expired button, not an ``OverflowError``.
"""

from __future__ import annotations

import re

# Signed 64-bit: the widest integer column (Telegram ids); row ids fit well inside it.
DB_INT_MAX = 2**63 - 1


def bounded_int(text: str, low: int = 0, high: int = DB_INT_MAX) -> int | None:
    """``text`` as an int in ``low..high`` (inclusive), or None when it is not one.

    Only plain ASCII digits with an optional leading minus count: no spaces, signs or other
    scripts' digits (``int`` would accept all three).
    """
    digits = text[1:] if text.startswith("-") else text
    if not digits.isascii() or not digits.isdigit() or len(digits) > 19:
        return None
    value = int(text)
    return value if low <= value <= high else None


_ASCII_DIGITS = re.compile(r"[0-9]+")


def forged_number(data: str) -> bool:
    """True when button data holds a number the bot never puts there: digits from another
    script (the bot writes ASCII; ``int`` rejects some, e.g. "²") or a run of digits too big
    for a 64-bit column."""
    if any(ch.isdigit() and not ch.isascii() for ch in data):
        return True
    return any(bounded_int(run) is None for run in _ASCII_DIGITS.findall(data))


def unreadable_digits(text: str) -> bool:
    """True when typed text holds digit-like characters no number parser can read, such as
    superscripts left after NFKC normalisation (``int("²")`` raises)."""
    return any(ch.isdigit() and not ch.isdecimal() for ch in text)
