"""/exam: set or clear the exam date so every review fits before it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from dialogs.context import Context
from dialogs.quiz.scheduling import last_review_day
from dialogs.replies import Message, Reply
from dialogs.text import bold, code, esc
from storage.exams import fit_before, set_exam_date
from storage.users import get_user

_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y")
_OFF = frozenset({"off", "none", "clear", "remove", "delete", "no", "cancel"})
MAX_AHEAD = timedelta(days=3 * 366)
USAGE = (
    f"Send {code('/exam 2027-01-15')} to set your exam date, or {code('/exam off')} to clear it."
)


def parse_date(text: str) -> date | None:
    """Read a date: ``2027-01-15``, ``15/01/2027``, ``15 January 2027``; None if unreadable."""
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip(), flags=re.IGNORECASE)
    for fmt in _FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


async def exam_command(ctx: Context, args: str) -> list[Reply]:
    """/exam <date> | off | (nothing: show the current date)."""
    today = ctx.now.astimezone(UTC).date()
    words = args.strip().lower()
    if not words:
        user = await ctx.db.run(lambda session: get_user(session, user_id=ctx.person.id))
        current = user.exam_date if user else None
        if current is None or current < today:
            return [Message(f"No exam date set. {USAGE}")]
        days = (current - today).days
        return [
            Message(f"📅 Your exam: {bold(f'{current:%A %d %B %Y}')} ({days} days away). {USAGE}")
        ]
    if words in _OFF:
        await ctx.db.run(
            lambda session: set_exam_date(session, user_id=ctx.person.id, exam_date=None)
        )
        return [Message("Exam date cleared. Reviews go back to their normal spacing.")]
    exam = parse_date(args)
    if exam is None:
        return [Message(f"I couldn't read {bold(args[:40])} as a date. {USAGE}")]
    if exam <= today:
        return [Message(f"{esc(f'{exam:%d %B %Y}')} isn't in the future. {USAGE}")]
    if exam - today > MAX_AHEAD:
        return [Message("That's more than three years away. Please check the year.")]

    def set_and_fit(session: Session) -> None:
        set_exam_date(session, user_id=ctx.person.id, exam_date=exam)
        fit_before(session, user_id=ctx.person.id, deadline=last_review_day(exam), now=ctx.now)

    await ctx.db.run(set_and_fit)
    days = (exam - today).days
    text = (
        f"📅 Exam date set: {bold(f'{exam:%A %d %B %Y}')} ({days} days away).\n"
        "I'll fit every review in before it, and in the last four weeks your weaker items "
        f"will come back more often. {code('/exam off')} clears it."
    )
    return [Message(text)]
