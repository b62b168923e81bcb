"""/progress: mastery per base and per learning outcome, what is due, the streak, recurring myths.

Mastery is the mean FSRS retrievability (the chance of recalling it today) over a group's
items, counting items never studied as 0. The chart is a PNG rendered off the event loop.
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
from dialogs.quiz.questions import BASE_LABELS, quizzable
from dialogs.quiz.scheduling import retrievability
from dialogs.reminders.streaks import Streak, compute_streak
from dialogs.reminders.zones import zone_name
from dialogs.replies import Button, Message, Photo, Reply, rows
from dialogs.text import bold, esc
from knowledge.base import KnowledgeBase
from knowledge.models import BASES, OUTCOMES
from storage.cards import get_cards, review_times
from storage.misconceptions import hit_counts
from storage.models import Card, User
from storage.users import get_user

BUTTONS = rows(Button("🔁 Review due", "m:review"), Button("📝 Quiz me", "m:quiz"))


@dataclass(frozen=True)
class Progress:
    """Everything /progress shows, computed from cards, reviews and misconception hits."""

    bases: list[tuple[str, float]]
    outcomes: list[tuple[str, float]]
    week: list[tuple[str, int]]
    due_today: int
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
) -> Progress:
    """The progress figures at ``now`` in the student's time zone."""
    recall = {c.item_id: retrievability(c, now, retention) for c in cards}
    known = set(quizzable(kb))
    bases = [
        (BASE_LABELS[b], _mean([recall.get(v.id, 0.0) for v in kb.variables_in(b)]))
        for b in BASES
        if kb.variables_in(b)
    ]
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
    return Progress(
        bases=bases,
        outcomes=outcomes,
        week=week,
        due_today=week[0][1],
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
        f"🗓 Due today: {bold(progress.due_today)} · next 7 days: {bold(progress.due_week)}"
    )
    if progress.bases:
        best = max(progress.bases, key=lambda b: b[1])
        worst = min(progress.bases, key=lambda b: b[1])
        if round(best[1] * 100) > 0:  # "strongest at 0%" would be no praise at all
            lines.append(f"💪 Strongest: {esc(best[0])} ({round(best[1] * 100)}%)")
        if worst != best:
            lines.append(f"🎯 Work on: {esc(worst[0])} ({round(worst[1] * 100)}%)")
    if progress.recurring:
        myths = "; ".join(f"{esc(t)} ({n}×)" for t, n in progress.recurring)
        lines.append(f"💡 Keeps coming back: {myths}")
    if exam is not None and exam >= today:
        lines.append(f"📅 Exam in {bold((exam - today).days)} days")
    return "\n".join(lines)


async def progress_command(ctx: Context, args: str) -> list[Reply]:
    """/progress: a chart plus a short summary, or a nudge when there is nothing yet."""

    def read(session: Session) -> tuple[User | None, list[Card], list[datetime], dict[str, int]]:
        return (
            get_user(session, user_id=ctx.person.id),
            get_cards(session, user_id=ctx.person.id),
            review_times(session, user_id=ctx.person.id),
            hit_counts(session, user_id=ctx.person.id),
        )

    user, cards, times, myths = await ctx.db.run(read)
    if not times:
        text = (
            "No progress to show yet. Answer a few quiz questions and I'll chart how you're doing."
        )
        return [Message(text, rows(Button("📝 Quiz me", "m:quiz")))]
    zone = ZoneInfo(zone_name(user, ctx.services))
    retention = user.desired_retention if user else 0.9
    progress = summarise(ctx.kb, cards, times, myths, ctx.now, zone, retention)
    png = await asyncio.to_thread(progress_png, progress.bases, progress.outcomes, progress.week)
    today = ctx.now.astimezone(zone).date()
    text = caption(progress, exam=user.exam_date if user else None, today=today)
    return [Photo(png, text, BUTTONS)]
