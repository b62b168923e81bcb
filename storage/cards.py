"""Queries on spaced-repetition cards and the review log."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import bindparam, insert, update
from sqlmodel import Session, col, func, select

from storage.core import execute, insert_id, mirror
from storage.models import Card, ReviewLog

# Built once: these run on every quiz answer (see storage.core).
_ALL_CARDS = select(Card).where(col(Card.user_id) == bindparam("user_id"))
_CARD_FIELDS = (
    "user_id",
    "item_id",
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
)
_INSERT_CARD = insert(Card)
_UPDATE_CARD = update(Card).where(col(Card.id) == bindparam("card_id"))
_INSERT_REVIEW = insert(ReviewLog)
_FIRST_REVIEWS = (
    select(ReviewLog.item_id)
    .where(col(ReviewLog.user_id) == bindparam("user_id"))
    .group_by(col(ReviewLog.item_id))
    .having(func.min(ReviewLog.reviewed_at) >= bindparam("since"))
    .subquery()
)
_INTRODUCED = select(func.count()).select_from(_FIRST_REVIEWS)


def get_card(session: Session, *, user_id: int, item_id: str) -> Card | None:
    """The student's card for one item, or None if the item was never scheduled for them."""
    result = session.exec(select(Card).where(Card.user_id == user_id, Card.item_id == item_id))
    return result.first()


def get_cards(
    session: Session, *, user_id: int, item_ids: Collection[str] | None = None
) -> list[Card]:
    """The student's cards, all or only for ``item_ids``."""
    if item_ids is None:
        return list(session.execute(_ALL_CARDS, {"user_id": user_id}).scalars())
    query = select(Card).where(Card.user_id == user_id, col(Card.item_id).in_(list(item_ids)))
    return list(session.exec(query).all())


def save_card(session: Session, card: Card) -> Card:
    """Insert or update a card with one statement (a new card gets its id)."""
    values = {name: getattr(card, name) for name in _CARD_FIELDS}
    if card.id is None:
        mirror(card, id=insert_id(session, _INSERT_CARD, values))
    else:
        execute(session, _UPDATE_CARD.values(**values), {"card_id": card.id})
        mirror(card, **values)  # written: nothing left for the session to flush
    return card


def card_item_ids(session: Session, *, user_id: int) -> set[str]:
    """The ids of every item the student has a card for."""
    result = session.exec(select(Card.item_id).where(Card.user_id == user_id))
    return set(result.all())


def due_cards(
    session: Session,
    *,
    user_id: int,
    now: datetime,
    limit: int | None = None,
    exclude: Collection[str] = (),
    only: Collection[str] | None = None,
) -> list[Card]:
    """The student's cards due at ``now``, most overdue first (uses the (user, due) index)."""
    query = select(Card).where(Card.user_id == user_id, Card.due <= now)
    if exclude:
        query = query.where(col(Card.item_id).not_in(list(exclude)))
    if only is not None:
        query = query.where(col(Card.item_id).in_(list(only)))
    query = query.order_by(col(Card.due), col(Card.id))
    if limit is not None:
        query = query.limit(limit)
    result = session.exec(query)
    return list(result.all())


def count_due(
    session: Session, *, user_id: int, until: datetime, only: Collection[str] | None = None
) -> int:
    """How many of the student's cards fall due by ``until``."""
    query = select(func.count()).select_from(Card).where(Card.user_id == user_id, Card.due <= until)
    if only is not None:
        query = query.where(col(Card.item_id).in_(list(only)))
    result = session.exec(query)
    return int(result.one())


def due_counts(session: Session, *, now: datetime) -> dict[int, int]:
    """For every student with something due at ``now``: how many cards (one indexed query)."""
    result = session.exec(
        select(Card.user_id, func.count()).where(Card.due <= now).group_by(col(Card.user_id))
    )
    return {int(user): int(count) for user, count in result.all()}


def add_review(
    session: Session,
    *,
    user_id: int,
    item_id: str,
    rating: int,
    source: str,
    duration_ms: int | None,
    now: datetime,
) -> ReviewLog:
    """Append one graded review to the log."""
    log = ReviewLog(
        user_id=user_id,
        item_id=item_id,
        rating=rating,
        source=source,
        duration_ms=duration_ms,
        reviewed_at=now,
    )
    values = log.model_dump(exclude={"id"})
    mirror(log, id=insert_id(session, _INSERT_REVIEW, values))
    return log


def reviews(session: Session, *, user_id: int, item_id: str | None = None) -> list[ReviewLog]:
    """The student's reviews (of one item, or all), oldest first: enough to recompute schedules."""
    query = select(ReviewLog).where(ReviewLog.user_id == user_id)
    if item_id is not None:
        query = query.where(ReviewLog.item_id == item_id)
    result = session.exec(query.order_by(col(ReviewLog.reviewed_at), col(ReviewLog.id)))
    return list(result.all())


def reviews_since(session: Session, *, user_id: int, since: datetime) -> list[ReviewLog]:
    """The student's reviews at or after ``since``, oldest first."""
    result = session.exec(
        select(ReviewLog)
        .where(ReviewLog.user_id == user_id, ReviewLog.reviewed_at >= since)
        .order_by(col(ReviewLog.reviewed_at))
    )
    return list(result.all())


def introduced_since(session: Session, *, user_id: int, since: datetime) -> int:
    """How many items the student reviewed for the first time at or after ``since``."""
    return int(session.execute(_INTRODUCED, {"user_id": user_id, "since": since}).scalar_one())


def review_times(
    session: Session, *, user_id: int, item_ids: Sequence[str] | None = None
) -> list[datetime]:
    """When the student reviewed anything (or one of ``item_ids``), oldest first."""
    query = select(ReviewLog.reviewed_at).where(ReviewLog.user_id == user_id)
    if item_ids is not None:
        query = query.where(col(ReviewLog.item_id).in_(list(item_ids)))
    result = session.exec(query.order_by(col(ReviewLog.reviewed_at)))
    return list(result.all())


def next_due(session: Session, *, user_id: int, after: datetime) -> datetime | None:
    """When the student's next card falls due after ``after`` (None if nothing is scheduled)."""
    result = session.exec(
        select(func.min(Card.due)).where(Card.user_id == user_id, Card.due > after)
    )
    return result.one()


def answer_counts(session: Session, *, user_id: int) -> dict[str, int]:
    """How many times the student has answered each item (items never answered are absent)."""
    result = session.exec(
        select(ReviewLog.item_id, func.count())
        .where(ReviewLog.user_id == user_id)
        .group_by(col(ReviewLog.item_id))
    )
    return {item: int(count) for item, count in result.all()}
