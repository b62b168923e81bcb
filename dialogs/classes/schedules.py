"""/schedule: weekly posts (a quiz or a challenge) at group-local time, with cancel buttons."""

from __future__ import annotations

from sqlmodel import Session

from dialogs.classes.args import (
    PREFIX,
    SCHEDULE_USAGE,
    next_run,
    parse_schedule,
    schedule_text,
    when_text,
)
from dialogs.classes.in_group import this_group
from dialogs.classes.posts import zone_of
from dialogs.context import Context
from dialogs.replies import Button, ButtonOutcome, Message, Reply, rows
from dialogs.text import bold, esc, italic
from knowledge.base import KnowledgeBase
from storage import groups as store
from storage import schedules as schedule_store
from storage.models import GroupSchedule

MAX_SCHEDULES = 10


def _schedule_list(kb: KnowledgeBase, schedules: list[GroupSchedule], head: str = "") -> Message:
    if not schedules:
        return Message(f"{head}No recurring posts here yet.\n{esc(SCHEDULE_USAGE)}")
    lines = [f"{head}{bold('🗓 Recurring posts')}"]
    buttons = []
    for number, schedule in enumerate(schedules, start=1):
        lines.append(f"{number}. {esc(schedule_text(schedule, kb))}")
        buttons.append(Button(f"❌ Cancel {number}", f"{PREFIX}:sx:{schedule.id}"))
    lines.append(italic("Add one: /schedule mon 09:00 quiz 5"))
    return Message("\n".join(lines), rows(*buttons, width=3))


async def schedule_command(ctx: Context, args: str) -> list[Reply]:
    """``/schedule``: list (with cancel buttons); ``/schedule <day> <time> <what>`` adds one."""
    group = await this_group(ctx)
    group_id = group.id
    assert group_id is not None
    zone = zone_of(ctx, group)
    existing = await ctx.db.run(
        lambda session: schedule_store.schedules_of(session, group_id=group_id)
    )
    if not args.strip() or args.strip().casefold() == "list":
        return [_schedule_list(ctx.kb, existing)]
    parsed = parse_schedule(ctx.kb, args, ctx.now, zone)
    if isinstance(parsed, str):
        return [Message(esc(parsed))]
    if len(existing) >= MAX_SCHEDULES:
        return [Message(f"A group can have {MAX_SCHEDULES} recurring posts. Cancel one first.")]
    first = next_run(parsed.weekday, parsed.hour, parsed.minute, zone, ctx.now)

    def add(session: Session) -> tuple[GroupSchedule, list[GroupSchedule]]:
        """The new schedule, and the group's schedules with it."""
        schedule = schedule_store.add_schedule(
            session,
            group_id=group_id,
            created_by=ctx.person.id,
            kind=parsed.kind,
            weekday=parsed.weekday,
            hour=parsed.hour,
            minute=parsed.minute,
            timezone=zone,
            params=dict(parsed.params),
            next_run=first,
            now=ctx.now,
            thread_id=ctx.thread_id,
        )
        return schedule, schedule_store.schedules_of(session, group_id=group_id)

    schedule, existing = await ctx.db.run(add)
    text = (
        f"✅ Scheduled: {esc(schedule_text(schedule, ctx.kb))}.\n"
        f"First one: {esc(when_text(first, zone))}.\n\n"
    )
    return [_schedule_list(ctx.kb, existing, text)]


async def cancel_schedule(ctx: Context, rest: str) -> ButtonOutcome:
    if not rest.isdigit():
        return ButtonOutcome(toast="That button has expired. Send /schedule again.")

    def cancel(session: Session) -> list[GroupSchedule] | str:
        """The group's schedules left after cancelling, or why nothing was cancelled."""
        schedule = schedule_store.get_schedule(session, schedule_id=int(rest))
        group = store.group_by_chat(session, chat_id=ctx.chat_id)
        if schedule is None or group is None or schedule.group_id != group.id:
            return "That schedule isn't in this group any more."
        if schedule.status != schedule_store.ACTIVE:
            return "That one was already cancelled."
        schedule_store.cancel_schedule(session, schedule=schedule)
        return schedule_store.schedules_of(session, group_id=group.id)

    remaining = await ctx.db.run(cancel)
    if isinstance(remaining, str):
        return ButtonOutcome(toast=remaining)
    return ButtonOutcome(toast="Cancelled.", edit=_schedule_list(ctx.kb, remaining))
