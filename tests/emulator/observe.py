"""What tests look at: recorded calls, chat histories, violations, and awaitable helpers that
wait for events (never fixed sleeps) and fail with a report of recent traffic on timeout."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from .models import Call, Chat, ChatMessage, User, Violation
from .state import EmulatorState

T = TypeVar("T")
DEFAULT_TIMEOUT = 5.0


def _normalise(value: Any) -> Any:
    return value.id if isinstance(value, User | Chat) else value


def _matches(call: Call, filters: dict[str, Any]) -> bool:
    for name, expected in filters.items():
        if name not in call.params:
            return False
        actual = call.params[name]
        if callable(expected) and not isinstance(expected, User | Chat):
            if not expected(actual):
                return False
        elif _normalise(expected) != actual:
            return False
    return True


class ObserveMixin(EmulatorState):
    """Inspection and waiting helpers."""

    _consumed_calls: set[int]
    _consumed_messages: set[tuple[int, int]]

    def _init_observation(self) -> None:
        self._consumed_calls = set()
        self._consumed_messages = set()

    # inspection ---------------------------------------------------------------------------------

    def calls(self, method: str | None = None, **filters: Any) -> list[Call]:
        """Recorded requests, optionally of one method and with parameters equal to
        ``filters`` (a User/Chat stands for its id; a callable is used as a predicate)."""
        return [
            c
            for c in self.all_calls
            if (method is None or c.method == method) and _matches(c, filters)
        ]

    def messages(
        self, target: User | Chat | int, *, from_bot: bool | None = True, deleted: bool = False
    ) -> list[ChatMessage]:
        """A chat's history in order, current after edits. By default only what the bot
        sent and still shows; ``from_bot=None`` includes people's messages."""
        chat = self.chat_of(target)
        return [
            m
            for m in self.history.get(chat.id, [])
            if (from_bot is None or m.from_bot == from_bot) and (deleted or not m.deleted)
        ]

    def last_message(self, target: User | Chat | int) -> ChatMessage:
        """The latest message the bot sent and still shows in that chat."""
        shown = self.messages(target)
        if not shown:
            raise AssertionError(f"The bot has no message in chat {_normalise(target)}")
        return shown[-1]

    def is_blocked(self, user: User) -> bool:
        """Whether ``user`` has blocked the bot."""
        return self.chat_of(user).bot_status == "kicked"

    @property
    def count_429(self) -> int:
        """How many requests were answered 429 (scripted or by flood limits)."""
        return self.status_counts[429]

    @property
    def flood_rejections(self) -> int:
        """How many requests the flood limits refused."""
        return self.flood.rejected if self.flood else 0

    def take_violations(self) -> list[Violation]:
        """Return and clear the violations (for tests that provoke them on purpose)."""
        taken, self.violations = self.violations, []
        return taken

    def assert_no_violations(self) -> None:
        """Fail with every violation recorded so far."""
        if self.violations:
            listing = "\n  ".join(str(v) for v in self.violations)
            raise AssertionError(
                f"The bot made {len(self.violations)} request(s) Telegram rejects:\n  {listing}"
            )

    def report(self, limit: int = 15) -> str:
        """Recent requests (getUpdates omitted), violations and queue state, for failures."""
        recent = [c for c in self.all_calls if c.method != "getUpdates"][-limit:]
        lines = ["Recent calls (oldest first):"]
        lines += [f"  {c.brief()}" for c in recent] or ["  (none)"]
        if self.violations:
            lines.append("Violations:")
            lines += [f"  {v}" for v in self.violations]
        pending = self.pending_updates
        polls = len(self.calls("getUpdates"))
        lines.append(
            f"Updates queued and not yet confirmed: {len(pending)}; getUpdates calls: {polls}"
        )
        if pending and not polls:
            lines.append("  (nothing is polling: was the application started?)")
        if self.withheld:
            lines.append(f"Messages withheld by group privacy mode: {len(self.withheld)}")
        return "\n".join(lines)

    # waiting ------------------------------------------------------------------------------------

    async def wait_for(
        self,
        predicate: Callable[[], T | None],
        *,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - the failure report needs it
        what: str = "a condition",
    ) -> T:
        """Re-evaluate ``predicate`` whenever the emulator's state changes; return its first
        truthy value, or fail the test after ``timeout`` seconds with a traffic report."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    value = predicate()
                    if value:
                        return value
                    await self.wait_change(None)
        except TimeoutError:
            raise AssertionError(
                f"Timed out after {timeout}s waiting for {what}.\n{self.report()}"
            ) from None

    async def next_call(
        self,
        method: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - the failure report needs it
        **filters: Any,
    ) -> Call:
        """The earliest answered ``method`` call matching ``filters`` not returned by an
        earlier next_call. Calls made before this is awaited count, so there is no race."""

        def find() -> Call | None:
            for index, call in enumerate(self.all_calls):
                if (
                    index not in self._consumed_calls
                    and call.method == method
                    and call.status != 0
                    and _matches(call, filters)
                ):
                    self._consumed_calls.add(index)
                    return call
            return None

        shown = ", ".join(f"{k}={_normalise(v)!r}" for k, v in filters.items())
        return await self.wait_for(find, timeout=timeout, what=f"{method}({shown})")

    async def reply_to(
        self,
        target: User | Chat | int,
        *,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - the failure report needs it
    ) -> ChatMessage:
        """The next message the bot sends to that chat (earliest one not yet returned by
        reply_to), as it looks now."""
        chat = self.chat_of(target)

        def find() -> ChatMessage | None:
            for message in self.history.get(chat.id, []):
                key = (chat.id, message.message_id)
                if message.from_bot and key not in self._consumed_messages:
                    self._consumed_messages.add(key)
                    return message
            return None

        return await self.wait_for(find, timeout=timeout, what=f"a bot message in chat {chat.id}")

    async def answered(
        self,
        query: dict[str, Any] | str,
        *,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - the failure report needs it
    ) -> Call:
        """Wait until the bot answers a callback query (the Update from press() or its id)
        and return the answerCallbackQuery call."""
        query_id = query if isinstance(query, str) else str(query["callback_query"]["id"])
        if query_id not in self.callback_queries:
            raise AssertionError(f"No callback query {query_id} was sent")
        state = self.callback_queries[query_id]
        return await self.wait_for(
            lambda: state.answer if state.answer and state.answer.status else None,
            timeout=timeout,
            what=f"an answer to callback query {query_id}",
        )
