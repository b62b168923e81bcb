"""The plain data a dialog gets for every turn: who, where, when, and the shared services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from knowledge.base import KnowledgeBase
from storage import Database


@dataclass(frozen=True)
class Person:
    """The person behind an update, mapped from Telegram at the edge."""

    id: int
    first_name: str = ""
    username: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class TutorConfig:
    """Settings the dialogs need, passed in rather than read from the environment."""

    default_timezone: str = "Europe/London"
    tutor_ids: frozenset[int] = field(default_factory=frozenset)
    bot_username: str = "RevisionTutorBot"


@dataclass(frozen=True)
class Services:
    """Long-lived things every dialog may use."""

    db: Database
    kb: KnowledgeBase
    config: TutorConfig


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
