"""Weekly group schedules: added, listed, due, cancelled and moved on."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select, update

from storage.core import mirror
from storage.models import Group, GroupSchedule

ACTIVE = "active"
CANCELLED = "cancelled"


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


def set_next_run(session: Session, *, schedule: GroupSchedule, next_run: datetime) -> bool:
    """Move a recurring post on to its next time: the claim on this run of it.

    Conditional on the stored time still being the one ``schedule`` was read with, so when
    two ticks (or two instances) find the same run due, one moves it on and posts, and the
    other gets False and posts nothing.
    """
    result = session.exec(
        update(GroupSchedule)
        .where(
            col(GroupSchedule.id) == schedule.id,
            col(GroupSchedule.next_run) == schedule.next_run,
            col(GroupSchedule.status) == ACTIVE,
        )
        .values(next_run=next_run)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    mirror(schedule, next_run=next_run)
    return True
