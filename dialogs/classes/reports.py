"""The tutor's class report as text, CSV and a chart.

The numbers come from :mod:`dialogs.classes.stats`; what the class sees in the group is in
:mod:`dialogs.classes.results`.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from dialogs.classes.misses import Miss, missed_marking_points
from dialogs.classes.results import (
    TOP,
)
from dialogs.classes.stats import (
    BaseMastery,
    ClassFacts,
    base_mastery,
    best_challenge_scores,
    group_answers,
    points,
)
from dialogs.reminders.streaks import compute_streak
from dialogs.text import bold, esc, pct
from knowledge.base import KnowledgeBase

MAX_LISTED = 40


@dataclass(frozen=True)
class StudentLine:
    """One student's numbers in the tutor's report."""

    user_id: int
    name: str
    completed: int
    challenges: int
    challenge_score: float | None
    answered: int
    right: int
    points: int
    last_active: datetime | None
    streak: int
    top_misconception: str = ""


@dataclass(frozen=True)
class ClassReport:
    """Everything in a tutor's report about one group."""

    title: str
    timezone: str
    made_at: datetime
    students: list[StudentLine]
    challenges: int
    quizzes: int
    marking_points: list[Miss]
    misconceptions: list[tuple[str, int, int]]
    bases: list[BaseMastery]


def _tz(zone: str) -> ZoneInfo:
    return ZoneInfo(zone)


def build_report(kb: KnowledgeBase, facts: ClassFacts, now: datetime, zone: str) -> ClassReport:
    """The numbers of the tutor's report (pure: everything comes from ``facts``)."""
    tz = _tz(zone)
    today = now.astimezone(tz).date()
    totals = points(facts)
    best = best_challenge_scores(facts.runs)
    lines: list[StudentLine] = []
    for uid, user in facts.students.items():
        scores = [s for (u, _c), s in best.items() if u == uid]
        mine = [v for v in facts.votes if v.user_id == uid]
        reviews = facts.reviews.get(uid, [])
        user_tz = _tz(user.timezone) if user.timezone else tz
        days = [r.reviewed_at.astimezone(user_tz).date() for r in reviews]
        streak = compute_streak(days, now.astimezone(user_tz).date() if days else today)
        hits = facts.hits.get(uid, {})
        worst = max(hits.items(), key=lambda i: (i[1], i[0]))[0] if hits else ""
        private_seen = user.last_seen_at if uid in facts.sharing else None
        seen = [d for d in (private_seen, facts.member_seen.get(uid)) if d is not None]
        lines.append(
            StudentLine(
                user_id=uid,
                name=user.first_name or f"Student {uid}",
                completed=len(scores),
                challenges=len(facts.challenges),
                challenge_score=sum(scores) / len(scores) if scores else None,
                answered=len(mine),
                right=sum(v.correct for v in mine),
                points=totals.get(uid, 0),
                last_active=max(seen) if seen else None,
                streak=streak.days,
                top_misconception=_title(kb, worst) if worst else "",
            )
        )
    lines.sort(key=lambda s: (-s.points, s.name.casefold(), s.user_id))
    mc_total: Counter[str] = Counter()
    mc_people: Counter[str] = Counter()
    for hits in facts.hits.values():
        for mc, count in hits.items():
            mc_total[mc] += count
            mc_people[mc] += 1
    misconceptions = [
        (_title(kb, mc), count, mc_people[mc])
        for mc, count in sorted(mc_total.items(), key=lambda i: (-i[1], i[0]))
    ]
    all_reviews = [r for found in facts.reviews.values() for r in found]
    all_reviews += group_answers(facts)
    return ClassReport(
        title=facts.group.title or "your group",
        timezone=zone,
        made_at=now,
        students=lines,
        challenges=len(facts.challenges),
        quizzes=len({p.quiz_id for p in facts.polls}),
        marking_points=missed_marking_points(kb, facts.runs, facts.attempts),
        misconceptions=misconceptions,
        bases=base_mastery(kb, all_reviews),
    )


def _title(kb: KnowledgeBase, misconception_id: str) -> str:
    found = kb.misconceptions.get(misconception_id)
    return found.title if found is not None else misconception_id.replace("_", " ")


def _day(moment: datetime | None, zone: str) -> str:
    if moment is None:
        return "never"
    return moment.astimezone(_tz(zone)).strftime("%-d %b")


def _student_line(line: StudentLine, zone: str) -> str:
    score = f" (avg {pct(line.challenge_score)})" if line.challenge_score is not None else ""
    quiz = f"quiz {line.right}/{line.answered}" if line.answered else "no quiz answers"
    streak = f"🔥 {line.streak}" if line.streak else "no streak"
    return (
        f"• {bold(line.name)}: challenges {line.completed}/{line.challenges}{score} · {quiz} · "
        f"{streak} · last seen {_day(line.last_active, zone)}"
    )


def report_html(report: ClassReport) -> str:
    """The report as one phone-friendly message (the CSV has every row)."""
    stamp = report.made_at.astimezone(_tz(report.timezone)).strftime("%-d %b %Y %H:%M")
    head = (
        f"📊 {bold('Class report')}: {esc(report.title)}\n"
        f"{esc(stamp)} ({esc(report.timezone)}) · {len(report.students)} students · "
        f"{report.challenges} challenges · {report.quizzes} quizzes"
    )
    parts = [head]
    if report.students:
        shown = [_student_line(s, report.timezone) for s in report.students[:MAX_LISTED]]
        more = len(report.students) - MAX_LISTED
        if more > 0:
            shown.append(f"… and {more} more: tap CSV for everyone.")
        parts.append(f"👤 {bold('Students')}\n" + "\n".join(shown))
    else:
        parts.append(
            "👤 No students yet. They appear once they answer a class quiz or open a challenge."
        )
    if report.marking_points:
        rows = [
            f"• {esc(m.label)}: missed in {m.missed} of {m.tries} attempts ({pct(m.rate)})"
            for m in report.marking_points[:TOP]
        ]
        parts.append(f"🎯 {bold('Marking points missed most')}\n" + "\n".join(rows))
    if report.misconceptions:
        rows = [
            f"• {esc(title)}: {count}× ({people} student{'s' if people != 1 else ''})"
            for title, count, people in report.misconceptions[:TOP]
        ]
        parts.append(f"💡 {bold('Misconceptions seen most')}\n" + "\n".join(rows))
    practised = [b for b in report.bases if b.mastery is not None]
    rows = [
        f"• {esc(b.base.capitalize())}: {pct(b.mastery or 0.0)} right ({b.answers} answers)"
        for b in practised[:TOP]
    ]
    idle = [b.base.capitalize() for b in report.bases if b.mastery is None]
    if idle:
        rows.append(f"• Not practised yet: {esc(', '.join(idle))}")
    parts.append(f"📉 {bold('Bases with the lowest mastery')}\n" + "\n".join(rows))
    return "\n\n".join(parts)


CSV_HEADER = (
    "student",
    "user_id",
    "challenges_completed",
    "challenges_set",
    "avg_challenge_score_pct",
    "quiz_answers",
    "quiz_right",
    "quiz_accuracy_pct",
    "points",
    "last_active",
    "streak_days",
    "top_misconception",
)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A leading = + - @ would make a spreadsheet run the cell as a formula.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def report_csv(report: ClassReport) -> bytes:
    """One row per student, UTF-8 with a BOM so spreadsheets pick the encoding up."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    tz = _tz(report.timezone)
    for s in report.students:
        accuracy = round(100 * s.right / s.answered) if s.answered else ""
        score = round(100 * s.challenge_score) if s.challenge_score is not None else ""
        last = s.last_active.astimezone(tz).strftime("%Y-%m-%d %H:%M") if s.last_active else ""
        row = (
            s.name,
            s.user_id,
            s.completed,
            s.challenges,
            score,
            s.answered,
            s.right,
            accuracy,
            s.points,
            last,
            s.streak,
            s.top_misconception,
        )
        writer.writerow([_cell(v) if isinstance(v, str) else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def report_chart(report: ClassReport) -> bytes:
    """A PNG: mastery per base (top) and the marking points missed most (bottom)."""
    figure = Figure(figsize=(6.4, 5.6), dpi=130)
    FigureCanvasAgg(figure)
    top, bottom = figure.subplots(2, 1)
    bases = sorted(report.bases, key=lambda b: b.base)
    labels = [b.base.capitalize() for b in bases]
    values = [100 * (b.mastery or 0.0) for b in bases]
    colours = ["#d9d9d9" if b.mastery is None else "#4c78a8" for b in bases]
    top.barh(labels, values, color=colours)
    top.set_xlim(0, 100)
    top.invert_yaxis()
    top.set_title("Mastery by segmentation base (% of answers right; grey = no answers)")
    top.set_xlabel("%")
    marks = report.marking_points[:5]
    if marks:
        bottom.barh([m.label[:38] for m in marks], [100 * m.rate for m in marks], color="#e45756")
        bottom.set_xlim(0, 100)
        bottom.invert_yaxis()
        bottom.set_xlabel("% of attempted steps scoring below the pass mark")
    else:
        bottom.axis("off")
        bottom.text(0.5, 0.5, "No challenge answers yet", ha="center", va="center")
    bottom.set_title("Marking points missed most")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
