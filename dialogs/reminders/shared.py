"""What the reminder dialogs share: button data, time buttons, the student's zone and the next
reminder instant, said the way the student reads it.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from dialogs.context import Context
from dialogs.reminders import schedule
from dialogs.reminders import zones as timezones
from dialogs.replies import Button, Keyboard, Message, rows
from dialogs.text import bold, esc
from storage.models import User
from storage.users import get_user

PREFIX = "r"


PRESETS = ("07:00", "08:00", "12:30", "16:00", "17:00", "18:00", "18:30", "19:00", "20:00", "21:00")


def tzinfo(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone_title(name: str) -> str:
    """``Europe/London`` -> ``London (Europe/London)``; fixed zones just by their name."""
    label = timezones.zone_label(name)
    return name if label in (name, name.removeprefix("Etc/")) else f"{label} ({name})"


def local_when(instant: datetime, zone: str, now: datetime) -> str:
    """An instant as the student reads it: "today at 18:30", "tomorrow at 07:00", "Wed 4 Nov..."."""
    tz = tzinfo(zone)
    local = instant.astimezone(tz)
    days = (local.date() - now.astimezone(tz).date()).days
    clock = f"{local:%H:%M}"
    if days == 0:
        return f"today at {clock}"
    if days == 1:
        return f"tomorrow at {clock}"
    return f"{local:%a} {local.day} {local:%b} at {clock}"


def next_for(user: User, zone: str, now: datetime) -> datetime | None:
    """The next instant for the stored daily time, honouring a pause still in force."""
    at = schedule.parse_hhmm(user.remind_at or "")
    if at is None:
        return None
    paused = user.reminder_paused_until
    after = paused if paused is not None and paused > now else now
    return schedule.next_reminder(at, tzinfo(zone), after)


async def recorded_user(ctx: Context) -> User:
    user = await ctx.db.run(lambda session: get_user(session, user_id=ctx.person.id))
    if user is None:  # the tutor records everyone before any feature runs
        raise LookupError(f"user {ctx.person.id} was not recorded")
    return user


def button_data(action: str, arg: str = "") -> str:
    return f"{PREFIX}:{action}:{arg}" if arg else f"{PREFIX}:{action}"


def time_buttons() -> Keyboard:
    buttons = [Button(t, button_data("at", t.replace(":", ""))) for t in PRESETS]
    return rows(*buttons, width=5)


def settings_view(user: User, zone: str, now: datetime) -> Message:
    """The /remind screen: the time, the next reminder, and buttons to change, pause or stop."""
    if user.remind_at is None or user.next_reminder_at is None:
        text = (
            "⏰ You have no daily reminder yet. Pick a time and I'll send you one quick "
            f"question a day, at {bold(zone_title(zone))} time. Or send "
            "<code>/remind 18:30</code>."
        )
        return Message(text, time_buttons())
    paused = user.reminder_paused_until is not None and user.reminder_paused_until > now
    lines = [
        f"⏰ Daily reminder at {bold(user.remind_at)} ({esc(zone_title(zone))}).",
        f"Next one: {esc(local_when(user.next_reminder_at, zone, now))}"
        + (" (paused for a day)." if paused else "."),
    ]
    middle = (
        Button("▶️ Resume", button_data("resume"))
        if paused
        else Button("⏸ Pause a day", button_data("pause"))
    )
    buttons = (
        (Button("🕒 Change time", button_data("times")), middle),
        (Button("🔕 Turn off", button_data("off")), Button("🌍 Time zone", button_data("tzask"))),
    )
    return Message("\n".join(lines), buttons)
