"""Simulated people and what they do: each action builds the Bot API Update Telegram would
send and queues it for getUpdates."""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Iterable, Sequence

from .chatmembers import chat_member
from .html_check import utf16_len
from .models import JSON, Chat, ChatMessage, User
from .state import CallbackState, EmulatorState

_user_ids = itertools.count(10_001)
_group_ids = itertools.count(1)


class PeopleMixin(EmulatorState):
    """Factories for users and groups and the actions people take."""

    # people and chats ---------------------------------------------------------------------------

    def user(
        self,
        id: int | None = None,
        first_name: str | None = None,
        username: str | None = None,
        *,
        last_name: str | None = None,
        language_code: str | None = "en",
    ) -> User:
        """Create a person (with their private chat with the bot). By default no username,
        as many real accounts have none."""
        user_id = id if id is not None else next(_user_ids)
        person = User(
            id=user_id,
            first_name=first_name or f"Student {user_id}",
            username=username,
            last_name=last_name,
            language_code=language_code,
        )
        self.users[person.id] = person
        self.register_chat(
            Chat(
                id=person.id,
                type="private",
                first_name=person.first_name,
                last_name=person.last_name,
                username=person.username,
            )
        )
        return person

    def group(
        self,
        id: int | None = None,
        title: str | None = None,
        *,
        supergroup: bool = True,
        is_forum: bool = False,
        username: str | None = None,
        owner: User | None = None,
        admins: Iterable[User] = (),
        members: Iterable[User] = (),
        bot_status: str = "member",
    ) -> Chat:
        """Create a group (``supergroup=False``) or supergroup the bot is in.

        ``bot_status`` is "member", "administrator", "left" (use add_bot_to_group) or
        "kicked". Admins are reported by getChatAdministrators/getChatMember.
        """
        number = next(_group_ids)
        chat_id = (
            id
            if id is not None
            else (-1_001_000_000_000 - number if supergroup else -4_000_000_000 - number)
        )
        chat = Chat(
            id=chat_id,
            type="supergroup" if supergroup else "group",
            title=title or f"Study group {number}",
            username=username,
            is_forum=is_forum,
            bot_status=bot_status,
        )
        if owner is not None:
            chat.members[owner.id] = "creator"
        chat.members.update({admin.id: "administrator" for admin in admins})
        for member in members:
            chat.members.setdefault(member.id, "member")
        return self.register_chat(chat)

    def add_member(self, group: Chat, user: User, status: str = "member") -> None:
        """Put ``user`` in ``group`` with ``status`` (no update is sent)."""
        group.members[user.id] = status

    def private_chat(self, user: User) -> Chat:
        """The private chat between ``user`` and the bot."""
        return self.chat_of(user)

    # messages from people -----------------------------------------------------------------------

    def send_text(
        self,
        sender: User,
        text: str,
        chat: Chat | None = None,
        *,
        reply_to: ChatMessage | None = None,
        message_thread_id: int | None = None,
    ) -> JSON:
        """``sender`` types ``text`` (in their private chat unless ``chat`` is given).

        A leading /command gets a bot_command entity and @bot mentions a mention entity.
        In groups with privacy mode, text that is not a command, a reply to the bot or a
        mention is not delivered (see ``withheld``).
        """
        entities: list[JSON] = []
        if text.startswith("/"):
            token = text.split(maxsplit=1)[0]
            entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(token)})
        mention = f"@{self.bot.username}"
        for match in re.finditer(re.escape(mention), text, flags=re.IGNORECASE):
            entities.append(
                {
                    "type": "mention",
                    "offset": utf16_len(text[: match.start()]),
                    "length": utf16_len(mention),
                }
            )
        content: JSON = {"text": text}
        if entities:
            content["entities"] = entities
        return self._user_message(sender, chat, content, reply_to, message_thread_id)

    def command(self, sender: User, name: str, args: str = "", chat: Chat | None = None) -> JSON:
        """``sender`` sends /name (as /name@bot in groups, like tapping the command menu)."""
        target = chat or self.private_chat(sender)
        text = f"/{name.lstrip('/')}"
        if target.is_group:
            text += f"@{self.bot.username}"
        if args:
            text += f" {args}"
        return self.send_text(sender, text, target)

    def send_sticker(self, sender: User, chat: Chat | None = None, *, emoji: str = "🙂") -> JSON:
        """``sender`` sends a sticker."""
        file_id = f"EMUSTICKER-{self.next_id()}"
        sticker: JSON = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._user_message(sender, chat, {"sticker": sticker})

    def send_photo(
        self, sender: User, chat: Chat | None = None, *, caption: str | None = None
    ) -> JSON:
        """``sender`` sends a photo, optionally captioned."""
        file_id = f"EMUPHOTO-{self.next_id()}"
        photo = [
            {
                "file_id": f"{file_id}-s",
                "file_unique_id": f"{file_id}-s",
                "width": 90,
                "height": 90,
                "file_size": 1200,
            },
            {
                "file_id": file_id,
                "file_unique_id": file_id,
                "width": 1280,
                "height": 960,
                "file_size": 98_000,
            },
        ]
        content: JSON = {"photo": photo}
        if caption is not None:
            content["caption"] = caption
        return self._user_message(sender, chat, content)

    def send_voice(self, sender: User, chat: Chat | None = None, *, duration: int = 3) -> JSON:
        """``sender`` sends a voice note."""
        file_id = f"EMUVOICE-{self.next_id()}"
        voice = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": 4_000 * duration,
        }
        return self._user_message(sender, chat, {"voice": voice})

    def _user_message(
        self,
        sender: User,
        chat: Chat | None,
        content: JSON,
        reply_to: ChatMessage | None = None,
        message_thread_id: int | None = None,
    ) -> JSON:
        target = chat or self.private_chat(sender)
        if target.is_group:
            target.members.setdefault(sender.id, "member")
        data: JSON = {
            "message_id": self.new_message_id(target.id),
            "from": sender.to_api(),
            "chat": target.to_api(),
            "date": self.now(),
        }
        if message_thread_id is not None:
            data["message_thread_id"] = message_thread_id
            data["is_topic_message"] = True
        if reply_to is not None:
            data["reply_to_message"] = {
                k: v for k, v in reply_to.data.items() if k != "reply_to_message"
            }
        data.update(content)
        self.add_message(ChatMessage(target.id, data["message_id"], data, from_bot=False))
        update = self.new_update("message", data)
        if self._reaches_bot(target, data, reply_to):
            return self.enqueue(update)
        self.withheld.append(update)
        self.notify()
        return update

    def _reaches_bot(self, chat: Chat, data: JSON, reply_to: ChatMessage | None) -> bool:
        if chat.type == "private":
            return chat.bot_status != "kicked"
        if chat.bot_status not in ("member", "administrator"):
            return False
        if not self.privacy_mode or chat.bot_status == "administrator":
            return True
        if reply_to is not None and reply_to.from_bot:
            return True
        text = str(data.get("text", ""))
        kinds = {e["type"] for e in data.get("entities", [])}
        if "mention" in kinds:
            return True
        if "bot_command" in kinds:
            command = text.split(maxsplit=1)[0]
            addressee = command.partition("@")[2]
            return not addressee or addressee.lower() == (self.bot.username or "").lower()
        return False

    # buttons, polls -----------------------------------------------------------------------------

    def press(
        self,
        sender: User,
        message: ChatMessage,
        button: str | None = None,
        *,
        data: str | None = None,
    ) -> JSON:
        """``sender`` taps the inline button labelled ``button`` (or carrying ``data``)
        under a bot message. Fails the test if no such callback button is shown now."""
        if message.deleted:
            raise AssertionError(f"Message {message.message_id} was deleted; nothing to press")
        if (button is None) == (data is None):
            raise TypeError("press() needs exactly one of button= or data=")
        if button is not None:
            found = [b for b in message.buttons if b.get("text") == button]
            if not found:
                raise AssertionError(
                    f"No button {button!r} under message {message.message_id}; "
                    f"buttons: {message.button_texts}"
                )
            if "callback_data" not in found[0]:
                raise AssertionError(f"Button {button!r} is not a callback button: {found[0]}")
            data = str(found[0]["callback_data"])
        elif data not in message.callback_data:
            raise AssertionError(
                f"No button with callback_data {data!r} under message {message.message_id}; "
                f"present: {message.callback_data}. Use forge_callback() to send other data."
            )
        assert data is not None
        return self._callback(sender, self.chat_of(message.chat_id), message.data, data)

    def forge_callback(self, sender: User, chat: Chat | User, message_id: int, data: str) -> JSON:
        """A callback query with arbitrary ``data``, as a tampered or outdated client sends.

        For a message id that does not exist (or was deleted) the query carries an
        InaccessibleMessage (date 0), as Telegram does.
        """
        target = self.chat_of(chat)
        message = self.find_message(target.id, message_id)
        if message is not None and not message.deleted:
            payload = message.data
        else:
            payload = {"chat": target.to_api(), "message_id": message_id, "date": 0}
        return self._callback(sender, target, payload, data)

    def _callback(self, sender: User, chat: Chat, message: JSON, data: str) -> JSON:
        query_id = str(7_000_000_000_000 + self.next_id())
        query = {
            "id": query_id,
            "from": sender.to_api(),
            "message": copy.deepcopy(message),
            "chat_instance": str(abs(chat.id) * 7919 % 10**15),
            "data": data,
        }
        update = self.new_update("callback_query", query)
        self.callback_queries[query_id] = CallbackState(update)
        return self.enqueue(update)

    def answer_poll(self, voter: User, poll: ChatMessage | str, option_ids: Sequence[int]) -> JSON:
        """``voter`` votes in a poll the bot sent (``[]`` retracts a vote).

        Non-anonymous polls produce a poll_answer update. Anonymous polls (Telegram's
        default when is_anonymous is not passed) never reveal voters: only a ``poll``
        update with the new counts is sent.
        """
        poll_id = poll if isinstance(poll, str) else str((poll.poll or {}).get("id"))
        state = self.polls.get(poll_id)
        if state is None:
            raise AssertionError(f"No poll {poll_id!r} was sent by the bot")
        data = state.poll
        choice = list(option_ids)
        if data["is_closed"]:
            raise AssertionError(f"Poll {poll_id} is closed")
        if any(not 0 <= i < len(data["options"]) for i in choice) or len(set(choice)) != len(
            choice
        ):
            raise AssertionError(f"Invalid option ids {choice} for poll {poll_id}")
        if len(choice) > 1 and not data["allows_multiple_answers"]:
            raise AssertionError(f"Poll {poll_id} allows a single answer")
        previous = state.votes.get(voter.id)
        if previous and data["type"] == "quiz" and not data.get("allows_revoting"):
            raise AssertionError(f"{voter.first_name} already answered quiz {poll_id}")
        for index in previous or []:
            data["options"][index]["voter_count"] -= 1
        for index in choice:
            data["options"][index]["voter_count"] += 1
        if choice:
            state.votes[voter.id] = choice
        else:
            state.votes.pop(voter.id, None)
        data["total_voter_count"] = len(state.votes)
        if data["is_anonymous"]:
            return self.enqueue(self.new_update("poll", data))
        answer = {
            "poll_id": poll_id,
            "user": voter.to_api(),
            "option_ids": choice,
            "option_persistent_ids": [data["options"][i]["persistent_id"] for i in choice],
        }
        return self.enqueue(self.new_update("poll_answer", answer))

    # membership ---------------------------------------------------------------------------------

    def _my_chat_member(self, chat: Chat, by: User, old: str, new: str) -> JSON:
        return self.new_update(
            "my_chat_member",
            {
                "chat": chat.to_api(),
                "from": by.to_api(),
                "date": self.now(),
                "old_chat_member": chat_member(self.bot, old),
                "new_chat_member": chat_member(self.bot, new),
            },
        )

    def _service_message(self, chat: Chat, by: User, fields: JSON) -> JSON:
        data: JSON = {
            "message_id": self.new_message_id(chat.id),
            "from": by.to_api(),
            "chat": chat.to_api(),
            "date": self.now(),
            **fields,
        }
        self.add_message(ChatMessage(chat.id, data["message_id"], data, from_bot=False))
        return self.new_update("message", data)

    def add_bot_to_group(self, group: Chat, by: User, *, as_admin: bool = False) -> list[JSON]:
        """``by`` adds the bot: a my_chat_member update, then the new_chat_members message."""
        old, new = group.bot_status, "administrator" if as_admin else "member"
        group.bot_status = new
        group.members.setdefault(by.id, "member")
        member_update = self.enqueue(self._my_chat_member(group, by, old, new))
        joined = self._service_message(group, by, {"new_chat_members": [self.bot.to_api()]})
        return [member_update, self.enqueue(joined)]

    def remove_bot_from_group(self, group: Chat, by: User) -> list[JSON]:
        """``by`` removes the bot: one my_chat_member update (the bot sees nothing else)."""
        old, group.bot_status = group.bot_status, "kicked"
        return [self.enqueue(self._my_chat_member(group, by, old, "kicked"))]

    def migrate_to_supergroup(self, group: Chat, by: User) -> tuple[Chat, list[JSON]]:
        """Upgrade a basic group: returns the new supergroup and the two service-message
        updates (migrate_to_chat_id in the old chat, migrate_from_chat_id in the new).
        Later sends to the old id get Telegram's 400 with migrate_to_chat_id."""
        if group.type != "group":
            raise AssertionError("Only basic groups can be migrated")
        supergroup = self.group(
            -1_002_000_000_000 + group.id, group.title, bot_status=group.bot_status
        )
        supergroup.members.update(group.members)
        old_side = self._service_message(group, by, {"migrate_to_chat_id": supergroup.id})
        new_side = self._service_message(supergroup, by, {"migrate_from_chat_id": group.id})
        group.migrated_to = supergroup.id
        return supergroup, [self.enqueue(old_side), self.enqueue(new_side)]

    def block(self, user: User) -> JSON:
        """``user`` blocks the bot: my_chat_member (member -> kicked) and, from now on, 403
        "Forbidden: bot was blocked by the user" for messages to them."""
        chat = self.private_chat(user)
        old, chat.bot_status = chat.bot_status, "kicked"
        return self.enqueue(self._my_chat_member(chat, user, old, "kicked"))

    def unblock(self, user: User) -> JSON:
        """``user`` unblocks (restarts) the bot."""
        chat = self.private_chat(user)
        old, chat.bot_status = chat.bot_status, "member"
        return self.enqueue(self._my_chat_member(chat, user, old, "member"))
