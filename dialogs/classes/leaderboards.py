"""The class leaderboard, a student's own standing, and their choice to keep their name off it."""

from __future__ import annotations

from datetime import datetime

from dialogs.classes import results
from dialogs.classes import stats as class_stats
from dialogs.classes.args import (
    LEADERBOARD_USAGE,
    PREFIX,
)
from dialogs.classes.in_group import this_group
from dialogs.context import Context
from dialogs.replies import Button, ButtonOutcome, Message, Reply, rows
from dialogs.text import bold, esc, italic
from storage import groups as store
from storage.users import get_user


async def leaderboard_command(ctx: Context, args: str) -> list[Reply]:
    """``/leaderboard [week|all]``: the group's top scores; in private, your own standing."""
    window = args.strip().casefold() or "week"
    if window not in ("week", "all"):
        return [Message(LEADERBOARD_USAGE)]
    since = class_stats.week_start(ctx.now) if window == "week" else None
    label = "last 7 days" if window == "week" else "all time"
    if ctx.private:
        return await _own_standing(ctx, since, label)
    group = await this_group(ctx)
    facts = await class_stats.gather(ctx.db, group, owners=ctx.services.config.tutor_ids)
    table = class_stats.leaderboard(facts, since)
    other = "all" if window == "week" else "week"
    text = results.leaderboard_html(group.title or "this group", table, label)
    return [Message(f"{text}\n{italic(f'Also: /leaderboard {other}')}")]


async def _own_standing(ctx: Context, since: datetime | None, label: str) -> list[Reply]:
    groups = await ctx.db.run(
        lambda session: store.groups_of_member(session, user_id=ctx.person.id)
    )
    if not groups:
        return [Message("You're not in a class group with me yet. Your tutor can add me to one.")]
    lines = [f"🏆 {bold('Your standing')} ({esc(label)})"]
    for group in groups:
        facts = await class_stats.gather(ctx.db, group, owners=ctx.services.config.tutor_ids)
        table = class_stats.leaderboard(facts, since)
        mine = next((s for s in table if s.user_id == ctx.person.id), None)
        name = esc(group.title or "your group")
        if mine is None:
            lines.append(f"• {name}: no points yet")
        else:
            lines.append(f"• {name}: {mine.points} pts, rank {mine.rank} of {len(table)}")
    hidden = await name_hidden(ctx)
    lines.append(italic(NAME_HIDDEN if hidden else NAME_SHOWN))
    return [Message("\n".join(lines), rows(name_privacy_button(hidden)))]


NAME_SHOWN = "Your first name shows on class leaderboards and results."


NAME_HIDDEN = 'Your name is hidden: the class sees "A classmate" instead.'


def name_privacy_button(hidden: bool) -> Button:
    """The toggle for showing one's first name to the class (for /settings screens too)."""
    if hidden:
        return Button("🙋 Show my name to the class", f"{PREFIX}:nm:show")
    return Button("🙈 Hide my name from the class", f"{PREFIX}:nm:hide")


async def name_hidden(ctx: Context) -> bool:
    user = await ctx.db.run(lambda session: get_user(session, user_id=ctx.person.id))
    return user is not None and user.hide_name


async def toggle_name(ctx: Context, arg: str) -> ButtonOutcome:
    """Only ever changes the presser's own setting, so anyone may press it."""
    if arg not in ("hide", "show"):
        return ButtonOutcome(toast="That button has expired.")
    hidden = arg == "hide"
    await ctx.db.run(
        lambda session: store.set_name_hidden(session, user_id=ctx.person.id, hidden=hidden)
    )
    toast = NAME_HIDDEN if hidden else NAME_SHOWN
    if not ctx.private:  # a group message's button: never edit it for everyone
        return ButtonOutcome(toast=toast, alert=True)
    return ButtonOutcome(
        toast=toast, edit=Message(f"✅ {esc(toast)}", rows(name_privacy_button(hidden)))
    )
