"""Pausing, resuming and snoozing the daily reminder without changing its time."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from dialogs.context import Context
from dialogs.reminders import schedule
from dialogs.reminders import zones as timezones
from dialogs.reminders.shared import (
    button_data,
    local_when,
    recorded_user,
    settings_view,
    tzinfo,
)
from dialogs.reminders.zones import zone_name
from dialogs.replies import Button, ButtonOutcome, Message, rows
from dialogs.text import esc
from storage import reminders as store
from storage.models import User
from storage.users import get_user

SNOOZE = timedelta(hours=1)


async def reschedule(
    ctx: Context, user: User, next_at: datetime, *, paused_until: datetime | None = None
) -> User:
    """Move the student's next reminder; the stored student afterwards (for the view)."""

    def move(session: Session) -> User | None:
        store.reschedule(session, user_id=user.id, next_at=next_at, paused_until=paused_until)
        return get_user(session, user_id=user.id)

    return await ctx.db.run(move) or user


async def pause(ctx: Context) -> ButtonOutcome:
    user = await recorded_user(ctx)
    zone = zone_name(user, ctx.services)
    at = schedule.parse_hhmm(user.remind_at or "")
    if at is None:
        return ButtonOutcome(
            toast="You have no reminder to pause.", edit=settings_view(user, zone, ctx.now)
        )
    skipped, next_at = schedule.skip_one(at, tzinfo(zone), ctx.now)
    user = await reschedule(ctx, user, next_at, paused_until=skipped)
    return ButtonOutcome(
        toast=f"Paused: next reminder {local_when(next_at, zone, ctx.now)}.",
        edit=settings_view(user, zone, ctx.now),
    )


async def resume(ctx: Context) -> ButtonOutcome:
    user = await recorded_user(ctx)
    zone = zone_name(user, ctx.services)
    at = schedule.parse_hhmm(user.remind_at or "")
    if at is None:
        return ButtonOutcome(
            toast="You have no reminder to resume.", edit=settings_view(user, zone, ctx.now)
        )
    next_at = schedule.next_reminder(at, tzinfo(zone), ctx.now)
    user = await reschedule(ctx, user, next_at)
    return ButtonOutcome(
        toast=f"Resumed: next reminder {local_when(next_at, zone, ctx.now)}.",
        edit=settings_view(user, zone, ctx.now),
    )


async def snooze(ctx: Context, arg: str) -> ButtonOutcome:
    user = await recorded_user(ctx)
    zone = zone_name(user, ctx.services)
    if user.remind_at is None:
        return ButtonOutcome(toast="Reminders are off, so there's nothing to snooze.")
    if arg != f"{timezones.local_now(zone, ctx.now):%Y%m%d}":
        return ButtonOutcome(toast="That reminder is from an earlier day, so I left it alone.")
    next_at = ctx.now + SNOOZE
    await ctx.db.run(
        lambda session: store.reschedule(session, user_id=ctx.person.id, next_at=next_at)
    )
    when = local_when(next_at, zone, ctx.now)
    return ButtonOutcome(
        toast=f"Snoozed until {when}.",
        edit=Message(
            f"⏰ Snoozed: I'll remind you again {esc(when)}.",
            rows(Button("▶️ Start review now", button_data("go"))),
        ),
    )
