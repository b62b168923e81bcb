"""Queries about classes in Telegram groups: groups, members, challenges and recurring posts
(group quizzes are in :mod:`storage.group_quizzes`).

Every row that belongs to a group points at ``Group.id``; the Telegram chat id lives only on
the group, so a supergroup migration is a one-row update (see :func:`migrate_group`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, and_, col, func, or_, select, update

from storage.group_quizzes import close_quiz, running_quizzes
from storage.models import (
    Challenge,
    ChallengeEntry,
    Group,
    GroupMember,
    GroupQuiz,
    GroupSchedule,
    GroupTutor,
    ScenarioRun,
    User,
)
from storage.scenarios import ACTIVE as RUN_ACTIVE

OPEN = "open"
CLOSED = "closed"
CANCELLED = "cancelled"
ACTIVE = "active"


# groups ------------------------------------------------------------------------------------


def group_by_chat(session: Session, *, chat_id: int) -> Group | None:
    """The group recorded for a Telegram chat id, or None."""
    result = session.exec(select(Group).where(Group.chat_id == chat_id))
    return result.first()


def get_group(session: Session, *, group_id: int) -> Group | None:
    """The group with this id, or None."""
    return session.get(Group, group_id)


def ensure_group(
    session: Session,
    *,
    chat_id: int,
    title: str,
    now: datetime,
    added_by: int | None = None,
    timezone: str | None = None,
) -> Group:
    """Record a group (or bring a removed one back); the title is kept current."""
    group = group_by_chat(session, chat_id=chat_id)
    if group is None:
        group = Group(chat_id=chat_id, added_at=now, added_by=added_by, timezone=timezone)
    elif not group.active:
        group.active = True
        group.removed_at = None
        group.added_at = now
        group.added_by = added_by or group.added_by
    if title:
        group.title = title
    if group.timezone is None and timezone is not None:
        group.timezone = timezone
    session.add(group)
    session.flush()
    return group


def deactivate_group(session: Session, *, group: Group, now: datetime) -> None:
    """The bot left the group: stop everything scheduled for it, keep the history."""
    assert group.id is not None
    group.active = False
    group.removed_at = now
    session.add(group)
    for schedule in schedules_of(session, group_id=group.id):
        schedule.status = CANCELLED
        session.add(schedule)
    for challenge in open_challenges(session, group_id=group.id):
        assert challenge.id is not None
        close_challenge(session, challenge_id=challenge.id, now=now, status=CANCELLED)
    for quiz in running_quizzes(session, group_id=group.id):
        assert quiz.id is not None
        close_quiz(session, quiz_id=quiz.id, now=now, status=CANCELLED)
    session.flush()


def migrate_group(session: Session, *, old_chat_id: int, new_chat_id: int) -> Group | None:
    """A group became a supergroup: its chat id changes, its history stays.

    Telegram tells both chats, in either order, and a command may already have recorded the
    new chat; then the two records are merged into the older one.
    """
    old = group_by_chat(session, chat_id=old_chat_id)
    new = group_by_chat(session, chat_id=new_chat_id)
    if old is None or (new is not None and new.id == old.id):
        # Unknown group, or the other notice, handled at the same time, already moved it.
        return new
    if new is not None:
        assert old.id is not None and new.id is not None
        _merge_into(session, keep=old.id, drop=new.id)
        session.delete(new)
        session.flush()
    old.chat_id = new_chat_id
    session.add(old)
    session.flush()
    return old


def _merge_into(session: Session, *, keep: int, drop: int) -> None:
    for table in (Challenge, GroupQuiz, GroupSchedule):
        rows: Sequence[Any] = (session.exec(select(table).where(table.group_id == drop))).all()
        for row in rows:
            row.group_id = keep
            session.add(row)
    for linked in (GroupMember, GroupTutor):
        kept = set((session.exec(select(linked.user_id).where(linked.group_id == keep))).all())
        moved: Sequence[Any] = (session.exec(select(linked).where(linked.group_id == drop))).all()
        for row in moved:
            if row.user_id in kept:
                session.delete(row)
            else:
                row.group_id = keep
                session.add(row)
    session.flush()


# members -----------------------------------------------------------------------------------


def touch_member(session: Session, *, group_id: int, user_id: int, now: datetime) -> GroupMember:
    """Record that a student took part in the group's activity at ``now``."""
    result = session.exec(
        select(GroupMember).where(GroupMember.group_id == group_id, GroupMember.user_id == user_id)
    )
    member = result.first()
    if member is None:
        member = GroupMember(group_id=group_id, user_id=user_id, first_seen=now, last_seen=now)
    else:
        member.last_seen = max(member.last_seen, now)
    session.add(member)
    session.flush()
    return member


def members(session: Session, *, group_id: int) -> list[GroupMember]:
    """Every student seen in the group, first seen first."""
    result = session.exec(
        select(GroupMember)
        .where(GroupMember.group_id == group_id)
        .order_by(col(GroupMember.first_seen), col(GroupMember.id))
    )
    return list(result.all())


def groups_of_member(session: Session, *, user_id: int) -> list[Group]:
    """The active groups a student has taken part in."""
    result = session.exec(
        select(Group)
        .join(GroupMember, col(GroupMember.group_id) == col(Group.id))
        .where(GroupMember.user_id == user_id, col(Group.active).is_(True))
        .order_by(col(Group.id))
    )
    return list(result.all())


def set_name_hidden(session: Session, *, user_id: int, hidden: bool) -> None:
    """A student's choice to appear as "A classmate" on leaderboards and results posts."""
    user = session.get(User, user_id)
    if user is not None:
        user.hide_name = hidden
        session.add(user)
        session.flush()


# challenges --------------------------------------------------------------------------------


def create_challenge(
    session: Session,
    *,
    group_id: int,
    scenario_id: str,
    created_by: int,
    deadline: datetime,
    now: datetime,
    thread_id: int | None = None,
) -> Challenge:
    """Open a challenge in a group."""
    challenge = Challenge(
        group_id=group_id,
        scenario_id=scenario_id,
        created_by=created_by,
        deadline=deadline,
        created_at=now,
        thread_id=thread_id,
    )
    session.add(challenge)
    session.flush()
    return challenge


def get_challenge(session: Session, *, challenge_id: int) -> Challenge | None:
    """The challenge with this id, or None."""
    return session.get(Challenge, challenge_id)


def open_challenges(session: Session, *, group_id: int) -> list[Challenge]:
    """The group's challenges still open, oldest first."""
    result = session.exec(
        select(Challenge)
        .where(Challenge.group_id == group_id, Challenge.status == OPEN)
        .order_by(col(Challenge.id))
    )
    return list(result.all())


def due_challenges(session: Session, *, now: datetime) -> list[Challenge]:
    """Open challenges whose deadline has passed, in active groups (uses the deadline index)."""
    result = session.exec(
        select(Challenge)
        .join(Group, col(Group.id) == col(Challenge.group_id))
        .where(Challenge.status == OPEN, Challenge.deadline <= now, col(Group.active).is_(True))
        .order_by(col(Challenge.deadline), col(Challenge.id))
    )
    return list(result.all())


def close_challenge(
    session: Session, *, challenge_id: int, now: datetime, status: str = CLOSED
) -> bool:
    """Close an open challenge (results to post) or cancel it (nothing to post).

    True for the one caller that closed it: a /close racing the deadline job posts once.
    """
    result = session.exec(
        update(Challenge)
        .where(col(Challenge.id) == challenge_id, col(Challenge.status) == OPEN)
        .values(status=status, closed_at=now)
    )
    return bool(result.rowcount)


def challenges_of(
    session: Session, *, group_id: int, since: datetime | None = None
) -> list[Challenge]:
    """The group's challenges that were not cancelled, optionally created since ``since``."""
    query = select(Challenge).where(Challenge.group_id == group_id, Challenge.status != CANCELLED)
    if since is not None:
        query = query.where(Challenge.created_at >= since)
    result = session.exec(query.order_by(col(Challenge.id)))
    return list(result.all())


def challenge_runs(session: Session, *, challenge_ids: Sequence[int]) -> list[ScenarioRun]:
    """Every scenario run started from these challenges, oldest first."""
    if not challenge_ids:
        return []
    result = session.exec(
        select(ScenarioRun)
        .where(col(ScenarioRun.challenge_id).in_(list(challenge_ids)))
        .order_by(col(ScenarioRun.id))
    )
    return list(result.all())


def enter_challenge(
    session: Session, *, challenge_id: int, user_id: int, now: datetime
) -> ChallengeEntry:
    """Record that a student opened the challenge (idempotent: the first time is kept)."""
    result = session.exec(
        select(ChallengeEntry).where(
            ChallengeEntry.challenge_id == challenge_id, ChallengeEntry.user_id == user_id
        )
    )
    entry = result.first()
    if entry is None:
        entry = ChallengeEntry(challenge_id=challenge_id, user_id=user_id, joined_at=now)
        session.add(entry)
        session.flush()
    return entry


def claim_runs(session: Session, *, challenge: Challenge) -> int:
    """Link to the challenge the runs its entrants made of its scenario after entering.

    The scenario walk-through starts runs on its own (possibly after asking to switch from
    another scenario), so runs are matched here rather than tagged at start. Returns how
    many runs were linked.
    """
    assert challenge.id is not None
    entries = session.exec(
        select(ChallengeEntry).where(ChallengeEntry.challenge_id == challenge.id)
    )
    linked = 0
    for entry in entries.all():
        result = session.exec(
            select(ScenarioRun).where(
                ScenarioRun.user_id == entry.user_id,
                ScenarioRun.scenario_id == challenge.scenario_id,
                col(ScenarioRun.challenge_id).is_(None),
                or_(
                    ScenarioRun.status == RUN_ACTIVE,
                    and_(
                        ScenarioRun.started_at >= entry.joined_at,
                        ScenarioRun.started_at <= challenge.deadline,
                    ),
                ),
            )
        )
        for run in result.all():
            run.challenge_id = challenge.id
            session.add(run)
            linked += 1
    session.flush()
    return linked


def entries_of(session: Session, *, challenge_ids: Sequence[int]) -> list[ChallengeEntry]:
    """Everyone who opened these challenges, first entrants first."""
    if not challenge_ids:
        return []
    result = session.exec(
        select(ChallengeEntry)
        .where(col(ChallengeEntry.challenge_id).in_(list(challenge_ids)))
        .order_by(col(ChallengeEntry.joined_at), col(ChallengeEntry.id))
    )
    return list(result.all())


def scenario_use(session: Session, *, group_id: int) -> dict[str, int]:
    """How often each scenario was set as a challenge in the group."""
    result = session.exec(
        select(Challenge.scenario_id, func.count())
        .where(Challenge.group_id == group_id)
        .group_by(col(Challenge.scenario_id))
    )
    return {str(s): int(n) for s, n in result.all()}


# recurring posts ---------------------------------------------------------------------------


def add_schedule(
    session: Session,
    *,
    group_id: int,
    created_by: int,
    kind: str,
    weekday: int | None,
    hour: int,
    minute: int,
    timezone: str,
    params: dict[str, Any],
    next_run: datetime,
    now: datetime,
    thread_id: int | None = None,
) -> GroupSchedule:
    """Add a recurring post to a group."""
    schedule = GroupSchedule(
        group_id=group_id,
        created_by=created_by,
        kind=kind,
        weekday=weekday,
        hour=hour,
        minute=minute,
        timezone=timezone,
        params=dict(params),
        next_run=next_run,
        created_at=now,
        thread_id=thread_id,
    )
    session.add(schedule)
    session.flush()
    return schedule


def get_schedule(session: Session, *, schedule_id: int) -> GroupSchedule | None:
    """The schedule with this id, or None."""
    return session.get(GroupSchedule, schedule_id)


def schedules_of(session: Session, *, group_id: int) -> list[GroupSchedule]:
    """The group's active recurring posts, oldest first."""
    result = session.exec(
        select(GroupSchedule)
        .where(GroupSchedule.group_id == group_id, GroupSchedule.status == ACTIVE)
        .order_by(col(GroupSchedule.id))
    )
    return list(result.all())


def due_schedules(session: Session, *, now: datetime) -> list[GroupSchedule]:
    """Active recurring posts due at ``now`` in active groups."""
    result = session.exec(
        select(GroupSchedule)
        .join(Group, col(Group.id) == col(GroupSchedule.group_id))
        .where(
            GroupSchedule.status == ACTIVE,
            GroupSchedule.next_run <= now,
            col(Group.active).is_(True),
        )
        .order_by(col(GroupSchedule.next_run), col(GroupSchedule.id))
    )
    return list(result.all())


def cancel_schedule(session: Session, *, schedule: GroupSchedule) -> None:
    """Stop a recurring post."""
    schedule.status = CANCELLED
    session.add(schedule)
    session.flush()


def set_next_run(session: Session, *, schedule: GroupSchedule, next_run: datetime) -> None:
    """Move a recurring post on to its next time."""
    schedule.next_run = next_run
    session.add(schedule)
    session.flush()
