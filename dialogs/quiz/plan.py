"""Which item a quiz asks next: due reviews first (most overdue first), then new items up to
the student's daily cap, in a stable per-student order; and how many a quiz can ask at all,
so "Question 1 of N" says the real length.

Modes: ``quiz`` (due, then new), ``review`` (due only) and ``practice`` (due, then items seen
before that are not due yet, soonest first: a top-up when nothing else is left).

Everything here only reads, from inside the quiz turn's own transaction (a plain sync
function run by ``Database.run``), so the choice and the writes that follow it agree.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from dialogs.context import Context
from dialogs.quiz.due import due_cards, is_due, pool
from dialogs.quiz.topics import topic_items
from knowledge.base import KnowledgeBase
from storage.cards import get_cards, introduced_since
from storage.models import Card, User
from storage.quizzes import asked_items
from storage.users import get_user


@dataclass
class Plan:
    """What the choice depends on: the student, their cards, and what this quiz has asked."""

    user: User
    cards: dict[str, Card]
    asked: set[str]


def read_plan(session: Session, ctx: Context, *, quiz_id: int | None) -> Plan | None:
    """Load the student, their cards and the items already asked in ``quiz_id``."""
    user = get_user(session, user_id=ctx.person.id)
    if user is None:
        return None
    cards = {c.item_id: c for c in get_cards(session, user_id=user.id)}
    asked = set(asked_items(session, quiz_id=quiz_id)) if quiz_id is not None else set()
    return Plan(user, cards, asked)


def day_start(user: User, ctx: Context) -> datetime:
    """Midnight today in the student's time zone (the daily new-item cap resets then)."""
    name = user.timezone or ctx.services.config.default_timezone
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local = ctx.now.astimezone(zone)
    return datetime.combine(local.date(), time(0), tzinfo=zone).astimezone(UTC)


@lru_cache(maxsize=4096)
def _shuffled(items: tuple[str, ...], user_id: int) -> tuple[str, ...]:
    order = list(items)
    random.Random(user_id).shuffle(order)  # a stable, per-student mix of kinds and topics
    return tuple(order)


def _new_order(kb: KnowledgeBase, topic: str | None, user_id: int) -> tuple[str, ...]:
    return _shuffled(tuple(topic_items(kb, topic)), user_id)


def due_next(ctx: Context, topic: str | None, plan: Plan) -> tuple[str, bool] | None:
    """The most overdue card in the topic not yet asked: (item id, whether reviewed before)."""
    due = due_cards(plan.cards.values(), ctx.now, pool(ctx.kb, topic) - plan.asked)
    if not due:
        return None
    return due[0].item_id, due[0].last_review is not None


def _practice_next(ctx: Context, topic: str | None, plan: Plan) -> tuple[str, bool] | None:
    """The seen card in the topic that falls due soonest, not yet asked in this quiz."""
    items = pool(ctx.kb, topic) - plan.asked
    seen = [c for c in plan.cards.values() if c.item_id in items and not is_due(c, ctx.now)]
    if not seen:
        return None
    first = min(seen, key=lambda c: (c.due, c.id or 0))
    return first.item_id, True


@dataclass(frozen=True)
class Supply:
    """How many questions a quiz could ask now, and what limits it."""

    due: int
    new: int
    unseen: int
    cap: int
    cap_left: int
    practice: int

    def size(self, mode: str, most: int) -> int:
        """The real length of a quiz in ``mode`` of at most ``most`` questions."""
        extra = {"quiz": self.new, "practice": self.practice}.get(mode, 0)
        return min(most, self.due + extra)


def supply(session: Session, ctx: Context, topic: str | None, plan: Plan) -> Supply:
    """What a quiz on ``topic`` could ask now (nothing asked in it yet)."""
    items = pool(ctx.kb, topic)
    due = len(due_cards(plan.cards.values(), ctx.now, items))
    seen = sum(1 for c in plan.cards.values() if c.item_id in items)
    introduced = introduced_since(session, user_id=plan.user.id, since=day_start(plan.user, ctx))
    cap_left = max(0, plan.user.daily_new_cap - introduced)
    unseen = len(items) - seen
    return Supply(
        due=due,
        new=min(unseen, cap_left),
        unseen=unseen,
        cap=plan.user.daily_new_cap,
        cap_left=cap_left,
        practice=seen - due,
    )


def choose(
    session: Session,
    ctx: Context,
    *,
    mode: str,
    topic: str | None,
    plan: Plan,
    unlogged_new: int = 0,
) -> tuple[str, bool] | None:
    """The next item (id, is it a review), or None when the quiz has nothing left to ask.

    ``unlogged_new`` counts new items answered in this turn but not yet in the review log.
    """
    due = due_next(ctx, topic, plan)
    if due is not None or mode == "review":
        return due
    if mode == "practice":
        return _practice_next(ctx, topic, plan)
    since = day_start(plan.user, ctx)
    introduced = introduced_since(session, user_id=plan.user.id, since=since)
    if introduced + unlogged_new >= plan.user.daily_new_cap:
        return None
    for item_id in _new_order(ctx.kb, topic, plan.user.id):
        if item_id not in plan.cards and item_id not in plan.asked:
            return item_id, False
    return None
