"""/timezone: set a student's time zone by city or zone name, or from the time on their clock."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlmodel import Session

from dialogs.context import Context
from dialogs.reminders import clocks
from dialogs.reminders import zones as timezones
from dialogs.reminders.shared import button_data, local_when, next_for, recorded_user, zone_title
from dialogs.reminders.zones import zone_name
from dialogs.replies import Button, Message, Reply, rows
from dialogs.text import bold, esc
from storage import reminders as store

_EXAMPLES = "<code>london</code>, <code>new york</code>, <code>Europe/Berlin</code>"


async def timezone_command(ctx: Context, args: str) -> list[Reply]:
    """``/timezone``: show the zone and ask; ``/timezone london`` or ``/timezone 18:05``: set."""
    if not args.strip():
        return [await _ask_zone(ctx)]
    return await _answer_zone(ctx, args)


async def _ask_zone(ctx: Context) -> Message:
    user = await recorded_user(ctx)
    zone = zone_name(user, ctx.services)
    await ctx.db.run(
        lambda session: store.set_timezone_asked(session, user_id=ctx.person.id, at=ctx.now)
    )
    local_now = timezones.local_now(zone, ctx.now)
    source = "" if user.timezone else " (the default)"
    text = (
        f"🌍 Your time zone: {bold(zone_title(zone))}{esc(source)}, where it's "
        f"{bold(f'{local_now:%H:%M}')} now.\n\n"
        f"To change it, reply with your city or zone ({_EXAMPLES}), or just tell me: "
        f"{bold('what time is it where you are?')} (e.g. <code>18:05</code> or "
        "<code>6pm</code>)."
    )
    return Message(
        text, rows(Button(f"✅ Keep {timezones.zone_label(zone)}", button_data("tzkeep")))
    )


async def _answer_zone(ctx: Context, text: str) -> list[Reply]:
    """A place or a clock time: applied only when sure, otherwise asked about with buttons."""
    default = ctx.services.config.default_timezone
    clock = clocks.parse_clock(text)
    if clock is not None:
        zones = clocks.zones_at_local_time(clock, ctx.now, default)
        if not zones:
            return [await _not_understood(ctx, text, clock_like=True)]
        shown = f"{clock.time:%H:%M}" if clock.has_minutes else text
        question = f"It's {bold(shown)} in these places right now. Which one is yours?"
        return [await _ask_which(ctx, question, {z: timezones.zone_label(z) for z in zones})]
    # The gazetteer is loaded on the first lookup: off the event loop.
    found = await asyncio.to_thread(timezones.lookup, text)
    if found.sure:
        return [await _set_zone(ctx, found.zones[0], others=found.zones[1:], labels=found.labels)]
    if not found.zones:
        return [await _not_understood(ctx, text, clock_like=False)]
    if found.exact:
        question = f"Which one is yours for {bold(text)}?"
    else:
        question = f"I couldn't find a place called {bold(text)} exactly. Did you mean:"
    return [await _ask_which(ctx, question, found.labels)]


async def _ask_which(ctx: Context, question: str, labels: Mapping[str, str]) -> Message:
    """A guess offered as a question: one button per zone, and none of these."""
    await ctx.db.run(
        lambda session: store.set_timezone_asked(session, user_id=ctx.person.id, at=ctx.now)
    )
    buttons = [Button(_choice_label(z, ctx.now, labels), button_data("tz", z)) for z in labels]
    buttons.append(Button("✖️ None of these", button_data("tzkeep")))
    hint = "\nOr type another city, or the time on your clock."
    return Message(question + hint, rows(*buttons, width=1))


def _choice_label(zone: str, now: datetime, labels: Mapping[str, str] | None = None) -> str:
    place = (labels or {}).get(zone) or timezones.zone_label(zone)
    return f"{place} · {timezones.local_now(zone, now):%H:%M}"


async def _not_understood(ctx: Context, text: str, *, clock_like: bool) -> Message:
    await ctx.db.run(
        lambda session: store.set_timezone_asked(session, user_id=ctx.person.id, at=ctx.now)
    )
    if clock_like:
        problem = f"No place has {bold(text)} on its clocks right now."
    else:
        problem = f"I couldn't find a place called {bold(text)}."
    return Message(
        f"{problem} Try a city or zone ({_EXAMPLES}), or the time on your clock "
        "(<code>18:05</code>). /cancel leaves your time zone as it is."
    )


async def _set_zone(
    ctx: Context,
    zone: str,
    *,
    others: Sequence[str] = (),
    labels: Mapping[str, str] | None = None,
) -> Message:
    user = await recorded_user(ctx)
    user.timezone = zone
    next_at = next_for(user, zone, ctx.now)

    def set_zone(session: Session) -> None:
        store.set_timezone(session, user_id=ctx.person.id, zone=zone)
        if next_at is not None:
            store.reschedule(
                session,
                user_id=ctx.person.id,
                next_at=next_at,
                paused_until=user.reminder_paused_until,
            )

    await ctx.db.run(set_zone)
    local_now = timezones.local_now(zone, ctx.now)
    lines = [
        f"✅ Time zone set: {bold(zone_title(zone))}. It's {bold(f'{local_now:%H:%M}')} there now."
    ]
    if next_at is not None and user.remind_at:
        lines.append(
            f"Your daily reminder stays at {bold(user.remind_at)} local time: next one "
            f"{esc(local_when(next_at, zone, ctx.now))}."
        )
    buttons: list[Button] = []
    if others:
        lines.append("Not quite? Pick yours:")
        buttons = [Button(_choice_label(z, ctx.now, labels), button_data("tz", z)) for z in others]
    elif user.remind_at is None:
        buttons = [Button("⏰ Daily reminder", button_data("times"))]
    return Message("\n".join(lines), rows(*buttons, width=1) if buttons else ())
