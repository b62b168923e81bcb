"""Small promises through the real Application: forged numbers are expired buttons, an
unchanged screen is not edited, and a poll answer that overtakes its poll still counts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlmodel import select

from storage import Database
from storage.models import PollRecord, PollVote
from tests.e2e.test_groups_e2e import OWNER, database, group_jobs, next_with
from tests.emulator import Emulator, polling
from tests.emulator.polling import AnyApplication


async def test_forged_huge_and_foreign_numbers_are_expired_buttons(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    kit = emulator.user()
    forged = (
        "s:9223372036854775808:0:n",
        "g:sx:99999999999999999999",
        "q:18446744073709551616:0",
        "tu:r:9223372036854775808",
        "st:new:²",
        "s:١:0:n",
    )
    async with polling(make_app()):
        emulator.command(kit, "start")
        menu = await emulator.reply_to(kit)
        for data in forged:
            answer = await emulator.answered(
                emulator.forge_callback(kit, kit, menu.message_id, data)
            )
            assert "expired" in str(answer.params["text"]), data
    # no apology: nothing failed on the way
    assert not [m for m in emulator.messages(kit) if "went wrong" in (m.text or "")]


async def test_pressing_the_option_already_chosen_sends_no_edit(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    lia = emulator.user()
    async with polling(make_app()):
        emulator.command(lia, "settings")
        screen = await emulator.reply_to(lia)
        chosen = next(t for t in screen.button_texts if t.startswith("✅ 🆕"))
        await emulator.answered(emulator.press(lia, screen, chosen))
        assert emulator.calls("editMessageText") == []
        await emulator.answered(emulator.press(lia, screen, "🆕 25"))
        edit = await emulator.next_call("editMessageText")
    assert edit.status == 200 and "✅ 🆕 25" in str(edit.params["reply_markup"])


async def test_a_poll_answer_that_overtakes_its_poll_still_counts(
    emulator: Emulator, make_app: Callable[[], AnyApplication], db_url: str
) -> None:
    tess = emulator.user(OWNER, "Tess")
    amir = emulator.user(first_name="Amir")
    group = emulator.group(title="Class 3B", owner=tess, members=[amir])
    app = make_app()
    async with polling(app):
        jobs = group_jobs(app)
        emulator.command(tess, "groupquiz", "1", chat=group)
        await next_with(emulator, group, "Class quiz")
        due = await database(app).run(lambda s: s.exec(select(PollRecord)).one().due_at)
        # Telegram posts the poll at once, but the bot hears back only after Amir answered
        emulator.answer_late("sendPoll", 1.0)
        posting = asyncio.create_task(jobs.run_due(app.bot, due))
        sent = await emulator.wait_for(
            lambda: next((c for c in emulator.calls("sendPoll") if c.status == 200), None),
            what="the poll to be posted",
        )
        poll = emulator.find_message(group.id, sent.result["message_id"])
        assert poll is not None
        emulator.answer_poll(amir, poll, [0])
        assert await posting == 1
    # leaving ``polling`` waits for every update in hand, the early answer included
    stored = Database.from_url(db_url)
    votes = await stored.run(lambda s: s.exec(select(PollVote)).all())
    await stored.close()
    assert [v.user_id for v in votes] == [amir.id]
