"""Bot API ``ChatMember`` objects and the checks Telegram makes before a bot writes to a chat."""

from __future__ import annotations

from .models import JSON, ApiError, Chat, User, bad_request

_ADMIN_RIGHTS: JSON = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_pin_messages": True,
    "can_manage_topics": False,
}


def chat_member(user: User, status: str) -> JSON:
    """The ChatMember variant for ``status``."""
    data: JSON = {"status": status, "user": user.to_api()}
    if status == "creator":
        data["is_anonymous"] = False
    elif status == "administrator":
        data.update(_ADMIN_RIGHTS)
    elif status == "kicked":
        data["until_date"] = 0
    return data


def member_status(chat: Chat, user: User, bot: User) -> str:
    """A user's status in a chat as getChatMember reports it."""
    if user.id == bot.id:
        return chat.bot_status
    if chat.type == "private":
        return "member" if user.id == chat.id else "left"
    return chat.members.get(user.id, "left")


def ensure_can_write(chat: Chat) -> None:
    """Raise the error Telegram gives when the bot may not post in ``chat``.

    Blocking by a user or removal from a group is Telegram's normal refusal, not a violation.
    """
    if chat.migrated_to is not None:
        raise ApiError(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            parameters={"migrate_to_chat_id": chat.migrated_to},
        )
    if chat.type == "private":
        if chat.bot_status == "kicked":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return
    kind = "supergroup" if chat.type == "supergroup" else "group"
    if chat.bot_status == "kicked":
        raise ApiError(403, f"Forbidden: bot was kicked from the {kind} chat")
    if chat.bot_status == "left":
        raise ApiError(403, f"Forbidden: bot is not a member of the {kind} chat")


def require_group(chat: Chat) -> None:
    """getChatAdministrators and similar only make sense in groups."""
    if not chat.is_group:
        raise bad_request("there are no administrators in the private chat", violation=False)
