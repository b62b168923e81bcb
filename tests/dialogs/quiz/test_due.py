"""One meaning of "due", and times said the way a student reads them in their own zone."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from dialogs.quiz.due import due_cards, next_due, when
from storage.models import Card
from tests.conftest import NOON  # Monday 2 November 2026, 12:00 UTC

LONDON, TOKYO = ZoneInfo("Europe/London"), ZoneInfo("Asia/Tokyo")


def test_a_card_a_minute_away_is_not_due_and_is_said_as_in_1_minute() -> None:
    soon = Card(user_id=1, item_id="age", due=NOON + timedelta(seconds=50))
    gone = Card(user_id=1, item_id="retired_item", due=NOON - timedelta(days=1))
    items = frozenset({"age"})
    assert due_cards([soon, gone], NOON, items) == []  # an item no longer asked never counts
    assert next_due([soon, gone], NOON, items) == soon.due
    assert when(soon.due, NOON, LONDON) == "in 1 minute"
    assert due_cards([soon], soon.due, items) == [soon]


def test_times_follow_the_students_own_calendar() -> None:
    assert when(NOON + timedelta(minutes=10), NOON, LONDON) == "in 10 minutes"
    assert when(NOON + timedelta(hours=3), NOON, LONDON) == "in 3 hours"
    # 11 hours on is 23:00 in London (still today) but 08:00 tomorrow in Tokyo.
    assert when(NOON + timedelta(hours=11), NOON, LONDON) == "in 11 hours"
    assert when(NOON + timedelta(hours=11), NOON, TOKYO) == "tomorrow at 08:00"
    assert when(NOON + timedelta(days=3), NOON, LONDON) == "on Thursday"
    assert when(NOON + timedelta(days=12), NOON, LONDON) == "in 12 days"
