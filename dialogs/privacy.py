"""A student's data is theirs: /privacy says what is kept, /export hands it over, /forget
deletes it.

Callback data: ``pv:forget:<minute>`` confirms a deletion asked for at that minute (UTC
epoch minutes; a confirmation older than :data:`CONFIRM_WITHIN` has expired, so an old
button scrolled back to cannot wipe anything), ``pv:keep`` calls it off.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from dialogs.classes import consent
from dialogs.context import Context, Services
from dialogs.feature import Feature
from dialogs.numbers import bounded_int
from dialogs.replies import Button, ButtonOutcome, Document, Message, Reply, rows
from dialogs.text import bold, code, italic
from storage.privacy import clear_old_answers, erase_user, export_user, table_descriptions

PREFIX = "pv"
CONFIRM_WITHIN = timedelta(minutes=15)
EXPORT_FORMAT = 1
PRIVATE_ONLY = "That one is private: send it to me in a private chat, not in a group."


def privacy_text(ctx: Context) -> str:
    """What is stored, why, for how long, who sees it, and the commands to act on it."""
    days = ctx.services.config.answer_retention_days
    return "\n".join(
        [
            f"🔒 {bold('Your data')}",
            "",
            bold("What I keep and why"),
            "• Your first name, username, language and time zone: to greet you and send "
            "reminders at your time.",
            "• Your settings, exam date and reminder time: so the tutor works the way you chose.",
            "• Your quiz and scenario history, review schedule and the misconceptions I "
            "spotted: to bring each idea back at the right time and show your progress.",
            "• Group quiz votes, challenge entries and the class groups you take part in: for "
            "class leaderboards and results.",
            "",
            bold("For how long"),
            f"• The words of your typed answers: {days} days, then only the mark is kept.",
            "• Everything else: until you delete it with /forget.",
            "",
            bold("Who can see it"),
            "• You. Nobody else reads your private chat with me.",
            "• Your tutors see your practice only for a class you joined (through your "
            "tutor's challenge link or the Join button); in a group, its admins see only what "
            "happened there (its polls and challenges).",
            "",
            bold("What you can do"),
            f"• {code('/export')}: everything I keep about you, as a file.",
            f"• {code('/forget')}: delete everything about you, for good.",
            f"• {code('/settings')}: hide your name from class leaderboards.",
        ]
    )


async def privacy_command(ctx: Context, args: str) -> list[Reply]:
    """``/privacy``: what is kept, the classes joined, and buttons to export, delete, leave."""
    if not ctx.private:
        return [Message(privacy_text(ctx))]
    classes, leave = await consent.classes_part(ctx)
    buttons = (
        *rows(Button("📦 Export my data", "m:export"), Button("🗑 Delete my data", "m:forget")),
        *rows(*leave, width=1),
    )
    return [Message(f"{privacy_text(ctx)}\n\n{classes}", buttons)]


async def export_command(ctx: Context, args: str) -> list[Reply]:
    """``/export``: a JSON file with every stored row about the person."""
    if not ctx.private:
        return [Message(PRIVATE_ONLY)]
    user_id = ctx.person.id

    def gather(session: Session) -> dict[str, Any]:
        return {
            "format": EXPORT_FORMAT,
            "exported_at": ctx.now.isoformat(),
            "user_id": user_id,
            "about": table_descriptions(),
            "tables": export_user(session, user_id=user_id),
        }

    document = await ctx.db.run(gather)
    rows_kept = sum(len(rows_) for rows_ in document["tables"].values())
    content = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode()
    name = f"revision_tutor_{user_id}_{ctx.now:%Y%m%d}.json"
    caption = (
        f"📦 {bold('Everything I keep about you')}: {rows_kept} records, as JSON. "
        'Each table says what it holds under "about". /forget deletes it all.'
    )
    return [Document(content, name, caption)]


def _minute(ctx: Context) -> int:
    return int(ctx.now.timestamp()) // 60


async def forget_command(ctx: Context, args: str) -> list[Reply]:
    """``/forget``: what would go, and a button to confirm (nothing is deleted yet)."""
    if not ctx.private:
        return [Message(PRIVATE_ONLY)]
    text = (
        f"🗑 {bold('Delete everything about you?')}\n\n"
        "Your profile, settings, reminders, review schedule, quiz and scenario answers, "
        "misconceptions, group quiz votes, challenge entries and class memberships all go, "
        "for good, and leaderboards and class results are worked out again without you.\n\n"
        f"{italic('Tip: /export first if you want a copy.')}"
    )
    buttons = rows(
        Button("🗑 Yes, delete everything", f"{PREFIX}:forget:{_minute(ctx)}"),
        Button("Keep my data", f"{PREFIX}:keep"),
        width=1,
    )
    return [Message(text, buttons)]


async def on_button(ctx: Context, rest: str) -> ButtonOutcome:
    """``forget:<minute>`` deletes (when recent enough); ``keep`` calls it off."""
    action, _, arg = rest.partition(":")
    if action == "keep":
        return ButtonOutcome(
            toast="Nothing was deleted.", edit=Message("👍 Kept: nothing was deleted.")
        )
    now_minute = _minute(ctx)
    asked = bounded_int(arg, now_minute - int(CONFIRM_WITHIN.total_seconds() // 60), now_minute)
    if action != "forget" or not ctx.private:
        return ButtonOutcome(toast="That button has expired. Send /start for a fresh menu.")
    if asked is None:
        return ButtonOutcome(toast="That confirmation has expired: send /forget again.")
    user_id = ctx.person.id
    await ctx.db.run(lambda session: erase_user(session, user_id=user_id))
    ctx.services.sightings.forget(user_id)
    done = (
        f"✅ {bold('Done: everything about you is deleted.')}\n\n"
        "If you write to me again I'll start afresh, as if we had never met. Good luck with "
        "your revision!"
    )
    return ButtonOutcome(toast="Deleted.", edit=Message(done))


async def clear_expired_answers(services: Services, now: datetime) -> int:
    """Blank the words of typed answers older than the retention period; how many."""
    before = now - timedelta(days=services.config.answer_retention_days)
    return await services.db.run(lambda session: clear_old_answers(session, before=before))


FEATURE = Feature(
    "privacy",
    commands={"privacy": privacy_command, "export": export_command, "forget": forget_command},
    buttons={PREFIX: on_button},
)
