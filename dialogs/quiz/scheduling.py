"""Spaced repetition: FSRS-6 (the ``fsrs`` package) plus the tutor's exam-aware rules.

The pure functions take ``now`` and never read the clock. Card state lives in the ``cards``
table; every review is appended to ``review_logs`` so a schedule can always be recomputed.

Rules (documented here because tests and the quiz rely on them):

* rating from an answer: wrong -> Again; partly right, right after a hint, or slow (more than
  ``SLOW_MS``) -> Hard; right -> Good; right, fast (under ``FAST_MS``) on a mature card
  (stability of at least ``MATURE_DAYS`` days) -> Easy.
* with an exam date: nothing is scheduled after the start of the day before the exam, and in
  the last ``FINAL_STRETCH`` a weak card (stability under ``WEAK_DAYS`` days, or just rated
  Again or Hard) waits at most ``WEAK_SHARE`` of the time left, so it comes back more often.
* fuzzing is off, so replaying the review log gives exactly the stored schedule.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from storage.models import Card, User

__all__ = [
    "FAST_MS",
    "FINAL_STRETCH",
    "MATURE_DAYS",
    "SLOW_MS",
    "WEAK_DAYS",
    "WEAK_SHARE",
    "Rating",
    "exam_adjust",
    "is_mature",
    "last_review_day",
    "new_card",
    "rating_for",
    "recompute",
    "retrievability",
    "review",
    "schedule",
]

DEFAULT_RETENTION = 0.9
MATURE_DAYS = 21.0
WEAK_DAYS = 7.0
SLOW_MS = 60_000
FAST_MS = 20_000
FINAL_STRETCH = timedelta(weeks=4)
WEAK_SHARE = 1 / 3


def utc(moment: datetime) -> datetime:
    """The same instant with ``datetime.UTC`` as its zone (``fsrs`` accepts nothing else)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware one")
    return moment.astimezone(UTC)


@lru_cache(maxsize=32)
def scheduler(desired_retention: float = DEFAULT_RETENTION) -> Scheduler:
    """The FSRS-6 scheduler for one desired retention (default parameters, no fuzzing)."""
    return Scheduler(desired_retention=desired_retention, enable_fuzzing=False)


def new_card(now: datetime) -> FsrsCard:
    """A never-reviewed card, due now."""
    # Passing card_id stops fsrs from deriving one from the clock (and sleeping 1 ms to do so).
    return FsrsCard(card_id=1, state=State.Learning, step=0, due=utc(now))


def to_fsrs(card: Card) -> FsrsCard:
    """The stored card as an ``fsrs`` card."""
    return FsrsCard(
        card_id=card.id or 1,
        state=State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=utc(card.due),
        last_review=utc(card.last_review) if card.last_review else None,
    )


def store(card: Card, scheduled: FsrsCard) -> Card:
    """Copy an ``fsrs`` card's schedule into the stored card (in place) and return it."""
    card.state = int(scheduled.state)
    card.step = scheduled.step
    card.stability = scheduled.stability
    card.difficulty = scheduled.difficulty
    card.due = scheduled.due
    card.last_review = scheduled.last_review
    return card


def is_mature(stability: float | None) -> bool:
    """A card the student has known for a while (stability of at least three weeks)."""
    return stability is not None and stability >= MATURE_DAYS


def rating_for(
    *,
    correct: bool,
    partial: bool = False,
    hinted: bool = False,
    duration_ms: int | None = None,
    stability: float | None = None,
) -> Rating:
    """The FSRS rating an answer earns (see the module docstring for the rules)."""
    if not correct and not partial:
        return Rating.Again
    if partial or hinted or (duration_ms is not None and duration_ms > SLOW_MS):
        return Rating.Hard
    if duration_ms is not None and duration_ms <= FAST_MS and is_mature(stability):
        return Rating.Easy
    return Rating.Good


def last_review_day(exam_date: date) -> datetime:
    """The latest moment a review may be scheduled: the start (UTC) of the day before the exam."""
    return datetime.combine(exam_date - timedelta(days=1), time(0), tzinfo=UTC)


def exam_adjust(card: FsrsCard, rating: Rating, now: datetime, exam_date: date | None) -> FsrsCard:
    """Pull the card's next due date in so it fits before the exam (see the module docstring)."""
    if exam_date is None:
        return card
    now = utc(now)
    last_day = last_review_day(exam_date)
    if last_day <= now:
        return card
    due = min(card.due, last_day)
    left = last_day - now
    weak = (card.stability or 0.0) < WEAK_DAYS or rating in (Rating.Again, Rating.Hard)
    if left <= FINAL_STRETCH and weak:
        due = min(due, now + max(left * WEAK_SHARE, min(left, timedelta(days=1))))
    if due == card.due:
        return card
    adjusted = copy.copy(card)
    adjusted.due = due
    return adjusted


def review(
    card: FsrsCard,
    rating: Rating | int,
    now: datetime,
    *,
    desired_retention: float = DEFAULT_RETENTION,
    exam_date: date | None = None,
) -> FsrsCard:
    """The card after one review at ``now``: FSRS-6, then the exam rules."""
    grade = Rating(int(rating))
    reviewed, _log = scheduler(desired_retention).review_card(card, grade, utc(now))
    return exam_adjust(reviewed, grade, now, exam_date)


def recompute(
    reviews: Sequence[tuple[datetime, int]],
    *,
    desired_retention: float = DEFAULT_RETENTION,
    exam_date: date | None = None,
) -> FsrsCard | None:
    """Replay (time, rating) reviews, oldest first, into a card; None when there are none.

    With the same retention and exam date this reproduces the stored schedule exactly
    (fuzzing is off), so a schedule can be rebuilt from the review log after any change.
    """
    card: FsrsCard | None = None
    for moment, rating in reviews:
        card = review(
            card or new_card(moment),
            rating,
            moment,
            desired_retention=desired_retention,
            exam_date=exam_date,
        )
    return card


def retrievability(
    card: Card, now: datetime, desired_retention: float = DEFAULT_RETENTION
) -> float:
    """The predicted chance (0-1) that the student recalls the item at ``now``."""
    return float(scheduler(desired_retention).get_card_retrievability(to_fsrs(card), utc(now)))


def schedule(
    card: Card | None,
    *,
    user: User,
    item_id: str,
    rating: Rating | int,
    now: datetime,
) -> Card:
    """The stored card after one review (a new one when ``card`` is None); no database work."""
    if card is None:
        card = Card(user_id=user.id, item_id=item_id, due=now)
        scheduled = new_card(now)
    else:
        scheduled = to_fsrs(card)
    scheduled = review(
        scheduled,
        rating,
        now,
        desired_retention=user.desired_retention,
        exam_date=user.exam_date,
    )
    return store(card, scheduled)
