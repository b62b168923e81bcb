"""Quizzes through the real Application and the loopback Bot API: buttons, a restart with a
question pending, double taps, an ended quiz, typed answers, bad input, a misconception and
/progress."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime

from sqlmodel import Session

from dialogs.corrections import HEADER
from dialogs.quiz.variable_questions import recall
from knowledge.base import KnowledgeBase
from storage import Database
from storage.quizzes import add_question, start_session
from tests.emulator import ChatMessage, Emulator, User, polling
from tests.emulator.polling import AnyApplication


async def _expect(emulator: Emulator, user: User, needle: str, *, within: int = 4) -> ChatMessage:
    """The next bot message to ``user`` containing ``needle`` (skipping up to ``within``)."""
    seen: list[str] = []
    for _ in range(within):
        message = await emulator.reply_to(user)
        if needle in (message.text or ""):
            return message
        seen.append((message.text or "")[:80])
    raise AssertionError(f"no message with {needle!r}; got {seen}")


def _answers(message: ChatMessage) -> list[str]:
    return [d for d in message.callback_data if d.count(":") == 2 and d.split(":")[1].isdigit()]


async def _button_question(emulator: Emulator, user: User, number: int) -> tuple[ChatMessage, int]:
    """The first question from ``number`` on that has answer buttons, and its number. The mix
    of kinds depends on the student, so typed questions on the way are skipped with their
    I don't know button."""
    while True:
        message = await _expect(emulator, user, f"Question {number} of 10")
        if _answers(message):
            return message, number
        show = [b["callback_data"] for b in message.buttons if "I don't know" in b["text"]]
        await _tap(emulator, user, message, str(show[0]))
        number += 1


def _edited(emulator: Emulator, message: ChatMessage) -> ChatMessage | None:
    found = emulator.find_message(message.chat_id, message.message_id)
    return found if found is not None and found.edit_count else None


async def _tap(emulator: Emulator, user: User, message: ChatMessage, data: str) -> str:
    """Press the button carrying ``data``; the toast shown."""
    answer = await emulator.answered(emulator.press(user, message, data=data))
    assert answer.ok
    return str(answer.params.get("text", ""))


async def _ask_typed(db_url: str, user: User, kb: KnowledgeBase) -> None:
    """Put a typed recall question in front of ``user`` (as if the quiz had picked it)."""
    question = recall(kb, kb.variables["usage_rate"], random.Random(2))
    database = await Database.open(db_url)
    try:

        def ask(session: Session) -> None:
            now = datetime.now(UTC)
            quiz = start_session(
                session, user_id=user.id, mode="quiz", topic=None, size=10, now=now
            )
            add_question(
                session,
                quiz=quiz,
                item_id=question.item_id,
                kind=question.kind,
                payload=question.to_payload() | {"review": False},
                now=now,
            )

        await database.run(ask)
    finally:
        await database.close()


async def test_a_quiz_end_to_end_with_a_restart_and_typed_answers(
    emulator: Emulator,
    make_app: Callable[[], AnyApplication],
    kb: KnowledgeBase,
    db_url: str,
) -> None:
    ivy = emulator.user(first_name="Ivy")

    async with polling(make_app()):
        emulator.command(ivy, "quiz")
        first, number = await _button_question(emulator, ivy, 1)
        toast = await _tap(emulator, ivy, first, _answers(first)[0])
        assert toast in ("✅ Right!", "❌ Not quite")
        edited = await emulator.wait_for(
            lambda: _edited(emulator, first), what="the answered question"
        )
        assert "Your answer" in (edited.text or "") and not edited.callback_data
        assert ("The answer" if "Not" in toast else "Right") in (edited.text or "")
        second, number = await _button_question(emulator, ivy, number + 1)

    # a restart: the pending question's buttons still work, once
    async with polling(make_app()):
        tapped = _answers(second)
        await _tap(emulator, ivy, second, tapped[1])
        third, number = await _button_question(emulator, ivy, number + 1)
        # a second tap that raced the edit (the buttons are gone from the message by now)
        again = emulator.forge_callback(ivy, ivy, second.message_id, tapped[0])
        assert "already answered" in str((await emulator.answered(again)).params["text"])
        gone = emulator.forge_callback(ivy, ivy, third.message_id, "q:999999:0")
        assert "expired" in str((await emulator.answered(gone)).params["text"])

        emulator.command(ivy, "cancel")
        await _expect(emulator, ivy, "Quiz stopped")
        assert await _tap(emulator, ivy, third, _answers(third)[0]) == "That quiz has ended."
        ended = await _expect(emulator, ivy, "That quiz has ended")
        await _tap(emulator, ivy, ended, "m:quiz")
        await _expect(emulator, ivy, "Question 1 of 10")

    await _ask_typed(db_url, ivy, kb)
    async with polling(make_app()):
        emulator.send_text(ivy, "🙂🙂")
        await _expect(emulator, ivy, "couldn't find any words")
        emulator.send_text(ivy, "7")
        await _expect(emulator, ivy, "expecting words")
        emulator.send_text(ivy, "usage-rate and brand loyality. Demographics are all you need")
        feedback = await _expect(emulator, ivy, "Right")
        assert "Usage rate" in (feedback.text or "") and "Brand loyalty" in (feedback.text or "")
        assert "I read" in (feedback.text or "")  # what was recognised, so it can be contested
        correction = await emulator.reply_to(ivy)
        assert (correction.text or "").startswith(HEADER)
        await _expect(emulator, ivy, "Question 2 of 10")

        emulator.command(ivy, "progress")
        chart = await _expect(emulator, ivy, "Your progress")
        assert chart.method == "sendPhoto"
