"""What every group command shares: the group it runs in, linking the tutor who used it, and the
guard that lets only tutors run tutor commands (and only in a group).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlmodel import Session

from dialogs.classes import roles
from dialogs.context import Context
from dialogs.replies import Message, Reply
from storage import groups as store
from storage import tutors as tutor_store
from storage.models import Group
from storage.users import get_user


async def this_group(ctx: Context) -> Group:
    """This chat's group record, created on first use."""
    return await ctx.db.run(
        lambda session: store.ensure_group(session, chat_id=ctx.chat_id, title="", now=ctx.now)
    )


PENDING_NOTE = (
    "📨 To read this class's reports you need its tutor's OK: I've asked them (they'll see "
    "your request in /report). Everything else works already."
)


async def link_teacher(ctx: Context, group: Group) -> list[Reply]:
    """Link whoever ran a tutor command here to the group: an owner at once, an administrator
    at once (for the group's own activity), an invited tutor pending approval (the note to
    show when that request is new)."""
    if not roles.is_real_person(ctx):
        return []
    group_id = group.id
    assert group_id is not None
    if roles.is_owner(ctx):
        source = "tutor"
    elif await roles.is_tutor(ctx):
        source = tutor_store.PENDING
    else:
        source = roles.ADMIN_SOURCE

    def link(session: Session) -> bool:
        new = tutor_store.tutor_link(session, group_id=group_id, user_id=ctx.person.id) is None
        tutor_store.link_tutor(
            session, group_id=group_id, user_id=ctx.person.id, source=source, now=ctx.now
        )
        if group.timezone is None:
            user = get_user(session, user_id=ctx.person.id)
            if user is not None and user.timezone:
                stored = store.get_group(session, group_id=group_id)
                if stored is not None:
                    stored.timezone = user.timezone
                    session.add(stored)
                    group.timezone = user.timezone
        return new and source == tutor_store.PENDING

    asked = await ctx.db.run(link)
    return [Message(PENDING_NOTE)] if asked else []


Handler = Callable[[Context, str], Awaitable[list[Reply]]]


def in_group_for_tutors(name: str, private: Handler | None = None) -> Callable[[Handler], Handler]:
    """Rights first (a student gets a polite refusal and nothing happens), then the chat kind."""

    def wrap(handler: Handler) -> Handler:
        async def run(ctx: Context, args: str) -> list[Reply]:
            if not await roles.may_teach_here(ctx):
                return roles.refusal(name)
            if ctx.private:
                if private is not None:
                    return await private(ctx, args)
                text = (
                    f"/{name} works in your class group: add me there, then send it in the group."
                )
                return [Message(text)]
            group = await this_group(ctx)
            note = await link_teacher(ctx, group)
            return [*await handler(ctx, args), *note]

        return run

    return wrap
