"""/progress: mastery per base and per learning outcome, what is due, the streak, recurring myths.

Mastery is the mean FSRS retrievability (the chance of recalling it today) over a group's
items, counting items never studied as 0. A base with no answers is "not started", never
weak; a base is called strongest or one to work on only after ``MIN_ANSWERS`` answers in it.
"Due now" is what /review asks (``dialogs.quiz.due``). The chart is a PNG rendered off the
event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from dialogs.context import Context
from dialogs.quiz.charts import progress_png
from dialogs.quiz.due import due_cards, pool
from dialogs.quiz.questions import BASE_LABELS, quizzable
from dialogs.quiz.scheduling import retrievability
from dialogs.reminders.streaks import Streak, compute_streak
from dialogs.reminders.zones import zone_name
from dialogs.replies import Button, Message, Photo, Reply, rows
from dialogs.text import bold, esc
from knowledge.base import KnowledgeBase
from knowledge.models import BASES, OUTCOMES
from storage.cards import answer_counts, get_cards, review_times
from storage.misconceptions import hit_counts
from storage.models import Card, User
from storage.users import get_user

BUTTONS = rows(Button("🔁 Review due", "m:review"), Button("📝 Quiz me", "m:quiz"))
MIN_ANSWERS = 5
"""Answers in a base before it is called strongest or one to work on."""
PRAISE_FROM = 0.5
"""Mastery a base needs before it is called strongest."""


@dataclass(frozen=True)
class Progress:
    """Everything /progress shows, computed from cards, reviews and misconception hits."""

    bases: list[tuple[str, float]]
    base_answers: dict[str, int]
    outcomes: list[tuple[str, float]]
    week: list[tuple[str, int]]
    due_now: int
    due_later_today: int
    due_week: int
    streak: Streak
    studied: int
    recurring: list[tuple[str, int]]


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def summarise(
    kb: KnowledgeBase,
    cards: Sequence[Card],
    reviewed_at: Sequence[datetime],
    myths: Mapping[str, int],
    now: datetime,
    zone: ZoneInfo,
    retention: float = 0.9,
    answers: Mapping[str, int] | None = None,
) -> Progress:
    """The progress figures at ``now`` in the student's time zone; ``answers`` counts the
    answers given per item (from the review log)."""
    answers = answers or {}
    recall = {c.item_id: retrievability(c, now, retention) for c in cards}
    known = set(quizzable(kb))
    in_base = {b: kb.variables_in(b) for b in BASES if kb.variables_in(b)}
    bases = [
        (BASE_LABELS[b], _mean([recall.get(v.id, 0.0) for v in items]))
        for b, items in in_base.items()
    ]
    base_answers = {
        BASE_LABELS[b]: sum(answers.get(v.id, 0) for v in items) for b, items in in_base.items()
    }
    outcomes: list[tuple[str, float]] = []
    for outcome in OUTCOMES:
        items = [i.id for i in kb.serving(outcome) if i.id in known]
        outcomes.append((outcome, _mean([recall.get(i, 0.0) for i in items])))
    today = now.astimezone(zone).date()
    starts = [datetime.combine(today + timedelta(days=d), time(0), tzinfo=zone) for d in range(8)]
    week: list[tuple[str, int]] = []
    for day in range(7):
        end = starts[day + 1]
        begin = starts[day] if day else None
        count = sum(1 for c in cards if c.due < end and (begin is None or c.due >= begin))
        week.append(("Today" if day == 0 else starts[day].strftime("%a"), count))
    recurring = [
        (kb.misconceptions[m].title, n)
        for m, n in myths.items()
        if n >= 2 and m in kb.misconceptions
    ]
    due_now = len(due_cards(cards, now, pool(kb)))
    return Progress(
        bases=bases,
        base_answers=base_answers,
        outcomes=outcomes,
        week=week,
        due_now=due_now,
        due_later_today=week[0][1] - due_now,
        due_week=sum(n for _, n in week),
        streak=compute_streak({t.astimezone(zone).date() for t in reviewed_at}, today),
        studied=len([c for c in cards if c.last_review is not None]),
        recurring=recurring[:3],
    )


def caption(progress: Progress, *, exam: date | None, today: date) -> str:
    """The short text beside the chart (well under Telegram's 1024-character caption limit)."""
    lines = [f"📈 {bold('Your progress')}"]
    lines.append(esc(progress.streak.describe()))
    lines.append(
        f"🗓 Due now: {bold(progress.due_now)} · later today: {bold(progress.due_later_today)}"
        f" · next 7 days: {bold(progress.due_week)}"
    )
    lines.extend(_bases_lines(progress))
    if progress.recurring:
        myths = "; ".join(f"{esc(t)} ({n}×)" for t, n in progress.recurring)
        lines.append(f"💡 Keeps coming back: {myths}")
    if exam is not None and exam >= today:
        lines.append(f"📅 Exam in {bold((exam - today).days)} days")
    return "\n".join(lines)


def _bases_lines(progress: Progress) -> list[str]:
    """Praise and blame only where there are enough answers; unseen bases are not started."""
    counted = [b for b in progress.bases if progress.base_answers[b[0]] >= MIN_ANSWERS]
    lines = []
    best = max(counted, key=lambda b: b[1], default=None)
    if best is not None and best[1] >= PRAISE_FROM and len(counted) >= 2:
        lines.append(f"💪 Strongest: {esc(best[0])} ({round(best[1] * 100)}%)")
    worst = min(counted, key=lambda b: b[1], default=None)
    if worst is not None and worst != best and worst[1] < PRAISE_FROM:
        lines.append(f"🎯 Work on: {esc(worst[0])} ({round(worst[1] * 100)}%)")
    if not counted:
        lines.append(
            f"📊 Strongest and weakest bases show once you've answered {MIN_ANSWERS} "
            "questions in a base."
        )
    unseen = [label for label, n in progress.base_answers.items() if n == 0]
    if unseen:
        lines.append(f"🌱 Not started: {esc(', '.join(unseen))}")
    return lines


async def progress_command(ctx: Context, args: str) -> list[Reply]:
    """/progress: a chart plus a short summary, or a nudge when there is nothing yet."""

    def read(
        session: Session,
    ) -> tuple[User | None, list[Card], list[datetime], dict[str, int], dict[str, int]]:
        return (
            get_user(session, user_id=ctx.person.id),
            get_cards(session, user_id=ctx.person.id),
            review_times(session, user_id=ctx.person.id),
            hit_counts(session, user_id=ctx.person.id),
            answer_counts(session, user_id=ctx.person.id),
        )

    user, cards, times, myths, answers = await ctx.db.run(read)
    if not times:
        text = (
            "No progress to show yet. Answer a few quiz questions and I'll chart how you're doing."
        )
        return [Message(text, rows(Button("📝 Quiz me", "m:quiz")))]
    zone = ZoneInfo(zone_name(user, ctx.services))
    retention = user.desired_retention if user else 0.9
    progress = summarise(ctx.kb, cards, times, myths, ctx.now, zone, retention, answers)
    started = [(b, v if progress.base_answers[b] else None) for b, v in progress.bases]
    png = await asyncio.to_thread(progress_png, started, progress.outcomes, progress.week)
    today = ctx.now.astimezone(zone).date()
    text = caption(progress, exam=user.exam_date if user else None, today=today)
    return [Photo(png, text, BUTTONS)]
