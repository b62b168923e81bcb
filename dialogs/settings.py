"""/settings: a student's preferences on one screen, changed with buttons.

Callback data: ``st:new:<n>`` (new items per day), ``st:ret:<percent>`` (target recall) and
``st:rem:all`` / ``st:rem:due`` (what the daily reminder brings: new items too, or reviews only).
The leaderboard-name toggle is the group feature's own button, so it lives in one place.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from dialogs.classes.leaderboards import name_privacy_button
from dialogs.context import Context
from dialogs.feature import Feature
from dialogs.reminders.shared import zone_title
from dialogs.reminders.zones import zone_name
from dialogs.replies import Button, ButtonOutcome, Message, Reply
from dialogs.text import bold, esc
from storage.models import User
from storage.reminders import set_new_items
from storage.users import get_user, set_study_preferences

PREFIX = "st"
NEW_PER_DAY = (5, 10, 15, 25)
RECALL_PERCENT = (85, 90, 95)


def settings_view(ctx: Context, user: User, now: datetime) -> Message:
    """Every preference with how to change it; the common ones as buttons."""
    zone = zone_name(user, ctx.services)
    local = now.astimezone(ZoneInfo(zone))
    reminder = f"every day at {user.remind_at}" if user.remind_at else "off"
    brings = "due reviews and new items" if user.remind_new_items else "only when reviews are due"
    exam = f"{user.exam_date:%-d %b %Y}" if user.exam_date else "not set"
    lines = [
        bold("⚙️ Your settings"),
        "",
        f"🕒 Time zone: {esc(zone_title(zone))}, {local:%H:%M} now (/timezone)",
        f"⏰ Daily reminder: {esc(reminder)} (/remind), {esc(brings)}",
        f"🎓 Exam date: {esc(exam)} (/exam 2027-01-15)",
        f"🆕 New items a day: {user.daily_new_cap}",
        f"🎯 Target recall: {round(user.desired_retention * 100)}%: "
        "higher means more frequent reviews",
        f"👤 Name on class leaderboards: {'hidden' if user.hide_name else 'shown'}",
    ]
    buttons = (
        tuple(_choice(f"🆕 {n}", f"new:{n}", n == user.daily_new_cap) for n in NEW_PER_DAY),
        tuple(
            _choice(f"🎯 {p}%", f"ret:{p}", p == round(user.desired_retention * 100))
            for p in RECALL_PERCENT
        ),
        (
            _choice("🔔 Reviews + new", "rem:all", user.remind_new_items),
            _choice("🔁 Reviews only", "rem:due", not user.remind_new_items),
        ),
        (name_privacy_button(user.hide_name),),
    )
    return Message("\n".join(lines), buttons)


async def settings_command(ctx: Context, args: str) -> list[Reply]:
    """Show the settings screen."""
    user = await ctx.db.run(lambda session: get_user(session, user_id=ctx.person.id))
    assert user is not None  # the tutor records every person before routing
    return [settings_view(ctx, user, ctx.now)]


async def on_button(ctx: Context, rest: str) -> ButtonOutcome:
    """``new:<n>``, ``ret:<percent>`` or ``rem:all|due``, each checked against the offered
    values."""
    what, _, value = rest.partition(":")
    if what == "rem" and value in ("all", "due"):
        return await _reminder_brings(ctx, new_items=value == "all")
    new_cap = int(value) if what == "new" and value.isdigit() else None
    recall = int(value) if what == "ret" and value.isdigit() else None
    if new_cap not in NEW_PER_DAY and recall not in RECALL_PERCENT:
        return ButtonOutcome(toast="That button has expired. Send /settings for a fresh one.")
    user = await ctx.db.run(
        lambda session: set_study_preferences(
            session,
            user_id=ctx.person.id,
            daily_new_cap=new_cap,
            desired_retention=recall / 100 if recall else None,
        )
    )
    assert user is not None
    toast = f"New items a day: {new_cap}" if new_cap else f"Target recall: {recall}%"
    return ButtonOutcome(toast=f"✅ {toast}", edit=settings_view(ctx, user, ctx.now))


async def _reminder_brings(ctx: Context, *, new_items: bool) -> ButtonOutcome:
    def change(session: Session) -> User | None:
        set_new_items(session, user_id=ctx.person.id, new_items=new_items)
        return get_user(session, user_id=ctx.person.id)

    user = await ctx.db.run(change)
    assert user is not None
    toast = "with due reviews and new items" if new_items else "only when reviews are due"
    return ButtonOutcome(toast=f"✅ Reminders come {toast}", edit=settings_view(ctx, user, ctx.now))


def _choice(label: str, data: str, chosen: bool) -> Button:
    return Button(f"✅ {label}" if chosen else label, f"{PREFIX}:{data}")


FEATURE = Feature(
    name="settings", commands={"settings": settings_command}, buttons={PREFIX: on_button}
)
