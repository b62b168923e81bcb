"""Scheduling with a fixed clock: ratings to intervals, the exam cap, and the async helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fsrs import Card as FsrsCard

from dialogs.quiz.card_updates import push_due_soon, record_answer
from dialogs.quiz.scheduling import (
    Rating,
    exam_adjust,
    last_review_day,
    new_card,
    rating_for,
    recompute,
    review,
)
from dialogs.tutor import Turn, Tutor
from storage import Database
from storage.cards import get_card, reviews
from storage.exams import set_exam_date
from tests.conftest import NOON


def _after(
    *ratings: Rating, start: datetime = NOON, gap: timedelta | None = None
) -> list[FsrsCard]:
    """Review a new card with ``ratings``, each at its due time (or ``gap`` later)."""
    card = new_card(start)
    now = start
    cards = []
    for rating in ratings:
        card = review(card, rating, now)
        cards.append(card)
        now = card.due if gap is None else now + gap
    return cards


def test_ratings_map_to_growing_intervals() -> None:
    again, hard, good, easy = (_after(r)[0] for r in Rating)
    intervals = [c.due - NOON for c in (again, hard, good, easy)]
    assert intervals[0] == timedelta(minutes=1)
    assert intervals[0] < intervals[1] < intervals[2] < intervals[3]
    assert intervals[3] >= timedelta(days=1)  # Easy graduates a new card straight away


def test_good_reviews_at_due_time_space_out() -> None:
    cards = _after(Rating.Good, Rating.Good, Rating.Good, Rating.Good, Rating.Good)
    gaps = [b.due - (b.last_review or NOON) for b in cards[1:]]
    assert gaps == sorted(gaps)
    assert gaps[-1] > timedelta(days=7)
    assert all(c.due.tzinfo is UTC for c in cards)


def test_again_on_a_review_card_relearns_within_minutes() -> None:
    cards = _after(Rating.Good, Rating.Good, Rating.Good, Rating.Again)
    lapsed = cards[-1]
    assert lapsed.last_review is not None
    assert lapsed.due - lapsed.last_review == timedelta(minutes=10)
    assert int(lapsed.state) == 3  # Relearning


def test_fixed_clock_gives_the_same_schedule_twice() -> None:
    assert _after(Rating.Good, Rating.Hard, Rating.Good) == _after(
        Rating.Good, Rating.Hard, Rating.Good
    )


def test_any_aware_timezone_is_accepted() -> None:
    london = NOON.astimezone(ZoneInfo("Europe/London"))
    assert review(new_card(london), Rating.Good, london).last_review == NOON


def test_desired_retention_changes_the_interval() -> None:
    card = _after(Rating.Good, Rating.Good)[-1]
    at = card.due
    strict = review(card, Rating.Good, at, desired_retention=0.97)
    relaxed = review(card, Rating.Good, at, desired_retention=0.8)
    assert strict.due < relaxed.due


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"correct": False}, Rating.Again),
        ({"correct": False, "partial": True}, Rating.Hard),
        ({"correct": True, "hinted": True}, Rating.Hard),
        ({"correct": True, "duration_ms": 90_000}, Rating.Hard),
        ({"correct": True, "duration_ms": 8_000}, Rating.Good),
        ({"correct": True, "duration_ms": 8_000, "stability": 30.0}, Rating.Easy),
        ({"correct": True, "duration_ms": 45_000, "stability": 30.0}, Rating.Good),
        ({"correct": True, "hinted": True, "duration_ms": 5_000, "stability": 30.0}, Rating.Hard),
    ],
)
def test_rating_for(kwargs: dict[str, Any], expected: Rating) -> None:
    assert rating_for(**kwargs) == expected


EXAM = date(2026, 12, 10)
LONG_AGO = datetime(2020, 1, 6, 9, 0, tzinfo=UTC)


def _strong() -> FsrsCard:
    """A card learnt years ago and answered Easy every time: a long interval."""
    return _after(Rating.Easy, Rating.Easy, Rating.Easy, start=LONG_AGO)[-1]


def test_exam_caps_every_interval_at_the_day_before() -> None:
    card = _strong()
    free = review(card, Rating.Easy, NOON)
    capped = review(card, Rating.Easy, NOON, exam_date=EXAM)
    assert free.due > last_review_day(EXAM)
    assert capped.due == last_review_day(EXAM)
    assert capped.stability == free.stability


def test_exam_in_the_past_or_tomorrow_changes_nothing() -> None:
    card = _after(Rating.Easy)[-1]
    assert exam_adjust(card, Rating.Easy, NOON, date(2026, 1, 1)) is card
    assert exam_adjust(card, Rating.Easy, NOON, NOON.date() + timedelta(days=1)) is card


def test_weak_cards_come_back_sooner_in_the_last_weeks() -> None:
    exam = NOON.date() + timedelta(days=22)
    left = last_review_day(exam) - NOON
    free = review(_strong(), Rating.Hard, NOON)
    weak = review(_strong(), Rating.Hard, NOON, exam_date=exam)
    assert free.due - NOON > left / 3
    assert weak.due - NOON == left / 3
    strong = review(_strong(), Rating.Good, NOON, exam_date=exam)
    assert strong.due == last_review_day(exam)  # not weak: only the hard cap applies


def test_weak_cap_far_from_the_exam_does_not_apply() -> None:
    exam = NOON.date() + timedelta(days=200)
    assert review(new_card(NOON), Rating.Easy, NOON, exam_date=exam) == review(
        new_card(NOON), Rating.Easy, NOON
    )


async def test_record_answer_creates_the_card_and_logs_the_review(
    tutor: Tutor, turn: Callable[..., Turn], database: Database
) -> None:
    ctx = await tutor._begin(turn())
    await record_answer(ctx, "lifestyle", Rating.Good, source="scenario", duration_ms=1200)
    await record_answer(ctx, "lifestyle", 1, source="scenario", duration_ms=None)
    card, logs = await database.run(
        lambda s: (
            get_card(s, user_id=1, item_id="lifestyle"),
            reviews(s, user_id=1, item_id="lifestyle"),
        )
    )
    assert card is not None and card.last_review == NOON
    assert [(log.rating, log.source, log.duration_ms) for log in logs] == [
        (3, "scenario", 1200),
        (1, "scenario", None),
    ]


async def test_record_answer_honours_the_exam_date(
    tutor: Tutor, turn: Callable[..., Turn], database: Database
) -> None:
    ctx = await tutor._begin(turn())
    exam = NOON.date() + timedelta(days=3)
    await database.run(lambda s: set_exam_date(s, user_id=1, exam_date=exam))
    await record_answer(ctx, "age", Rating.Easy, source="quiz", duration_ms=None)
    card = await database.run(lambda s: get_card(s, user_id=1, item_id="age"))
    assert card is not None and card.due <= last_review_day(exam)


async def test_push_due_soon_creates_or_brings_forward(
    tutor: Tutor, turn: Callable[..., Turn], database: Database
) -> None:
    ctx = await tutor._begin(turn())
    await record_answer(ctx, "income", Rating.Easy, source="quiz", duration_ms=None)
    later = await tutor._begin(turn(now=NOON + timedelta(hours=1)))
    await push_due_soon(later, ["income", "values", "not_an_item"])
    income, values, unknown = await database.run(
        lambda s: (
            get_card(s, user_id=1, item_id="income"),
            get_card(s, user_id=1, item_id="values"),
            get_card(s, user_id=1, item_id="not_an_item"),
        )
    )
    assert income is not None and income.due == later.now
    assert income.stability is not None  # the schedule's memory is kept
    assert values is not None and values.due == later.now and values.last_review is None
    assert unknown is None


async def test_the_review_log_recomputes_the_stored_schedule(
    tutor: Tutor, turn: Callable[..., Turn], database: Database
) -> None:
    now = NOON
    for rating in (Rating.Good, Rating.Again, Rating.Good, Rating.Hard, Rating.Easy):
        ctx = await tutor._begin(turn(now=now))
        await record_answer(ctx, "values", rating, source="quiz", duration_ms=None)
        now += timedelta(days=2, hours=3)
    stored, logs = await database.run(
        lambda s: (
            get_card(s, user_id=1, item_id="values"),
            reviews(s, user_id=1, item_id="values"),
        )
    )
    rebuilt = recompute([(log.reviewed_at, log.rating) for log in logs])
    assert stored is not None and rebuilt is not None
    assert (rebuilt.stability, rebuilt.difficulty, rebuilt.due, int(rebuilt.state)) == (
        stored.stability,
        stored.difficulty,
        stored.due,
        stored.state,
    )
    assert recompute([]) is None
