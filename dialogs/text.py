"""Small helpers that build Telegram-safe HTML; everything passed in is escaped."""

from __future__ import annotations

import html

MAX_INPUT = 1500


def esc(text: object) -> str:
    """Escape text for Telegram's HTML mode (only <, > and & matter there)."""
    return html.escape(str(text), quote=False)


def bold(text: object) -> str:
    """Bold, escaped."""
    return f"<b>{esc(text)}</b>"


def italic(text: object) -> str:
    """Italic, escaped."""
    return f"<i>{esc(text)}</i>"


def code(text: object) -> str:
    """Inline monospace, escaped."""
    return f"<code>{esc(text)}</code>"


def pre(text: object) -> str:
    """A monospace block (tables), escaped."""
    return f"<pre>{esc(text)}</pre>"


def bullet_list(lines: list[str]) -> str:
    """Lines (already HTML) as a bulleted list."""
    return "\n".join(f"• {line}" for line in lines)


def pct(share: float) -> str:
    """A 0-1 share as a whole percentage: 0.785 -> '79%'."""
    return f"{round(share * 100)}%"


def clean_input(text: str) -> str:
    """Normalise what a student typed: trimmed, control characters dropped, whitespace folded."""
    printable = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)
    return " ".join(printable.split())
