"""Counters that must agree, through the real Application and the loopback Bot API: the real
quiz length and its top-up, one meaning of "due" across the quiz summary, /review and
/progress, unseen bases, time zone guesses confirmed with buttons, and a student's command
in a group answered with a link to the private chat."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from sqlmodel import Session, col, select, update

from storage import Database
from storage.models import Card
from storage.users import get_user
from tests.emulator import ChatMessage, Emulator, User, polling
from tests.emulator.polling import AnyApplication


@pytest.fixture
async def db(bot_settings) -> AsyncIterator[Database]:
    """A second handle on the bot's database, to check and move rows."""
    handle = await Database.open(bot_settings.database_url)
    yield handle
    await handle.close()


async def _expect(emulator: Emulator, chat: User, needle: str, *, within: int = 4) -> ChatMessage:
    """The next bot message in ``chat`` containing ``needle`` (skipping up to ``within``)."""
    seen: list[str] = []
    for _ in range(within):
        message = await emulator.reply_to(chat)
        if needle in (message.text or ""):
            return message
        seen.append((message.text or "")[:80])
    raise AssertionError(f"no message with {needle!r}; got {seen}")


async def _tap(emulator: Emulator, user: User, message: ChatMessage, data: str) -> str:
    answer = await emulator.answered(emulator.press(user, message, data=data))
    assert answer.ok
    return str(answer.params.get("text", ""))


async def _answer_every_question(emulator: Emulator, user: User, size: int) -> None:
    """Answer questions 1..size: the first option, or Show answer for a typed one."""
    for number in range(1, size + 1):
        question = await _expect(emulator, user, f"Question {number} of {size}")
        answers = [d for d in question.callback_data if d.count(":") == 2 and d[2].isdigit()]
        show = [d for d in question.callback_data if d.startswith("q:s:")]
        await _tap(emulator, user, question, answers[0] if answers else show[0])


def _data(message: ChatMessage, label: str) -> str:
    return next(
        str(b["callback_data"])
        for b in message.buttons
        if label in b["text"] and "callback_data" in b
    )


async def test_quiz_length_top_up_and_one_meaning_of_due(
    emulator: Emulator, make_app: Callable[[], AnyApplication], db: Database
) -> None:
    ada = emulator.user(first_name="Ada")
    async with polling(make_app()):
        emulator.command(ada, "settings")
        settings = await _expect(emulator, ada, "Your settings")
        await _tap(emulator, ada, settings, "st:new:5")

        emulator.command(ada, "quiz")
        note = await _expect(emulator, ada, "This quiz has 5 questions")
        assert "today's 5 new items" in (note.text or "")
        await _answer_every_question(emulator, ada, 5)
        summary = await _expect(emulator, ada, "Quiz complete", within=3)
        text = summary.text or ""
        assert "Your next review is due in " in text and "due now" not in text
        assert not any("Question 1 of 10" in (m.text or "") for m in emulator.messages(ada))

        # A top-up from the summary: practice of the five items just met, its real length.
        await _tap(emulator, ada, summary, _data(summary, "Practise"))
        practice = await _expect(emulator, ada, "Question 1 of 5")
        assert "review" in (practice.text or "")
        emulator.command(ada, "cancel")
        stopped = await _expect(emulator, ada, "Quiz stopped")
        assert "before any answers" in (stopped.text or "") and "0 of 0" not in (stopped.text or "")

        # Nothing is due yet: the summary, /review and /progress agree.
        emulator.command(ada, "review")
        await _expect(emulator, ada, "Nothing is due for review right now")
        emulator.command(ada, "progress")
        chart = await _expect(emulator, ada, "Your progress")
        caption = chart.text or ""
        # All five fall due within minutes: "later today", or tomorrow when run near midnight.
        assert "Due now: 0 · later today: " in caption and "next 7 days: 5" in caption
        assert "Not started: " in caption and "Strongest:" not in caption
        assert "Work on" not in caption  # five answers are not enough to blame a base

        # Two cards fall due: /progress and /review count the same two.
        def two_due(session: Session) -> None:
            ids = session.exec(select(Card.id).where(Card.user_id == ada.id).limit(2)).all()
            past = datetime.now(UTC) - timedelta(minutes=1)
            session.exec(update(Card).where(col(Card.id).in_(ids)).values(due=past))

        await db.run(two_due)
        emulator.command(ada, "progress")
        chart = await _expect(emulator, ada, "Your progress")
        assert "Due now: 2 · later today: " in (chart.text or "")
        assert "next 7 days: 5" in (chart.text or "")
        emulator.command(ada, "review")
        await _answer_every_question(emulator, ada, 2)
        done = await _expect(emulator, ada, "Quiz complete", within=3)
        assert "due now" not in (done.text or "")


async def test_a_time_zone_guess_waits_for_a_tap(
    emulator: Emulator, make_app: Callable[[], AnyApplication], db: Database
) -> None:
    tom = emulator.user(first_name="Tom")
    async with polling(make_app()):
        emulator.command(tom, "timezone", "atlantis")
        asked = await _expect(emulator, tom, "Which one is yours")
        assert asked.button_texts[0].startswith("Atlantis, South Africa · ")
        assert "✖️ None of these" in asked.button_texts
        user = await db.run(lambda s: get_user(s, user_id=tom.id))
        assert user is not None and user.timezone is None  # not applied without a tap
        await _tap(emulator, tom, asked, "r:tz:Africa/Johannesburg")
        user = await db.run(lambda s: get_user(s, user_id=tom.id))
        assert user is not None and user.timezone == "Africa/Johannesburg"

        emulator.command(tom, "timezone", "Leeds")
        await _expect(emulator, tom, "Time zone set: London (Europe/London)")
        emulator.command(tom, "timezone", "Kraków")
        await _expect(emulator, tom, "Time zone set: Warsaw (Europe/Warsaw)")


async def test_a_students_quiz_in_a_group_links_to_the_private_chat(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    tess, amir = emulator.user(999, "Tess"), emulator.user(first_name="Amir")
    group = emulator.group(title="Class 3B", owner=tess, members=[amir])
    async with polling(make_app()):
        emulator.command(amir, "quiz", "kpis", chat=group)
        reply = await emulator.reply_to(group)
        assert "private chat" in (reply.text or "") and "Question" not in (reply.text or "")
        [button] = reply.buttons
        url = urlparse(str(button["url"]))
        assert url.netloc == "t.me" and url.path == f"/{emulator.bot.username}"
        payload = parse_qs(url.query)["start"][0]
        assert payload.startswith("go-quiz-")
        packed = payload.removeprefix("go-quiz-")
        assert base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4)) == b"kpis"

        emulator.command(amir, "progress", chat=group)
        assert "private chat" in ((await emulator.reply_to(group)).text or "")
        emulator.command(amir, "help", chat=group)  # group commands still answer there
        assert "What I can do" in ((await emulator.reply_to(group)).text or "")

        # Opening the link sends /start <payload> privately: the quiz starts there.
        emulator.command(amir, "start", payload)
        first = await _expect(emulator, amir, "Question 1 of")
        assert first.chat_id == amir.id
    assert not any("Question" in (m.text or "") for m in emulator.messages(group))
