"""Plain reply objects the adapters render: messages with buttons, photos, documents, polls.

Text is Telegram-flavoured HTML (b, i, code, pre) built with ``dialogs.text``; every piece of
user- or content-supplied text is escaped there, so adapters can send it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Keyboard = tuple[tuple["Button", ...], ...]


@dataclass(frozen=True)
class Button:
    """An inline button: a label and either callback data (1-64 bytes) or a link to open."""

    label: str
    data: str = ""
    url: str | None = None

    def __post_init__(self) -> None:
        if self.url is not None:
            if self.data or not self.url.startswith("https://"):
                raise ValueError(f"a link button needs an https URL and no data: {self}")
        elif not 1 <= len(self.data.encode()) <= 64:
            raise ValueError(f"callback data must be 1-64 bytes: {self.data!r}")


@dataclass(frozen=True)
class Message:
    """A text message, optionally with inline buttons (rows of buttons)."""

    html: str
    buttons: Keyboard = ()


@dataclass(frozen=True)
class Photo:
    """A PNG image with a caption (at most 1024 characters)."""

    png: bytes
    caption_html: str = ""
    buttons: Keyboard = ()


@dataclass(frozen=True)
class Document:
    """A file to download, such as a CSV report."""

    content: bytes
    filename: str
    caption_html: str = ""


@dataclass(frozen=True)
class Poll:
    """A native quiz poll with one correct option."""

    question: str
    options: tuple[str, ...]
    correct_option_id: int
    explanation: str = ""
    open_period: int | None = None
    key: str = ""


Reply = Message | Photo | Document | Poll


@dataclass(frozen=True)
class ButtonOutcome:
    """What pressing a button does: a short toast, an edit of its message, new replies."""

    toast: str | None = None
    alert: bool = False
    edit: Message | None = None
    replies: list[Reply] = field(default_factory=list)


def rows(*buttons: Button, width: int = 2) -> Keyboard:
    """Lay buttons out in rows of ``width``, which reads well on a phone."""
    return tuple(tuple(buttons[i : i + width]) for i in range(0, len(buttons), width))
