"""Study streaks: consecutive local days with a review, with one automatic freeze a week.

Pure functions over local calendar dates, no I/O. The streak counts the days studied in an
unbroken run ending today (or yesterday: today is not over yet, so not studying *yet* breaks
nothing). A missed day is forgiven automatically when no other day of its ISO week (Monday
to Sunday) has been forgiven: that "freeze" keeps the run going but adds no day to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Streak:
    """A student's current run: days studied, whether today counts yet, the days frozen."""

    days: int
    studied_today: bool
    frozen: tuple[date, ...] = ()

    @property
    def alive(self) -> bool:
        """True while there is a run to keep going."""
        return self.days > 0

    def describe(self) -> str:
        """One short plain-text line for reminders and /progress (no HTML needed)."""
        if not self.alive:
            return "No streak yet: one review today starts it."
        line = f"🔥 {self.days}-day streak"
        if self.frozen:
            line += f" (a freeze saved {self.frozen[0]:%A})"
        if not self.studied_today:
            line += ": review today to keep it"
        return line


def iso_week(day: date) -> tuple[int, int]:
    """(ISO year, ISO week number): the week a freeze belongs to."""
    year, week, _ = day.isocalendar()
    return year, week


def compute_streak(review_days: Iterable[date], today: date) -> Streak:
    """The streak ending ``today`` from the local dates of every review (any order, repeats ok).

    Walking back from today: a studied day extends the run; a missed day is frozen if its
    week has no freeze yet, otherwise the run ends. Freezes only count when a studied day
    lies before them, so a freeze never bridges into nothing.
    """
    studied = {d for d in review_days if d <= today}
    if not studied:
        return Streak(0, studied_today=False)
    earliest = min(studied)
    studied_today = today in studied
    day = today if studied_today else today - timedelta(days=1)
    days = 0
    frozen: list[date] = []
    pending: list[date] = []
    weeks_used: set[tuple[int, int]] = set()
    while day >= earliest:
        if day in studied:
            days += 1
            frozen.extend(pending)
            pending.clear()
        elif iso_week(day) in weeks_used:
            break
        else:
            weeks_used.add(iso_week(day))
            pending.append(day)
        day -= timedelta(days=1)
    return Streak(days, studied_today, tuple(frozen))
