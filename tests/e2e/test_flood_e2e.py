"""Flood control never drops a reply: more 429s than PTB retries, a burst over Telegram's
global limit, and a button whose reply fails is still answered exactly once."""

from __future__ import annotations

from collections.abc import Callable

from tests.emulator import Emulator, polling
from tests.emulator.polling import AnyApplication


async def test_many_429s_in_a_row_are_waited_out(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    ava = emulator.user()
    emulator.fail_next("sendMessage", status=429, retry_after=0.05, times=6)
    async with polling(make_app()):
        emulator.command(ava, "help")
        reply = await emulator.reply_to(ava)
    assert "What I can do" in (reply.text or "")
    assert [c.status for c in emulator.calls("sendMessage")] == [429] * 6 + [200]


async def test_a_burst_over_the_global_limit_gets_every_reply(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    emulator.flood_limits(global_per_second=5, per_group_per_minute=None)
    students = [emulator.user() for _ in range(20)]
    async with polling(make_app()):
        for student in students:
            emulator.command(student, "help")
        for student in students:
            assert "What I can do" in ((await emulator.reply_to(student, timeout=30)).text or "")
    assert emulator.flood_rejections > 0  # Telegram did push back, and nothing was lost
    delivered = [c for c in emulator.calls("sendMessage") if c.status == 200]
    assert len(delivered) == len(students)


async def test_a_button_whose_reply_fails_is_answered_once(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    bea = emulator.user()
    async with polling(make_app(), raise_handler_errors=False):
        emulator.command(bea, "start")
        menu = await emulator.reply_to(bea)
        emulator.fail_next("sendMessage", status=400, description="Bad Request: test refusal")
        query = emulator.press(bea, menu, "❓ Help")
        await emulator.answered(query)
        apology = await emulator.reply_to(bea)
    assert "Sorry, something went wrong" in (apology.text or "")
    answers = [
        c
        for c in emulator.calls("answerCallbackQuery")
        if c.params.get("callback_query_id") == query["callback_query"]["id"]
    ]
    assert len(answers) == 1
