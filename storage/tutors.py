"""Queries for tutors: one-time invites, tutor roles, who teaches which group, and the raw
facts a class report is computed from."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Group, GroupTutor, ReviewLog, StepAttempt, TutorInvite, User

TUTOR = "tutor"


# invites -----------------------------------------------------------------------------------


async def create_invite(
    session: AsyncSession, *, code: str, created_by: int, now: datetime, expires_at: datetime
) -> TutorInvite:
    """Store a fresh one-time invite code."""
    invite = TutorInvite(code=code, created_by=created_by, created_at=now, expires_at=expires_at)
    session.add(invite)
    await session.flush()
    return invite


async def get_invite(session: AsyncSession, *, code: str) -> TutorInvite | None:
    """The invite with this code, or None."""
    return await session.get(TutorInvite, code)


async def use_invite(
    session: AsyncSession, *, invite: TutorInvite, user_id: int, now: datetime
) -> None:
    """Mark the invite used by ``user_id`` so it never works again."""
    invite.used_by = user_id
    invite.used_at = now
    session.add(invite)
    await session.flush()


# roles -------------------------------------------------------------------------------------


async def has_tutor_role(session: AsyncSession, *, user_id: int) -> bool:
    """True when the stored user was made a tutor (by an invite)."""
    user = await session.get(User, user_id)
    return user is not None and user.role == TUTOR


async def make_tutor(session: AsyncSession, *, user_id: int) -> None:
    """Give a known user the tutor role."""
    user = await session.get(User, user_id)
    if user is not None:
        user.role = TUTOR
        session.add(user)
        await session.flush()


# who teaches which group -------------------------------------------------------------------


async def link_tutor(
    session: AsyncSession, *, group_id: int, user_id: int, source: str, now: datetime
) -> None:
    """Record that ``user_id`` teaches the group (idempotent); only linked users get reports."""
    result = await session.exec(
        select(GroupTutor).where(GroupTutor.group_id == group_id, GroupTutor.user_id == user_id)
    )
    if result.first() is None:
        session.add(GroupTutor(group_id=group_id, user_id=user_id, source=source, at=now))
        await session.flush()


async def is_group_tutor(session: AsyncSession, *, group_id: int, user_id: int) -> bool:
    """True when ``user_id`` is linked to the group as one of its tutors."""
    result = await session.exec(
        select(GroupTutor.id).where(GroupTutor.group_id == group_id, GroupTutor.user_id == user_id)
    )
    return result.first() is not None


async def tutor_groups(session: AsyncSession, *, user_id: int) -> list[Group]:
    """The groups ``user_id`` teaches, the most recently added first."""
    result = await session.exec(
        select(Group)
        .join(GroupTutor, col(GroupTutor.group_id) == col(Group.id))
        .where(GroupTutor.user_id == user_id)
        .order_by(col(Group.active).desc(), col(Group.added_at).desc(), col(Group.id))
    )
    return list(result.all())


async def all_groups(session: AsyncSession) -> list[Group]:
    """Every group the bot has been in, active ones first (for the configured owners)."""
    result = await session.exec(
        select(Group).order_by(col(Group.active).desc(), col(Group.added_at).desc())
    )
    return list(result.all())


async def group_tutor_ids(session: AsyncSession, *, group_id: int) -> set[int]:
    """The ids of every tutor linked to the group."""
    result = await session.exec(select(GroupTutor.user_id).where(GroupTutor.group_id == group_id))
    return {int(u) for u in result.all()}


# facts for reports -------------------------------------------------------------------------


async def users_by_id(session: AsyncSession, *, user_ids: Collection[int]) -> dict[int, User]:
    """The stored users among ``user_ids``."""
    if not user_ids:
        return {}
    result = await session.exec(select(User).where(col(User.id).in_(list(user_ids))))
    return {u.id: u for u in result.all()}


async def attempts_of_runs(session: AsyncSession, *, run_ids: Collection[int]) -> list[StepAttempt]:
    """Every graded attempt of these scenario runs, in the order they were made."""
    if not run_ids:
        return []
    result = await session.exec(
        select(StepAttempt)
        .where(col(StepAttempt.run_id).in_(list(run_ids)))
        .order_by(col(StepAttempt.id))
    )
    return list(result.all())


async def reviews_of(
    session: AsyncSession, *, user_ids: Collection[int], since: datetime | None = None
) -> list[ReviewLog]:
    """Every review these students made (optionally since ``since``), oldest first."""
    if not user_ids:
        return []
    query = select(ReviewLog).where(col(ReviewLog.user_id).in_(list(user_ids)))
    if since is not None:
        query = query.where(ReviewLog.reviewed_at >= since)
    result = await session.exec(query.order_by(col(ReviewLog.reviewed_at), col(ReviewLog.id)))
    return list(result.all())
