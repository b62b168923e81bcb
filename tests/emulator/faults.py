"""Faults injected on demand: scripted error answers, slow answers and flood control."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from http import HTTPStatus

from .models import ApiError

# Requests that produce or change messages: the ones Telegram's flood control counts.
_FLOOD_PREFIXES = ("send", "edit", "copyMessage", "forwardMessage", "stopPoll")


def counts_for_flood(method: str) -> bool:
    """True for message-producing methods (sendChatAction excepted)."""
    return method.startswith(_FLOOD_PREFIXES) and method != "sendChatAction"


@dataclass
class ScriptedFault:
    """An error answer for the next ``times`` requests of one method."""

    status: int
    retry_after: float | None = None
    description: str | None = None
    times: int = 1

    def to_error(self) -> ApiError:
        """The ApiError Telegram would send for this fault."""
        if self.status == HTTPStatus.TOO_MANY_REQUESTS:
            return too_many_requests(self.retry_after if self.retry_after is not None else 1)
        description = self.description or _default_description(self.status)
        return ApiError(self.status, description)


def _default_description(status: int) -> str:
    if status == HTTPStatus.FORBIDDEN:
        return "Forbidden: bot was blocked by the user"
    if status == HTTPStatus.BAD_REQUEST:
        return "Bad Request: injected failure"
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


def too_many_requests(retry_after: float) -> ApiError:
    """Telegram's 429 answer with ``parameters.retry_after``.

    Telegram sends whole seconds; fractions are accepted so tests can retry quickly.
    """
    value: float = int(retry_after) if float(retry_after).is_integer() else retry_after
    return ApiError(
        HTTPStatus.TOO_MANY_REQUESTS,
        f"Too Many Requests: retry after {value}",
        parameters={"retry_after": value},
    )


class FloodLimiter:
    """Sliding-window limits like Telegram's: overall per second, per group per minute and
    (optionally) per chat per second. Only accepted requests count towards the windows."""

    def __init__(
        self,
        global_per_second: int | None,
        per_group_per_minute: int | None,
        per_chat_per_second: int | None,
    ) -> None:
        self.global_per_second = global_per_second
        self.per_group_per_minute = per_group_per_minute
        self.per_chat_per_second = per_chat_per_second
        self._global: deque[float] = deque()
        self._groups: dict[int, deque[float]] = {}
        self._chats: dict[int, deque[float]] = {}
        self.rejected = 0

    def admit(self, chat_id: int | None, now: float) -> ApiError | None:
        """Record an accepted request or return the 429 to answer instead."""
        windows: list[tuple[deque[float], int, float]] = []
        if self.global_per_second is not None:
            windows.append((self._global, self.global_per_second, 1.0))
        if chat_id is not None and chat_id < 0 and self.per_group_per_minute is not None:
            group = self._groups.setdefault(chat_id, deque())
            windows.append((group, self.per_group_per_minute, 60.0))
        if chat_id is not None and self.per_chat_per_second is not None:
            chat = self._chats.setdefault(chat_id, deque())
            windows.append((chat, self.per_chat_per_second, 1.0))
        wait = 0.0
        for stamps, limit, span in windows:
            while stamps and stamps[0] <= now - span:
                stamps.popleft()
            if len(stamps) >= limit:
                wait = max(wait, stamps[0] + span - now)
        if wait > 0:
            self.rejected += 1
            return too_many_requests(max(1, math.ceil(wait)))
        for stamps, _, _ in windows:
            stamps.append(now)
        return None
