"""Correcting misconceptions kindly, wherever a student types one: detect, record, reply.

Detection is the language layer's job (:mod:`dialogs.language.misconceptions`); this module
records each hit, brings the misconception's card forward and writes the correction.
"""

from __future__ import annotations

from sqlmodel import Session

from dialogs.context import Context
from dialogs.language.misconceptions import Detection, detections
from dialogs.quiz import card_updates
from dialogs.replies import Message, Reply
from dialogs.text import bold, esc, italic
from knowledge.models import Misconception
from storage.misconceptions import record_hit

HEADER = "💡 Common misconception"


def correction(misconception: Misconception, words: str = "") -> Message:
    """The correction message; its first line is always ``HEADER``. ``words`` are the
    student's own words that stated the belief, so they can see what was read."""
    said = f"I read: “{esc(words)}”\n" if words else ""
    text = (
        f"{HEADER}\n"
        f"{bold(misconception.title)}\n\n"
        f"{said}"
        f"Lots of students think this: {italic(misconception.belief)}\n"
        f"{esc(misconception.correction)}\n\n"
        f"🎯 {bold('Exam angle:')} {esc(misconception.exam_angle)}"
    )
    return Message(text)


async def correct(ctx: Context, text: str, *, where: str) -> list[Reply]:
    """Detect misconceptions in ``text``, record each, bring its card forward, return corrections.

    ``where`` says where the text came from: "quiz", "scenario" or "chat". Returns an empty
    list when the text holds no misconception.
    """
    read: list[Detection] = detections(ctx.kb, text)
    if not read:
        return []
    found = [d.misconception for d in read]

    def record(session: Session) -> None:
        for misconception in found:
            record_hit(
                session,
                user_id=ctx.person.id,
                misconception_id=misconception.id,
                context=where,
                now=ctx.now,
            )
        card_updates.push_items(
            session, user_id=ctx.person.id, item_ids=[m.id for m in found], now=ctx.now
        )

    await ctx.db.run(record)
    return [correction(d.misconception, d.words) for d in read]


async def fallback_text(ctx: Context, text: str) -> list[Reply] | None:
    """For free text no feature wanted: the corrections if it holds a misconception, else None."""
    replies = await correct(ctx, text, where="chat")
    return replies or None
