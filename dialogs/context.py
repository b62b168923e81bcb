"""The plain data a dialog gets for every turn: who, where, when, and the shared services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from knowledge.base import KnowledgeBase
from storage import Database

# How often a returning person's "last seen" is written (more often costs a write a turn).
SEEN_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Person:
    """The person behind an update, mapped from Telegram at the edge."""

    id: int
    first_name: str = ""
    username: str | None = None
    language: str | None = None


class Sightings:
    """When this process last wrote each person as seen, so most turns need no database work.

    A person is written again once ``every`` has passed, when their names change, and after
    they were flagged as having blocked the bot (``forget``). Several bot processes never
    share a person: Telegram sends each update to one of them.
    """

    def __init__(self, every: timedelta = SEEN_EVERY, *, limit: int = 100_000) -> None:
        self.every = every
        self._limit = limit
        self._written: dict[int, tuple[Person, datetime]] = {}

    def due(self, person: Person, now: datetime) -> bool:
        """Whether this turn should record the person (in the database)."""
        last = self._written.get(person.id)
        return last is None or last[0] != person or not timedelta(0) <= now - last[1] < self.every

    def written(self, person: Person, now: datetime) -> None:
        """The person was just written as seen at ``now``."""
        if len(self._written) >= self._limit:
            self._written.clear()  # a rare full reset beats tracking ages
        self._written[person.id] = (person, now)

    def forget(self, user_id: int) -> None:
        """The person's stored state changed elsewhere: check the database next time."""
        self._written.pop(user_id, None)


@dataclass(frozen=True)
class TutorConfig:
    """Settings the dialogs need, passed in rather than read from the environment."""

    default_timezone: str = "Europe/London"
    tutor_ids: frozenset[int] = field(default_factory=frozenset)
    bot_username: str = "RevisionTutorBot"
    # How long the words of a typed answer are kept (the mark stays): ANSWER_RETENTION_DAYS.
    answer_retention_days: int = 90


@dataclass(frozen=True)
class Services:
    """Long-lived things every dialog may use."""

    db: Database
    kb: KnowledgeBase
    config: TutorConfig
    sightings: Sightings = field(default_factory=Sightings)


@dataclass(frozen=True)
class Context:
    """One turn of conversation: the services, the person, the chat, and the time now."""

    services: Services
    person: Person
    chat_id: int
    now: datetime
    chat_kind: str = "private"
    # Filled by the adapter for tutor commands in groups (getChatMember, cached there).
    is_group_admin: bool = False
    thread_id: int | None = None

    @property
    def db(self) -> Database:
        """The database."""
        return self.services.db

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base."""
        return self.services.kb

    @property
    def private(self) -> bool:
        """True in a one-to-one chat with the bot."""
        return self.chat_kind == "private"
