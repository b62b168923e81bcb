"""Daily quiz reminders and time zones: /remind, /timezone, the reminder itself, the streak.

Students choose a local time (``/remind 18:30``) and, if they are not in the default zone,
their zone (``/timezone new york``, or the time on their clock). The dispatcher in
``bot/jobs.py`` calls the entry points at the end of this module: ``claim_due``, then for
each claimed student ``prepare`` (builds the reminder, or decides nothing is worth sending),
then ``delivered`` / ``blocked`` / ``give_back``, each one transaction. All decisions live
here, all SQL in ``storage/reminders.py``; the job only paces and sends.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from dialogs import menu
from dialogs.context import Context, Person, Services
from dialogs.feature import Feature
from dialogs.quiz import feature as quiz
from dialogs.quiz.view import pending_message
from dialogs.reminders import schedule
from dialogs.reminders import zones as timezones
from dialogs.reminders.streaks import Streak, compute_streak
from dialogs.reminders.zones import zone_name
from dialogs.replies import Button, ButtonOutcome, Keyboard, Message, Reply, rows
from dialogs.text import bold, esc
from storage import reminders as store
from storage.cards import count_due
from storage.models import QuizSession, User
from storage.quizzes import active_session, pending_question
from storage.scenarios import active_run
from storage.users import get_user, set_blocked

PREFIX = "r"
SNOOZE = timedelta(hours=1)
NUDGE_AFTER = timedelta(days=3)
ASK_FOR = timedelta(minutes=30)
STREAK_WINDOW = timedelta(days=60)
PRESETS = ("07:00", "08:00", "12:30", "16:00", "17:00", "18:00", "18:30", "19:00", "20:00", "21:00")
OFF_WORDS = frozenset({"off", "stop", "none", "no", "disable", "never"})
_EXAMPLES = "<code>london</code>, <code>new york</code>, <code>Europe/Berlin</code>"


# --- shared helpers ---------------------------------------------------------------------------


def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone_title(name: str) -> str:
    """``Europe/London`` -> ``London (Europe/London)``; fixed zones just by their name."""
    label = timezones.zone_label(name)
    return name if label in (name, name.removeprefix("Etc/")) else f"{label} ({name})"


def local_when(instant: datetime, zone: str, now: datetime) -> str:
    """An instant as the student reads it: "today at 18:30", "tomorrow at 07:00", "Wed 4 Nov..."."""
    tz = _zone(zone)
    local = instant.astimezone(tz)
    days = (local.date() - now.astimezone(tz).date()).days
    clock = f"{local:%H:%M}"
    if days == 0:
        return f"today at {clock}"
    if days == 1:
        return f"tomorrow at {clock}"
    return f"{local:%a} {local.day} {local:%b} at {clock}"


def _next_for(user: User, zone: str, now: datetime) -> datetime | None:
    """The next instant for the stored daily time, honouring a pause still in force."""
    at = schedule.parse_hhmm(user.remind_at or "")
    if at is None:
        return None
    paused = user.reminder_paused_until
    after = paused if paused is not None and paused > now else now
    return schedule.next_reminder(at, _zone(zone), after)


async def _user(ctx: Context) -> User:
    user = await ctx.db.run(lambda session: get_user(session, user_id=ctx.person.id))
    if user is None:  # the tutor records everyone before any feature runs
        raise LookupError(f"user {ctx.person.id} was not recorded")
    return user


def _data(action: str, arg: str = "") -> str:
    return f"{PREFIX}:{action}:{arg}" if arg else f"{PREFIX}:{action}"


# --- /remind ----------------------------------------------------------------------------------


def _settings_view(user: User, zone: str, now: datetime) -> Message:
    if user.remind_at is None or user.next_reminder_at is None:
        text = (
            "⏰ You have no daily reminder yet. Pick a time and I'll send you one quick "
            f"question a day, at {bold(zone_title(zone))} time. Or send "
            "<code>/remind 18:30</code>."
        )
        return Message(text, _time_buttons())
    paused = user.reminder_paused_until is not None and user.reminder_paused_until > now
    lines = [
        f"⏰ Daily reminder at {bold(user.remind_at)} ({esc(zone_title(zone))}).",
        f"Next one: {esc(local_when(user.next_reminder_at, zone, now))}"
        + (" (paused for a day)." if paused else "."),
    ]
    middle = (
        Button("▶️ Resume", _data("resume")) if paused else Button("⏸ Pause a day", _data("pause"))
    )
    buttons = (
        (Button("🕒 Change time", _data("times")), middle),
        (Button("🔕 Turn off", _data("off")), Button("🌍 Time zone", _data("tzask"))),
    )
    return Message("\n".join(lines), buttons)


def _time_buttons() -> Keyboard:
    buttons = [Button(t, _data("at", t.replace(":", ""))) for t in PRESETS]
    return rows(*buttons, width=5)


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
        user = await _user(ctx)
        return [_settings_view(user, zone_name(user, ctx.services), ctx.now)]
    if wanted in OFF_WORDS:
        return [await _turn_off(ctx)]
    clock = timezones.parse_clock(wanted)
    if clock is None:
        return [Message(f"I couldn't read {bold(args)} as a time of day. {_time_help()}")]
    return [await _set_time(ctx, clock.time)]


async def _set_time(ctx: Context, at: time) -> Message:
    user = await _user(ctx)
    zone = zone_name(user, ctx.services)
    next_at = schedule.next_reminder(at, _zone(zone), ctx.now)
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
    buttons = rows(Button("🌍 Time zone", _data("tzask")), Button("🔕 Turn off", _data("off")))
    return Message(text, buttons)


async def _turn_off(ctx: Context) -> Message:
    await ctx.db.run(
        lambda session: store.set_reminder(
            session, user_id=ctx.person.id, remind_at=None, next_at=None
        )
    )
    return Message(
        "🔕 Reminders are off. Turn them back on any time with <code>/remind 18:30</code>.",
        rows(Button("⏰ Pick a time", _data("times"))),
    )


async def _reschedule(
    ctx: Context, user: User, next_at: datetime, *, paused_until: datetime | None = None
) -> User:
    """Move the student's next reminder; the stored student afterwards (for the view)."""

    def move(session: Session) -> User | None:
        store.reschedule(session, user_id=user.id, next_at=next_at, paused_until=paused_until)
        return get_user(session, user_id=user.id)

    return await ctx.db.run(move) or user


async def _pause(ctx: Context) -> ButtonOutcome:
    user = await _user(ctx)
    zone = zone_name(user, ctx.services)
    at = schedule.parse_hhmm(user.remind_at or "")
    if at is None:
        return ButtonOutcome(
            toast="You have no reminder to pause.", edit=_settings_view(user, zone, ctx.now)
        )
    skipped, next_at = schedule.skip_one(at, _zone(zone), ctx.now)
    user = await _reschedule(ctx, user, next_at, paused_until=skipped)
    return ButtonOutcome(
        toast=f"Paused: next reminder {local_when(next_at, zone, ctx.now)}.",
        edit=_settings_view(user, zone, ctx.now),
    )


async def _resume(ctx: Context) -> ButtonOutcome:
    user = await _user(ctx)
    zone = zone_name(user, ctx.services)
    at = schedule.parse_hhmm(user.remind_at or "")
    if at is None:
        return ButtonOutcome(
            toast="You have no reminder to resume.", edit=_settings_view(user, zone, ctx.now)
        )
    next_at = schedule.next_reminder(at, _zone(zone), ctx.now)
    user = await _reschedule(ctx, user, next_at)
    return ButtonOutcome(
        toast=f"Resumed: next reminder {local_when(next_at, zone, ctx.now)}.",
        edit=_settings_view(user, zone, ctx.now),
    )


async def _snooze(ctx: Context, arg: str) -> ButtonOutcome:
    user = await _user(ctx)
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
            rows(Button("▶️ Start review now", _data("go"))),
        ),
    )


# --- /timezone --------------------------------------------------------------------------------


async def timezone_command(ctx: Context, args: str) -> list[Reply]:
    """``/timezone``: show the zone and ask; ``/timezone london`` or ``/timezone 18:05``: set."""
    if not args.strip():
        return [await _ask_zone(ctx)]
    return await _answer_zone(ctx, args)


async def _ask_zone(ctx: Context) -> Message:
    user = await _user(ctx)
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
    return Message(text, rows(Button(f"✅ Keep {timezones.zone_label(zone)}", _data("tzkeep"))))


async def _answer_zone(ctx: Context, text: str) -> list[Reply]:
    default = ctx.services.config.default_timezone
    clock = timezones.parse_clock(text)
    if clock is not None:
        zones = timezones.zones_at_local_time(clock, ctx.now, default)
        if not zones:
            return [await _not_understood(ctx, text, clock_like=True)]
        return [await _set_zone(ctx, zones[0], others=zones[1:])]
    zones = timezones.find_zones(text)
    if len(zones) == 1:
        return [await _set_zone(ctx, zones[0])]
    if zones:
        await ctx.db.run(
            lambda session: store.set_timezone_asked(session, user_id=ctx.person.id, at=ctx.now)
        )
        buttons = [Button(_choice_label(z, ctx.now), _data("tz", z)) for z in zones]
        return [Message(f"Which one is yours for {bold(text)}?", rows(*buttons, width=1))]
    return [await _not_understood(ctx, text, clock_like=False)]


def _choice_label(zone: str, now: datetime) -> str:
    return f"{timezones.zone_label(zone)} · {timezones.local_now(zone, now):%H:%M}"


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


async def _set_zone(ctx: Context, zone: str, *, others: list[str] | None = None) -> Message:
    user = await _user(ctx)
    user.timezone = zone
    next_at = _next_for(user, zone, ctx.now)

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
        buttons = [Button(_choice_label(z, ctx.now), _data("tz", z)) for z in others]
    elif user.remind_at is None:
        buttons = [Button("⏰ Daily reminder", _data("times"))]
    return Message("\n".join(lines), rows(*buttons, width=1) if buttons else ())


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
        "pause": _pause,
        "resume": _resume,
        "off": _off,
        "no": _decline,
        "go": _go,
        "tzask": _tzask,
        "tzkeep": _tzkeep,
    }
    if action == "snooze":
        return await _snooze(ctx, arg)
    handler = simple.get(action)
    if handler is None or arg:
        return ButtonOutcome(toast=menu.expired_button())
    return await handler(ctx)


async def _times(ctx: Context) -> ButtonOutcome:
    user = await _user(ctx)
    zone = zone_name(user, ctx.services)
    text = (
        f"🕒 When should I remind you each day? ({esc(zone_title(zone))} time)\n"
        "Tap a time, or send e.g. <code>/remind 18:45</code>."
    )
    return ButtonOutcome(edit=Message(text, _time_buttons()))


async def _show(ctx: Context) -> ButtonOutcome:
    user = await _user(ctx)
    return ButtonOutcome(edit=_settings_view(user, zone_name(user, ctx.services), ctx.now))


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
    user = await _user(ctx)
    zone = user.timezone or ctx.services.config.default_timezone
    await ctx.db.run(
        lambda session: store.set_timezone(session, user_id=ctx.person.id, zone=user.timezone)
    )
    return ButtonOutcome(toast="Kept.", edit=Message(f"✅ Keeping {bold(zone_title(zone))}."))


async def on_text(ctx: Context, text: str) -> list[Reply] | None:
    """Free text only while we wait for a city or the local time (asked by /timezone)."""
    if not ctx.private:
        return None
    user = await _user(ctx)
    asked = user.timezone_asked_at
    if asked is None or ctx.now - asked > ASK_FOR or await _newer_activity(ctx, asked):
        return None
    return await _answer_zone(ctx, text)


async def on_cancel(ctx: Context) -> list[Reply] | None:
    """/cancel while we wait for a time zone answer: stop waiting, change nothing."""
    user = await _user(ctx)
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


# --- for other features -----------------------------------------------------------------------


async def maybe_offer(ctx: Context) -> list[Reply]:
    """Offer daily reminders once, ever (call it when a student finishes their first quiz).

    Returns [] if they already have a reminder or were offered one before.
    """
    if not ctx.private:
        return []
    user = await _user(ctx)
    if user.remind_at is not None:
        return []
    first_time = await ctx.db.run(
        lambda session: store.mark_offered(session, user_id=ctx.person.id)
    )
    if not first_time:
        return []
    zone = zone_name(user, ctx.services)
    text = (
        "📅 Want a nudge to revise? Pick a time and I'll send one question a day "
        f"({esc(zone_title(zone))} time). You can change or stop it any time with /remind."
    )
    buttons = (*_time_buttons(), (Button("No thanks", _data("no")),))
    return [Message(text, buttons)]


async def streak_for(services: Services, user_id: int, now: datetime) -> Streak:
    """The student's current streak, in their local days."""

    def read(session: Session) -> Streak:
        user = get_user(session, user_id=user_id)
        return _read_streak(session, user_id, _zone(zone_name(user, services)), now)

    return await services.db.run(read)


def _read_streak(session: Session, user_id: int, tz: ZoneInfo, now: datetime) -> Streak:
    today = now.astimezone(tz).date()
    since = now - STREAK_WINDOW
    times = store.review_times_since(session, user_id=user_id, since=since)
    streak = compute_streak(_days(times, tz), today)
    reach = today - timedelta(days=streak.days + len(streak.frozen))
    if streak.days and reach <= since.astimezone(tz).date():
        # The run may go back further than the window: read everything, once.
        times = store.review_times_since(session, user_id=user_id)
        streak = compute_streak(_days(times, tz), today)
    return streak


def _days(times: list[datetime], tz: ZoneInfo) -> set[date]:
    return {moment.astimezone(tz).date() for moment in times}


async def current_streak(ctx: Context) -> Streak:
    """The streak for /progress: ``.days``, ``.studied_today``, ``.frozen``, ``.describe()``."""
    return await streak_for(ctx.services, ctx.person.id, ctx.now)


# --- for the dispatcher (bot/jobs.py) ---------------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    """Reminders one dispatcher now owns until ``lease_until`` (or until it gives them back)."""

    token: str
    items: tuple[store.DueReminder, ...]
    lease_until: datetime


@dataclass(frozen=True)
class Outgoing:
    """A reminder ready to send: to whom, what, and the next instant to store once it is sent."""

    user_id: int
    chat_id: int
    replies: list[Reply]
    kind: str
    next_at: datetime


async def claim_due(
    services: Services, now: datetime, *, limit: int = 100, lease: timedelta = timedelta(minutes=2)
) -> Claimed:
    """Atomically claim up to ``limit`` due reminders under a fresh token."""
    token = secrets.token_hex(16)
    lease_until = now + lease
    items = await services.db.run(
        lambda session: store.claim_due(
            session, now=now, token=token, lease_until=lease_until, limit=limit
        )
    )
    return Claimed(token, tuple(items), lease_until)


async def extend(services: Services, token: str, lease_until: datetime) -> int:
    """Keep a long batch's lease alive; returns how many reminders are still held."""
    return await services.db.run(
        lambda session: store.extend_claim(session, token=token, lease_until=lease_until)
    )


async def prepare(
    services: Services, token: str, item: store.DueReminder, now: datetime
) -> Outgoing | None:
    """Decide what one claimed reminder becomes; None means nothing is sent (already settled).

    Skipped, and rescheduled at once: a reminder whose day is over (after downtime only
    today's missed one still goes, once); one for a student in the middle of a quiz; and a
    day with nothing due, unless the student has not studied for three days and has not
    been nudged since (then one nudge with something new). A question a live quiz is
    waiting on comes back as the reminder's question instead of a new quiz.

    One transaction either way: reading the student, starting the quiz whose first question
    the reminder carries, or settling a skipped reminder.
    """
    zone = item.timezone if item.timezone in timezones.known_zones() else None
    zone = zone or services.config.default_timezone
    tz = _zone(zone)
    at = schedule.parse_hhmm(item.remind_at)
    if at is None:  # cannot happen for a claimed row, but never send on a broken setting
        await _settle(services, token, item.user_id, next_at=None)
        return None
    next_at = schedule.next_reminder(at, tz, max(now, item.due_at))
    if schedule.slot_to_send(at, tz, item.due_at, now) is None:
        await _settle(services, token, item.user_id, next_at=next_at)
        return None
    ctx = Context(services, Person(item.user_id, item.first_name), item.user_id, now)

    def look(session: Session) -> tuple[_Snapshot, tuple[Message, int] | None] | None:
        seen = _snapshot(session, ctx, tz, item.last_seen_at)
        quiet_since = seen.last_review or item.created_at
        nudged = item.last_nudge_at is not None and item.last_nudge_at >= quiet_since
        quiet = now - quiet_since >= NUDGE_AFTER and not nudged
        if seen.busy or not (seen.due or quiet):
            store.finish_claim(session, user_id=item.user_id, token=token, next_at=next_at)
            return None
        return seen, seen.pending or _first_question(session, ctx, review=bool(seen.due))

    found = await services.db.run(look)
    if found is None:
        return None
    seen, question = found
    if seen.due:
        today = f"{now.astimezone(tz):%Y%m%d}"
        message = _reminder_message(seen.due, seen.streak, question, today)
        return Outgoing(item.user_id, item.user_id, [message], "due", next_at)
    message = _nudge_message(item.first_name, seen.streak, question)
    return Outgoing(item.user_id, item.user_id, [message], "nudge", next_at)


@dataclass(frozen=True)
class _Snapshot:
    """What a reminder needs to know about a student, read in one go."""

    busy: bool
    pending: tuple[Message, int] | None
    due: int
    last_review: datetime | None
    streak: Streak


def _snapshot(session: Session, ctx: Context, tz: ZoneInfo, last_seen: datetime) -> _Snapshot:
    user_id = ctx.person.id
    running = active_session(session, user_id=user_id)
    # Busy: in a quiz they touched lately. A quiz a reminder opened does not count
    # until the student answers in it (their own turns move ``last_seen``).
    busy = (
        running is not None
        and ctx.now - running.updated_at < BUSY_FOR
        and ctx.now - last_seen < BUSY_FOR
    )
    pending = None if busy else _pending_in(session, ctx, running)
    return _Snapshot(
        busy=busy,
        pending=pending,
        due=count_due(session, user_id=user_id, until=ctx.now),
        last_review=store.last_review_at(session, user_id=user_id),
        streak=_read_streak(session, user_id, tz, ctx.now),
    )


async def delivered(services: Services, token: str, outgoing: Outgoing, now: datetime) -> bool:
    """The reminder went out: store the next instant. False if the claim was lost meanwhile."""
    return await services.db.run(
        lambda session: store.finish_claim(
            session,
            user_id=outgoing.user_id,
            token=token,
            next_at=outgoing.next_at,
            sent_at=now,
            nudged_at=now if outgoing.kind == "nudge" else None,
        )
    )


async def undeliverable(services: Services, token: str, outgoing: Outgoing) -> None:
    """Telegram refused this reminder for good (bad request): move on to the next one."""
    await _settle(services, token, outgoing.user_id, next_at=outgoing.next_at)


async def blocked(services: Services, token: str, outgoing: Outgoing) -> None:
    """The student blocked the bot: flag them (skipped until they /start again), move on."""

    def flag_and_finish(session: Session) -> None:
        set_blocked(session, user_id=outgoing.user_id)
        store.finish_claim(session, user_id=outgoing.user_id, token=token, next_at=outgoing.next_at)

    await services.db.run(flag_and_finish)
    services.sightings.forget(outgoing.user_id)


async def retry_later(services: Services, token: str, user_id: int, at: datetime) -> None:
    """Sending failed for now (network, flood control, a bug): try this one again at ``at``.

    Not released at once, so a run never spins on a reminder Telegram keeps refusing; a
    retry that lands on a later local day is dropped by the usual rule.
    """
    await _settle(services, token, user_id, next_at=at)


async def give_back(services: Services, token: str, user_id: int | None = None) -> int:
    """Release unsent reminders (one, or all under ``token``) so a later run sends them."""
    return await services.db.run(
        lambda session: store.release_claim(session, token=token, user_id=user_id)
    )


async def _settle(
    services: Services, token: str, user_id: int, *, next_at: datetime | None
) -> None:
    """Finish a claim without sending; ``next_at`` None stops a broken setting for good."""
    await services.db.run(
        lambda session: store.finish_claim(session, user_id=user_id, token=token, next_at=next_at)
    )


def _reminder_message(
    due: int, streak: Streak, question: tuple[Message, int] | None, today: str
) -> Message:
    items = "1 item is" if due == 1 else f"{due} items are"
    lines = [f"🔔 {bold('Revision time!')} {items} due for review."]
    if streak.alive:
        lines.append(esc(streak.describe()) + ".")
    head = "\n".join(lines)
    # With a question attached, "Start review" carries on with that very quiz (the quiz
    # feature's own "carry on" button), so nothing is asked twice.
    start = f"q:r:{question[1]}" if question else _data("go")
    own = (Button("▶️ Start review", start), Button("⏰ Snooze 1 hour", _data("snooze", today)))
    if question is None:
        return Message(head, (own,))
    return Message(f"{head}\n\n{question[0].html}", (*question[0].buttons, own))


def _nudge_message(
    first_name: str, streak: Streak, question: tuple[Message, int] | None
) -> Message:
    name = f" {esc(first_name)}" if first_name else ""
    head = (
        f"👋 Hi{name}! It's been a few days, and nothing is due, so here's something new "
        "to try: one question, no pressure."
    )
    own = (Button("📝 Quiz me", "m:quiz"), Button("🔕 Stop reminders", _data("off")))
    if question is None:
        return Message(head, (own,))
    return Message(f"{head}\n\n{question[0].html}", (*question[0].buttons, own))


# --- the quiz feature, seen from here ---------------------------------------------------------

BUSY_FOR = timedelta(minutes=30)
_QUESTION_BUTTON = re.compile(r"^q:(?:\d+:\d+|[hs]:\d+)$")


async def _newer_activity(ctx: Context, asked: datetime) -> bool:
    """True when a quiz or scenario moved on after we asked for a time zone: text is theirs."""

    def moved_on(session: Session) -> bool:
        running = active_session(session, user_id=ctx.person.id)
        run = active_run(session, user_id=ctx.person.id)
        return any(x is not None and x.updated_at > asked for x in (running, run))

    return await ctx.db.run(moved_on)


def _is_question(reply: Reply) -> bool:
    return isinstance(reply, Message) and any(
        _QUESTION_BUTTON.match(b.data) for row in reply.buttons for b in row
    )


async def _pending(ctx: Context) -> tuple[Message, int] | None:
    """The question a live quiz is waiting on, shown again (e.g. after a snooze)."""

    def read(session: Session) -> tuple[Message, int] | None:
        running = active_session(session, user_id=ctx.person.id)
        return _pending_in(session, ctx, running)

    return await ctx.db.run(read)


def _pending_in(
    session: Session, ctx: Context, running: QuizSession | None
) -> tuple[Message, int] | None:
    if running is None or running.id is None or ctx.now - running.updated_at > quiz.TIMEOUT:
        return None
    row = pending_question(session, quiz_id=running.id)
    if row is None or row.id is None:
        return None
    return pending_message(row, size=running.size), running.id


def _first_question(session: Session, ctx: Context, *, review: bool) -> tuple[Message, int] | None:
    """The quiz feature's own first question (due reviews, or new items), and its quiz id.

    Asked only when no live quiz waits on a question (that one is taken instead), so the quiz
    feature starts a new quiz here, as /review or /quiz would. None when it has nothing to ask
    (or offers something other than a question).
    """
    # The quiz feature's start itself, not /review: the reminder's whole preparation is then
    # one transaction rather than one for the reading, one for the quiz and one for its id.
    replies = quiz.start_quiz(session, ctx, "review" if review else "quiz", None)
    first = replies[0] if replies else None
    if first is None or not _is_question(first):
        return None
    assert isinstance(first, Message)
    running = active_session(session, user_id=ctx.person.id)
    if running is None or running.id is None:
        return None
    return first, running.id


async def _start_review(ctx: Context) -> list[Reply]:
    """What "Start review" does when no quiz is attached: the waiting question, or /review."""
    pending = await _pending(ctx)
    if pending is not None:
        return [pending[0]]
    return await quiz.review_command(ctx, "")
