"""What a class asks the tutor and the marks its students contested, for the tutor's /report.

Questions are kept without who asked (see :mod:`dialogs.ask.feature`); contested marks name
the student, so the tutor can check the answer and fix the content if the marking was wrong.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session

from dialogs.context import Context
from dialogs.text import bold, esc
from storage.asking import appeals_of, asked_counts, class_questions
from storage.models import Appeal, AskedQuestion

TOP = 5


@dataclass(frozen=True)
class Asked:
    """A class's questions and its students' contested marks."""

    questions: list[AskedQuestion]
    appeals: list[Appeal]


async def gather(ctx: Context, group_id: int, students: Mapping[int, str]) -> Asked:
    """The class's questions and the contested marks of its students."""

    def load(session: Session) -> Asked:
        return Asked(
            class_questions(session, group_id=group_id),
            appeals_of(session, user_ids=list(students)),
        )

    return await ctx.db.run(load)


def _name(ctx: Context, item_id: str | None) -> str:
    item = ctx.kb.item(item_id) if item_id else None
    if item is None:
        return item_id.capitalize() if item_id else ""
    return str(
        getattr(item, "name", None)
        or getattr(item, "title", None)
        or getattr(item, "word", item_id)
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def report_html(ctx: Context, asked: Asked, students: Mapping[int, str]) -> str:
    """The two report sections as HTML ("" when there is nothing to show)."""
    parts: list[str] = []
    if asked.questions:
        counts = asked_counts(asked.questions)
        known = [(item, n) for item, n in counts.most_common() if item is not None][:TOP]
        lines = [f"• {esc(_name(ctx, item))}: {n}×" for item, n in known]
        unsure = [q.text for q in asked.questions if q.item_id is None][:3]
        if unsure:
            lines.append("• I wasn't sure about: " + "; ".join(f"“{esc(t[:80])}”" for t in unsure))
        parts.append(
            f"❓ {bold('What the class asks me')} ({_count(len(asked.questions), 'question')})\n"
            + "\n".join(lines)
        )
    if asked.appeals:
        lines = [
            f"• {bold(students.get(a.user_id, str(a.user_id)))} on {esc(_name(ctx, a.item_id))}: "
            f"answered “{esc(a.answer[:80])}”, marked wrong"
            for a in asked.appeals[:TOP]
        ]
        parts.append(
            f"⚖️ {bold('Marks contested')} ({len(asked.appeals)}): check the marking, "
            "and fix the content if the student was right\n" + "\n".join(lines)
        )
    return "\n\n".join(parts)


def appeals_csv(ctx: Context, asked: Asked, students: Mapping[int, str]) -> bytes:
    """One row per contested mark: who, when, the question, their answer and the verdict."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(("student", "user_id", "at_utc", "item", "question", "answer", "verdict"))
    for a in asked.appeals:
        row = (
            students.get(a.user_id, ""),
            a.user_id,
            a.at.strftime("%Y-%m-%d %H:%M"),
            a.item_id,
            a.prompt,
            a.answer,
            a.verdict,
        )
        writer.writerow([f"'{v}" if isinstance(v, str) and v[:1] in "=+-@" else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
