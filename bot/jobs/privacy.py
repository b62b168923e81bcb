"""The retention job: typed answers lose their words once ANSWER_RETENTION_DAYS have passed,
and the inbox forgets the ids of updates handled days ago."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from telegram.ext import Application, ContextTypes

from bot.inbox import DurableQueue
from dialogs.context import Services
from dialogs.privacy import clear_expired_answers

log = logging.getLogger(__name__)

JOB_NAME = "answer-retention"
INTERVAL_S = 6 * 3600
FIRST_S = 60


def schedule_answer_retention(
    application: Application,  # type: ignore[type-arg]
    services: Services,
    inbox: DurableQueue,
) -> None:
    """Clear expired answers (and old inbox ids) a minute after start-up, then every six
    hours."""
    if application.job_queue is None:
        raise RuntimeError("install python-telegram-bot[job-queue] to age out answers")

    async def clear(context: ContextTypes.DEFAULT_TYPE) -> None:
        now = datetime.now(UTC)
        cleared = await clear_expired_answers(services, now)
        await inbox.prune(now)
        if cleared:
            log.info("cleared the words of %d typed answers past their retention", cleared)

    application.job_queue.run_repeating(clear, interval=INTERVAL_S, first=FIRST_S, name=JOB_NAME)
