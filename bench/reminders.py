"""Benchmark: a reminder batch of 10,000 students due at the same minute, through the real
Application and the loopback Bot API emulator enforcing Telegram's 30 messages a second,
while other students answer quiz questions.

Reported: the time to deliver every reminder against the limit's floor (students / 30 s),
Telegram's 429 answers, duplicates and missed reminders, and how fast a student's quiz
answer is handled during the batch: to the button's toast (answerCallbackQuery) and to the
next question arriving; the same before the batch, for comparison.

The emulator runs in the bot's process (as in the other benchmarks), so its bookkeeping
costs the bot some time too; its ever-growing message history is kept out of the garbage
collector's way (``gc.freeze()`` as the batch starts, and again every few seconds), because
collecting it would pause the bot in a way a real deployment never sees.
``BENCH_REMINDER_STUDENTS`` runs a smaller batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import re
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session

os.environ.setdefault("PTB_TIMEDELTA", "1")

from bot.app import build_application
from bot.jobs.reminders import DEFAULT_RATE, JOB_NAME, dispatcher_of, updates_in_progress
from bot.settings import load_settings
from dialogs.quiz.card_updates import push_items
from storage import Database
from storage import reminders as store
from storage.users import touch_user
from tests.emulator import DEFAULT_TOKEN, ChatMessage, Emulator, EmulatorServer, User, polling

STUDENTS = int(os.environ.get("BENCH_REMINDER_STUDENTS", "10000"))
LIMIT = 30  # Telegram's broadcast limit, messages per second
LIVE = 60  # students taking quizzes, one after another: a few before the batch, the rest in it
BASELINE = 30  # answers timed before the batch, for comparison
BASELINE_STUDENTS = 5
WARM_UP = 5  # answers before anything is timed
THINK = 1.0  # seconds a live student reads before answering
FREEZE_EVERY = 5.0  # seconds
FIRST_ID = 5_000_000
LIVE_ID = 9_000_000
_ANSWER = re.compile(r"^q:(?:\d+:\d+|s:\d+)$")
_REMINDER = "due for review"


async def _enrol(url: str, ids: range, due: datetime) -> None:
    """Students with a daily reminder due at ``due`` and two items due for review."""
    local = f"{due.astimezone(ZoneInfo('Europe/London')):%H:%M}"
    database = await Database.open(url)
    try:
        for start in range(ids.start, ids.stop, 500):
            chunk = range(start, min(start + 500, ids.stop))
            await database.run(partial(_enrol_chunk, user_ids=chunk, due=due, local=local))
    finally:
        await database.close()


def _enrol_chunk(session: Session, *, user_ids: range, due: datetime, local: str) -> None:
    """One transaction's worth of students for ``_enrol``."""
    for user_id in user_ids:
        touch_user(
            session,
            user_id=user_id,
            first_name="Student",
            username=None,
            language="en",
            now=due - timedelta(days=1),
        )
        store.set_reminder(session, user_id=user_id, remind_at=local, next_at=due)
        push_items(session, user_id=user_id, item_ids=["age", "income"], now=due)


async def run(students: int = STUDENTS) -> str:
    """Run the batch; return a markdown section with the figures."""
    due = datetime.now(UTC).replace(second=0, microsecond=0)
    emulator = Emulator()
    server = EmulatorServer(emulator)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        setup = time.perf_counter()
        await _enrol(url, range(FIRST_ID, FIRST_ID + students), due)
        setup_s = time.perf_counter() - setup
        targets = [emulator.user(id=FIRST_ID + i, first_name="Student") for i in range(students)]
        live = [emulator.user(id=LIVE_ID + i, first_name="Live") for i in range(LIVE)]
        await server.start()
        try:
            settings = load_settings(
                telegram_bot_token=DEFAULT_TOKEN,
                telegram_api_base_url=emulator.base_url,
                database_url=url,
                _env_file=None,
            )
            app = build_application(settings)
            assert app.job_queue is not None
            for job in app.job_queue.get_jobs_by_name(JOB_NAME):
                job.enabled = False  # run the dispatcher here, once, and time it
            dispatcher = dispatcher_of(app)
            dispatcher.clock = lambda: due
            emulator.flood_limits(global_per_second=LIMIT)
            async with polling(app):
                # Warm up (first queries compile, caches fill), then time a quiet baseline.
                await _live_students(emulator, live[:1], asyncio.Event(), answers=WARM_UP)
                quiet = await _live_students(
                    emulator, live[1:BASELINE_STUDENTS], asyncio.Event(), answers=BASELINE
                )
                stop = asyncio.Event()
                keeper = asyncio.create_task(_keep_history_frozen(stop))
                started = time.perf_counter()
                batch = asyncio.create_task(
                    dispatcher.run(app.bot, students_waiting=updates_in_progress(app))
                )
                batch.add_done_callback(lambda _: stop.set())
                busy = await _live_students(emulator, live[BASELINE_STUDENTS:], stop)
                report = await batch
                elapsed = time.perf_counter() - started
                await keeper
        finally:
            await server.stop()
            gc.unfreeze()
    counts = [
        sum(1 for m in emulator.messages(user) if _REMINDER in (m.text or "")) for user in targets
    ]
    duplicates = sum(n - 1 for n in counts if n > 1)
    missed = sum(1 for n in counts if n == 0)
    floor = students / LIMIT
    return "\n".join(
        [
            "## Reminder batch",
            "",
            f"{students:,} students due at the same minute, sent by the real dispatcher "
            f"(paced at {DEFAULT_RATE:g}/s, leaving room for live answers) through the emulator "
            f"enforcing {LIMIT} messages/s (sliding one-second window), while students take "
            f"quizzes (one answer about every {THINK:g} s). Setting up the students took "
            f"{setup_s:.0f} s and is not counted.",
            "",
            "| reminders | delivered in | floor (n/30 s) | vs floor | 429s | duplicates | missed |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            f"| {report.sent:,} | {elapsed:.1f} s | {floor:.1f} s | {elapsed / floor:.2f}× "
            f"| {emulator.count_429} | {duplicates} | {missed} |",
            "",
            "A student's quiz answer, from the tap to the toast and to the next question (ms):",
            "",
            "| when | answers | toast p50 | toast p99 | next question p50 | next question p99 |",
            "|---|---:|---:|---:|---:|---:|",
            _latency_row("before the batch", quiet["toast"], quiet["full"]),
            _latency_row("during the batch", busy["toast"], busy["full"]),
            "",
            f"Dispatcher: {report}.",
            "",
        ]
    )


async def _keep_history_frozen(stop: asyncio.Event) -> None:
    """Move what exists now (mostly the emulator's message history) out of the collector's
    sight, every few seconds while the batch runs."""
    while not stop.is_set():
        gc.freeze()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=FREEZE_EVERY)


def _p(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _latency_row(label: str, toast: list[float], full: list[float]) -> str:
    return (
        f"| {label} | {len(toast)} | {_p(toast, 0.5):.1f} | {_p(toast, 0.99):.1f} "
        f"| {_p(full, 0.5):.1f} | {_p(full, 0.99):.1f} |"
    )


# --- the simulated students -------------------------------------------------------------------


def _answer_data(message: ChatMessage) -> str | None:
    return next((d for d in message.callback_data if _ANSWER.match(d)), None)


async def _next_question(emulator: Emulator, student: User) -> ChatMessage | None:
    """The student's next question, or None once the quiz is over."""
    while True:
        message = await emulator.reply_to(student, timeout=60)
        if _answer_data(message):
            return message
        if "Quiz complete" in (message.text or ""):
            return None


async def _live_students(
    emulator: Emulator,
    students: list[User],
    stop: asyncio.Event,
    *,
    answers: int | None = None,
) -> dict[str, list[float]]:
    """Students take quizzes one after another until ``stop`` (or ``answers`` are given);
    their answer latencies in ms, to the toast and to the next question."""
    toast: list[float] = []
    full: list[float] = []

    def enough() -> bool:
        return stop.is_set() or (answers is not None and len(toast) >= answers)

    for student in students:
        if enough():
            break
        emulator.command(student, "quiz")
        question = await _next_question(emulator, student)
        while question is not None and not enough():
            await asyncio.sleep(THINK)  # reading the question, as a person would
            data = _answer_data(question)
            assert data is not None
            pressed = time.perf_counter()
            query = emulator.press(student, question, data=data)
            await emulator.answered(query, timeout=60)
            toast.append((time.perf_counter() - pressed) * 1000)
            question = await _next_question(emulator, student)
            full.append((time.perf_counter() - pressed) * 1000)
    return {"toast": toast, "full": full}


if __name__ == "__main__":
    print(asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else STUDENTS)))
