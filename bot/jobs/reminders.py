"""The reminder dispatcher: every minute, claim due reminders and send them, paced.

Thin on purpose: what to send, to whom and what comes next is decided in
``dialogs/reminders.py``; this module only paces the sends under Telegram's flood limit,
turns Telegram's answers into outcomes and keeps the lease on a long batch alive. Sends are
spread evenly (a token bucket of one), so students answering quizzes during a big batch are
never queued behind it, and a RetryAfter pauses every send for as long as Telegram asks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import Application, ContextTypes

from bot import render
from bot.flood import TokenBucket
from bot.jobs.sender import sender_of
from dialogs.context import Services
from dialogs.reminders import dispatch
from storage.reminders import DueReminder

log = logging.getLogger(__name__)

JOB_NAME = "reminders"
DEFAULT_RATE = 20.0  # sends per second: under the limiter's 25/s, leaving room for live answers
INTERVAL = 60.0
MAX_ATTEMPTS = 3
YIELD_STEP = 0.005  # seconds between looks while students' updates are being handled
MAX_YIELD = 0.25  # never starve the batch: prepare anyway after this long
RETRY_IN = timedelta(minutes=1)  # Telegram unreachable: try that reminder again this soon


def utc_now() -> datetime:
    """The wall clock, in UTC."""
    return datetime.now(UTC)


@dataclass
class DispatchReport:
    """What one run did, for logs, tests and the benchmark."""

    claimed: int = 0
    sent: int = 0
    skipped: int = 0
    blocked: int = 0
    failed: int = 0
    retried: int = 0
    released: int = 0


def _seconds(error: RetryAfter) -> float:
    value: Any = error.retry_after
    return float(value.total_seconds() if isinstance(value, timedelta) else value)


class ReminderDispatcher:
    """Claims due reminders chunk by chunk and sends them at ``rate`` per second.

    Up to ``concurrency`` reminders are in flight (prepared one at a time, then waiting for
    their slot in the bucket, then sent), so slow answers from Telegram do not slow the pace.

    One run continues until nothing is due or ``keep_going()`` turns false (the application
    is stopping); unsent claims are then given back at once, so a restart resumes exactly
    where this run stopped. A run that overlaps the previous one returns immediately.
    """

    def __init__(
        self,
        services: Services,
        *,
        rate: float = DEFAULT_RATE,
        chunk: int = 100,
        lease: timedelta = timedelta(minutes=2),
        concurrency: int = 16,
        clock: Callable[[], datetime] = utc_now,
        owner: str = "",
    ) -> None:
        self.services = services
        self.owner = owner  # this instance's name, in each claim token
        self.rate = rate
        self.bucket = TokenBucket(rate)
        self.chunk = chunk
        self.lease = lease
        self.concurrency = concurrency
        self.clock = clock
        self._running = asyncio.Lock()
        # One reminder is prepared at a time: preparing is database work, and students
        # answering quizzes meanwhile need the database (and the event loop) too.
        self._preparing = asyncio.Lock()
        self._students_waiting: Callable[[], bool] = lambda: False

    def share(self, instances: int) -> None:
        """Send at 1/``instances`` of the rate: the other instances' replies share the budget."""
        self.bucket.interval = max(1, instances) / self.rate

    def take_over(self, application: Application) -> Callable[[str | None], Awaitable[None]]:  # type: ignore[type-arg]
        """What to do on becoming the sender: give back what a dead predecessor had claimed
        and start a run at once, rather than at the next minute (``SenderLease.on_taken``)."""

        async def taken(dead: str | None) -> None:
            if dead:
                released = await dispatch.give_back_all_of(self.services, dead)
                if released:
                    log.info("reminders: %d claimed by %s given back", released, dead)
            queue = application.job_queue
            # Only while the schedule runs: a paused schedule (tests, benchmarks) stays paused.
            if queue is not None and any(job.enabled for job in queue.get_jobs_by_name(JOB_NAME)):
                queue.run_once(self.job, when=0, name=JOB_NAME)

        return taken

    async def job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The JobQueue callback."""
        application = context.application
        sender = sender_of(application)
        if sender is not None and not await sender.ensure():
            return  # another instance is the sender (bot/jobs/sender.py)
        report = await self.run(
            context.bot,
            # Stop mid-batch if the lease is lost: the new sender reclaims what is left.
            keep_going=lambda: application.running and (sender is None or sender.held),
            students_waiting=updates_in_progress(application),
        )
        if report.claimed:
            log.info("reminders: %s", report)

    async def run(
        self,
        bot: Bot,
        *,
        keep_going: Callable[[], bool] = lambda: True,
        students_waiting: Callable[[], bool] = lambda: False,
    ) -> DispatchReport:
        """Send everything due now (and whatever falls due while this runs).

        ``students_waiting`` tells whether students' updates are being handled right now:
        the next reminder is prepared only once they are answered (or after ``MAX_YIELD``),
        so a quiz answer never queues behind the batch for the database.
        """
        report = DispatchReport()
        if self._running.locked():
            return report
        self._students_waiting = students_waiting
        async with self._running:
            while keep_going():
                claimed = await dispatch.claim_due(
                    self.services,
                    self.clock(),
                    limit=self.chunk,
                    lease=self.lease,
                    owner=self.owner,
                )
                if not claimed.items:
                    break
                report.claimed += len(claimed.items)
                await self._send_chunk(bot, claimed, report, keep_going)
        return report

    async def _send_chunk(
        self,
        bot: Bot,
        claimed: dispatch.Claimed,
        report: DispatchReport,
        keep_going: Callable[[], bool],
    ) -> None:
        slots = asyncio.Semaphore(self.concurrency)
        done = asyncio.Event()
        renewer = asyncio.create_task(self._keep_lease(claimed.token, done))
        try:
            async with asyncio.TaskGroup() as group:
                for item in claimed.items:
                    await slots.acquire()
                    if not keep_going():
                        slots.release()
                        break
                    group.create_task(self._deliver(bot, claimed.token, item, report, slots))
        finally:
            done.set()
            await renewer
            # Whatever was not settled (stopping, cancelled) goes back for the next run.
            report.released += await dispatch.give_back(self.services, claimed.token)

    async def _keep_lease(self, token: str, done: asyncio.Event) -> None:
        period = self.lease.total_seconds() / 3
        while not done.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), timeout=period)
                return
            await dispatch.extend(self.services, token, self.clock() + self.lease)

    async def _deliver(
        self,
        bot: Bot,
        token: str,
        item: DueReminder,
        report: DispatchReport,
        slots: asyncio.Semaphore,
    ) -> None:
        try:
            async with self._preparing:
                await self._after_students()
                outgoing = await dispatch.prepare(self.services, token, item, self.clock())
            if outgoing is None:
                report.skipped += 1
                return
            await self._send(bot, token, outgoing, report)
        except Exception:
            log.exception("reminder for %s failed; it will be retried", item.user_id)
            report.failed += 1
            await dispatch.retry_later(self.services, token, item.user_id, self.clock() + RETRY_IN)
        finally:
            slots.release()

    async def _after_students(self) -> None:
        waited = 0.0
        while self._students_waiting() and waited < MAX_YIELD:
            await asyncio.sleep(YIELD_STEP)  # no event to await: PTB only exposes a count
            waited += YIELD_STEP

    async def _send(
        self, bot: Bot, token: str, outgoing: dispatch.Outgoing, report: DispatchReport
    ) -> None:
        for _ in range(MAX_ATTEMPTS):
            await self.bucket.acquire()
            try:
                for reply in outgoing.replies:
                    await render.send(bot, outgoing.chat_id, reply)
            except RetryAfter as error:
                report.retried += 1
                self.bucket.hold(_seconds(error))
                continue
            except Forbidden:
                report.blocked += 1
                await dispatch.blocked(self.services, token, outgoing)
                return
            except BadRequest as error:
                log.warning("reminder to %s refused: %s", outgoing.user_id, error.message)
                report.failed += 1
                await dispatch.undeliverable(self.services, token, outgoing)
                return
            except TelegramError as error:  # network trouble: try again in a minute
                log.warning("reminder to %s not sent: %s", outgoing.user_id, error)
                report.failed += 1
                await dispatch.retry_later(
                    self.services, token, outgoing.user_id, self.clock() + RETRY_IN
                )
                return
            await dispatch.delivered(self.services, token, outgoing, self.clock())
            report.sent += 1
            return
        report.failed += 1
        await dispatch.retry_later(self.services, token, outgoing.user_id, self.clock() + RETRY_IN)


def schedule_reminders(
    application: Application,  # type: ignore[type-arg]
    services: Services,
    **options: Any,
) -> ReminderDispatcher:
    """Run the dispatcher every minute, on the minute, on the application's JobQueue."""
    if application.job_queue is None:
        raise RuntimeError("install python-telegram-bot[job-queue] to send reminders")
    dispatcher = ReminderDispatcher(services, **options)
    first = INTERVAL - datetime.now(UTC).second
    application.job_queue.run_repeating(
        dispatcher.job,
        interval=INTERVAL,
        first=first,
        name=JOB_NAME,
        # A long batch outlives a tick; the dispatcher itself skips overlapping runs.
        job_kwargs={"max_instances": 2, "coalesce": True, "misfire_grace_time": 30},
    )
    return dispatcher


def updates_in_progress(application: Application) -> Callable[[], bool]:  # type: ignore[type-arg]
    """True while the application is handling any update (a student is waiting for us)."""
    processor = application.update_processor
    return lambda: processor.current_concurrent_updates > 0


def dispatcher_of(application: Application) -> ReminderDispatcher:  # type: ignore[type-arg]
    """The dispatcher ``schedule_reminders`` put on this application's JobQueue."""
    if application.job_queue is not None:
        for job in application.job_queue.get_jobs_by_name(JOB_NAME):
            owner = getattr(job.callback, "__self__", None)
            if isinstance(owner, ReminderDispatcher):
                return owner
    raise LookupError("no reminder dispatcher is scheduled on this application")
