"""A group's life cycle as the bot sees it: added (with an introduction), removed, migrated to a
supergroup, renamed.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from dialogs import people
from dialogs.classes import consent
from dialogs.context import Person, Services
from dialogs.replies import Message, Reply, rows
from dialogs.text import bold, code, esc, italic
from storage import groups as store
from storage import tutors as tutor_store
from storage.users import get_user


def intro_text(services: Services, title: str, adder_is_tutor: bool) -> str:
    """The post when the bot joins a group: what the tutor can do next."""
    where = f", {esc(title)}" if title else ""
    lines = [
        f"👋 Hello{where}! I'm the revision tutor for "
        f"{bold('Understanding customer segmentation and profiling')} (ISM Level 3).",
        "",
        bold("Tutor, here's what to do next:"),
        f"• {code('/challenge gym_membership 48h')}: a scenario challenge with a deadline",
        f"• {code('/groupquiz 5 kpis')}: a quick quiz as polls, one after another",
        f"• {code('/schedule mon 09:00 quiz 5')}: a weekly post",
        "• /leaderboard, and /close to post results early",
        "• Reports come privately: send me /report in a private chat.",
        "",
        "Students: tap Start the challenge under a challenge post to do it privately with me. "
        "Quiz answers count towards your own revision too. "
        "/settings lets you keep your name off the leaderboard. "
        "Tap Join this class to let your tutors see your practice with me as well.",
    ]
    if not adder_is_tutor:
        lines += ["", italic("Only tutors and this group's admins can run the tutor commands.")]
    return "\n".join(lines)


async def bot_added(
    services: Services, *, chat_id: int, title: str, by: Person, now: datetime
) -> list[Reply]:
    """The bot joined a group: record it, link the tutor who added it, introduce ourselves."""

    def record(session: Session) -> tuple[bool, int | None]:
        """Record the group (and who added it); whether that person is a tutor, and the
        group's id."""
        people.seen(session, by, now)
        adder = get_user(session, user_id=by.id)
        group = store.ensure_group(
            session,
            chat_id=chat_id,
            title=title,
            now=now,
            added_by=by.id,
            timezone=adder.timezone if adder else None,
        )
        is_tutor = by.id in services.config.tutor_ids or tutor_store.has_tutor_role(
            session, user_id=by.id
        )
        if is_tutor and group.id is not None:
            tutor_store.link_tutor(
                session, group_id=group.id, user_id=by.id, source="added", now=now
            )
        return is_tutor, group.id

    is_tutor, group_id = await services.db.run(record)
    join = rows(consent.join_button(services.config.bot_username, group_id)) if group_id else ()
    return [Message(intro_text(services, title, is_tutor), join)]


async def bot_removed(services: Services, *, chat_id: int, now: datetime) -> bool:
    """The bot left or was removed: cancel everything scheduled there. False if unknown."""

    def deactivate(session: Session) -> bool:
        group = store.group_by_chat(session, chat_id=chat_id)
        if group is None:
            return False
        store.deactivate_group(session, group=group, now=now)
        return True

    return await services.db.run(deactivate)


async def group_migrated(services: Services, *, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup (new chat id): carry its history over."""
    await services.db.run(
        lambda session: store.migrate_group(
            session, old_chat_id=old_chat_id, new_chat_id=new_chat_id
        )
    )


async def note_title(services: Services, *, chat_id: int, title: str) -> bool:
    """Keep a known group's title current (shown in reports); False for an unknown group."""

    def rename(session: Session) -> bool:
        group = store.group_by_chat(session, chat_id=chat_id)
        if group is None:
            return False
        if title and group.title != title:
            group.title = title
            session.add(group)
        return True

    return await services.db.run(rename)
