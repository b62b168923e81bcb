"""Class data only with consent: a student's private practice reaches a class report only once
they join the class, never reaches an administrator who is not a tutor, and an invited tutor
reads a group's reports only once its tutor (or an owner) approves."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import Session, select

from dialogs.classes import roles
from dialogs.classes.in_group import PENDING_NOTE
from dialogs.replies import Message
from dialogs.tutor import Tutor
from storage import Database
from storage import groups as store
from storage.models import Group, GroupTutor, MisconceptionHit, ReviewLog, User
from tests.conftest import NOON
from tests.dialogs.classes.test_roles import (
    GROUP,
    OWNER,
    group_turn,
    invite_code,
    private_turn,
    text_of,
)

SIA, BO = 7, 8
MISCONCEPTION = "mc_segmentation_vs_targeting"
MISCONCEPTION_TITLE = "Segmenting is not targeting"


async def bo_practises_privately(database: Database) -> int:
    """Bo took part in the group once and practises in private: a two-day streak and a
    misconception. Returns the group's id."""

    def seed(session: Session) -> int:
        group = store.group_by_chat(session, chat_id=GROUP)
        assert group is not None and group.id is not None
        session.add(User(id=BO, first_name="Bo", created_at=NOON, last_seen_at=NOON))
        session.flush()
        store.touch_member(session, group_id=group.id, user_id=BO, now=NOON - timedelta(days=3))
        for days_ago in (0, 1):
            session.add(
                ReviewLog(
                    user_id=BO,
                    item_id="usage_rate",
                    rating=3,
                    reviewed_at=NOON - timedelta(days=days_ago),
                )
            )
        session.add(MisconceptionHit(user_id=BO, misconception_id=MISCONCEPTION, at=NOON))
        return group.id

    return await database.run(seed)


async def report_for(tutor: Tutor, user: int) -> str:
    return text_of(await tutor.on_command(private_turn(user), "report", ""))


def bo_line(report: str) -> str:
    return next(line for line in report.splitlines() if "<b>Bo</b>" in line)


async def test_private_practice_shows_only_after_joining_and_never_to_a_plain_admin(
    tutor: Tutor, database: Database
) -> None:
    # Sia, a student, made the group and runs a group quiz there: she is its admin
    posted = await tutor.on_command(group_turn(SIA, admin=True, name="Sia"), "groupquiz", "2")
    assert "Class quiz" in text_of(posted)
    group_id = await bo_practises_privately(database)
    [announcement] = posted
    assert isinstance(announcement, Message)
    [[join]] = announcement.buttons  # students can join the class from the quiz post
    assert join.url is not None and join.url.endswith(f"?start=join_{group_id}")

    for reader in (SIA, OWNER):  # Bo has not joined: nobody sees his private practice
        report = await report_for(tutor, reader)
        assert "no streak" in bo_line(report) and MISCONCEPTION_TITLE not in report

    offer = await tutor.on_command(private_turn(BO, name="Bo"), "start", f"join_{group_id}")
    assert "streak" in text_of(offer) and "never the words you typed" in text_of(offer)
    [message] = offer
    assert isinstance(message, Message)
    joined = await tutor.on_button(private_turn(BO, name="Bo"), message.buttons[0][0].data)
    assert "joined" in (joined.edit.html if joined.edit else "")

    owner = await report_for(tutor, OWNER)
    assert "🔥 2" in bo_line(owner) and MISCONCEPTION_TITLE in owner
    admin = await report_for(tutor, SIA)  # an admin who is not a tutor: the group's own only
    assert "no streak" in bo_line(admin) and MISCONCEPTION_TITLE not in admin

    privacy = await tutor.on_command(private_turn(BO, name="Bo"), "privacy", "")
    [listing] = privacy
    assert isinstance(listing, Message)
    leave = next(b.data for row in listing.buttons for b in row if b.label.startswith("Leave"))
    await tutor.on_button(private_turn(BO, name="Bo"), leave)
    assert "no streak" in bo_line(await report_for(tutor, OWNER))


async def test_a_forged_join_for_a_missing_class_changes_nothing(
    tutor: Tutor, database: Database
) -> None:
    for data in ("cj:join:99", "cj:join:" + "9" * 40, "cj:join:-1", "cj:leave:x"):
        outcome = await tutor.on_button(private_turn(BO), data)
        assert "expired" in (outcome.toast or "")
    missing = await tutor.on_command(private_turn(BO), "start", "join_123456789012345678901")
    assert "can't find that class" in text_of(missing)
    assert await database.run(lambda s: s.exec(select(Group)).all()) == []


async def test_an_invited_tutor_cannot_link_themselves_to_a_group(
    tutor: Tutor, database: Database
) -> None:
    await tutor.on_command(group_turn(OWNER, name="Tess"), "challenge", "gym 48h")
    code = await invite_code(tutor)
    await tutor.on_command(private_turn(5, name="Nia"), "start", f"tutor_{code}")
    other = await invite_code(tutor)
    await tutor.on_command(private_turn(6, name="Ola"), "start", f"tutor_{other}")

    posted = await tutor.on_command(group_turn(5, name="Nia"), "groupquiz", "2")
    assert "Class quiz" in text_of(posted) and PENDING_NOTE in text_of(posted)
    again = await tutor.on_command(group_turn(5, name="Nia"), "challenge", "gym 48h")
    assert "Class challenge" in text_of(again)
    assert PENDING_NOTE not in text_of(again)  # asked once
    group_id = await database.run(lambda s: s.exec(select(Group)).one().id)
    assert "don't have a class group" in await report_for(tutor, 5)
    forged = await tutor.on_button(private_turn(5), f"tu:r:{group_id}")
    assert forged.toast == roles.REFUSAL_TOAST and not forged.replies

    owner_view = await tutor.on_command(private_turn(OWNER), "report", "")
    request = owner_view[0]
    assert isinstance(request, Message) and "asks to read" in request.html
    approve = request.buttons[0][0].data
    assert re.fullmatch(r"ta:ok:\d+", approve)
    # another invited tutor, not this group's, cannot approve it; nor can Nia herself
    for stranger in (6, 5):
        refused = await tutor.on_button(private_turn(stranger), approve)
        assert refused.toast == roles.REFUSAL_TOAST
    assert "don't have a class group" in await report_for(tutor, 5)

    approved = await tutor.on_button(private_turn(OWNER), approve)
    assert approved.edit is not None and "Approved" in approved.edit.html
    assert "Class report" in await report_for(tutor, 5)
    again_pressed = await tutor.on_button(private_turn(OWNER), approve)
    assert "already been decided" in (again_pressed.toast or "")
    link = await database.run(
        lambda s: s.exec(select(GroupTutor).where(GroupTutor.user_id == 5)).one()
    )
    assert link.source == "tutor"
