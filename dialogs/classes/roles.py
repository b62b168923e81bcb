"""Who may do what: tutors, invited tutors, group administrators and students.

* A *tutor* is a configured owner (``TUTOR_IDS``) or someone who redeemed a tutor invite.
* In a group, its administrators may also run tutor commands; the adapter checks that with
  Telegram and passes the answer in as ``ctx.is_group_admin`` (anonymous admins included).
* Reports about a group go only to its linked tutors (and the configured owners), in private.
  An invited tutor's link to a group waits for the group's tutor or an owner to approve it;
  an administrator who is not a tutor is linked at once but sees only what happened in the
  group (its polls and challenges), never a student's private practice.
"""

from __future__ import annotations

from dialogs.context import Context
from dialogs.replies import Message, Reply
from storage.models import Group
from storage.tutors import PENDING, has_tutor_role, is_group_tutor, tutor_link

ADMIN_SOURCE = "admin"
"""A group tutor link made because the person administers the group (not a tutor)."""

ANONYMOUS_ADMIN_ID = 1087968824
"""Telegram's stand-in user (@GroupAnonymousBot) for admins who post as the group."""


def is_owner(ctx: Context) -> bool:
    """True for the tutors named in the configuration (``TUTOR_IDS``)."""
    return ctx.person.id in ctx.services.config.tutor_ids


async def is_tutor(ctx: Context) -> bool:
    """True for configured tutors and for anyone who redeemed a tutor invite."""
    if is_owner(ctx):
        return True
    return await ctx.db.run(lambda session: has_tutor_role(session, user_id=ctx.person.id))


async def may_teach_here(ctx: Context) -> bool:
    """May this person run tutor commands in this chat? Tutors anywhere; admins in their group."""
    if not ctx.private and ctx.is_group_admin:
        return True
    return await is_tutor(ctx)


async def may_see_group(ctx: Context, group: Group) -> bool:
    """May this person read the group's report? Its linked tutors and the configured owners."""
    if is_owner(ctx):
        return True
    group_id = group.id
    assert group_id is not None
    return await ctx.db.run(
        lambda session: is_group_tutor(session, group_id=group_id, user_id=ctx.person.id)
    )


async def sees_practice(ctx: Context, group: Group) -> bool:
    """May this person see private practice (of students who joined) in the group's report?
    Owners and the group's approved tutors; not an administrator who is not a tutor."""
    if is_owner(ctx):
        return True
    group_id = group.id
    assert group_id is not None
    link = await ctx.db.run(
        lambda session: tutor_link(session, group_id=group_id, user_id=ctx.person.id)
    )
    return link is not None and link.source not in (PENDING, ADMIN_SOURCE)


def is_real_person(ctx: Context) -> bool:
    """False for Telegram's anonymous-admin stand-in, which must never be linked or listed."""
    return ctx.person.id != ANONYMOUS_ADMIN_ID


def refusal(command: str) -> list[Reply]:
    """The short, polite answer to a student who tried a tutor command."""
    text = (
        f"Sorry, /{command} is for tutors only, so I've left everything as it was. "
        "Type /help to see what you can do."
    )
    return [Message(text)]


REFUSAL_TOAST = "Sorry, only the tutor can use this button."
"""The toast for a tutor's button pressed by someone else."""

NOT_YOURS_TOAST = "That button belongs to someone else. Nothing changed."
"""The toast for a student's button pressed by another student."""
