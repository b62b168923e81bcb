"""The Telegram side of groups that needs no network: the cached admin check (anonymous admins
included, only for tutor commands and buttons) and the student's name toggle."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, select
from telegram import Chat, ChatMemberAdministrator, ChatMemberMember, Message, User
from telegram.error import BadRequest

from bot.handlers.groups import AdminCache, is_tutor_command
from dialogs.context import Person
from dialogs.replies import Message as Reply
from dialogs.tutor import Turn, Tutor
from storage import Database
from storage import groups as store
from storage.models import User as StoredUser
from tests.conftest import NOON

GROUP = Chat(-100, "supergroup", title="Class 3B", is_forum=True)
ANONYMOUS = User(1087968824, "Group", True, username="GroupAnonymousBot")


class FakeBot:
    """Answers getChatMember from a table and counts the calls."""

    def __init__(self, admins: set[int]) -> None:
        self.admins = admins
        self.calls: list[tuple[int, int]] = []

    async def get_chat_member(self, chat_id: int, user_id: int) -> Any:
        self.calls.append((chat_id, user_id))
        if user_id < 0:
            raise BadRequest("user not found")
        user = User(user_id, "Someone", False)
        if user_id in self.admins:
            return ChatMemberAdministrator(
                user,
                can_be_edited=False,
                is_anonymous=False,
                can_manage_chat=True,
                can_delete_messages=True,
                can_manage_video_chats=False,
                can_restrict_members=True,
                can_promote_members=False,
                can_change_info=True,
                can_invite_users=True,
                can_post_stories=False,
                can_edit_stories=False,
                can_delete_stories=False,
            )
        return ChatMemberMember(user)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def message(
    text: str,
    *,
    user: User | None = None,
    sender_chat: Chat | None = None,
    thread: int | None = None,
) -> Message:
    return Message(
        message_id=1,
        date=datetime.now(UTC),
        chat=GROUP,
        from_user=user,
        sender_chat=sender_chat,
        text=text,
        message_thread_id=thread,
        is_topic_message=thread is not None,
    )


def turn(user: int) -> Turn:
    return Turn(Person(user, "Sam"), GROUP.id, NOON, "supergroup")


async def test_admin_answers_are_cached_for_a_minute() -> None:
    bot: Any = FakeBot({7})
    clock = Clock()
    cache = AdminCache(clock=clock)
    assert await cache.is_admin(bot, -100, 7)
    assert not await cache.is_admin(bot, -100, 8)
    clock.now += 59
    assert await cache.is_admin(bot, -100, 7)
    assert bot.calls == [(-100, 7), (-100, 8)]
    bot.admins.clear()  # demoted: noticed once the answer is a minute old
    clock.now += 2
    assert not await cache.is_admin(bot, -100, 7)
    assert len(bot.calls) == 3
    assert not await cache.is_admin(bot, -100, -1)  # Telegram refused
    cache.forget(-100)
    await cache.is_admin(bot, -100, 8)
    assert bot.calls[-1] == (-100, 8) and len(bot.calls) == 5


async def test_only_tutor_commands_ask_and_anonymous_admins_are_admins() -> None:
    bot: Any = FakeBot({7})
    cache = AdminCache()
    student = User(5, "Sam", False)
    plain = await cache.command_turn(
        turn(5), message("/leaderboard", user=student), bot, "leaderboard"
    )
    assert not plain.is_group_admin and bot.calls == []
    assert is_tutor_command("challenge") and not is_tutor_command("leaderboard")
    refused = await cache.command_turn(turn(5), message("/close", user=student), bot, "close")
    assert not refused.is_group_admin and bot.calls == [(-100, 5)]
    anonymous = message("/close", user=ANONYMOUS, sender_chat=GROUP, thread=9)
    allowed = await cache.command_turn(turn(ANONYMOUS.id), anonymous, bot, "close")
    assert allowed.is_group_admin and allowed.thread_id == 9 and len(bot.calls) == 1
    channel = Chat(-1009, "channel")  # a linked channel's post is not the group's admin
    other = await cache.command_turn(
        turn(ANONYMOUS.id), message("/close", user=ANONYMOUS, sender_chat=channel), bot, "close"
    )
    assert not other.is_group_admin


async def test_buttons_ask_only_when_they_need_rights() -> None:
    bot: Any = FakeBot({7})
    cache = AdminCache()
    post = message("challenge post")
    mine = await cache.button_turn(turn(5), post, User(5, "Sam", False), bot, "g:me:1")
    assert not mine.is_group_admin and bot.calls == []
    admin = await cache.button_turn(turn(7), post, User(7, "Ada", False), bot, "g:sx:3")
    assert admin.is_group_admin and bot.calls == [(-100, 7)]


async def test_a_student_hides_their_name_from_the_class(tutor: Tutor, database: Database) -> None:
    owner = Turn(Person(999, "Tess"), GROUP.id, NOON, "supergroup")
    await tutor.on_command(owner, "groupquiz", "1")
    private = Turn(Person(5, "Sam"), 5, NOON, "private")
    nothing = await tutor.on_command(private, "leaderboard", "all")
    assert "not in a class group" in nothing[0].html  # type: ignore[union-attr]

    def join(s: Session) -> None:
        group = store.group_by_chat(s, chat_id=GROUP.id)
        assert group is not None and group.id is not None
        store.touch_member(s, group_id=group.id, user_id=5, now=NOON)

    await database.run(join)
    [standing] = await tutor.on_command(private, "leaderboard", "all")
    assert isinstance(standing, Reply)
    assert "• your group: no points yet" in standing.html
    [[button]] = standing.buttons
    assert button.data == "g:nm:hide"
    outcome = await tutor.on_button(private, button.data)
    assert outcome.edit is not None and outcome.edit.buttons[0][0].data == "g:nm:show"
    assert (await database.run(lambda s: s.get(StoredUser, 5))).hide_name  # type: ignore[union-attr]
    in_group = await tutor.on_button(
        Turn(Person(5, "Sam"), GROUP.id, NOON, "supergroup"), "g:nm:show"
    )
    assert in_group.alert and in_group.edit is None
    users = await database.run(lambda s: s.exec(select(StoredUser).where(StoredUser.id == 5)).one())
    assert not users.hide_name
    forged = await tutor.on_button(private, "g:nm:everyone")
    assert "expired" in (forged.toast or "")
