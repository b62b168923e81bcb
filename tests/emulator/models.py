"""Plain data held by the emulator: people, chats, recorded calls, messages, files, errors."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]


@dataclass
class User:
    """A simulated Telegram account (a person, or the bot itself when ``is_bot``)."""

    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = "en"
    is_bot: bool = False

    def to_api(self) -> JSON:
        """The Bot API ``User`` object."""
        data: JSON = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data


@dataclass
class Chat:
    """A private chat, group or supergroup, with the membership the emulator tracks.

    ``members`` maps user id to a ChatMember status ("creator", "administrator", "member",
    "left", "kicked"); ``bot_status`` is the bot's own status in the chat.
    """

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    is_forum: bool = False
    members: dict[int, str] = field(default_factory=dict)
    bot_status: str = "member"
    migrated_to: int | None = None

    @property
    def is_group(self) -> bool:
        """True for groups and supergroups."""
        return self.type in ("group", "supergroup")

    def to_api(self) -> JSON:
        """The Bot API ``Chat`` object."""
        data: JSON = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name", "last_name"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        if self.is_forum:
            data["is_forum"] = True
        return data


@dataclass
class UploadedFile:
    """A file the bot uploaded (multipart part), kept byte for byte."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.data)


@dataclass
class Call:
    """One request the bot made, with decoded parameters and the emulator's answer.

    ``at`` is ``time.monotonic()`` when the request arrived; ``status`` is the HTTP status
    answered (0 while the request is still being processed); ``result`` is the ``result``
    of a successful answer and ``error`` the description of a failed one.
    """

    method: str
    params: dict[str, Any]
    at: float
    files: dict[str, UploadedFile] = field(default_factory=dict)
    transport: str = "http"
    status: int = 0
    result: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the request was answered with HTTP 200."""
        return self.status == 200

    def brief(self, width: int = 160) -> str:
        """A one-line summary for failure messages."""
        params = json.dumps(self.params, ensure_ascii=False, default=str)
        if len(params) > width:
            params = params[: width - 3] + "..."
        outcome = "pending" if self.status == 0 else str(self.status)
        suffix = f" -> {self.error}" if self.error else ""
        return f"{self.method} [{outcome}] {params}{suffix}"


@dataclass
class Violation:
    """A request Telegram would have rejected (or that breaks a documented limit)."""

    method: str
    description: str
    params: dict[str, Any]

    def __str__(self) -> str:
        params = json.dumps(self.params, ensure_ascii=False, default=str)
        return f"{self.method}: {self.description} (params: {params[:300]})"


@dataclass
class ChatMessage:
    """A message in a chat's history, kept current after edits and deletions.

    ``data`` is the Bot API ``Message`` object as the bot would see it now. For bot
    messages, ``source_text`` is the text or caption exactly as sent (e.g. with HTML tags),
    ``parse_mode`` the mode it was sent with and ``sent_markup`` any reply markup (inline
    keyboards also appear in ``data``; reply keyboards only here).
    """

    chat_id: int
    message_id: int
    data: JSON
    from_bot: bool
    method: str = "sendMessage"
    source_text: str | None = None
    parse_mode: str | None = None
    sent_markup: JSON | None = None
    deleted: bool = False
    edit_count: int = 0

    @property
    def text(self) -> str | None:
        """Visible text: message text, media caption or poll question."""
        if "text" in self.data:
            return str(self.data["text"])
        if "caption" in self.data:
            return str(self.data["caption"])
        poll = self.data.get("poll")
        return str(poll["question"]) if poll else None

    @property
    def entities(self) -> list[JSON]:
        """Entities of the text or caption."""
        return list(self.data.get("entities") or self.data.get("caption_entities") or [])

    @property
    def inline_keyboard(self) -> list[list[JSON]]:
        """Rows of inline buttons currently under the message (empty when none)."""
        markup = self.data.get("reply_markup") or {}
        return [list(row) for row in markup.get("inline_keyboard", [])]

    @property
    def buttons(self) -> list[JSON]:
        """All inline buttons, row by row."""
        return [button for row in self.inline_keyboard for button in row]

    @property
    def button_texts(self) -> list[str]:
        """Labels of all inline buttons."""
        return [str(button["text"]) for button in self.buttons]

    @property
    def callback_data(self) -> list[str]:
        """callback_data of all callback buttons."""
        return [str(b["callback_data"]) for b in self.buttons if "callback_data" in b]

    @property
    def poll(self) -> JSON | None:
        """The Bot API ``Poll`` object for poll messages."""
        poll = self.data.get("poll")
        return dict(poll) if poll else None


class ApiError(Exception):
    """An error answer of the Bot API.

    ``violation`` marks errors caused by a request Telegram considers invalid (counted as
    test failures); Telegram's ordinary refusals (message not modified, blocked, flood
    control) are answered without being counted. ``detail`` is extra context for the
    violation report that Telegram itself would not send.
    """

    def __init__(
        self,
        status: int,
        description: str,
        *,
        violation: bool = False,
        parameters: JSON | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.violation = violation
        self.parameters = parameters
        self.detail = detail

    @property
    def explanation(self) -> str:
        """The description plus the emulator's detail, for violation reports."""
        return f"{self.description} ({self.detail})" if self.detail else self.description

    def body(self) -> JSON:
        """The JSON body Telegram sends for this error."""
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(description: str, *, violation: bool = True) -> ApiError:
    """A 400 answer; ``description`` without the "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {description}", violation=violation)
