"""Queries about classes in Telegram groups: the groups and their members (challenges, group
quizzes and schedules have modules of their own).

Every row that belongs to a group points at ``Group.id``; the Telegram chat id lives only on
the group, so a supergroup migration is a one-row update (see :func:`migrate_group`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from storage.challenges import (
    CANCELLED,
    close_challenge,
    open_challenges,
)
from storage.group_quizzes import close_quiz, running_quizzes
from storage.models import (
    Challenge,
    Group,
    GroupMember,
    GroupQuiz,
    GroupSchedule,
    GroupTutor,
    User,
)
from storage.schedules import CANCELLED as SCHEDULE_CANCELLED
from storage.schedules import schedules_of

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
        schedule.status = SCHEDULE_CANCELLED
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


def join_class(session: Session, *, group_id: int, user_id: int, now: datetime) -> bool:
    """The student joined the class (consented to share their practice with its tutors);
    False when they had already joined."""
    member = touch_member(session, group_id=group_id, user_id=user_id, now=now)
    if member.joined_at is not None:
        return False
    member.joined_at = now
    session.add(member)
    session.flush()
    return True


def leave_class(session: Session, *, group_id: int, user_id: int) -> bool:
    """The student withdrew their consent: the class sees only what they did in the group."""
    result = session.exec(
        select(GroupMember).where(GroupMember.group_id == group_id, GroupMember.user_id == user_id)
    )
    member = result.first()
    if member is None or member.joined_at is None:
        return False
    member.joined_at = None
    session.add(member)
    session.flush()
    return True


def joined_classes(session: Session, *, user_id: int) -> list[Group]:
    """The active groups whose class the student has joined."""
    result = session.exec(
        select(Group)
        .join(GroupMember, col(GroupMember.group_id) == col(Group.id))
        .where(
            GroupMember.user_id == user_id,
            col(GroupMember.joined_at).is_not(None),
            col(Group.active).is_(True),
        )
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
