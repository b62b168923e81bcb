"""Thin Telegram handlers: map an update to plain data, ask the tutor, render the replies."""

from __future__ import annotations

import logging
from collections import OrderedDict
from datetime import UTC, datetime

from telegram import Chat, Update
from telegram import Message as TgMessage
from telegram import User as TgUser
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Conflict, Forbidden
from telegram.ext import ContextTypes

from bot import render
from bot.handlers.groups import AdminCache
from dialogs.context import Person
from dialogs.replies import Reply
from dialogs.tutor import Turn, Tutor
from storage.db import unavailable as database_unavailable

log = logging.getLogger(__name__)

ANSWERED_KEPT = 10_000
APOLOGY = (
    "Sorry, something went wrong on my side. Nothing you did is lost: "
    "please try again in a moment, or send /start."
)
DATABASE_AWAY = (
    "⏳ I can't reach my notes for a moment, so I couldn't take that in, and nothing was "
    "half-saved. Please try again in a moment."
)

NON_TEXT_KINDS = (
    ("sticker", "sticker"),
    ("photo", "photo"),
    ("voice", "voice message"),
    ("video_note", "video message"),
    ("video", "video"),
    ("animation", "GIF"),
    ("audio", "audio file"),
    ("document", "file"),
    ("location", "location"),
    ("contact", "contact"),
    ("poll", "poll"),
    ("dice", "dice"),
)


def person_of(user: TgUser) -> Person:
    """The plain Person a dialog sees."""
    return Person(user.id, user.first_name, user.username, user.language_code)


def turn_of(user: TgUser, chat: Chat, when: datetime | None = None) -> Turn:
    """The plain Turn a dialog sees; Telegram's timestamp if there is one, else now."""
    now = when.astimezone(UTC) if when else datetime.now(UTC)
    return Turn(person_of(user), chat.id, now, chat.type)


def split_command(text: str, bot_username: str) -> tuple[str, str] | None:
    """``/quiz@Bot kpis`` -> ("quiz", "kpis"); None when addressed to another bot."""
    head, _, args = text.partition(" ")
    name, _, target = head[1:].partition("@")
    if target and target.lower() != bot_username.lower():
        return None
    return name, args.strip()


class TelegramHandlers:
    """The handlers, bound to one tutor; no globals, no state of their own."""

    def __init__(self, tutor: Tutor, admins: AdminCache | None = None) -> None:
        self.tutor = tutor
        self.admins = admins or AdminCache()
        # Callback queries already answered, so the error handler never answers one twice.
        self._answered: OrderedDict[str, None] = OrderedDict()

    def _mark_answered(self, query_id: str) -> None:
        self._answered[query_id] = None
        while len(self._answered) > ANSWERED_KEPT:
            self._answered.popitem(last=False)

    async def command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any /command, known or not: the tutor decides."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or not message.text:
            return
        parsed = split_command(message.text, context.bot.username)
        if parsed is None:
            return
        if message.chat.type != ChatType.PRIVATE and parsed[0] not in self.tutor.command_names:
            return  # in a group, stay quiet about commands meant for someone else
        turn = turn_of(user, message.chat, message.date)
        if message.chat.type != ChatType.PRIVATE:  # topic, and admin rights for tutor commands
            turn = await self.admins.command_turn(turn, message, context.bot, parsed[0])
        await self._reply(message, await self.tutor.on_command(turn, *parsed))

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Free text in a private chat."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or message.text is None:
            return
        turn = turn_of(user, message.chat, message.date)
        await self._reply(message, await self.tutor.on_text(turn, message.text))

    async def other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A sticker, photo, voice note... in a private chat."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        kind = next((label for attr, label in NON_TEXT_KINDS if getattr(message, attr)), "message")
        turn = turn_of(user, message.chat, message.date)
        await self._reply(message, await self.tutor.on_other(turn, kind))

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An inline button press: always answered, even when stale or forged."""
        query = update.callback_query
        if query is None:
            return
        message = query.message if isinstance(query.message, TgMessage) else None
        if message is None or not query.data:
            await query.answer("That button has expired. Send /start for a fresh menu.")
            return
        turn = turn_of(query.from_user, message.chat)
        if message.chat.type != ChatType.PRIVATE:  # group buttons may need admin rights
            turn = await self.admins.button_turn(
                turn, message, query.from_user, context.bot, query.data
            )
        outcome = await self.tutor.on_button(turn, query.data)
        await query.answer(outcome.toast, show_alert=outcome.alert)
        self._mark_answered(query.id)
        if outcome.edit is not None and not render.unchanged(message, outcome.edit):
            try:
                await render.edit(context.bot, message.chat.id, message.message_id, outcome.edit)
            except BadRequest:  # e.g. the message was a photo or is too old: send it afresh
                await self._reply(message, [outcome.edit])
        await self._reply(message, outcome.replies)

    async def private_membership(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A person blocked (or unblocked) the bot in their private chat."""
        change = update.my_chat_member
        if change is None or change.chat.type != ChatType.PRIVATE:
            return
        blocked = change.new_chat_member.status == ChatMemberStatus.BANNED
        await self.tutor.user_blocked(change.from_user.id, blocked=blocked)

    async def _reply(self, message: TgMessage, replies: list[Reply]) -> None:
        thread = message.message_thread_id if message.is_topic_message else None
        for reply in replies:
            await render.send(message.get_bot(), message.chat.id, reply, thread_id=thread)

    async def error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log first, then react: mark blocked users, apologise to everyone else."""
        error = context.error
        user = update.effective_user if isinstance(update, Update) else None
        if isinstance(error, Forbidden):
            log.info("user %s blocked the bot: %s", user.id if user else "?", error)
            if user is not None:
                await self.tutor.user_blocked(user.id)
            return
        if isinstance(error, Conflict):  # from polling, not from an update
            log.error(
                "Telegram says another process is polling with this bot token (%s). Only one "
                "may: stop the other one, or run every instance in webhook mode (WEBHOOK_URL).",
                error.message,
            )
            return
        if database_unavailable(error):
            log.warning("database unreachable while handling an update: %s", error)
            apology = DATABASE_AWAY
        else:
            log.error("error while handling an update", exc_info=error)
            apology = APOLOGY
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        try:
            query = update.callback_query
            if query is not None and query.id not in self._answered:
                await query.answer("Sorry, that didn't work. Please try again.")
        except Exception:
            log.debug("could not answer the callback query after an error")
        try:
            await context.bot.send_message(update.effective_chat.id, apology)
        except Exception:
            log.warning("could not apologise to chat %s", update.effective_chat.id)
