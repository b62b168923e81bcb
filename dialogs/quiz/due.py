"""What "due" means, in one place, so every counter agrees.

A card is due when its review time has come (``due <= now``) and its item is still one the
quiz can ask (the knowledge base's quiz pool). /review asks exactly these; /progress counts
them as "Due now"; the end of a quiz and the daily reminder count them the same way. A card
that falls due in a minute is not due yet: it is said as "in 1 minute", never "now".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dialogs.quiz.topics import topic_items
from knowledge.base import KnowledgeBase
from storage.models import Card

_POOLS: dict[tuple[int, str | None], tuple[KnowledgeBase, frozenset[str]]] = {}


def pool(kb: KnowledgeBase, topic: str | None = None) -> frozenset[str]:
    """The item ids a quiz on ``topic`` (every topic for None) may ask, computed once."""
    cached = _POOLS.get((id(kb), topic))
    if cached is None or cached[0] is not kb:
        cached = _POOLS[(id(kb), topic)] = (kb, frozenset(topic_items(kb, topic)))
    return cached[1]


def is_due(card: Card, now: datetime) -> bool:
    """The card's review time has come."""
    return card.due <= now


def due_cards(cards: Iterable[Card], now: datetime, items: frozenset[str]) -> list[Card]:
    """The cards among ``items`` due at ``now``, most overdue first."""
    due = [c for c in cards if c.item_id in items and is_due(c, now)]
    return sorted(due, key=lambda c: (c.due, c.id or 0))


def next_due(cards: Iterable[Card], now: datetime, items: frozenset[str]) -> datetime | None:
    """When the next card among ``items`` falls due after ``now`` (None when none will)."""
    later = [c.due for c in cards if c.item_id in items and not is_due(c, now)]
    return min(later) if later else None


def when(moment: datetime, now: datetime, zone: ZoneInfo) -> str:
    """A future moment as a student reads it, on their own calendar: "in 1 minute",
    "in 3 hours", "tomorrow", "on Friday", "in 12 days"."""
    delta = moment - now
    if delta <= timedelta(0):
        return "now"
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes < 60:
        return "in 1 minute" if minutes == 1 else f"in {minutes} minutes"
    days = (moment.astimezone(zone).date() - now.astimezone(zone).date()).days
    if days == 0:
        hours = round(delta.total_seconds() / 3600)
        return "in 1 hour" if hours == 1 else f"in {hours} hours"
    if days == 1:
        return f"tomorrow at {moment.astimezone(zone):%H:%M}"
    if days < 7:
        return f"on {moment.astimezone(zone):%A}"
    return f"in {days} days"
