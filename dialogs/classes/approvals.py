"""Approving a tutor's link to a group: an invited tutor who runs a tutor command in a group
asks to read its reports; the group's tutor (or an owner, ``TUTOR_IDS``) approves or declines.

Requests show at the top of the approver's ``/report``. Callback data: ``ta:ok:<link>``,
``ta:no:<link>`` (the link's row id, range-checked).
"""

from __future__ import annotations

from sqlmodel import Session

from dialogs.classes import roles
from dialogs.context import Context
from dialogs.numbers import bounded_int
from dialogs.replies import Button, ButtonOutcome, Message, Reply
from dialogs.text import bold, esc
from storage import tutors as store
from storage.models import GroupTutor

PREFIX = "ta"


def _approvable_groups(ctx: Context, session: Session) -> list[int]:
    if roles.is_owner(ctx):
        return [g.id for g in store.all_groups(session) if g.id is not None]
    return store.approver_groups(session, user_id=ctx.person.id)


async def requests(ctx: Context) -> list[Reply]:
    """One message per request this person may decide, each with Approve and Decline."""

    def read(session: Session) -> list[tuple[GroupTutor, str, str]]:
        links = store.pending_links(session, group_ids=_approvable_groups(ctx, session))
        users = store.users_by_id(session, user_ids=[link.user_id for link in links])
        titles = {g.id: g.title for g in store.all_groups(session)}
        return [
            (
                link,
                users[link.user_id].first_name if link.user_id in users else "A tutor",
                titles.get(link.group_id) or "your group",
            )
            for link in links
        ]

    found = await ctx.db.run(read)
    return [
        Message(
            f"📨 {bold(name)} (a tutor) asks to read {bold(title)}'s reports, including the "
            "practice of students who joined the class.",
            (
                (
                    Button("✅ Approve", f"{PREFIX}:ok:{link.id}"),
                    Button("Decline", f"{PREFIX}:no:{link.id}"),
                ),
            ),
        )
        for link, name, title in found[:10]
    ]


async def on_button(ctx: Context, rest: str) -> ButtonOutcome:
    """``ok:<link>`` approves, ``no:<link>`` declines; only the group's tutor or an owner."""
    action, _, arg = rest.partition(":")
    link_id = bounded_int(arg, 1)
    if action not in ("ok", "no") or link_id is None or not ctx.private:
        return ButtonOutcome(toast="That button has expired. Send /report again.")

    def decide(session: Session) -> str | None:
        link = session.get(GroupTutor, link_id)
        if link is None or link.source != store.PENDING:
            return "That request has already been decided."
        if link.group_id not in _approvable_groups(ctx, session):
            return roles.REFUSAL_TOAST
        if action == "ok":
            store.approve_link(session, link_id=link_id)
        else:
            store.decline_link(session, link_id=link_id)
        return None

    refused = await ctx.db.run(decide)
    if refused is not None:
        return ButtonOutcome(toast=refused)
    text = (
        "✅ Approved: they can read the class's reports now."
        if action == "ok"
        else ("Declined: they can still post in the group but not read its reports.")
    )
    return ButtonOutcome(toast="Done", edit=Message(esc(text)))
