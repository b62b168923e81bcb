"""Queries for a student's exam date and fitting their schedule before it."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, select

from storage.models import Card, User


def set_exam_date(session: Session, *, user_id: int, exam_date: date | None) -> None:
    """Store (or clear, with None) the student's exam date."""
    user = session.get(User, user_id)
    if user is not None:
        user.exam_date = exam_date
        session.add(user)


def fit_before(session: Session, *, user_id: int, deadline: datetime, now: datetime) -> int:
    """Move every card due after ``deadline`` to before it, spread evenly from ``now`` on.

    Cards keep their order; returns how many moved.
    """
    result = session.exec(
        select(Card)
        .where(Card.user_id == user_id, Card.due > deadline)
        .order_by(col(Card.due), col(Card.id))
    )
    late = list(result.all())
    if deadline <= now:
        return 0
    gap = (deadline - now) / (len(late) + 1)
    for index, card in enumerate(late, start=1):
        card.due = now + gap * index
        session.add(card)
    return len(late)
