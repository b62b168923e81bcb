"""Tests of the Bot API emulator itself, driven by a tiny PTB bot defined here."""

from __future__ import annotations

import asyncio
import datetime as dtm
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    EndPointNotFound,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    PollAnswerHandler,
    filters,
)

from tests.emulator import ApiSpec, Emulator, User, html_errors, parse_html, polling
from tests.emulator.content import check_content, check_reply_markup
from tests.emulator.spec import (
    DEFAULT_SPEC_PATH,
    SPEC_ENV_VAR,
    MethodSpec,
    ParamSpec,
    decode_params,
)

AnyApp = Application[Any, Any, Any, Any, Any, Any]  # the tiny bot, built per test

# The tiny bot ------------------------------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: an HTML greeting with two callback buttons."""
    assert update.effective_message is not None
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Yes", callback_data="yes"),
                InlineKeyboardButton("No", callback_data="no"),
            ]
        ]
    )
    await update.effective_message.reply_text(
        "<b>Ready</b> to revise?", parse_mode="HTML", reply_markup=keyboard
    )


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Plain text: echo it back."""
    assert update.effective_message is not None and update.effective_message.text is not None
    await update.effective_message.reply_text(f"echo: {update.effective_message.text}")


async def quiz(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/quiz: a non-anonymous one-answer quiz."""
    assert update.effective_chat is not None
    await context.bot.send_poll(
        update.effective_chat.id,
        "Which is a segmentation base?",
        ["Geographic", "Alphabetical"],
        is_anonymous=False,
        type="quiz",
        correct_option_ids=[0],
    )


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Callback buttons: answer the query, then edit the message."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    if query.message is not None and query.message.is_accessible:
        await query.edit_message_text(f"You chose {query.data}")


async def poll_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Poll answers: confirm the chosen options privately."""
    answer = update.poll_answer
    assert answer is not None and answer.user is not None
    await context.bot.send_message(answer.user.id, f"answer {list(answer.option_ids)}")


async def media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos and voice notes: say which one arrived."""
    message = update.effective_message
    assert message is not None
    kind = "sticker" if message.sticker else "photo" if message.photo else "voice"
    await message.reply_text(f"got a {kind}")


async def joined(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Added to a group: greet it."""
    change = update.my_chat_member
    assert change is not None
    if change.new_chat_member.status == "member":
        await context.bot.send_message(change.chat.id, "Hello, group!")


def add_handlers(app: AnyApp) -> AnyApp:
    """Register the tiny bot's handlers on ``app``."""
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("quiz", quiz))
    app.add_handler(CallbackQueryHandler(button))
    app.add_handler(PollAnswerHandler(poll_answer))
    app.add_handler(ChatMemberHandler(joined, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.Sticker.ALL | filters.PHOTO | filters.VOICE, media))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return app


def http_builder(emu: Emulator) -> ApplicationBuilder:  # type: ignore[type-arg]
    """A builder talking HTTP to the emulator."""
    return ApplicationBuilder().token(emu.token).base_url(emu.base_url)


def in_process_builder(emu: Emulator) -> ApplicationBuilder:  # type: ignore[type-arg]
    """A builder using the socket-free transport for both request objects."""
    return (
        ApplicationBuilder()
        .token(emu.token)
        .request(emu.in_process_request())
        .get_updates_request(emu.in_process_request())
    )


BUILDERS = {"http": http_builder, "in-process": in_process_builder}


@pytest.fixture(params=sorted(BUILDERS))
def make_app(request: pytest.FixtureRequest, emulator: Emulator) -> Callable[[], AnyApp]:
    """Build the tiny bot over each transport."""
    return lambda: add_handlers(BUILDERS[request.param](emulator).build())


@pytest.fixture
async def bot(emulator: Emulator) -> AsyncIterator[Bot]:
    """A bare Bot talking HTTP to the emulator, for direct request tests."""
    async with Bot(emulator.token, base_url=emulator.base_url) as instance:
        yield instance


@pytest.fixture
def alice(emulator: Emulator) -> User:
    """A student with a username."""
    return emulator.user(first_name="Alice", username="alice")


# End-to-end flows (both transports) --------------------------------------------------------------


async def test_command_gets_html_reply_with_buttons(
    emulator: Emulator, make_app: Callable[[], AnyApp], alice: User
) -> None:
    async with polling(make_app()):
        update = emulator.command(alice, "start")
        reply = await emulator.reply_to(alice)
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert reply.text == "Ready to revise?"
    assert reply.entities == [{"type": "bold", "offset": 0, "length": 5}]
    assert reply.source_text == "<b>Ready</b> to revise?"
    assert reply.button_texts == ["Yes", "No"]


async def test_button_press_is_answered_once_and_edits(
    emulator: Emulator, make_app: Callable[[], AnyApp], alice: User
) -> None:
    async with polling(make_app()):
        emulator.command(alice, "start")
        menu = await emulator.reply_to(alice)
        press = emulator.press(alice, menu, "No")
        answer = await emulator.answered(press)
        edit = await emulator.next_call("editMessageText", chat_id=alice)
    assert answer.params == {"callback_query_id": press["callback_query"]["id"]}
    assert len(emulator.calls("answerCallbackQuery")) == 1
    assert edit.params["message_id"] == menu.message_id
    assert menu.text == "You chose no"
    assert menu.buttons == []  # editing without reply_markup removes the keyboard
    assert menu.edit_count == 1


async def test_poll_answer_update_is_delivered(
    emulator: Emulator, make_app: Callable[[], AnyApp], alice: User
) -> None:
    async with polling(make_app()):
        emulator.command(alice, "quiz")
        poll_message = await emulator.reply_to(alice)
        update = emulator.answer_poll(alice, poll_message, [0])
        confirmation = await emulator.reply_to(alice)
    assert poll_message.poll is not None
    assert poll_message.poll["type"] == "quiz"
    assert poll_message.poll["correct_option_ids"] == [0]
    assert poll_message.poll["options"][0]["voter_count"] == 1
    assert update["poll_answer"]["option_ids"] == [0]
    assert confirmation.text == "answer [0]"


async def test_media_from_people_reaches_handlers(
    emulator: Emulator, make_app: Callable[[], AnyApp], alice: User
) -> None:
    async with polling(make_app()):
        emulator.send_sticker(alice)
        first = await emulator.reply_to(alice)
        emulator.send_photo(alice, caption="my notes")
        second = await emulator.reply_to(alice)
        emulator.send_voice(alice)
        third = await emulator.reply_to(alice)
    assert [first.text, second.text, third.text] == ["got a sticker", "got a photo", "got a voice"]


async def test_group_commands_privacy_mode_and_joining(
    emulator: Emulator, make_app: Callable[[], AnyApp], alice: User
) -> None:
    group = emulator.group(title="Revision club", supergroup=False, bot_status="left")
    async with polling(make_app()):
        emulator.add_bot_to_group(group, by=alice)
        greeting = await emulator.reply_to(group)
        chatter = emulator.send_text(alice, "anyone revising tonight?", group)
        command = emulator.command(alice, "start", chat=group)
        menu = await emulator.reply_to(group)
    assert greeting.text == "Hello, group!"
    assert emulator.calls("sendMessage")[-1].params["text"].startswith("<b>Ready</b>")
    assert command["message"]["text"] == "/start@RevisionTutorBot"
    assert menu.text == "Ready to revise?"
    # PTB quotes in groups: the reply points at the command message
    assert menu.data["reply_to_message"]["message_id"] == command["message"]["message_id"]
    assert chatter in emulator.withheld  # privacy mode: plain group text never reaches the bot
    assert not emulator.calls("sendMessage", text="echo: anyone revising tonight?")


async def test_handler_errors_fail_the_polling_block(emulator: Emulator, alice: User) -> None:
    async def crash(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await context.bot.send_message(alice.id, "about to fail")
        raise ValueError("handler bug")

    app = http_builder(emulator).build()
    app.add_handler(CommandHandler("crash", crash))
    with pytest.raises(AssertionError, match="handler bug"):
        async with polling(app):
            emulator.command(alice, "crash")
            await emulator.reply_to(alice)


# Telegram's refusals and the validator -----------------------------------------------------------


async def test_invalid_html_is_rejected_and_recorded(emulator: Emulator, bot: Bot) -> None:
    user = emulator.user()
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(user.id, "3 < 4 & so on", parse_mode="HTML")
    (violation,) = emulator.take_violations()
    assert violation.method == "sendMessage"
    assert 'Unexpected "<"' in violation.description


async def test_overlong_text_is_rejected(emulator: Emulator, bot: Bot) -> None:
    user = emulator.user()
    # 4096 visible characters are fine even though the HTML source is longer.
    await bot.send_message(user.id, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(user.id, "a" * 4097)
    (violation,) = emulator.take_violations()
    assert "4097 characters" in violation.description


async def test_too_long_callback_data_is_rejected(emulator: Emulator, bot: Bot) -> None:
    user = emulator.user()
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="x" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(user.id, "pick", reply_markup=markup)
    (violation,) = emulator.take_violations()
    assert "65 bytes" in violation.description


async def test_unknown_method_gets_404(emulator: Emulator, bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": 1})
    (call,) = emulator.calls("sendTelepathy")
    assert (call.status, call.error) == (404, "Not Found")
    assert emulator.take_violations()[0].description.startswith("Not Found")


async def test_retry_after_is_visible_to_ptb(emulator: Emulator, bot: Bot) -> None:
    user = emulator.user()
    emulator.fail_next("sendMessage", 429, retry_after=1)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(user.id, "hello")
    assert caught.value.retry_after == dtm.timedelta(seconds=1)
    assert emulator.count_429 == 1
    assert emulator.messages(user) == []


async def test_rate_limiter_retries_after_429(emulator: Emulator, alice: User) -> None:
    emulator.fail_next("sendMessage", 429, retry_after=0.2)  # fractions keep the test fast
    app = add_handlers(http_builder(emulator).rate_limiter(AIORateLimiter(max_retries=1)).build())
    async with polling(app):
        emulator.send_text(alice, "still there?")
        reply = await emulator.reply_to(alice)
    assert reply.text == "echo: still there?"
    assert [c.status for c in emulator.calls("sendMessage")] == [429, 200]


async def test_blocked_user_gives_403(emulator: Emulator, bot: Bot, alice: User) -> None:
    update = emulator.block(alice)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(alice.id, "come back")
    assert update["my_chat_member"]["new_chat_member"]["status"] == "kicked"
    assert emulator.is_blocked(alice)


async def test_server_errors_and_slow_answers(emulator: Emulator, alice: User) -> None:
    emulator.fail_next("sendMessage", 502)
    emulator.slow_next("sendMessage", 0.3)
    async with Bot(emulator.token, request=emulator.in_process_request(read_timeout=0.05)) as bot:
        with pytest.raises(NetworkError, match=r"(?i)Bad Gateway"):
            await bot.send_message(alice.id, "first")
        with pytest.raises(TimedOut):
            await bot.send_message(alice.id, "second")
    late = await emulator.reply_to(alice)  # the slow request still took effect
    assert late.text == "second"


async def test_flood_limits_answer_429(emulator: Emulator, bot: Bot, alice: User) -> None:
    group = emulator.group(members=[alice])
    emulator.flood_limits(global_per_second=None, per_group_per_minute=2)
    await bot.send_message(group.id, "one")
    await bot.send_message(group.id, "two")
    with pytest.raises(RetryAfter):
        await bot.send_message(group.id, "three")
    await bot.send_message(alice.id, "private chats are not limited per group")
    assert (emulator.count_429, emulator.flood_rejections) == (1, 1)


async def test_edit_rules(emulator: Emulator, bot: Bot, alice: User) -> None:
    sent = await bot.send_message(alice.id, "same")
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("same", chat_id=alice.id, message_id=sent.message_id)
    assert emulator.violations == []  # Telegram's normal answer, not the bot's fault
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("new", chat_id=alice.id, message_id=999)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(424242, "hello?")
    assert [v.description for v in emulator.take_violations()] == [
        "Bad Request: message to edit not found",
        "Bad Request: chat not found",
    ]


async def test_callback_queries_answered_twice_or_forged(
    emulator: Emulator, bot: Bot, alice: User
) -> None:
    forged = emulator.forge_callback(alice, alice, message_id=77, data="x" * 200)
    assert forged["callback_query"]["message"]["date"] == 0  # InaccessibleMessage
    query_id = forged["callback_query"]["id"]
    await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query("no-such-query")
    violations = emulator.take_violations()
    assert "already answered" in violations[0].description
    assert len(violations) == 2


async def test_string_parameters_stay_strings(emulator: Emulator, bot: Bot, alice: User) -> None:
    message = await bot.send_message(alice.id, "42")
    (call,) = emulator.calls("sendMessage")
    assert call.params == {"chat_id": alice.id, "text": "42"}
    assert message.text == "42"


async def test_members_migration_uploads_and_commands(
    emulator: Emulator, bot: Bot, alice: User
) -> None:
    teacher = emulator.user(first_name="Teacher")
    group = emulator.group(supergroup=False, owner=teacher, members=[alice])
    admins = await bot.get_chat_administrators(group.id)
    member = await bot.get_chat_member(group.id, alice.id)
    assert [(a.user.id, a.status) for a in admins] == [(teacher.id, "creator")]
    assert member.status == "member"

    await bot.send_document(alice.id, b"%PDF-1.4 notes", filename="notes.pdf")
    (upload,) = emulator.calls("sendDocument")[0].files.values()
    assert (upload.filename, upload.size) == ("notes.pdf", 14)

    await bot.set_my_commands([("start", "Begin revising")])
    assert [c.command for c in await bot.get_my_commands()] == ["start"]

    supergroup, updates = emulator.migrate_to_supergroup(group, by=teacher)
    assert updates[0]["message"]["migrate_to_chat_id"] == supergroup.id
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(group.id, "hello")
    assert caught.value.new_chat_id == supergroup.id


async def test_photo_upload_caption_edit_and_anonymous_poll(
    emulator: Emulator, bot: Bot, alice: User
) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (320).to_bytes(4) + (200).to_bytes(4)
    sent = await bot.send_photo(
        alice.id, png, caption="<i>Segments</i>", parse_mode="HTML", filename="chart.png"
    )
    assert (sent.photo[-1].width, sent.photo[-1].height) == (320, 200)
    (upload,) = emulator.calls("sendPhoto")[0].files.values()
    assert (upload.data, upload.filename) == (png, "chart.png")
    await bot.edit_message_caption(chat_id=alice.id, message_id=sent.message_id, caption="Done")
    assert emulator.last_message(alice).text == "Done"

    poll = await bot.send_poll(alice.id, "Best base?", ["Age", "Postcode"])  # anonymous
    assert poll.poll is not None
    update = emulator.answer_poll(alice, poll.poll.id, [1])
    assert "poll_answer" not in update  # anonymous polls never reveal voters
    assert update["poll"]["options"][1]["voter_count"] == 1


async def test_removed_bot_cannot_post(emulator: Emulator, bot: Bot, alice: User) -> None:
    group = emulator.group(members=[alice])
    (update,) = emulator.remove_bot_from_group(group, by=alice)
    assert update["my_chat_member"]["old_chat_member"]["status"] == "member"
    with pytest.raises(Forbidden, match=r"(?i)kicked from the supergroup chat"):
        await bot.send_message(group.id, "hello?")


async def test_unknown_parameter_is_a_violation_with_a_complete_spec() -> None:
    spec = ApiSpec(
        {
            "sendMessage": MethodSpec(
                "sendMessage",
                {
                    "chat_id": ParamSpec("chat_id", ("Integer", "String"), True),
                    "text": ParamSpec("text", ("String",), True),
                },
            )
        },
        complete=True,
    )
    emu = Emulator(spec=spec)
    user = emu.user()
    status, body = await emu.handle(
        emu.token,
        "sendMessage",
        {"chat_id": str(user.id), "text": "hi", "colour": "red"},
        {},
        transport="test",
    )
    assert (status, body["ok"]) == (400, False)
    assert 'unknown parameter "colour"' in emu.take_violations()[0].description
    status, _ = await emu.handle(emu.token, "getMe", {}, {}, transport="test")
    assert status == 404


async def test_builtin_spec_works_without_api_json() -> None:
    emu = Emulator(spec=ApiSpec.builtin())
    user = emu.user()
    async with Bot(emu.token, request=emu.in_process_request()) as bot:
        await bot.send_message(
            user.id,
            "42",
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="ok")]]),
        )
    (call,) = emu.calls("sendMessage")
    assert call.params["text"] == "42"
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "ok"
    assert emu.violations == []


async def test_close_releases_long_polls(emulator: Emulator) -> None:
    poll = asyncio.create_task(
        emulator.handle(emulator.token, "getUpdates", {"timeout": "30"}, {}, transport="test")
    )
    await emulator.wait_for(lambda: emulator.calls("getUpdates"), what="the long poll")
    await emulator.close()
    status, body = await asyncio.wait_for(poll, timeout=1)
    assert (status, body) == (200, {"ok": True, "result": []})


async def test_next_call_timeout_reports_recent_traffic(emulator: Emulator, bot: Bot) -> None:
    user = emulator.user()
    await bot.send_message(user.id, "only this")
    with pytest.raises(AssertionError, match=r"(?s)sendPoll.*Recent calls.*only this"):
        await emulator.next_call("sendPoll", timeout=0.05)


# The validators directly -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "<b>bold</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <ins>n</ins>",
        "<s>s</s> <strike>k</strike> <del>d</del> <tg-spoiler>x</tg-spoiler>",
        '<span class="tg-spoiler">hidden</span> <a href="https://t.me/?a=1&amp;b=2">l</a>',
        '<pre><code class="language-python">print("hi")</code></pre> <code>x</code>',
        "<blockquote expandable>quote</blockquote> <blockquote>q</blockquote>",
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> 5 &gt; 3 &lt; 4 &amp; &#39;',
        "<b>nested <i>and <u>deep</u></i></b>, a bare > is tolerated",
    ],
)
def test_valid_telegram_html(source: str) -> None:
    assert html_errors(source) == []


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("a < b", 'Unexpected "<"'),
        ("fish & chips", 'Unescaped "&"'),
        ("&nbsp;", "Unsupported HTML entity"),
        ("line<br>break", 'Unsupported start tag "br"'),
        ("<div>x</div>", 'Unsupported start tag "div"'),
        ("<b>open", "Can't find end tag"),
        ("<b><i>x</b></i>", "Unmatched end tag"),
        ("x</b>", "Unexpected end tag"),
        ("<span>x</span>", 'must have class "tg-spoiler"'),
        ("<b", "Unclosed start tag"),
    ],
)
def test_invalid_telegram_html(source: str, message: str) -> None:
    (error,) = html_errors(source)
    assert message in error


def test_html_entities_use_utf16_offsets() -> None:
    result = parse_html("😀 <b>hi</b> &lt;3")
    assert result.text == "😀 hi <3"
    assert result.entities == [{"type": "bold", "offset": 3, "length": 2}]


def test_content_rules() -> None:
    assert check_content("sendMessage", {"text": "   "}) == ["Bad Request: message text is empty"]
    assert check_content("sendMessage", {"text": "x" * 4096}) == []
    assert check_content("sendPhoto", {"caption": "c" * 1025})[0].startswith(
        "Bad Request: message caption is too long"
    )
    assert check_reply_markup({"inline_keyboard": [[{"text": "a", "callback_data": "é" * 33}]]})
    assert check_reply_markup({"inline_keyboard": [[{"text": "plain"}]]})
    poll = {"question": "Q", "options": [{"text": "only one"}]}
    assert "POLL_ANSWERS_INVALID" in check_content("sendPoll", poll)[0]
    quiz_poll = {
        "question": "Q" * 301,
        "options": [{"text": "a"}, {"text": "b" * 101}],
        "type": "quiz",
        "correct_option_ids": [2],
        "explanation": "e" * 201,
    }
    errors = " | ".join(check_content("sendPoll", quiz_poll))
    for expected in (
        "POLL_QUESTION_INVALID",
        "POLL_OPTION_INVALID",
        "wrong correct option",
        "explanation is too long",
    ):
        assert expected in errors
    assert check_content("setMyCommands", {"commands": [{"command": "Start", "description": ""}]})
    assert check_content("sendChatAction", {"action": "dancing"})


def test_parameters_are_decoded_by_declared_type() -> None:
    spec = ApiSpec.builtin().method("sendMessage")
    params, errors = decode_params(
        spec,
        {
            "chat_id": "42",
            "text": "42",
            "disable_notification": "true",
            "reply_markup": '{"inline_keyboard": []}',
            "message_thread_id": "7",
        },
    )
    assert errors == []
    assert params == {
        "chat_id": 42,
        "text": "42",
        "disable_notification": True,
        "reply_markup": {"inline_keyboard": []},
        "message_thread_id": 7,
    }
    assert decode_params(spec, {"chat_id": "@revision_club"})[0] == {"chat_id": "@revision_club"}
    assert decode_params(spec, {"message_thread_id": "seven"})[1]


def test_assert_no_violations_lists_them() -> None:
    emu = Emulator(spec=ApiSpec.builtin())
    emu.violate("sendMessage", "Bad Request: message is too long", {"chat_id": 1})
    with pytest.raises(AssertionError, match="message is too long"):
        emu.assert_no_violations()


def test_the_shared_bot_api_spec_is_used_whenever_it_is_beside_the_project(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(SPEC_ENV_VAR, raising=False)
    spec = ApiSpec.load()
    assert spec.complete == DEFAULT_SPEC_PATH.is_file()
