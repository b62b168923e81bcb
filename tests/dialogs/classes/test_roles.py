"""Rights: configured and invited tutors, group admins (anonymous ones too), students refused."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

import pytest
from sqlmodel import select

from dialogs.classes import roles
from dialogs.context import Person
from dialogs.replies import Message, Reply
from dialogs.tutor import Turn, Tutor
from storage import Database
from storage.models import Challenge, GroupQuiz, GroupSchedule, GroupTutor, TutorInvite, User
from tests.conftest import NOON

OWNER = 999
GROUP = -100


def group_turn(user: int, *, admin: bool = False, name: str = "Sam", now=NOON) -> Turn:
    return Turn(Person(user, name), GROUP, now, "supergroup", is_group_admin=admin)


def private_turn(user: int, *, name: str = "Sam", now=NOON, admin: bool = False) -> Turn:
    return Turn(Person(user, name), user, now, "private", is_group_admin=admin)


def text_of(replies: Sequence[Reply]) -> str:
    return "\n".join(r.html for r in replies if isinstance(r, Message))


async def count(database: Database, table: type) -> int:
    return await database.run(lambda s: len(s.exec(select(table)).all()))


async def invite_code(tutor: Tutor, by: int = OWNER, now=NOON) -> str:
    replies = await tutor.on_command(private_turn(by, name="Tess", now=now), "invite", "")
    found = re.search(r"start=tutor_([A-Za-z0-9_-]+)", text_of(replies))
    assert found, text_of(replies)
    return found.group(1)


async def test_the_configured_tutor_sets_a_challenge(tutor: Tutor, database: Database) -> None:
    replies = await tutor.on_command(group_turn(OWNER, name="Tess"), "challenge", "gym 48h")
    assert "Class challenge" in text_of(replies)
    assert await count(database, Challenge) == 1
    link = await database.run(lambda s: s.exec(select(GroupTutor)).one())
    assert link.user_id == OWNER


@pytest.mark.parametrize(
    ("command", "args", "chat"),
    [
        ("challenge", "gym_membership 48h", "group"),
        ("groupquiz", "3", "group"),
        ("close", "", "group"),
        ("schedule", "mon 09:00 quiz 5", "group"),
        ("challenge", "", "private"),
        ("groupquiz", "", "private"),
        ("report", "", "private"),
        ("report", "", "group"),
        ("invite", "", "private"),
    ],
)
async def test_a_student_is_refused_politely_and_nothing_happens(
    tutor: Tutor, database: Database, command: str, args: str, chat: str
) -> None:
    turn = group_turn(5) if chat == "group" else private_turn(5)
    replies = await tutor.on_command(turn, command, args)
    assert len(replies) == 1
    assert f"/{command} is for tutors only" in text_of(replies)
    for table in (Challenge, GroupQuiz, GroupSchedule, GroupTutor, TutorInvite):
        assert await count(database, table) == 0


async def test_a_group_admin_runs_tutor_commands_in_their_group_only(
    tutor: Tutor, database: Database
) -> None:
    replies = await tutor.on_command(group_turn(7, admin=True, name="Ada"), "challenge", "gym")
    assert "Class challenge" in text_of(replies)
    link = await database.run(lambda s: s.exec(select(GroupTutor)).one())
    assert (link.user_id, link.source) == (7, "admin")
    # the admin flag means nothing outside the group: no invites, no previews
    for command in ("invite", "challenge"):
        refused = await tutor.on_command(private_turn(7, admin=True), command, "")
        assert "for tutors only" in text_of(refused)
    # but their group's report is theirs to read, privately
    report = await tutor.on_command(private_turn(7, name="Ada"), "report", "")
    assert "Class report" in text_of(report)


async def test_an_anonymous_admin_counts_as_admin_but_is_never_linked(
    tutor: Tutor, database: Database
) -> None:
    anonymous = Turn(
        Person(roles.ANONYMOUS_ADMIN_ID, "Group"), GROUP, NOON, "supergroup", is_group_admin=True
    )
    replies = await tutor.on_command(anonymous, "groupquiz", "2")
    assert "Class quiz" in text_of(replies)
    assert await count(database, GroupQuiz) == 1
    assert await count(database, GroupTutor) == 0


async def test_an_invited_tutor_gets_rights_and_the_code_works_once(
    tutor: Tutor, database: Database
) -> None:
    code = await invite_code(tutor)
    welcome = await tutor.on_command(private_turn(5, name="Nia"), "start", f"tutor_{code}")
    assert "you're now a tutor" in text_of(welcome)
    posted = await tutor.on_command(group_turn(5, name="Nia"), "challenge", "gym 48h")
    assert "Class challenge" in text_of(posted)
    reused = await tutor.on_command(private_turn(6), "start", f"tutor_{code}")
    assert "already been used" in text_of(reused)
    refused = await tutor.on_command(group_turn(6), "challenge", "gym 48h")
    assert "for tutors only" in text_of(refused)
    roles_by_id = await database.run(lambda s: {u.id: u.role for u in s.exec(select(User)).all()})
    assert roles_by_id[5] == "tutor" and roles_by_id[6] == "student"
    # an invited tutor may invite in turn
    assert await invite_code(tutor, by=5)


async def test_expired_forged_and_wasted_invites(tutor: Tutor, database: Database) -> None:
    code = await invite_code(tutor)
    late = private_turn(5, now=NOON + timedelta(hours=48, seconds=1))
    assert "expired" in text_of(await tutor.on_command(late, "start", f"tutor_{code}"))
    forged = await tutor.on_command(private_turn(5), "start", "tutor_not-a-real-code")
    assert "isn't valid" in text_of(forged)
    fresh = await invite_code(tutor)
    kept = await tutor.on_command(private_turn(OWNER), "start", f"tutor_{fresh}")
    assert "already a tutor" in text_of(kept)
    invites = await database.run(lambda s: {i.code: i for i in s.exec(select(TutorInvite)).all()})
    assert invites[fresh].used_by is None and invites[code].used_by is None
    in_group = await tutor.on_command(group_turn(OWNER), "invite", "")
    assert "private chat" in text_of(in_group)
    assert await count(database, TutorInvite) == 2


async def test_reports_go_only_to_the_tutors_of_that_group(
    tutor: Tutor, database: Database
) -> None:
    code = await invite_code(tutor)
    await tutor.on_command(private_turn(5, name="Nia"), "start", f"tutor_{code}")
    await tutor.on_command(group_turn(OWNER), "challenge", "gym 48h")
    group_id = await database.run(lambda s: s.exec(select(Challenge)).one().group_id)
    # Nia is a tutor, but not of this group
    mine = await tutor.on_command(private_turn(5, name="Nia"), "report", "")
    assert "don't have a class group" in text_of(mine)
    forged = await tutor.on_button(private_turn(5), f"tu:r:{group_id}")
    assert forged.toast == roles.REFUSAL_TOAST and not forged.replies
    student = await tutor.on_button(private_turn(6), f"tu:c:{group_id}")
    assert student.toast == roles.REFUSAL_TOAST and not student.replies
    in_group = await tutor.on_command(group_turn(OWNER), "report", "")
    assert "Reports are private" in text_of(in_group) and "Class report" not in text_of(in_group)
    owner = await tutor.on_button(private_turn(OWNER), f"tu:r:{group_id}")
    assert "Class report" in text_of(owner.replies)


async def test_tutor_buttons_pressed_by_a_student_change_nothing(
    tutor: Tutor, database: Database
) -> None:
    picker = await tutor.on_command(group_turn(OWNER), "challenge", "72h")
    [message] = picker
    assert isinstance(message, Message)
    data = message.buttons[0][0].data
    assert data.startswith("g:ch:") and data.endswith(":72")
    refused = await tutor.on_button(group_turn(5), data)
    assert refused.toast == roles.REFUSAL_TOAST and refused.edit is None and not refused.replies
    assert await count(database, Challenge) == 0
    await tutor.on_command(group_turn(OWNER), "schedule", "mon 09:00 quiz 5")
    schedule = await database.run(lambda s: s.exec(select(GroupSchedule)).one())
    refused = await tutor.on_button(group_turn(5), f"g:sx:{schedule.id}")
    assert refused.toast == roles.REFUSAL_TOAST
    status = await database.run(lambda s: s.exec(select(GroupSchedule)).one().status)
    assert status == "active"
    chosen = await tutor.on_button(group_turn(OWNER), data)
    assert chosen.toast == "Challenge posted." and "Class challenge" in text_of(chosen.replies)
    challenge = await database.run(lambda s: s.exec(select(Challenge)).one())
    assert challenge.deadline == NOON + timedelta(hours=72)
