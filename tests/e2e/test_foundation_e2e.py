"""The real Application end to end against the loopback Bot API: the foundation's promises."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import select
from telegram.request import HTTPXRequest

from bot.app import build_application
from bot.settings import Settings
from storage import Database
from storage.models import User
from tests.emulator import Emulator, polling
from tests.emulator.polling import AnyApplication


async def test_start_gives_a_welcome_and_a_menu(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    alice = emulator.user(first_name="Alice")
    async with polling(make_app()):
        commands = await emulator.next_call("setMyCommands")
        assert {c["command"] for c in commands.params["commands"]} >= {"start", "help", "cancel"}
        emulator.command(alice, "start")
        welcome = await emulator.reply_to(alice)
    assert "Hi Alice!" in welcome.text
    assert "📝 Quiz me" in welcome.button_texts
    assert welcome.data["chat"]["id"] == alice.id


async def test_help_lists_every_command(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    bob = emulator.user()
    app = make_app()
    async with polling(app):
        emulator.command(bob, "help")
        reply = await emulator.reply_to(bob)
    for name in ("/start", "/help", "/cancel"):
        assert name in reply.text


async def test_unknown_command_and_sticker_get_a_friendly_answer(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    cleo = emulator.user()
    async with polling(make_app()):
        emulator.command(cleo, "teleport")
        unknown = await emulator.reply_to(cleo)
        emulator.send_sticker(cleo)
        sticker = await emulator.reply_to(cleo)
    assert "I don't know the command /teleport" in unknown.text
    assert "I can only read text" in sticker.text and "sticker" in sticker.text


async def test_forged_and_stale_buttons_are_answered(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    dan = emulator.user()
    async with polling(make_app()):
        emulator.command(dan, "start")
        menu = await emulator.reply_to(dan)
        forged = emulator.forge_callback(dan, dan, menu.message_id, "zz:../../etc")
        answer = await emulator.answered(forged)
        gone = emulator.forge_callback(dan, dan, 987654, "q:1:2")
        answer_gone = await emulator.answered(gone)
    assert "expired" in answer.params["text"]
    assert "expired" in answer_gone.params["text"]


async def test_a_429_is_waited_out_and_the_message_still_arrives(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    eve = emulator.user()
    emulator.fail_next("sendMessage", status=429, retry_after=0.2)
    async with polling(make_app()):
        emulator.command(eve, "help")
        reply = await emulator.reply_to(eve)
    assert "What I can do" in reply.text
    statuses = [c.status for c in emulator.calls("sendMessage")]
    assert statuses == [429, 200]


async def blocked_flags(db_url: str, *users: int) -> list[bool]:
    database = Database.from_url(db_url)
    rows = await database.run(
        lambda s: s.exec(select(User).where(User.id.in_(users))).all()  # type: ignore[attr-defined]
    )
    await database.close()
    flags = {row.id: row.blocked for row in rows}
    return [flags[user] for user in users]


async def test_a_user_who_blocks_the_bot_is_marked(
    emulator: Emulator, make_app: Callable[[], AnyApplication], db_url: str
) -> None:
    fay = emulator.user()
    async with polling(make_app()):
        emulator.command(fay, "start")
        await emulator.reply_to(fay)
        emulator.block(fay)
        await emulator.wait_for(
            lambda: not emulator.pending_updates, what="the block to be fetched"
        )
    # leaving ``polling`` waits until every fetched update has been handled
    assert await blocked_flags(db_url, fay.id) == [True]


async def test_forbidden_on_send_marks_the_user_and_the_bot_keeps_going(
    emulator: Emulator, make_app: Callable[[], AnyApplication], db_url: str
) -> None:
    gus, ida = emulator.user(), emulator.user()
    emulator.fail_next(
        "sendMessage", status=403, description="Forbidden: bot was blocked by the user"
    )
    async with polling(make_app(), raise_handler_errors=False):
        emulator.command(gus, "help")
        await emulator.wait_for(
            lambda: [c for c in emulator.calls("sendMessage") if c.status == 403],
            what="the 403",
        )
        emulator.command(ida, "start")
        await emulator.reply_to(ida)  # the bot is still answering others
    assert await blocked_flags(db_url, gus.id, ida.id) == [True, False]
    assert not emulator.messages(gus)  # no apology sent into the void
    async with polling(make_app()):
        emulator.command(gus, "start")  # writing again proves they unblocked us
        await emulator.reply_to(gus)
    assert await blocked_flags(db_url, gus.id) == [False]


async def test_a_user_is_still_known_after_a_restart(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    hal = emulator.user(first_name="Hal")
    async with polling(make_app()):
        emulator.command(hal, "start")
        await emulator.reply_to(hal)
    async with polling(make_app()):
        emulator.command(hal, "start")
        again = await emulator.reply_to(hal)
    assert "Hi Hal!" in again.text


async def test_a_5xx_is_retried_and_the_message_still_arrives(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    jo = emulator.user()
    emulator.fail_next("sendMessage", status=502)
    async with polling(make_app()):
        emulator.command(jo, "help")
        reply = await emulator.reply_to(jo)
    assert "What I can do" in reply.text
    assert [c.status for c in emulator.calls("sendMessage")] == [502, 200]


async def test_a_response_slower_than_the_timeout_is_retried(
    emulator: Emulator, bot_settings: Settings
) -> None:
    kim = emulator.user()
    impatient = HTTPXRequest(read_timeout=0.3)
    app = build_application(bot_settings, request=impatient, get_updates_request=HTTPXRequest())
    emulator.slow_next("sendMessage", 1.0)
    async with polling(app):
        emulator.command(kim, "help")
        await emulator.wait_for(lambda: len(emulator.messages(kim)) >= 2, what="the retried reply")
    # The slow request still landed after the client gave up, so the student may see the
    # reply twice; never zero times.
    assert all("What I can do" in m.text for m in emulator.messages(kim))
