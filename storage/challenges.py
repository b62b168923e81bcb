"""Scenario challenges set in groups: created, entered, closed, and their runs and entries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, and_, col, func, or_, select, update

from storage.models import (
    Challenge,
    ChallengeEntry,
    Group,
    ScenarioRun,
)
from storage.scenarios import ACTIVE as RUN_ACTIVE

OPEN = "open"
CLOSED = "closed"
CANCELLED = "cancelled"


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
