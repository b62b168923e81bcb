"""Queries on the misconceptions spotted in what students wrote."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlmodel import Session, col, func, select

from storage.models import MisconceptionHit


def record_hit(
    session: Session, *, user_id: int, misconception_id: str, context: str, now: datetime
) -> MisconceptionHit:
    """Record that a student showed a misconception (context: quiz, scenario or chat)."""
    hit = MisconceptionHit(
        user_id=user_id, misconception_id=misconception_id, context=context, at=now
    )
    session.add(hit)
    return hit


def hit_counts(session: Session, *, user_id: int, since: datetime | None = None) -> dict[str, int]:
    """How often each misconception showed up for one student, most frequent first."""
    query = (
        select(MisconceptionHit.misconception_id, func.count())
        .where(MisconceptionHit.user_id == user_id)
        .group_by(col(MisconceptionHit.misconception_id))
        .order_by(func.count().desc(), col(MisconceptionHit.misconception_id))
    )
    if since is not None:
        query = query.where(MisconceptionHit.at >= since)
    result = session.exec(query)
    return {str(mc): int(count) for mc, count in result.all()}


def hit_counts_by_user(
    session: Session, *, user_ids: Collection[int] | None = None
) -> dict[int, dict[str, int]]:
    """For tutor reports: per student, how often each misconception showed up."""
    query = select(
        MisconceptionHit.user_id, MisconceptionHit.misconception_id, func.count()
    ).group_by(col(MisconceptionHit.user_id), col(MisconceptionHit.misconception_id))
    if user_ids is not None:
        query = query.where(col(MisconceptionHit.user_id).in_(list(user_ids)))
    result = session.exec(query)
    counts: dict[int, dict[str, int]] = {}
    for user, mc, count in result.all():
        counts.setdefault(int(user), {})[str(mc)] = int(count)
    return counts
