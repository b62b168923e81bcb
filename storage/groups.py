"""Queries about classes in Telegram groups: groups, members, challenges and recurring posts
(group quizzes are in :mod:`storage.group_quizzes`).

Every row that belongs to a group points at ``Group.id``; the Telegram chat id lives only on
the group, so a supergroup migration is a one-row update (see :func:`migrate_group`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import and_, col, func, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

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


async def group_by_chat(session: AsyncSession, *, chat_id: int) -> Group | None:
    """The group recorded for a Telegram chat id, or None."""
    result = await session.exec(select(Group).where(Group.chat_id == chat_id))
    return result.first()


async def get_group(session: AsyncSession, *, group_id: int) -> Group | None:
    """The group with this id, or None."""
    return await session.get(Group, group_id)


async def ensure_group(
    session: AsyncSession,
    *,
    chat_id: int,
    title: str,
    now: datetime,
    added_by: int | None = None,
    timezone: str | None = None,
) -> Group:
    """Record a group (or bring a removed one back); the title is kept current."""
    group = await group_by_chat(session, chat_id=chat_id)
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
    await session.flush()
    return group


async def deactivate_group(session: AsyncSession, *, group: Group, now: datetime) -> None:
    """The bot left the group: stop everything scheduled for it, keep the history."""
    assert group.id is not None
    group.active = False
    group.removed_at = now
    session.add(group)
    for schedule in await schedules_of(session, group_id=group.id):
        schedule.status = CANCELLED
        session.add(schedule)
    for challenge in await open_challenges(session, group_id=group.id):
        assert challenge.id is not None
        await close_challenge(session, challenge_id=challenge.id, now=now, status=CANCELLED)
    for quiz in await running_quizzes(session, group_id=group.id):
        assert quiz.id is not None
        await close_quiz(session, quiz_id=quiz.id, now=now, status=CANCELLED)
    await session.flush()


async def migrate_group(
    session: AsyncSession, *, old_chat_id: int, new_chat_id: int
) -> Group | None:
    """A group became a supergroup: its chat id changes, its history stays.

    Telegram tells both chats, in either order, and a command may already have recorded the
    new chat; then the two records are merged into the older one.
    """
    old = await group_by_chat(session, chat_id=old_chat_id)
    new = await group_by_chat(session, chat_id=new_chat_id)
    if old is None or (new is not None and new.id == old.id):
        # Unknown group, or the other notice, handled at the same time, already moved it.
        return new
    if new is not None:
        assert old.id is not None and new.id is not None
        await _merge_into(session, keep=old.id, drop=new.id)
        await session.delete(new)
        await session.flush()
    old.chat_id = new_chat_id
    session.add(old)
    await session.flush()
    return old


async def _merge_into(session: AsyncSession, *, keep: int, drop: int) -> None:
    for table in (Challenge, GroupQuiz, GroupSchedule):
        rows: Sequence[Any] = (
            await session.exec(select(table).where(table.group_id == drop))
        ).all()
        for row in rows:
            row.group_id = keep
            session.add(row)
    for linked in (GroupMember, GroupTutor):
        kept = set(
            (await session.exec(select(linked.user_id).where(linked.group_id == keep))).all()
        )
        moved: Sequence[Any] = (
            await session.exec(select(linked).where(linked.group_id == drop))
        ).all()
        for row in moved:
            if row.user_id in kept:
                await session.delete(row)
            else:
                row.group_id = keep
                session.add(row)
    await session.flush()


# members -----------------------------------------------------------------------------------


async def touch_member(
    session: AsyncSession, *, group_id: int, user_id: int, now: datetime
) -> GroupMember:
    """Record that a student took part in the group's activity at ``now``."""
    result = await session.exec(
        select(GroupMember).where(GroupMember.group_id == group_id, GroupMember.user_id == user_id)
    )
    member = result.first()
    if member is None:
        member = GroupMember(group_id=group_id, user_id=user_id, first_seen=now, last_seen=now)
    else:
        member.last_seen = max(member.last_seen, now)
    session.add(member)
    await session.flush()
    return member


async def members(session: AsyncSession, *, group_id: int) -> list[GroupMember]:
    """Every student seen in the group, first seen first."""
    result = await session.exec(
        select(GroupMember)
        .where(GroupMember.group_id == group_id)
        .order_by(col(GroupMember.first_seen), col(GroupMember.id))
    )
    return list(result.all())


async def groups_of_member(session: AsyncSession, *, user_id: int) -> list[Group]:
    """The active groups a student has taken part in."""
    result = await session.exec(
        select(Group)
        .join(GroupMember, col(GroupMember.group_id) == col(Group.id))
        .where(GroupMember.user_id == user_id, col(Group.active).is_(True))
        .order_by(col(Group.id))
    )
    return list(result.all())


async def set_name_hidden(session: AsyncSession, *, user_id: int, hidden: bool) -> None:
    """A student's choice to appear as "A classmate" on leaderboards and results posts."""
    user = await session.get(User, user_id)
    if user is not None:
        user.hide_name = hidden
        session.add(user)
        await session.flush()


# challenges --------------------------------------------------------------------------------


async def create_challenge(
    session: AsyncSession,
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
    await session.flush()
    return challenge


async def get_challenge(session: AsyncSession, *, challenge_id: int) -> Challenge | None:
    """The challenge with this id, or None."""
    return await session.get(Challenge, challenge_id)


async def open_challenges(session: AsyncSession, *, group_id: int) -> list[Challenge]:
    """The group's challenges still open, oldest first."""
    result = await session.exec(
        select(Challenge)
        .where(Challenge.group_id == group_id, Challenge.status == OPEN)
        .order_by(col(Challenge.id))
    )
    return list(result.all())


async def due_challenges(session: AsyncSession, *, now: datetime) -> list[Challenge]:
    """Open challenges whose deadline has passed, in active groups (uses the deadline index)."""
    result = await session.exec(
        select(Challenge)
        .join(Group, col(Group.id) == col(Challenge.group_id))
        .where(Challenge.status == OPEN, Challenge.deadline <= now, col(Group.active).is_(True))
        .order_by(col(Challenge.deadline), col(Challenge.id))
    )
    return list(result.all())


async def close_challenge(
    session: AsyncSession, *, challenge_id: int, now: datetime, status: str = CLOSED
) -> bool:
    """Close an open challenge (results to post) or cancel it (nothing to post).

    True for the one caller that closed it: a /close racing the deadline job posts once.
    """
    result = await session.exec(
        update(Challenge)
        .where(col(Challenge.id) == challenge_id, col(Challenge.status) == OPEN)
        .values(status=status, closed_at=now)
    )
    return bool(result.rowcount)


async def challenges_of(
    session: AsyncSession, *, group_id: int, since: datetime | None = None
) -> list[Challenge]:
    """The group's challenges that were not cancelled, optionally created since ``since``."""
    query = select(Challenge).where(Challenge.group_id == group_id, Challenge.status != CANCELLED)
    if since is not None:
        query = query.where(Challenge.created_at >= since)
    result = await session.exec(query.order_by(col(Challenge.id)))
    return list(result.all())


async def challenge_runs(
    session: AsyncSession, *, challenge_ids: Sequence[int]
) -> list[ScenarioRun]:
    """Every scenario run started from these challenges, oldest first."""
    if not challenge_ids:
        return []
    result = await session.exec(
        select(ScenarioRun)
        .where(col(ScenarioRun.challenge_id).in_(list(challenge_ids)))
        .order_by(col(ScenarioRun.id))
    )
    return list(result.all())


async def enter_challenge(
    session: AsyncSession, *, challenge_id: int, user_id: int, now: datetime
) -> ChallengeEntry:
    """Record that a student opened the challenge (idempotent: the first time is kept)."""
    result = await session.exec(
        select(ChallengeEntry).where(
            ChallengeEntry.challenge_id == challenge_id, ChallengeEntry.user_id == user_id
        )
    )
    entry = result.first()
    if entry is None:
        entry = ChallengeEntry(challenge_id=challenge_id, user_id=user_id, joined_at=now)
        session.add(entry)
        await session.flush()
    return entry


async def claim_runs(session: AsyncSession, *, challenge: Challenge) -> int:
    """Link to the challenge the runs its entrants made of its scenario after entering.

    The scenario walk-through starts runs on its own (possibly after asking to switch from
    another scenario), so runs are matched here rather than tagged at start. Returns how
    many runs were linked.
    """
    assert challenge.id is not None
    entries = await session.exec(
        select(ChallengeEntry).where(ChallengeEntry.challenge_id == challenge.id)
    )
    linked = 0
    for entry in entries.all():
        result = await session.exec(
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
    await session.flush()
    return linked


async def entries_of(
    session: AsyncSession, *, challenge_ids: Sequence[int]
) -> list[ChallengeEntry]:
    """Everyone who opened these challenges, first entrants first."""
    if not challenge_ids:
        return []
    result = await session.exec(
        select(ChallengeEntry)
        .where(col(ChallengeEntry.challenge_id).in_(list(challenge_ids)))
        .order_by(col(ChallengeEntry.joined_at), col(ChallengeEntry.id))
    )
    return list(result.all())


async def scenario_use(session: AsyncSession, *, group_id: int) -> dict[str, int]:
    """How often each scenario was set as a challenge in the group."""
    result = await session.exec(
        select(Challenge.scenario_id, func.count())
        .where(Challenge.group_id == group_id)
        .group_by(col(Challenge.scenario_id))
    )
    return {str(s): int(n) for s, n in result.all()}


# recurring posts ---------------------------------------------------------------------------


async def add_schedule(
    session: AsyncSession,
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
    await session.flush()
    return schedule


async def get_schedule(session: AsyncSession, *, schedule_id: int) -> GroupSchedule | None:
    """The schedule with this id, or None."""
    return await session.get(GroupSchedule, schedule_id)


async def schedules_of(session: AsyncSession, *, group_id: int) -> list[GroupSchedule]:
    """The group's active recurring posts, oldest first."""
    result = await session.exec(
        select(GroupSchedule)
        .where(GroupSchedule.group_id == group_id, GroupSchedule.status == ACTIVE)
        .order_by(col(GroupSchedule.id))
    )
    return list(result.all())


async def due_schedules(session: AsyncSession, *, now: datetime) -> list[GroupSchedule]:
    """Active recurring posts due at ``now`` in active groups."""
    result = await session.exec(
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


async def cancel_schedule(session: AsyncSession, *, schedule: GroupSchedule) -> None:
    """Stop a recurring post."""
    schedule.status = CANCELLED
    session.add(schedule)
    await session.flush()


async def set_next_run(
    session: AsyncSession, *, schedule: GroupSchedule, next_run: datetime
) -> None:
    """Move a recurring post on to its next time."""
    schedule.next_run = next_run
    session.add(schedule)
    await session.flush()
