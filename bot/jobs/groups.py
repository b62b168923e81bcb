"""Posting to groups from the JobQueue: paced quiz polls, deadline results, scheduled posts.

A repeating job asks :func:`dialogs.classes.posts.due_posts` what is due (everything lives in the
database, so a restart loses nothing: the first tick after start-up picks up whatever fell
due meanwhile) and posts it, keeping each group under Telegram's limit of 20 messages a
minute with a :class:`Pacer`. A poll is confirmed with :func:`dialogs.classes.polls.poll_sent` once
Telegram has it, so its answers can be mapped back; a poll the pacer holds back simply stays
due for the next tick. Other posts (results, scheduled posts) are decided once, so they go to
the outbox in the database (``storage/outbox.py``) at once and leave it only when sent: a
restart, or another instance taking over as the sender, loses none of them.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections import defaultdict, deque
from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Bot
from telegram import Message as TgMessage
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, ContextTypes

from bot import render
from bot.jobs.sender import sender_of
from bot.polls import PollIds
from dialogs.classes import lifecycle
from dialogs.classes import polls as group_polls
from dialogs.classes import posts as group_posts
from dialogs.classes.posts import GroupPost
from dialogs.replies import Button, Message, Poll
from dialogs.tutor import Tutor
from storage import outbox
from storage.models import GroupOutbox

log = logging.getLogger(__name__)

GROUP_LIMIT = 20
"""Messages a bot may post to one group per minute."""
WINDOW = timedelta(minutes=1)
TICK_SECONDS = 5.0
JOB_NAME = "group-posts"
CLAIM = timedelta(minutes=1)  # a sender that dies mid-tick: its posts go out a minute later
BOT_DATA_KEY = "group_jobs"


class Pacer:
    """At most ``limit`` posts per ``window`` in each chat (a sliding window)."""

    def __init__(self, limit: int = GROUP_LIMIT, window: timedelta = WINDOW) -> None:
        self.limit = limit
        self.window = window
        self._sent: dict[int, deque[datetime]] = defaultdict(deque)

    def allow(self, chat_id: int, now: datetime) -> bool:
        """True when one more post to ``chat_id`` at ``now`` stays within the limit."""
        sent = self._sent[chat_id]
        while sent and sent[0] <= now - self.window:
            sent.popleft()
        return len(sent) < self.limit

    def record(self, chat_id: int, now: datetime) -> None:
        """Count a post made at ``now``."""
        self._sent[chat_id].append(now)

    def rename(self, old: int, new: int) -> None:
        """A group's chat id changed: its count carries over."""
        if old in self._sent:
            self._sent[new].extend(self._sent.pop(old))


class GroupJobs:
    """The repeating job that posts what is due in every group."""

    def __init__(
        self, tutor: Tutor, pacer: Pacer | None = None, polls: PollIds | None = None
    ) -> None:
        self.tutor = tutor
        self.pacer = pacer or Pacer()
        self.polls = polls or PollIds()
        self._lock = asyncio.Lock()

    def install(self, application: Application, interval: float = TICK_SECONDS) -> None:  # type: ignore[type-arg]
        """Run every ``interval`` seconds on the application's JobQueue."""
        application.bot_data[BOT_DATA_KEY] = self
        if application.job_queue is None:
            log.warning("no JobQueue (install python-telegram-bot[job-queue]): no group posts")
            return
        application.job_queue.run_repeating(self._tick, interval=interval, first=1.0, name=JOB_NAME)

    async def _tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        sender = sender_of(context.application)
        if sender is not None and not await sender.ensure():
            return  # another instance is the sender (bot/jobs/sender.py)
        await self.run_due(context.bot, datetime.now(UTC))

    async def waiting(self) -> int:
        """Posts held back (by the pacer, or Telegram), waiting in the outbox for a tick."""
        return await self.tutor.services.db.run(outbox.waiting)

    async def run_due(self, bot: Bot, now: datetime) -> int:
        """Post what is due at ``now`` within each group's limit; returns how many were sent.

        Runs one at a time: a slow tick never overlaps the next one.
        """
        db = self.tutor.services.db
        async with self._lock:
            posts = await group_posts.due_posts(self.tutor.services, now)
            kept = [_row(post) for post in posts if isinstance(post.reply, Message)]
            if kept:
                await db.run(lambda session: outbox.keep(session, posts=kept, now=now))
            token = secrets.token_hex(8)
            claimed = await db.run(
                lambda session: outbox.claim(session, now=now, token=token, until=now + CLAIM)
            )
            sent = 0
            held_back: set[int] = set()  # chats to leave for the next tick, in order
            try:
                for row in claimed:
                    post = _post(row)
                    if post.chat_id in held_back or not self.pacer.allow(post.chat_id, now):
                        held_back.add(post.chat_id)
                        continue
                    if await self._send(bot, post, now) == "retry":
                        held_back.add(post.chat_id)
                        continue
                    await self._forget(row, token)
                    sent += 1
            finally:
                await db.run(lambda session: outbox.release(session, token=token))
            for post in posts:
                if not isinstance(post.reply, Poll):
                    continue
                outcome = "retry"
                if self.pacer.allow(post.chat_id, now):
                    outcome = await self._send(bot, post, now)
                if outcome == "retry":  # claimed but not posted: due again at the next tick
                    await group_polls.poll_held_back(self.tutor.services, key=post.key)
                sent += int(outcome == "sent")
            return sent

    async def _forget(self, row: GroupOutbox, token: str) -> None:
        """The stored post is out (or never can be): off the outbox."""
        post_id = row.id or 0
        await self.tutor.services.db.run(
            lambda session: outbox.done(session, post_id=post_id, token=token)
        )

    async def _send(self, bot: Bot, post: GroupPost, now: datetime) -> str:
        """Post once: "sent", "dropped" (never to be retried) or "retry" (next tick)."""
        if post.key:
            async with self.polls.posting():
                return await self._send_once(bot, post, now)
        return await self._send_once(bot, post, now)

    async def _send_once(self, bot: Bot, post: GroupPost, now: datetime) -> str:
        services = self.tutor.services
        try:
            message = await self._post(bot, post)
        except ChatMigrated as moved:
            new_id = moved.new_chat_id
            await lifecycle.group_migrated(services, old_chat_id=post.chat_id, new_chat_id=new_id)
            self.pacer.rename(post.chat_id, new_id)
            if new_id == post.chat_id:
                return "dropped"
            return await self._send_once(bot, replace(post, chat_id=new_id), now)
        except Forbidden as error:
            log.info(
                "bot can no longer post in %s (%s): stopping its group posts", post.chat_id, error
            )
            await lifecycle.bot_removed(services, chat_id=post.chat_id, now=now)
            return "dropped"
        except RetryAfter:
            return "retry"
        except BadRequest as error:
            log.warning("group post to %s refused: %s", post.chat_id, error)
            if post.key:
                await group_polls.poll_failed(services, key=post.key)
            return "dropped"
        except NetworkError as error:
            log.info("group post to %s failed, will retry: %s", post.chat_id, error)
            return "retry"
        self.pacer.record(message.chat.id, now)
        if post.key and message.poll is not None:
            await group_polls.poll_sent(
                services,
                key=post.key,
                poll_id=message.poll.id,
                message_id=message.message_id,
                now=now,
            )
            await self.polls.stored(message.poll.id)
        return "sent"

    async def _post(self, bot: Bot, post: GroupPost) -> TgMessage:
        try:
            return await render.send(bot, post.chat_id, post.reply, thread_id=post.thread_id)
        except BadRequest as error:
            # The forum topic was closed or deleted: post in the general topic instead.
            if post.thread_id is None or "thread" not in error.message.lower():
                raise
            return await render.send(bot, post.chat_id, post.reply)


def _row(post: GroupPost) -> tuple[int, int | None, str, list[list[dict[str, Any]]]]:
    """A message post as the outbox stores it."""
    assert isinstance(post.reply, Message)
    buttons = [[asdict(button) for button in row] for row in post.reply.buttons]
    return post.chat_id, post.thread_id, post.reply.html, buttons


def _post(row: GroupOutbox) -> GroupPost:
    """A stored post, ready to send."""
    buttons = tuple(tuple(Button(**button) for button in line) for line in row.buttons)
    return GroupPost(row.chat_id, row.thread_id, Message(row.html, buttons))
