"""Joining a class: a student's private practice reaches a class report only once they join.

A student joins through a challenge link (the challenge says so) or the Join button, which
says exactly what the tutor will see. ``/privacy`` lists the classes joined, each with a
Leave button. Callback data: ``cj:join:<group>``, ``cj:leave:<group>``, ``cj:no``.
"""

from __future__ import annotations

from sqlmodel import Session

from dialogs.context import Context
from dialogs.feature import Feature
from dialogs.numbers import bounded_int
from dialogs.replies import Button, ButtonOutcome, Message, Reply, rows
from dialogs.text import bold, esc
from storage import groups as store
from storage.models import Group

PREFIX = "cj"
WHAT_TUTORS_SEE = (
    "your quiz scores and mastery per segmentation base, your streak and when you last "
    "practised, and the misconceptions I've spotted in your answers (never the words you typed)"
)


def join_link(bot_username: str, group_id: int) -> str:
    """The deep link that offers to join a class (opens a private chat with the bot)."""
    return f"https://t.me/{bot_username}?start=join_{group_id}"


def join_button(ctx_bot_username: str, group_id: int) -> Button:
    """The Join button under a group post."""
    return Button("🙋 Join this class", url=join_link(ctx_bot_username, group_id))


def _title(group: Group) -> str:
    return group.title or "your class"


async def _group(ctx: Context, text: str) -> Group | None:
    group_id = bounded_int(text, 1)
    if group_id is None:
        return None
    group = await ctx.db.run(lambda session: store.get_group(session, group_id=group_id))
    return group if group is not None and group.active else None


async def offer(ctx: Context, group_text: str) -> list[Reply]:
    """``/start join_<group>``: what joining means, and the buttons to join or not."""
    if not ctx.private:
        return [Message("Open the Join link in a private chat with me.")]
    group = await _group(ctx, group_text)
    if group is None:
        return [Message("I can't find that class any more. Ask your tutor for a fresh link.")]
    text = (
        f"🙋 {bold('Join ' + _title(group) + '?')}\n\n"
        f"Its tutors already see what you do in the group: poll answers and challenges. "
        f"Once you join, they also see your practice with me here: {esc(WHAT_TUTORS_SEE)}.\n\n"
        "You can leave the class any time in /privacy."
    )
    buttons = rows(
        Button(f"✅ Join {_title(group)}"[:60], f"{PREFIX}:join:{group.id}"),
        Button("Not now", f"{PREFIX}:no"),
        width=1,
    )
    return [Message(text, buttons)]


def joined_note(group: Group) -> str:
    """Said when a challenge link made the student join: what the tutors now see."""
    return (
        f"🙋 You're now in {bold(_title(group))}'s class: its tutors see {esc(WHAT_TUTORS_SEE)}. "
        "/privacy lets you leave the class."
    )


async def on_button(ctx: Context, rest: str) -> ButtonOutcome:
    """``join:<group>``, ``leave:<group>`` or ``no``: only ever about the presser's own data."""
    action, _, arg = rest.partition(":")
    if action == "no":
        return ButtonOutcome(toast="OK", edit=Message("👍 Not joined. Your practice stays yours."))
    group = await _group(ctx, arg)
    if action not in ("join", "leave") or group is None or not ctx.private:
        return ButtonOutcome(toast="That button has expired. Send /privacy for your classes.")
    group_id, user_id = group.id, ctx.person.id
    assert group_id is not None

    def change(session: Session) -> bool:
        if action == "join":
            return store.join_class(session, group_id=group_id, user_id=user_id, now=ctx.now)
        return store.leave_class(session, group_id=group_id, user_id=user_id)

    await ctx.db.run(change)
    if action == "join":
        text = f"✅ You've joined {bold(_title(group))}. /privacy shows your classes."
    else:
        text = (
            f"👋 You've left {bold(_title(group))}'s class: its tutors see only what you do in "
            "the group from now on."
        )
    return ButtonOutcome(toast="Done", edit=Message(text))


async def classes_part(ctx: Context) -> tuple[str, list[Button]]:
    """For /privacy: the classes the student joined (HTML), and a Leave button for each."""
    groups = await ctx.db.run(lambda session: store.joined_classes(session, user_id=ctx.person.id))
    if not groups:
        return "You haven't joined any class.", []
    names = ", ".join(bold(_title(g)) for g in groups)
    buttons = [Button(f"Leave {_title(g)}"[:60], f"{PREFIX}:leave:{g.id}") for g in groups]
    return f"Classes you joined: {names}.", buttons


FEATURE = Feature("consent", buttons={PREFIX: on_button})
