"""Every table the tutor stores, as SQLModel classes. Queries live beside them, not here."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, UniqueConstraint, true
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

# A Telegram user id kept on a row that is not the person's own (who set a challenge, who
# added the bot): storage/privacy.py blanks it when that person asks to be forgotten.
_MENTION = {"info": {"person": True}}


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
    # Issue 13: a new item's card shown before it is first tested; Anki-style self-rating
    # after a right answer; the answers a day the end of a quiz counts towards.
    introduce_new: bool = True
    self_rating: bool = False
    daily_goal: int = 10
    created_at: datetime = _when()
    last_seen_at: datetime = _when()
    # Daily reminders (storage/reminders.py): local "HH:MM", the next send as a UTC instant,
    # and a lease (token + expiry) so one dispatcher at a time owns a due reminder.
    remind_at: str | None = None
    next_reminder_at: datetime | None = _when(index=True, nullable=True)
    reminder_claim: str | None = None
    reminder_claimed_until: datetime | None = _when(nullable=True)
    reminder_paused_until: datetime | None = _when(nullable=True)
    last_reminder_at: datetime | None = _when(nullable=True)
    last_nudge_at: datetime | None = _when(nullable=True)
    offered_reminder: bool = False
    # False: the daily reminder comes only when reviews are due ("reviews only" in /settings).
    remind_new_items: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    timezone_asked_at: datetime | None = _when(nullable=True)


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
    score: float | None = None
    # The key point the tutor asked a follow-up question about, while it waits for the answer.
    follow_up: str | None = None
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
    misconceptions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    at: datetime = _when()


# --- Tutors and groups (classes run in Telegram groups) -----------------------------------


class Group(SQLModel, table=True):
    """A Telegram group the bot was added to: one tutor's class.

    Other tables point at ``id``, never at the Telegram chat id, so a supergroup migration
    (the chat id changes) only has to update ``chat_id`` here.
    """

    __tablename__ = "groups"

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger, unique=True, description="Telegram chat id")
    title: str = ""
    timezone: str | None = None
    active: bool = True
    added_by: int | None = Field(default=None, sa_type=BigInteger, sa_column_kwargs=_MENTION)
    added_at: datetime = _when()
    removed_at: datetime | None = _when(nullable=True)


class GroupTutor(SQLModel, table=True):
    """A person who may read a group's reports: its tutors and the admins who ran it."""

    __tablename__ = "group_tutors"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    user_id: int = Field(foreign_key="users.id", sa_type=BigInteger, index=True)
    source: str = "tutor"
    at: datetime = _when()


class GroupMember(SQLModel, table=True):
    """A student seen taking part in a group: answered a poll, joined a challenge...

    ``joined_at`` is set once the student joined the class (a challenge link or the Join
    button, each saying what the tutor will see): only then does their private practice
    appear in the class report.
    """

    __tablename__ = "group_members"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    user_id: int = Field(foreign_key="users.id", sa_type=BigInteger, index=True)
    first_seen: datetime = _when()
    last_seen: datetime = _when()
    joined_at: datetime | None = _when(nullable=True)


class TutorInvite(SQLModel, table=True):
    """A one-time code that makes whoever redeems it a tutor."""

    __tablename__ = "tutor_invites"

    code: str = Field(primary_key=True)
    created_by: int = Field(foreign_key="users.id", sa_type=BigInteger)
    created_at: datetime = _when()
    expires_at: datetime = _when()
    used_by: int | None = Field(default=None, sa_type=BigInteger, sa_column_kwargs=_MENTION)
    used_at: datetime | None = _when(nullable=True)


class Challenge(SQLModel, table=True):
    """A scenario pushed to a group with a deadline; runs point here via ``challenge_id``."""

    __tablename__ = "challenges"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    scenario_id: str
    created_by: int = Field(sa_type=BigInteger, sa_column_kwargs=_MENTION)
    thread_id: int | None = None
    status: str = "open"
    created_at: datetime = _when()
    deadline: datetime = _when(index=True)
    closed_at: datetime | None = _when(nullable=True)


class ChallengeEntry(SQLModel, table=True):
    """A student who opened a challenge's link; their runs of its scenario count for it."""

    __tablename__ = "challenge_entries"
    __table_args__ = (UniqueConstraint("challenge_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    challenge_id: int = Field(foreign_key="challenges.id", index=True)
    user_id: int = Field(foreign_key="users.id", sa_type=BigInteger)
    joined_at: datetime = _when()


class GroupQuiz(SQLModel, table=True):
    """A run of native quiz polls posted to a group one after another."""

    __tablename__ = "group_quizzes"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    created_by: int = Field(sa_type=BigInteger, sa_column_kwargs=_MENTION)
    topic: str | None = None
    size: int = 5
    thread_id: int | None = None
    status: str = "running"
    created_at: datetime = _when()
    results_due: datetime = _when(index=True)
    closed_at: datetime | None = _when(nullable=True)


class PollRecord(SQLModel, table=True):
    """One quiz poll of a group quiz: planned, then sent (``poll_id`` maps answers back)."""

    __tablename__ = "group_polls"

    id: int | None = Field(default=None, primary_key=True)
    quiz_id: int = Field(foreign_key="group_quizzes.id", index=True)
    position: int
    item_id: str
    question: str
    options: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    correct_option: int
    explanation: str = ""
    open_seconds: int = 40
    status: str = "planned"
    due_at: datetime = _when(index=True)
    poll_id: str | None = Field(default=None, unique=True)
    message_id: int | None = None
    sent_at: datetime | None = _when(nullable=True)
    # The sender posting it now holds it until then (storage/group_quizzes.py: claim_polls).
    claimed_until: datetime | None = _when(nullable=True)


class PollVote(SQLModel, table=True):
    """A student's first answer to a group poll; a second answer is never counted."""

    __tablename__ = "group_poll_votes"
    __table_args__ = (UniqueConstraint("poll_record_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_record_id: int = Field(foreign_key="group_polls.id", index=True)
    user_id: int = Field(foreign_key="users.id", sa_type=BigInteger, index=True)
    option: int
    correct: bool
    at: datetime = _when()


class GroupSchedule(SQLModel, table=True):
    """A recurring post to a group (a challenge or a quiz) at a weekly or daily local time."""

    __tablename__ = "group_schedules"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    created_by: int = Field(sa_type=BigInteger, sa_column_kwargs=_MENTION)
    kind: str
    weekday: int | None = None
    hour: int
    minute: int = 0
    timezone: str = "Europe/London"
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    thread_id: int | None = None
    status: str = "active"
    created_at: datetime = _when()
    next_run: datetime = _when(index=True)


# --- Asking the tutor and contesting a mark -----------------------------------------------


class AskedQuestion(SQLModel, table=True):
    """A question a student typed, kept without who asked, once per class they belong to.

    ``group_id`` is None for a student in no class. ``item_id`` is the card that answered it
    (None when the tutor was not sure), so tutors can see what their class asks about.
    """

    __tablename__ = "asked_questions"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int | None = Field(default=None, foreign_key="groups.id", index=True)
    text: str
    item_id: str | None = None
    at: datetime = _when()


class Appeal(SQLModel, table=True):
    """ "My answer was right": a typed answer marked wrong, contested for the tutor to check."""

    __tablename__ = "appeals"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, sa_type=BigInteger)
    question_id: int = Field(foreign_key="quiz_questions.id", unique=True)
    item_id: str
    prompt: str
    answer: str
    verdict: str
    at: datetime = _when()


class InboxUpdate(SQLModel, table=True):
    """An update from Telegram, stored before it is confirmed and marked done once handled,
    so one that was in flight when the process died is handled after the restart.

    The payload is cleared when the update is done (it holds the sender's name and words);
    done rows keep only the id, so a redelivered update is recognised, and are pruned later.
    """

    __tablename__ = "inbox"

    update_id: int = Field(
        sa_column=Column(BigInteger, primary_key=True, autoincrement=False, nullable=False)
    )
    payload: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    status: str = Field(default="pending", index=True)
    received_at: datetime = _when()
    done_at: datetime | None = _when(nullable=True)


class Lease(SQLModel, table=True):
    """A role one bot instance holds for a while (``storage/leases.py``): e.g. the sender."""

    __tablename__ = "leases"

    name: str = Field(primary_key=True)
    holder: str | None = None
    expires_at: datetime = _when()


class GroupOutbox(SQLModel, table=True):
    """A group post decided on but not yet sent (results, scheduled posts): kept here rather
    than in memory, so a restart, or another instance taking over, still sends it."""

    __tablename__ = "group_outbox"

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger, index=True)
    thread_id: int | None = None
    html: str
    buttons: list[list[dict[str, Any]]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    created_at: datetime = _when()
    claim: str | None = None
    claimed_until: datetime | None = _when(nullable=True)
