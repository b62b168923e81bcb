"""The emulator's world: the bot, people, chats, message history, the update queue and the
record of requests, plus the change notification every awaitable helper waits on."""

from __future__ import annotations

import asyncio
import copy
import itertools
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .faults import FloodLimiter, ScriptedFault
from .models import JSON, ApiError, Call, Chat, ChatMessage, UploadedFile, User, Violation
from .spec import ApiSpec

DEFAULT_TOKEN = "123456:TEST-TOKEN"
DEFAULT_BOT_USERNAME = "RevisionTutorBot"
# Telegram's default when a bot never passed allowed_updates.
_NOT_DELIVERED_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class Pulse:
    """A broadcast 'something changed' signal that can be fired from synchronous code."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        """Wake every current waiter."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, within: float | None) -> bool:
        """Wait for the next fire; False when ``within`` seconds passed first."""
        event = self._event
        try:
            async with asyncio.timeout(within):
                await event.wait()
        except TimeoutError:
            return False
        return True


@dataclass
class CallbackState:
    """A callback query sent to the bot and the answerCallbackQuery call, once made."""

    update: JSON
    answer: Call | None = None


@dataclass
class PollState:
    """A poll the bot sent: its live Bot API object and each voter's choice."""

    poll: JSON
    chat_id: int
    message_id: int
    votes: dict[int, list[int]] = field(default_factory=dict)


class EmulatorState:
    """State shared by the request pipeline, the Bot API methods and the test-facing API."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = DEFAULT_BOT_USERNAME,
        bot_first_name: str = "Revision Tutor",
        privacy_mode: bool = True,
        spec: ApiSpec | None = None,
    ) -> None:
        self.token = token
        self.bot = User(
            id=int(token.split(":", 1)[0]),
            first_name=bot_first_name,
            username=bot_username,
            language_code=None,
            is_bot=True,
        )
        self.spec = spec if spec is not None else ApiSpec.load()
        self.privacy_mode = privacy_mode
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.history: dict[int, list[ChatMessage]] = {}
        self.updates: list[JSON] = []
        self.withheld: list[JSON] = []
        self.webhook: JSON | None = None
        self.commands: dict[str, list[JSON]] = {}
        self.descriptions: dict[str, str] = {}
        self.polls: dict[str, PollState] = {}
        self.callback_queries: dict[str, CallbackState] = {}
        self.files: dict[str, UploadedFile] = {}
        self.violations: list[Violation] = []
        self.status_counts: Counter[int] = Counter()
        self.closing = False
        self.faults: dict[str, list[ScriptedFault]] = {}
        self.delays: dict[str, list[float]] = {}
        self.late_answers: dict[str, list[float]] = {}
        self.flood: FloodLimiter | None = None
        self.poll_generation = 0
        self.allowed_updates: list[str] | None = None
        self._calls: list[Call] = []
        self._pending: list[JSON] = []
        self._message_ids: dict[int, int] = {}
        self._ids = itertools.count(1)
        self._update_ids = itertools.count(1000)
        self._pulse = Pulse()

    # change notification ------------------------------------------------------------------------

    def notify(self) -> None:
        """Signal waiters that calls, messages or updates changed."""
        self._pulse.fire()

    async def wait_change(self, within: float | None) -> bool:
        """Wait until the next change (at most ``within`` seconds); False on timeout."""
        return await self._pulse.wait(within)

    async def sleep_unless_closing(self, seconds: float) -> None:
        """Sleep ``seconds`` but return early when the emulator shuts down."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not self.closing and (remaining := deadline - loop.time()) > 0:
            await self.wait_change(remaining)

    # identifiers and clock ----------------------------------------------------------------------

    def next_id(self) -> int:
        """A fresh positive integer for users, queries and files."""
        return next(self._ids)

    @staticmethod
    def now() -> int:
        """Unix time, as in Bot API ``date`` fields."""
        return int(time.time())

    def new_message_id(self, chat_id: int) -> int:
        """Next message id in a chat; ids are per chat and shared by both directions."""
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    # chats and messages -------------------------------------------------------------------------

    def register_chat(self, chat: Chat) -> Chat:
        """Add a chat to the world."""
        self.chats[chat.id] = chat
        self.history.setdefault(chat.id, [])
        return chat

    def resolve_chat(self, chat_id: Any) -> Chat | None:
        """Find a chat by numeric id or @username."""
        if isinstance(chat_id, int):
            return self.chats.get(chat_id)
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            name = chat_id[1:].lower()
            return next(
                (c for c in self.chats.values() if (c.username or "").lower() == name), None
            )
        return None

    def chat_of(self, target: User | Chat | int) -> Chat:
        """The chat meant by a user (their private chat), a chat, or a chat id."""
        if isinstance(target, Chat):
            return target
        chat_id = target.id if isinstance(target, User) else target
        chat = self.chats.get(chat_id)
        if chat is None:
            raise KeyError(f"The emulator has no chat {chat_id}")
        return chat

    def add_message(self, message: ChatMessage) -> ChatMessage:
        """Append a message to its chat's history."""
        self.history.setdefault(message.chat_id, []).append(message)
        self.notify()
        return message

    def find_message(self, chat_id: int, message_id: int) -> ChatMessage | None:
        """A message by chat and id (deleted ones included)."""
        return next((m for m in self.history.get(chat_id, []) if m.message_id == message_id), None)

    # updates ------------------------------------------------------------------------------------

    def new_update(self, kind: str, payload: JSON) -> JSON:
        """Build an Update with a fresh id; ``payload`` is deep-copied so later edits of the
        emulator's state don't leak into updates that are still queued."""
        return {"update_id": next(self._update_ids), kind: copy.deepcopy(payload)}

    def enqueue(self, update: JSON) -> JSON:
        """Queue an update for getUpdates and return it."""
        self.updates.append(update)
        self._pending.append(update)
        self.notify()
        return update

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates queued but not yet confirmed by the bot (getUpdates offset)."""
        return list(self._pending)

    def confirm_updates(self, offset: int | None) -> None:
        """Apply getUpdates' offset: forget confirmed updates (negative: keep the last -n)."""
        if offset is None or offset == 0:
            return
        if offset < 0:
            self._pending = self._pending[offset:]
        else:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]

    def drop_pending(self) -> None:
        """deleteWebhook(drop_pending_updates=True)."""
        self._pending.clear()

    def deliverable(self, limit: int) -> list[JSON]:
        """Up to ``limit`` pending updates of allowed types; disallowed ones are dropped,
        as Telegram never delivers them."""
        self._pending = [u for u in self._pending if self._allowed(u)]
        return self._pending[:limit]

    def _allowed(self, update: JSON) -> bool:
        kind = next(key for key in update if key != "update_id")
        if self.allowed_updates is None:
            return kind not in _NOT_DELIVERED_BY_DEFAULT
        return kind in self.allowed_updates

    # recording ----------------------------------------------------------------------------------

    def record(self, call: Call) -> Call:
        """Remember a request."""
        self._calls.append(call)
        return call

    @property
    def all_calls(self) -> list[Call]:
        """Every request so far, in arrival order."""
        return list(self._calls)

    def violate(self, method: str, error: ApiError | str, params: JSON) -> None:
        """Record a violation."""
        description = error.explanation if isinstance(error, ApiError) else error
        self.violations.append(Violation(method, description, params))
