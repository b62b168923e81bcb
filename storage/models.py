"""Every table the tutor stores, as SQLModel classes. Queries live beside them, not here."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


def _when(*, index: bool = False, nullable: bool = False) -> Any:
    return Field(sa_column=Column(UTCDateTime(), index=index, nullable=nullable))


class User(SQLModel, table=True):
    """A person who has talked to the bot: student or tutor."""

    __tablename__ = "users"

    id: int = Field(primary_key=True, sa_type=BigInteger, description="Telegram user id")
    first_name: str = ""
    username: str | None = None
    language: str | None = None
    timezone: str | None = None
    role: str = "student"
    blocked: bool = False
    desired_retention: float = 0.9
    daily_new_cap: int = 15
    exam_date: date | None = None
    hide_name: bool = False
    created_at: datetime = _when()
    last_seen_at: datetime = _when()


class Card(SQLModel, table=True):
    """One quizzable item's FSRS schedule for one student."""

    __tablename__ = "cards"
    __table_args__ = (
        UniqueConstraint("user_id", "item_id"),
        Index("ix_cards_user_due", "user_id", "due"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", sa_type=BigInteger)
    item_id: str
    state: int = 1
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due: datetime = _when(index=True)
    last_review: datetime | None = _when(nullable=True)


class ReviewLog(SQLModel, table=True):
    """Every review ever graded, so schedules can be recomputed."""

    __tablename__ = "review_logs"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, sa_type=BigInteger)
    item_id: str
    rating: int
    source: str = "quiz"
    duration_ms: int | None = None
    reviewed_at: datetime = _when()


class QuizSession(SQLModel, table=True):
    """A run of quiz questions; survives restarts because it lives here, not in memory."""

    __tablename__ = "quiz_sessions"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, sa_type=BigInteger)
    mode: str = "quiz"
    topic: str | None = None
    size: int = 10
    asked: int = 0
    correct: int = 0
    status: str = "active"
    started_at: datetime = _when()
    updated_at: datetime = _when()


class QuizQuestion(SQLModel, table=True):
    """One question of a session, with everything needed to grade it after a restart."""

    __tablename__ = "quiz_questions"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="quiz_sessions.id", index=True)
    position: int
    item_id: str
    kind: str
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    hinted: bool = False
    answer: str | None = None
    correct: bool | None = None
    asked_at: datetime = _when()
    answered_at: datetime | None = _when(nullable=True)


class MisconceptionHit(SQLModel, table=True):
    """A misconception spotted in something a student wrote."""

    __tablename__ = "misconception_hits"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, sa_type=BigInteger)
    misconception_id: str
    context: str = "chat"
    at: datetime = _when()


class ScenarioRun(SQLModel, table=True):
    """A student's walk through one profiling scenario."""

    __tablename__ = "scenario_runs"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, sa_type=BigInteger)
    scenario_id: str
    status: str = "active"
    step_index: int = 0
    hints_used: int = 0
    selected: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    challenge_id: int | None = None
    started_at: datetime = _when()
    updated_at: datetime = _when()


class StepAttempt(SQLModel, table=True):
    """One graded answer to one scenario step; the best attempt per step counts."""

    __tablename__ = "step_attempts"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="scenario_runs.id", index=True)
    step_id: str
    answer: str
    score: float
    points_made: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    hints_used: int = 0
    revealed: bool = False
    at: datetime = _when()
