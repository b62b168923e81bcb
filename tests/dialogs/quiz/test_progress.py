"""/progress (chart and summary) and /exam (set, show, clear, and fitting reviews before it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from dialogs.corrections import correct
from dialogs.quiz.card_updates import record_answer
from dialogs.quiz.exam import parse_date
from dialogs.quiz.progress import MIN_ANSWERS, PRAISE_FROM, caption, summarise
from dialogs.quiz.scheduling import Rating, last_review_day
from dialogs.replies import Message, Photo, Reply
from dialogs.tutor import Turn, Tutor
from knowledge.base import KnowledgeBase
from storage import Database
from storage.cards import get_cards
from storage.models import Card, User
from tests.conftest import NOON

Turns = Callable[..., Turn]
LONDON = ZoneInfo("Europe/London")


def _html(replies: list[Reply]) -> str:
    assert isinstance(replies[0], Message)
    return replies[0].html


def test_summarise_mastery_due_and_recurring(kb: KnowledgeBase) -> None:
    fresh = Card(
        user_id=1,
        item_id="lifestyle",
        state=2,
        step=None,
        stability=30.0,
        difficulty=5.0,
        due=NOON + timedelta(days=3),
        last_review=NOON,
    )
    pushed = Card(user_id=1, item_id="mc_static_profiles", due=NOON - timedelta(hours=1))
    progress = summarise(
        kb,
        [fresh, pushed],
        [NOON, NOON - timedelta(days=1)],
        {"mc_static_profiles": 3, "mc_features_sell": 1},
        NOON,
        LONDON,
    )
    bases = dict(progress.bases)
    assert 0 < bases["Psychographic"] < 1 and bases["Demographic"] == 0
    assert progress.due_now == 1 and progress.due_later_today == 0 and progress.due_week == 2
    assert [n for _, n in progress.week][3] == 1
    assert progress.streak.days == 2 and progress.studied == 1
    assert progress.recurring == [(kb.misconceptions["mc_static_profiles"].title, 3)]
    text = caption(progress, exam=date(2027, 1, 15), today=NOON.date())
    assert "2-day streak" in text and "Exam in" in text and len(text) < 1024


def _card(item_id: str, stability: float) -> Card:
    return Card(
        user_id=1,
        item_id=item_id,
        state=2,
        stability=stability,
        difficulty=5.0,
        due=NOON + timedelta(days=1),
        last_review=NOON - timedelta(days=1),
    )


def test_no_praise_or_blame_without_enough_answers_and_unseen_bases_not_started(
    kb: KnowledgeBase,
) -> None:
    cards = [_card("lifestyle", 0.2), _card("age", 40.0)]
    few = summarise(kb, cards, [NOON], {}, NOON, LONDON, answers={"lifestyle": 1, "age": 2})
    text = caption(few, exam=None, today=NOON.date())
    assert "Strongest:" not in text and "Work on" not in text
    assert f"once you've answered {MIN_ANSWERS} questions in a base" in text
    assert "Not started: " in text and "Geographic" in text.split("Not started: ")[1]
    assert "Psychographic" not in text.split("Not started: ")[1]

    enough = {"lifestyle": MIN_ANSWERS, "age": MIN_ANSWERS}
    ranked = summarise(kb, cards, [NOON], {}, NOON, LONDON, answers=enough)
    text = caption(ranked, exam=None, today=NOON.date())
    bases = dict(ranked.bases)
    assert bases["Demographic"] > bases["Psychographic"]
    if bases["Demographic"] >= PRAISE_FROM:
        assert "Strongest: Demographic" in text
    assert "Work on: Psychographic" in text and "Work on: Geographic" not in text


async def test_progress_with_nothing_yet(tutor: Tutor, turn: Turns) -> None:
    replies = await tutor.on_command(turn(), "progress")
    assert isinstance(replies[0], Message) and "No progress" in replies[0].html


async def test_progress_sends_a_chart_and_summary(tutor: Tutor, turn: Turns) -> None:
    ctx = await tutor._begin(turn())
    for item in ("lifestyle", "age", "usage_rate"):
        await record_answer(ctx, item, Rating.Good, source="quiz", duration_ms=4000)
    await correct(ctx, "sales and marketing are the same", where="chat")
    await correct(ctx, "marketing is just selling", where="quiz")
    replies = await tutor.on_command(turn(now=NOON + timedelta(hours=2)), "progress")
    photo = replies[0]
    assert isinstance(photo, Photo)
    assert photo.png.startswith(b"\x89PNG")
    assert "Your progress" in photo.caption_html and "Keeps coming back" in photo.caption_html
    assert [b.data for row in photo.buttons for b in row] == ["m:review", "m:quiz"]


def test_parse_date() -> None:
    assert parse_date("2027-01-15") == date(2027, 1, 15)
    assert parse_date("15/01/2027") == date(2027, 1, 15)
    assert parse_date("15th January 2027") == date(2027, 1, 15)
    assert parse_date("next tuesday") is None
    assert parse_date("2027-02-30") is None


async def test_exam_set_show_clear(tutor: Tutor, turn: Turns, database: Database) -> None:
    ctx = await tutor._begin(turn())
    await record_answer(ctx, "lifestyle", Rating.Easy, source="quiz", duration_ms=None)
    for _ in range(4):
        card = (await database.run(lambda s: get_cards(s, user_id=1)))[0]
        ctx = await tutor._begin(turn(now=card.due))
        await record_answer(ctx, "lifestyle", Rating.Easy, source="quiz", duration_ms=None)
    now = ctx.now
    exam = (now + timedelta(days=20)).date()
    reply = await tutor.on_command(turn(now=now), "exam", exam.isoformat())
    assert "Exam date set" in _html(reply)
    user, cards = await database.run(lambda s: (s.get(User, 1), get_cards(s, user_id=1)))
    assert user is not None and user.exam_date == exam
    assert all(now < c.due <= last_review_day(exam) for c in cards)
    shown = await tutor.on_command(turn(now=now), "exam", "")
    assert "days away" in _html(shown)
    cleared = await tutor.on_command(turn(now=now), "exam", "off")
    assert "cleared" in _html(cleared)
    user = await database.run(lambda s: s.get(User, 1))
    assert user is not None and user.exam_date is None


async def test_exam_bad_dates(tutor: Tutor, turn: Turns) -> None:
    for args, phrase in (
        ("tomorrowish", "couldn't read"),
        ("2020-01-01", "isn't in the future"),
        ("2099-01-01", "three years"),
    ):
        reply = await tutor.on_command(turn(), "exam", args)
        assert isinstance(reply[0], Message) and phrase in reply[0].html, args
