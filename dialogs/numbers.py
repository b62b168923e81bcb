"""Numbers read from untrusted text (button data, command arguments), checked before use.

Anything a person can type or forge reaches the database only as an int inside the range the
caller allows, so a huge number is an expired button, not an ``OverflowError``.
"""

from __future__ import annotations

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
