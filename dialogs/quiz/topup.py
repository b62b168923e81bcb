"""A quiz shorter than ten: why, said before the first question, and what can top it up,
offered as buttons when it ends (more from a related topic, or practice of items seen before).
"""

from __future__ import annotations

from collections import Counter

from sqlmodel import Session

from dialogs.context import Context
from dialogs.quiz.due import pool
from dialogs.quiz.plan import Plan, Supply, supply
from dialogs.quiz.topics import topics
from dialogs.replies import Button
from dialogs.text import bold, esc
from knowledge.base import KnowledgeBase
from knowledge.models import BASES
from storage.models import QuizSession


def related_topic(kb: KnowledgeBase, topic: str | None) -> str | None:
    """The wider topic to top a short quiz up from: every variable for a base, else the
    learning outcome most of the topic's items serve; None means everything."""
    if topic is None:
        return None
    if topic in BASES:
        return "variables"
    served: Counter[str] = Counter()
    for item_id in pool(kb, topic):
        item = kb.item(item_id)
        served.update(o.lower() for o in getattr(item, "outcomes", []))
    wider = [o for o, _ in served.most_common() if o != topic and o in topics(kb)]
    return wider[0] if wider else None


def shortfall_note(ctx: Context, found: Supply, size: int, topic: str | None) -> str:
    """Why a quiz has only ``size`` questions (said before the first one)."""
    where = f" in {bold(topics(ctx.kb)[topic].label)}" if topic else ""
    parts = []
    if found.due:
        parts.append(f"{found.due} due for review")
    if found.new:
        parts.append(f"{found.new} new")
    count = "question" if size == 1 else "questions"
    text = f"ℹ️ This quiz has {bold(f'{size} {count}')}{where}: {esc(' and '.join(parts))}."
    if found.unseen > found.new:
        text += (
            f" You've met today's {found.cap} new items (more tomorrow, or raise the limit "
            "in /settings)."
        )
    elif topic:
        text += " That's every item here you haven't met yet."
    return text + " When it ends, you can top it up."


def topup_buttons(
    session: Session, ctx: Context, quiz: QuizSession, plan: Plan, *, most: int
) -> list[Button]:
    """Buttons to carry on after a quiz that could not fill ``most`` questions (none after a
    full one or a practice round)."""
    if quiz.size >= most or quiz.mode == "practice":
        return []
    return topup_choices(session, ctx, quiz.id or 0, quiz.topic, plan, most=most)


def topup_choices(
    session: Session, ctx: Context, quiz_id: int, topic: str | None, plan: Plan, *, most: int
) -> list[Button]:
    """More from a related topic (when it has anything to ask), and practice of items seen
    before (in the topic, else anywhere; when there are any)."""
    buttons: list[Button] = []
    fresh = Plan(plan.user, plan.cards, set())
    if topic is not None:
        wider = related_topic(ctx.kb, topic)
        if supply(session, ctx, wider, fresh).size("quiz", most):
            label = topics(ctx.kb)[wider].label if wider else "every topic"
            data = f"q:t:{quiz_id}:quiz" + (f":{wider}" if wider else "")
            buttons.append(Button(f"➕ More from {_short(label)}", data))
    practice_topic = topic
    if not supply(session, ctx, practice_topic, fresh).practice:
        practice_topic = None
    if supply(session, ctx, practice_topic, fresh).practice:
        data = f"q:t:{quiz_id}:practice" + (f":{practice_topic}" if practice_topic else "")
        buttons.append(Button("🔁 Practise items you've seen", data))
    return buttons


def _short(label: str) -> str:
    return label if len(label) <= 28 else label.split(":")[0]
