"""The one factory for the Telegram Application, used by ``tutor run`` and by the tests."""

from __future__ import annotations

import gc
import hashlib
import hmac
import logging
import sys
from dataclasses import replace
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.flood import PatientRateLimiter
from bot.handlers.groups import AdminCache, GroupHandlers, register_group_handlers
from bot.handlers.private import TelegramHandlers
from bot.inbox import DurableQueue, DurableUpdates
from bot.jobs.groups import GroupJobs
from bot.jobs.presence import Presence
from bot.jobs.privacy import schedule_answer_retention
from bot.jobs.reminders import schedule_reminders
from bot.jobs.sender import SenderLease
from bot.polls import PollIds
from bot.settings import Settings
from dialogs.commands import COMMANDS
from dialogs.context import Services, TutorConfig
from dialogs.language.check import load_readable
from dialogs.tutor import Tutor
from knowledge.report import summary
from storage import Database

log = logging.getLogger(__name__)

# The event loop and the database thread take turns holding the GIL. CPython lets a busy
# thread keep it for 5 ms before handing over, so every database transaction could wait that
# long for its turn (and the loop as long for the result); half a millisecond keeps both going.
GIL_SWITCH_INTERVAL_S = 0.0005


def _tune_runtime() -> None:
    """Once start-up is done: the GIL switch interval above, and what start-up built (knowledge
    base, framework, mappers: it lives as long as the process) moved out of the garbage
    collector's way, so a full collection stays a short pause rather than ~150 ms. The heap is
    frozen once per process: later calls (tests build many bots) leave it alone."""
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    if not gc.get_freeze_count():
        gc.collect()
        gc.freeze()


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> Application:  # type: ignore[type-arg]
    """Build the bot: knowledge loaded and checked, database attached, handlers registered.

    The database is migrated and the command menu set in ``post_init``; whoever drives
    ``initialize()/start()`` by hand (tests) must call ``application.post_init`` too.
    Raises ``knowledge.KnowledgeError`` on invalid content and ``ConfigError`` on a bad token.
    """
    kb = load_readable(settings.knowledge_dir)
    database = Database.from_url(settings.database_url, pool_size=settings.database_pool_size)
    config = TutorConfig(
        default_timezone=settings.default_timezone,
        tutor_ids=settings.tutor_ids,
        answer_retention_days=settings.answer_retention_days,
    )
    tutor = Tutor(Services(database, kb, config))
    inbox = DurableQueue(database)
    sender = SenderLease(database)
    presence = Presence(database, holder=sender.holder)
    limiter = PatientRateLimiter()

    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        await database.upgrade()
        await presence.beat()  # the send budget's share is known before the first send
        await inbox.replay(application.bot)
        # Deep links (challenges, tutor invites) need the bot's real @username.
        config = replace(tutor.services.config, bot_username=application.bot.username)
        tutor.services = replace(tutor.services, config=config)
        names = tutor.command_names
        await application.bot.set_my_commands(
            [
                BotCommand(c.name, c.summary)
                for c in COMMANDS
                if c.name in names and not c.tutor_only
            ]
        )
        _tune_runtime()
        log.info("ready: %s", summary(kb))

    async def post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
        await sender.release()
        await presence.leave()
        await database.close()

    builder = (
        ApplicationBuilder()
        .token(settings.bot_token())
        .base_url(settings.telegram_api_base_url)
        .rate_limiter(limiter)
        .update_queue(inbox)
        .concurrent_updates(DurableUpdates(inbox))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(get_updates_request or request)
    application = builder.build()
    admins, polls = AdminCache(), PollIds()
    register_handlers(application, TelegramHandlers(tutor, admins))
    register_group_handlers(application, GroupHandlers(tutor, admins, polls))
    sender.install(application)  # before the jobs that ask it whether to send
    GroupJobs(tutor, polls=polls).install(application)
    dispatcher = schedule_reminders(application, tutor.services, owner=sender.holder)
    sender.on_taken(dispatcher.take_over(application))
    sender.on_taken(presence.forget)
    presence.on_change(limiter.share)
    presence.on_change(dispatcher.share)
    presence.install(application)
    schedule_answer_retention(application, tutor.services, inbox)
    return application


WEBHOOK_PATH = "telegram"


def webhook_options(settings: Settings, *, listen: str | None = None) -> dict[str, Any]:
    """Arguments for the webhook server (``bot.webhook.serve_webhook``): ``LISTEN``, ``PORT``,
    ``WEBHOOK_URL`` and a secret token.

    Telegram sends the secret with every request and the server rejects requests without it.
    Every instance behind one URL must register the same secret (the last to start wins, and
    the others would refuse every update), so it is ``WEBHOOK_SECRET``, or else derived from
    the bot token: the same wherever the same bot runs, and unguessable without the token.
    """
    if settings.webhook_secret and settings.webhook_secret.get_secret_value():
        secret = settings.webhook_secret.get_secret_value()
    else:
        secret = derived_secret(settings.bot_token())
    return {
        "listen": listen or settings.listen,
        "port": settings.port,
        "url_path": WEBHOOK_PATH,
        "webhook_url": settings.webhook_url,
        "secret_token": secret,
        "allowed_updates": Update.ALL_TYPES,
    }


def derived_secret(token: str) -> str:
    """The webhook secret for a bot token: an HMAC of it (hex, as Telegram allows)."""
    return hmac.new(token.encode(), b"revision-tutor webhook secret", hashlib.sha256).hexdigest()


def register_handlers(application: Application, handlers: TelegramHandlers) -> None:  # type: ignore[type-arg]
    """Every handler, in order: the first that matches an update wins within a group."""
    private = filters.ChatType.PRIVATE
    messages = filters.UpdateType.MESSAGE
    # Commands first, in any chat: a command is never mistaken for an answer.
    application.add_handler(MessageHandler(messages & filters.COMMAND, handlers.command))
    # Free text only in private chats: in groups, people talk to each other, not to us.
    application.add_handler(MessageHandler(messages & private & filters.TEXT, handlers.text))
    # Anything else a person sends us privately gets a friendly "text only, please".
    application.add_handler(MessageHandler(messages & private & ~filters.TEXT, handlers.other))
    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_handler(
        ChatMemberHandler(handlers.private_membership, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_error_handler(handlers.error)
