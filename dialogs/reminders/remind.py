"""/remind: a daily reminder at a local time the student picks, changed with buttons.

Students choose a local time (``/remind 18:30``) and, if they are not in the default zone,
their zone (:mod:`dialogs.reminders.zone_dialog`). The reminder itself is built and sent by
:mod:`dialogs.reminders.dispatch`; this module is the conversation around it and the
reminder feature's buttons (prefix ``r``).
"""

from __future__ import annotations

from datetime import time, timedelta

from dialogs import menu
from dialogs.context import Context
from dialogs.feature import Feature
from dialogs.reminders import clocks, schedule
from dialogs.reminders import zones as timezones
from dialogs.reminders.dispatch import _newer_activity, _start_review
from dialogs.reminders.pauses import pause, resume, snooze
from dialogs.reminders.shared import (
    PREFIX,
    button_data,
    local_when,
    recorded_user,
    settings_view,
    time_buttons,
    tzinfo,
    zone_title,
)
from dialogs.reminders.zone_dialog import (
    _answer_zone,
    _ask_zone,
    _set_zone,
    timezone_command,
)
from dialogs.reminders.zones import zone_name
from dialogs.replies import Button, ButtonOutcome, Message, Reply, rows
from dialogs.text import bold, esc
from storage import reminders as store

ASK_FOR = timedelta(minutes=30)
OFF_WORDS = frozenset({"off", "stop", "none", "no", "disable", "never"})


# --- /remind ----------------------------------------------------------------------------------


def _time_help() -> str:
    return (
        "Send <code>/remind</code> with a time, e.g. <code>/remind 18:30</code>, "
        "<code>/remind 7am</code> or <code>/remind 6.30 pm</code>. "
        "<code>/remind off</code> stops reminders."
    )


async def remind_command(ctx: Context, args: str) -> list[Reply]:
    """``/remind``: show the setting; ``/remind 18:30``: set it; ``/remind off``: stop."""
    if not ctx.private:
        return [Message("Reminders come in a private chat: message me directly to set one.")]
    wanted = args.strip().lower()
    if not wanted:
        user = await recorded_user(ctx)
        return [settings_view(user, zone_name(user, ctx.services), ctx.now)]
    if wanted in OFF_WORDS:
        return [await _turn_off(ctx)]
    clock = clocks.parse_clock(wanted)
    if clock is None:
        return [Message(f"I couldn't read {bold(args)} as a time of day. {_time_help()}")]
    return [await _set_time(ctx, clock.time)]


async def _set_time(ctx: Context, at: time) -> Message:
    user = await recorded_user(ctx)
    zone = zone_name(user, ctx.services)
    next_at = schedule.next_reminder(at, tzinfo(zone), ctx.now)
    await ctx.db.run(
        lambda session: store.set_reminder(
            session, user_id=ctx.person.id, remind_at=schedule.format_hhmm(at), next_at=next_at
        )
    )
    local_now = timezones.local_now(zone, ctx.now)
    text = (
        f"✅ Daily reminder set for {bold(schedule.format_hhmm(at))} in "
        f"{bold(zone_title(zone))}, where it's {local_now:%H:%M} now.\n"
        f"First one: {esc(local_when(next_at, zone, ctx.now))}. Each brings your first due "
        "question, ready to answer."
    )
    if user.timezone is None:
        text += "\n\nNot your time zone? Tap below or send <code>/timezone</code> with your city."
    buttons = rows(
        Button("🌍 Time zone", button_data("tzask")), Button("🔕 Turn off", button_data("off"))
    )
    return Message(text, buttons)


async def _turn_off(ctx: Context) -> Message:
    await ctx.db.run(
        lambda session: store.set_reminder(
            session, user_id=ctx.person.id, remind_at=None, next_at=None
        )
    )
    return Message(
        "🔕 Reminders are off. Turn them back on any time with <code>/remind 18:30</code>.",
        rows(Button("⏰ Pick a time", button_data("times"))),
    )


# --- buttons, free text, cancel ---------------------------------------------------------------


async def on_button(ctx: Context, rest: str) -> ButtonOutcome:
    """Every ``r:`` button; the data is untrusted, so each action validates its argument."""
    action, _, arg = rest.partition(":")
    if action == "at":
        at = schedule.parse_hhmm(f"{arg[:2]}:{arg[2:]}") if len(arg) == 4 else None
        if at is None:
            return ButtonOutcome(toast=menu.expired_button())
        return ButtonOutcome(toast="Reminder set.", edit=await _set_time(ctx, at))
    if action == "tz":
        if arg not in timezones.known_zones():
            return ButtonOutcome(toast=menu.expired_button())
        return ButtonOutcome(toast="Time zone saved.", edit=await _set_zone(ctx, arg))
    simple = {
        "times": _times,
        "show": _show,
        "pause": pause,
        "resume": resume,
        "off": _off,
        "no": _decline,
        "go": _go,
        "tzask": _tzask,
        "tzkeep": _tzkeep,
    }
    if action == "snooze":
        return await snooze(ctx, arg)
    handler = simple.get(action)
    if handler is None or arg:
        return ButtonOutcome(toast=menu.expired_button())
    return await handler(ctx)


async def _times(ctx: Context) -> ButtonOutcome:
    user = await recorded_user(ctx)
    zone = zone_name(user, ctx.services)
    text = (
        f"🕒 When should I remind you each day? ({esc(zone_title(zone))} time)\n"
        "Tap a time, or send e.g. <code>/remind 18:45</code>."
    )
    return ButtonOutcome(edit=Message(text, time_buttons()))


async def _show(ctx: Context) -> ButtonOutcome:
    user = await recorded_user(ctx)
    return ButtonOutcome(edit=settings_view(user, zone_name(user, ctx.services), ctx.now))


async def _off(ctx: Context) -> ButtonOutcome:
    return ButtonOutcome(toast="Reminders off.", edit=await _turn_off(ctx))


async def _decline(ctx: Context) -> ButtonOutcome:
    return ButtonOutcome(
        toast="No problem.",
        edit=Message("No reminders, then. If you change your mind: <code>/remind 18:30</code>."),
    )


async def _go(ctx: Context) -> ButtonOutcome:
    replies = await _start_review(ctx)
    return ButtonOutcome(toast="Let's go!", replies=replies)


async def _tzask(ctx: Context) -> ButtonOutcome:
    return ButtonOutcome(replies=[await _ask_zone(ctx)])


async def _tzkeep(ctx: Context) -> ButtonOutcome:
    user = await recorded_user(ctx)
    zone = user.timezone or ctx.services.config.default_timezone
    await ctx.db.run(
        lambda session: store.set_timezone(session, user_id=ctx.person.id, zone=user.timezone)
    )
    return ButtonOutcome(toast="Kept.", edit=Message(f"✅ Keeping {bold(zone_title(zone))}."))


async def on_text(ctx: Context, text: str) -> list[Reply] | None:
    """Free text only while we wait for a city or the local time (asked by /timezone)."""
    if not ctx.private:
        return None
    user = await recorded_user(ctx)
    asked = user.timezone_asked_at
    if asked is None or ctx.now - asked > ASK_FOR or await _newer_activity(ctx, asked):
        return None
    return await _answer_zone(ctx, text)


async def on_cancel(ctx: Context) -> list[Reply] | None:
    """/cancel while we wait for a time zone answer: stop waiting, change nothing."""
    user = await recorded_user(ctx)
    asked = user.timezone_asked_at
    if asked is None or ctx.now - asked > ASK_FOR:
        return None
    await ctx.db.run(
        lambda session: store.set_timezone_asked(session, user_id=ctx.person.id, at=None)
    )
    zone = zone_name(user, ctx.services)
    return [Message(f"OK, your time zone stays {bold(zone_title(zone))}.", menu.MAIN_MENU)]


FEATURE = Feature(
    name="reminders",
    commands={"remind": remind_command, "timezone": timezone_command},
    buttons={PREFIX: on_button},
    text=on_text,
    cancel=on_cancel,
)
