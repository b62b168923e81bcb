"""Queries for tutors: one-time invites, tutor roles, who teaches which group, and the raw
facts a class report is computed from."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlmodel import Session, col, select, update

from storage.core import mirror
from storage.models import Group, GroupTutor, ReviewLog, StepAttempt, TutorInvite, User

TUTOR = "tutor"


# invites -----------------------------------------------------------------------------------


def create_invite(
    session: Session, *, code: str, created_by: int, now: datetime, expires_at: datetime
) -> TutorInvite:
    """Store a fresh one-time invite code."""
    invite = TutorInvite(code=code, created_by=created_by, created_at=now, expires_at=expires_at)
    session.add(invite)
    session.flush()
    return invite


def get_invite(session: Session, *, code: str) -> TutorInvite | None:
    """The invite with this code, or None."""
    return session.get(TutorInvite, code)


def use_invite(session: Session, *, invite: TutorInvite, user_id: int, now: datetime) -> bool:
    """Mark the invite used by ``user_id`` so it never works again; False if someone else
    used it first (one conditional UPDATE: two people redeeming at once, one wins)."""
    result = session.exec(
        update(TutorInvite)
        .where(col(TutorInvite.code) == invite.code, col(TutorInvite.used_by).is_(None))
        .values(used_by=user_id, used_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    mirror(invite, used_by=user_id, used_at=now)
    return True


# roles -------------------------------------------------------------------------------------


def has_tutor_role(session: Session, *, user_id: int) -> bool:
    """True when the stored user was made a tutor (by an invite)."""
    user = session.get(User, user_id)
    return user is not None and user.role == TUTOR


def make_tutor(session: Session, *, user_id: int) -> None:
    """Give a known user the tutor role."""
    user = session.get(User, user_id)
    if user is not None:
        user.role = TUTOR
        session.add(user)
        session.flush()


# who teaches which group -------------------------------------------------------------------


def link_tutor(
    session: Session, *, group_id: int, user_id: int, source: str, now: datetime
) -> None:
    """Record that ``user_id`` teaches the group (idempotent); only linked users get reports."""
    result = session.exec(
        select(GroupTutor).where(GroupTutor.group_id == group_id, GroupTutor.user_id == user_id)
    )
    if result.first() is None:
        session.add(GroupTutor(group_id=group_id, user_id=user_id, source=source, at=now))
        session.flush()


PENDING = "pending"
"""A tutor's link to a group that waits for the group's tutor (or an owner) to approve it."""


def is_group_tutor(session: Session, *, group_id: int, user_id: int) -> bool:
    """True when ``user_id`` is linked to the group as one of its tutors (approved)."""
    result = session.exec(
        select(GroupTutor.id).where(
            GroupTutor.group_id == group_id,
            GroupTutor.user_id == user_id,
            GroupTutor.source != PENDING,
        )
    )
    return result.first() is not None


def tutor_link(session: Session, *, group_id: int, user_id: int) -> GroupTutor | None:
    """The person's link to the group, approved or pending, or None."""
    result = session.exec(
        select(GroupTutor).where(GroupTutor.group_id == group_id, GroupTutor.user_id == user_id)
    )
    return result.first()


def approve_link(session: Session, *, link_id: int) -> GroupTutor | None:
    """Turn a pending link into a tutor's link; None when there is no such pending link."""
    link = session.get(GroupTutor, link_id)
    if link is None or link.source != PENDING:
        return None
    link.source = "tutor"
    session.add(link)
    session.flush()
    return link


def decline_link(session: Session, *, link_id: int) -> bool:
    """Drop a pending link; False when there is no such pending link."""
    link = session.get(GroupTutor, link_id)
    if link is None or link.source != PENDING:
        return False
    session.delete(link)
    session.flush()
    return True


def approver_groups(session: Session, *, user_id: int) -> list[int]:
    """The groups whose pending tutor links this person may approve: those they teach
    (added the bot, or approved), not those they only administer."""
    result = session.exec(
        select(GroupTutor.group_id).where(
            GroupTutor.user_id == user_id, col(GroupTutor.source).not_in((PENDING, "admin"))
        )
    )
    return [int(g) for g in result.all()]


def pending_links(session: Session, *, group_ids: list[int]) -> list[GroupTutor]:
    """Links waiting for approval in these groups, oldest first."""
    if not group_ids:
        return []
    result = session.exec(
        select(GroupTutor)
        .where(col(GroupTutor.group_id).in_(group_ids), GroupTutor.source == PENDING)
        .order_by(col(GroupTutor.at), col(GroupTutor.id))
    )
    return list(result.all())


def tutor_groups(session: Session, *, user_id: int) -> list[Group]:
    """The groups ``user_id`` teaches, the most recently added first."""
    result = session.exec(
        select(Group)
        .join(GroupTutor, col(GroupTutor.group_id) == col(Group.id))
        .where(GroupTutor.user_id == user_id, GroupTutor.source != PENDING)
        .order_by(col(Group.active).desc(), col(Group.added_at).desc(), col(Group.id))
    )
    return list(result.all())


def all_groups(session: Session) -> list[Group]:
    """Every group the bot has been in, active ones first (for the configured owners)."""
    result = session.exec(
        select(Group).order_by(col(Group.active).desc(), col(Group.added_at).desc())
    )
    return list(result.all())


def group_tutor_ids(session: Session, *, group_id: int) -> set[int]:
    """The ids of every tutor linked to the group."""
    result = session.exec(select(GroupTutor.user_id).where(GroupTutor.group_id == group_id))
    return {int(u) for u in result.all()}


# facts for reports -------------------------------------------------------------------------


def users_by_id(session: Session, *, user_ids: Collection[int]) -> dict[int, User]:
    """The stored users among ``user_ids``."""
    if not user_ids:
        return {}
    result = session.exec(select(User).where(col(User.id).in_(list(user_ids))))
    return {u.id: u for u in result.all()}


def attempts_of_runs(session: Session, *, run_ids: Collection[int]) -> list[StepAttempt]:
    """Every graded attempt of these scenario runs, in the order they were made."""
    if not run_ids:
        return []
    result = session.exec(
        select(StepAttempt)
        .where(col(StepAttempt.run_id).in_(list(run_ids)))
        .order_by(col(StepAttempt.id))
    )
    return list(result.all())


def reviews_of(
    session: Session, *, user_ids: Collection[int], since: datetime | None = None
) -> list[ReviewLog]:
    """Every review these students made (optionally since ``since``), oldest first."""
    if not user_ids:
        return []
    query = select(ReviewLog).where(col(ReviewLog.user_id).in_(list(user_ids)))
    if since is not None:
        query = query.where(ReviewLog.reviewed_at >= since)
    result = session.exec(query.order_by(col(ReviewLog.reviewed_at), col(ReviewLog.id)))
    return list(result.all())
