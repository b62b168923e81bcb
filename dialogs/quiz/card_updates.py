"""Changing a student's cards in the database: an answer reviewed, items brought forward.

The scheduling rules themselves are pure functions in :mod:`dialogs.quiz.scheduling`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from fsrs import Rating
from sqlmodel import Session

from dialogs.context import Context
from dialogs.quiz.scheduling import (
    schedule,
)
from storage.cards import add_review, get_card, get_cards, save_card
from storage.models import Card, User
from storage.users import get_user


def review_item(
    session: Session,
    *,
    user: User,
    item_id: str,
    rating: Rating | int,
    now: datetime,
    source: str,
    duration_ms: int | None,
    card: Card | None = None,
) -> Card:
    """Review one item inside a transaction: card created if needed, log appended.

    Pass ``card`` when it is already loaded, to save a query.
    """
    if card is None:
        card = get_card(session, user_id=user.id, item_id=item_id)
    card = schedule(card, user=user, item_id=item_id, rating=rating, now=now)
    save_card(session, card)
    add_review(
        session,
        user_id=user.id,
        item_id=item_id,
        rating=int(rating),
        source=source,
        duration_ms=duration_ms,
        now=now,
    )
    return card


async def record_answer(
    ctx: Context,
    item_id: str,
    rating: Rating | int,
    *,
    source: str,
    duration_ms: int | None,
) -> None:
    """Schedule the student's next review of ``item_id`` after an answer rated ``rating``.

    Honours the student's desired retention and exam date; the review is logged.
    """

    def work(session: Session) -> None:
        user = get_user(session, user_id=ctx.person.id)
        if user is None:
            return
        review_item(
            session,
            user=user,
            item_id=item_id,
            rating=rating,
            now=ctx.now,
            source=source,
            duration_ms=duration_ms,
        )

    await ctx.db.run(work)


def push_items(session: Session, *, user_id: int, item_ids: Sequence[str], now: datetime) -> None:
    """Make ``item_ids`` due at ``now`` for the student (cards created when missing)."""
    wanted = list(dict.fromkeys(item_ids))
    existing = {c.item_id: c for c in get_cards(session, user_id=user_id, item_ids=wanted)}
    for item_id in wanted:
        card = existing.get(item_id)
        if card is None:
            card = Card(user_id=user_id, item_id=item_id, due=now)
        elif card.due > now:
            card.due = now
        else:
            continue
        session.add(card)
    session.flush()


async def push_due_soon(ctx: Context, item_ids: Sequence[str]) -> None:
    """Bring these items forward so they are due now for the student (unknown ids ignored)."""
    known = [i for i in item_ids if ctx.kb.item(i) is not None]
    if not known:
        return
    await ctx.db.run(
        lambda session: push_items(session, user_id=ctx.person.id, item_ids=known, now=ctx.now)
    )
