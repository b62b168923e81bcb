"""Telegram updates about groups: the bot added or removed, supergroup migrations, titles,
poll answers, and the group-admin check tutor commands need.

The dialogs never see Telegram: each update becomes a call with plain data on
:mod:`dialogs.classes.posts` or :mod:`dialogs.classes.polls`. "Is this person an admin of this
group" is answered here with getChatMember (cached for a few minutes) and passed in the Turn.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from telegram import Bot, Chat, Update
from telegram import Message as TgMessage
from telegram import User as TgUser
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    PollAnswerHandler,
    filters,
)

from bot import render
from bot.polls import PollIds
from dialogs.classes import groups, lifecycle
from dialogs.classes import polls as group_polls
from dialogs.commands import BY_NAME
from dialogs.context import Person
from dialogs.tutor import Turn, Tutor

log = logging.getLogger(__name__)

ADMIN_TTL = 60.0
"""Seconds an answer from getChatMember is trusted (promotions and demotions show up after).
Each instance keeps its own cache, so this is also how long two instances may disagree."""

MAX_CACHED = 10_000
"""Answers kept before expired ones are swept out."""

_ADMIN_STATUSES = frozenset({ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER})
_PRESENT = frozenset(
    {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
)
_GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)


def _person(user: TgUser) -> Person:
    return Person(user.id, user.first_name, user.username, user.language_code)


def is_tutor_command(name: str) -> bool:
    """Commands whose rights depend on being a group admin (the tutor-only ones)."""
    command = BY_NAME.get(name.lower())
    return command is not None and command.tutor_only


def thread_of(message: TgMessage) -> int | None:
    """The forum topic a message was sent in, so replies and later posts go there too."""
    return message.message_thread_id if message.is_topic_message else None


class AdminCache:
    """Who administers which group, from getChatMember, remembered for ``ttl`` seconds."""

    def __init__(self, ttl: float = ADMIN_TTL, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._known: dict[tuple[int, int], tuple[bool, float]] = {}

    async def is_admin(self, bot: Bot, chat_id: int, user_id: int) -> bool:
        """True for the group's owner and administrators; False when Telegram cannot say."""
        key = (chat_id, user_id)
        now = self._clock()
        cached = self._known.get(key)
        if cached is not None and cached[1] > now:
            return cached[0]
        try:
            member = await bot.get_chat_member(chat_id, user_id)
        except TelegramError as error:
            log.info("could not check admin %s in %s: %s", user_id, chat_id, error)
            return False
        answer = member.status in _ADMIN_STATUSES
        if len(self._known) >= MAX_CACHED:
            self._known = {k: v for k, v in self._known.items() if v[1] > now}
        self._known[key] = (answer, now + self.ttl)
        return answer

    def forget(self, chat_id: int) -> None:
        """Drop what we know about a chat (the bot left it, or its id changed)."""
        self._known = {k: v for k, v in self._known.items() if k[0] != chat_id}

    async def command_turn(self, turn: Turn, message: TgMessage, bot: Bot, name: str) -> Turn:
        """The Turn of a command in a group: its topic, and admin rights for tutor commands.

        An anonymous admin posts as the group itself (``sender_chat`` is the group), which
        only admins can do, so that counts as admin without asking Telegram.
        """
        admin = False
        if is_tutor_command(name):
            sender = message.sender_chat
            if sender is not None and sender.id == message.chat.id:
                admin = True
            elif message.from_user is not None:
                admin = await self.is_admin(bot, message.chat.id, message.from_user.id)
        return replace(turn, is_group_admin=admin, thread_id=thread_of(message))

    async def button_turn(
        self, turn: Turn, message: TgMessage, user: TgUser, bot: Bot, data: str
    ) -> Turn:
        """The Turn of a button pressed in a group: whoever pressed it, admin or not (asked
        only for the buttons that need it)."""
        admin = False
        if groups.button_needs_rights(data):
            admin = await self.is_admin(bot, message.chat.id, user.id)
        return replace(turn, is_group_admin=admin, thread_id=thread_of(message))


class GroupHandlers:
    """Handlers for group life-cycle updates and poll answers, bound to one tutor."""

    def __init__(self, tutor: Tutor, admins: AdminCache, polls: PollIds | None = None) -> None:
        self.tutor = tutor
        self.admins = admins
        self.polls = polls or PollIds()
        self._titles: dict[int, str] = {}

    async def my_chat_member(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The bot was added to or removed from a group."""
        change = update.my_chat_member
        if change is None or change.chat.type not in _GROUPS:
            return
        chat = change.chat
        was_in = _is_present(change.old_chat_member)
        now_in = _is_present(change.new_chat_member)
        self.admins.forget(chat.id)
        when = change.date.astimezone(UTC)
        if now_in and not was_in:
            replies = await lifecycle.bot_added(
                self.tutor.services,
                chat_id=chat.id,
                title=chat.title or "",
                by=_person(change.from_user),
                now=when,
            )
            for reply in replies:
                await render.send(context.bot, chat.id, reply)
        elif was_in and not now_in:
            await lifecycle.bot_removed(self.tutor.services, chat_id=chat.id, now=when)

    async def migrated(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A group became a supergroup; Telegram tells the old chat and the new one."""
        message = update.effective_message
        if message is None:
            return
        if message.migrate_to_chat_id is not None:
            old, new = message.chat.id, message.migrate_to_chat_id
        elif message.migrate_from_chat_id is not None:
            old, new = message.migrate_from_chat_id, message.chat.id
        else:
            return
        self.admins.forget(old)
        await lifecycle.group_migrated(self.tutor.services, old_chat_id=old, new_chat_id=new)

    async def title(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Keep the group's title current (a rename, or the first command we see there)."""
        message = update.effective_message
        if message is None or message.chat.type not in _GROUPS or not message.chat.title:
            return
        chat: Chat = message.chat
        title = message.new_chat_title or chat.title or ""
        if self._titles.get(chat.id) == title:
            return
        known = await lifecycle.note_title(self.tutor.services, chat_id=chat.id, title=title)
        if known:  # a group recorded later (by its first tutor command) gets its title then
            self._titles[chat.id] = title

    async def poll_answer(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A student answered a group poll (answers carry no chat: the poll id maps it)."""
        answer = update.poll_answer
        if answer is None or answer.user is None:  # voter_chat: an anonymous admin voted
            return
        now = datetime.now(UTC)
        counted = await group_polls.poll_answered(
            self.tutor.services,
            person=_person(answer.user),
            poll_id=answer.poll_id,
            option_ids=list(answer.option_ids),
            now=now,
        )
        # An answer can overtake its poll's id: wait for the poll being posted, then count.
        if not counted and answer.option_ids and await self.polls.wait(answer.poll_id):
            await group_polls.poll_answered(
                self.tutor.services,
                person=_person(answer.user),
                poll_id=answer.poll_id,
                option_ids=list(answer.option_ids),
                now=now,
            )


def _is_present(member: Any) -> bool:
    status = member.status
    if status == ChatMemberStatus.RESTRICTED:
        return bool(getattr(member, "is_member", False))
    return status in _PRESENT


def register_group_handlers(application: Application, handlers: GroupHandlers) -> None:  # type: ignore[type-arg]
    """Register the group handlers in their own handler group (-1): they run before the
    main handlers, match updates those ignore (or only note a title), and never block them."""
    in_groups = filters.ChatType.GROUPS
    titled = in_groups & (filters.COMMAND | filters.StatusUpdate.NEW_CHAT_TITLE)
    for handler in (
        MessageHandler(filters.StatusUpdate.MIGRATE, handlers.migrated),
        MessageHandler(titled, handlers.title),
        ChatMemberHandler(handlers.my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER),
        PollAnswerHandler(handlers.poll_answer),
    ):
        application.add_handler(handler, group=-1)
