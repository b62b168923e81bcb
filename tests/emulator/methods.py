"""The emulated Bot API methods. Each takes the emulator state and the recorded call (with
decoded parameters and uploaded files), changes the state and returns the ``result``
Telegram would send, or raises ApiError with Telegram's error answer."""

from __future__ import annotations

import asyncio
import copy
import json
import struct
from collections.abc import Awaitable, Callable
from typing import Any

from .chatmembers import chat_member, ensure_can_write, member_status, require_group
from .content import correct_option_ids, render
from .models import JSON, ApiError, Call, Chat, ChatMessage, UploadedFile, bad_request
from .state import EmulatorState, PollState

Method = Callable[[EmulatorState, Call], Awaitable[Any]]

_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


# shared helpers --------------------------------------------------------------------------------


def target_chat(emu: EmulatorState, params: JSON, *, writing: bool = False) -> Chat:
    """The chat addressed by ``chat_id``; 400 "chat not found" (a violation) when unknown."""
    chat = emu.resolve_chat(params.get("chat_id"))
    if chat is None:
        raise bad_request("chat not found")
    if writing:
        ensure_can_write(chat)
    return chat


def _target_message(emu: EmulatorState, call: Call, not_found: str) -> ChatMessage:
    params = call.params
    if "inline_message_id" in params:
        raise bad_request("inline messages are not emulated")
    if "message_id" not in params or "chat_id" not in params:
        raise bad_request("message identifier is not specified")
    chat = target_chat(emu, params, writing=True)
    message = emu.find_message(chat.id, params["message_id"])
    if message is None or message.deleted:
        raise bad_request(not_found)
    return message


def _inline_markup(markup: Any) -> JSON | None:
    return markup if isinstance(markup, dict) and "inline_keyboard" in markup else None


def _new_bot_message(
    emu: EmulatorState, call: Call, chat: Chat, content: JSON, source_text: str | None
) -> JSON:
    """Store and return a message the bot sends to ``chat``."""
    params = call.params
    data: JSON = {
        "message_id": emu.new_message_id(chat.id),
        "from": emu.bot.to_api(),
        "chat": chat.to_api(),
        "date": emu.now(),
    }
    if "message_thread_id" in params:
        data["message_thread_id"] = params["message_thread_id"]
        data["is_topic_message"] = chat.is_forum
    reply = params.get("reply_parameters")
    if isinstance(reply, dict) and "message_id" in reply:
        replied = emu.find_message(chat.id, reply["message_id"])
        if replied is not None and not replied.deleted:
            data["reply_to_message"] = {
                k: v for k, v in replied.data.items() if k != "reply_to_message"
            }
        elif not reply.get("allow_sending_without_reply"):
            raise bad_request("message to be replied not found", violation=False)
    data.update(content)
    markup = params.get("reply_markup")
    if _inline_markup(markup):
        data["reply_markup"] = markup
    emu.add_message(
        ChatMessage(
            chat_id=chat.id,
            message_id=data["message_id"],
            data=data,
            from_bot=True,
            method=call.method,
            source_text=source_text,
            parse_mode=params.get("parse_mode"),
            sent_markup=markup if isinstance(markup, dict) else None,
        )
    )
    return data


def _store_file(emu: EmulatorState, call: Call, field: str) -> tuple[str, UploadedFile | None]:
    """Resolve a file parameter (upload, attach:// reference, file_id or URL) to a file_id."""
    value = call.params.get(field)
    upload = call.files.get(field)
    if isinstance(value, str) and value.startswith("attach://"):
        upload = call.files.get(value.removeprefix("attach://"))
        if upload is None:
            raise bad_request(f"file {value} was not attached")
    if upload is None:
        if not isinstance(value, str) or not value:
            raise bad_request(f"there is no {field} in the request")
        known = emu.files.get(value)
        return value, known
    file_id = f"EMU{field.upper()}-{emu.next_id()}"
    emu.files[file_id] = upload
    return file_id, upload


def _png_size(data: bytes) -> tuple[int, int] | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return None


def _caption_fields(params: JSON) -> tuple[JSON, str | None]:
    caption = params.get("caption")
    if not isinstance(caption, str):
        return {}, None
    text, entities = render(caption, params.get("parse_mode"), params.get("caption_entities"))
    fields: JSON = {"caption": text}
    if entities:
        fields["caption_entities"] = entities
    return fields, caption


# updates and webhook ---------------------------------------------------------------------------


async def get_me(emu: EmulatorState, call: Call) -> JSON:
    """getMe."""
    return {
        **emu.bot.to_api(),
        "can_join_groups": True,
        "can_read_all_group_messages": not emu.privacy_mode,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def get_updates(emu: EmulatorState, call: Call) -> list[JSON]:
    """getUpdates: long polling that returns as soon as an update is queued, a newer
    getUpdates supersedes it (409, like Telegram) or the emulator shuts down ([])."""
    if emu.webhook is not None:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; use "
            "deleteWebhook to delete the webhook first",
        )
    params = call.params
    limit = min(max(int(params.get("limit", 100)), 1), 100)
    timeout = max(float(params.get("timeout", 0)), 0.0)
    if isinstance(params.get("allowed_updates"), list):
        emu.allowed_updates = list(params["allowed_updates"]) or None
    emu.confirm_updates(params.get("offset"))
    emu.poll_generation += 1
    generation = emu.poll_generation
    emu.notify()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        if emu.closing:
            return []
        batch = emu.deliverable(limit)
        if batch:
            return copy.deepcopy(batch)
        if generation != emu.poll_generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; make sure that only one "
                "bot instance is running",
            )
        remaining = deadline - loop.time()
        if remaining <= 0:
            return []
        await emu.wait_change(remaining)


async def set_webhook(emu: EmulatorState, call: Call) -> bool:
    """setWebhook: recorded, no delivery is attempted."""
    emu.webhook = dict(call.params)
    if call.params.get("drop_pending_updates"):
        emu.drop_pending()
    return True


async def delete_webhook(emu: EmulatorState, call: Call) -> bool:
    """deleteWebhook."""
    emu.webhook = None
    if call.params.get("drop_pending_updates"):
        emu.drop_pending()
    return True


async def get_webhook_info(emu: EmulatorState, call: Call) -> JSON:
    """getWebhookInfo."""
    hook = emu.webhook or {}
    info: JSON = {
        "url": hook.get("url", ""),
        "has_custom_certificate": False,
        "pending_update_count": len(emu.pending_updates),
    }
    if "max_connections" in hook:
        info["max_connections"] = hook["max_connections"]
    if "allowed_updates" in hook:
        info["allowed_updates"] = hook["allowed_updates"]
    return info


# commands and menu -----------------------------------------------------------------------------


def _commands_key(params: JSON) -> str:
    scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
    return f"{scope}|{params.get('language_code', '')}"


async def set_my_commands(emu: EmulatorState, call: Call) -> bool:
    """setMyCommands, stored per scope and language."""
    emu.commands[_commands_key(call.params)] = list(call.params.get("commands") or [])
    return True


async def get_my_commands(emu: EmulatorState, call: Call) -> list[JSON]:
    """getMyCommands."""
    return emu.commands.get(_commands_key(call.params), [])


async def delete_my_commands(emu: EmulatorState, call: Call) -> bool:
    """deleteMyCommands."""
    emu.commands.pop(_commands_key(call.params), None)
    return True


async def set_chat_menu_button(emu: EmulatorState, call: Call) -> bool:
    """setChatMenuButton: accepted and ignored."""
    if "chat_id" in call.params:
        target_chat(emu, call.params)
    return True


# sending ---------------------------------------------------------------------------------------


async def send_message(emu: EmulatorState, call: Call) -> JSON:
    """sendMessage."""
    params = call.params
    chat = target_chat(emu, params, writing=True)
    text, entities = render(params["text"], params.get("parse_mode"), params.get("entities"))
    content: JSON = {"text": text}
    if entities:
        content["entities"] = entities
    return _new_bot_message(emu, call, chat, content, params["text"])


async def send_photo(emu: EmulatorState, call: Call) -> JSON:
    """sendPhoto: uploads are stored byte for byte in ``emu.files``."""
    chat = target_chat(emu, call.params, writing=True)
    file_id, upload = _store_file(emu, call, "photo")
    width, height = (_png_size(upload.data) if upload else None) or (640, 480)
    size = upload.size if upload else 0
    photo = [
        {
            "file_id": f"{file_id}-s",
            "file_unique_id": f"{file_id}-s",
            "width": min(width, 90),
            "height": min(height, 90),
            "file_size": min(size, 1000),
        },
        {
            "file_id": file_id,
            "file_unique_id": file_id,
            "width": width,
            "height": height,
            "file_size": size,
        },
    ]
    caption, source = _caption_fields(call.params)
    return _new_bot_message(emu, call, chat, {"photo": photo, **caption}, source)


async def send_document(emu: EmulatorState, call: Call) -> JSON:
    """sendDocument."""
    chat = target_chat(emu, call.params, writing=True)
    file_id, upload = _store_file(emu, call, "document")
    document: JSON = {"file_id": file_id, "file_unique_id": file_id}
    if upload is not None:
        document["file_size"] = upload.size
        if upload.filename:
            document["file_name"] = upload.filename
        if upload.content_type:
            document["mime_type"] = upload.content_type
    caption, source = _caption_fields(call.params)
    return _new_bot_message(emu, call, chat, {"document": document, **caption}, source)


async def send_poll(emu: EmulatorState, call: Call) -> JSON:
    """sendPoll (validated beforehand by content.check_poll)."""
    params = call.params
    chat = target_chat(emu, params, writing=True)
    poll_id = str(5_000_000_000 + emu.next_id())
    options = []
    for index, option in enumerate(params["options"]):
        raw = option.get("text", "") if isinstance(option, dict) else str(option)
        mode = option.get("text_parse_mode") if isinstance(option, dict) else None
        text, entities = render(raw, mode)
        item: JSON = {"persistent_id": f"{poll_id}-{index}", "text": text, "voter_count": 0}
        if entities:
            item["text_entities"] = entities
        options.append(item)
    question, question_entities = render(params["question"], params.get("question_parse_mode"))
    poll: JSON = {
        "id": poll_id,
        "question": question,
        "options": options,
        "total_voter_count": 0,
        "is_closed": bool(params.get("is_closed", False)),
        "is_anonymous": bool(params.get("is_anonymous", True)),
        "type": params.get("type", "regular"),
        "allows_multiple_answers": bool(params.get("allows_multiple_answers", False)),
        "allows_revoting": bool(params.get("allows_revoting", False)),
        "members_only": bool(params.get("members_only", False)),
    }
    if question_entities:
        poll["question_entities"] = question_entities
    if poll["type"] == "quiz":
        poll["correct_option_ids"] = correct_option_ids(params)
    if isinstance(params.get("explanation"), str):
        poll["explanation"], entities = render(
            params["explanation"], params.get("explanation_parse_mode")
        )
        if entities:
            poll["explanation_entities"] = entities
    for key in ("open_period", "close_date"):
        if key in params:
            poll[key] = params[key]
    data = _new_bot_message(emu, call, chat, {"poll": poll}, params["question"])
    stored = emu.find_message(chat.id, data["message_id"])
    assert stored is not None
    emu.polls[poll_id] = PollState(stored.data["poll"], chat.id, data["message_id"])
    return data


async def stop_poll(emu: EmulatorState, call: Call) -> JSON:
    """stopPoll: closes a poll the bot sent and returns the final Poll."""
    message = _target_message(emu, call, "message with poll to stop not found")
    poll = message.data.get("poll")
    if poll is None or not message.from_bot:
        raise bad_request("poll can't be stopped")
    if poll["is_closed"]:
        raise bad_request("poll has already been closed", violation=False)
    poll["is_closed"] = True
    markup = _inline_markup(call.params.get("reply_markup"))
    if markup:
        message.data["reply_markup"] = markup
    else:
        message.data.pop("reply_markup", None)
    emu.notify()
    return dict(poll)


async def send_chat_action(emu: EmulatorState, call: Call) -> bool:
    """sendChatAction."""
    target_chat(emu, call.params, writing=True)
    return True


# editing and deleting --------------------------------------------------------------------------


def _apply_markup(message: ChatMessage, markup: JSON | None) -> None:
    if markup:
        message.data["reply_markup"] = markup
    else:
        message.data.pop("reply_markup", None)


async def edit_message_text(emu: EmulatorState, call: Call) -> JSON:
    """editMessageText. Like Telegram, omitting reply_markup removes the inline keyboard."""
    params = call.params
    message = _target_message(emu, call, "message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    if "text" not in message.data:
        raise bad_request("there is no text in the message to edit")
    if not isinstance(params.get("text"), str):
        raise bad_request("message text is empty")
    text, entities = render(params["text"], params.get("parse_mode"), params.get("entities"))
    markup = _inline_markup(params.get("reply_markup"))
    unchanged = (
        text == message.data["text"]
        and entities == message.data.get("entities", [])
        and markup == message.data.get("reply_markup")
    )
    if unchanged:
        raise ApiError(400, _NOT_MODIFIED)
    message.data["text"] = text
    if entities:
        message.data["entities"] = entities
    else:
        message.data.pop("entities", None)
    _apply_markup(message, markup)
    message.data["edit_date"] = emu.now()
    message.source_text = params["text"]
    message.parse_mode = params.get("parse_mode")
    message.edit_count += 1
    emu.notify()
    return message.data


async def edit_message_reply_markup(emu: EmulatorState, call: Call) -> JSON:
    """editMessageReplyMarkup."""
    message = _target_message(emu, call, "message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    markup = _inline_markup(call.params.get("reply_markup"))
    if markup == message.data.get("reply_markup"):
        raise ApiError(400, _NOT_MODIFIED)
    _apply_markup(message, markup)
    message.data["edit_date"] = emu.now()
    message.edit_count += 1
    emu.notify()
    return message.data


async def edit_message_caption(emu: EmulatorState, call: Call) -> JSON:
    """editMessageCaption (media messages the bot sent)."""
    params = call.params
    message = _target_message(emu, call, "message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    if "text" in message.data or "poll" in message.data:
        raise bad_request("there is no caption in the message to edit")
    caption, source = _caption_fields(params)
    markup = _inline_markup(params.get("reply_markup"))
    unchanged = (
        caption.get("caption") == message.data.get("caption")
        and caption.get("caption_entities") == message.data.get("caption_entities")
        and markup == message.data.get("reply_markup")
    )
    if unchanged:
        raise ApiError(400, _NOT_MODIFIED)
    for key in ("caption", "caption_entities"):
        message.data.pop(key, None)
    message.data.update(caption)
    _apply_markup(message, markup)
    message.data["edit_date"] = emu.now()
    message.source_text = source
    message.parse_mode = params.get("parse_mode")
    message.edit_count += 1
    emu.notify()
    return message.data


async def delete_message(emu: EmulatorState, call: Call) -> bool:
    """deleteMessage: the bot's own messages, or any message when it is a group admin."""
    chat = target_chat(emu, call.params)
    message = emu.find_message(chat.id, call.params["message_id"])
    if message is None or message.deleted:
        raise bad_request("message to delete not found", violation=False)
    if not message.from_bot and chat.is_group and chat.bot_status != "administrator":
        raise bad_request("message can't be deleted", violation=False)
    message.deleted = True
    emu.notify()
    return True


async def pin_chat_message(emu: EmulatorState, call: Call) -> bool:
    """pinChatMessage (accepted; pins are not tracked)."""
    chat = target_chat(emu, call.params, writing=True)
    message = emu.find_message(chat.id, call.params["message_id"])
    if message is None or message.deleted:
        raise bad_request("message to pin not found", violation=False)
    return True


async def unpin_chat_message(emu: EmulatorState, call: Call) -> bool:
    """unpinChatMessage (accepted)."""
    target_chat(emu, call.params, writing=True)
    return True


async def leave_chat(emu: EmulatorState, call: Call) -> bool:
    """leaveChat: the bot is no longer a member of the group."""
    chat = target_chat(emu, call.params)
    chat.bot_status = "left"
    return True


async def set_description(emu: EmulatorState, call: Call) -> bool:
    """setMyDescription / setMyShortDescription, stored in ``emu.descriptions``."""
    key = f"{call.method}|{call.params.get('language_code', '')}"
    value = call.params.get("description", call.params.get("short_description", ""))
    emu.descriptions[key] = str(value)
    return True


# callback queries ------------------------------------------------------------------------------


async def answer_callback_query(emu: EmulatorState, call: Call) -> bool:
    """answerCallbackQuery: once per existing query id; anything else is a violation."""
    query_id = call.params.get("callback_query_id")
    state = emu.callback_queries.get(str(query_id))
    if state is None:
        raise bad_request(_QUERY_INVALID)
    if state.answer is not None:
        raise ApiError(
            400,
            f"Bad Request: {_QUERY_INVALID}",
            violation=True,
            detail=f"callback query {query_id} was already answered",
        )
    state.answer = call
    emu.notify()
    return True


# chat members ----------------------------------------------------------------------------------


async def get_chat_member(emu: EmulatorState, call: Call) -> JSON:
    """getChatMember."""
    chat = target_chat(emu, call.params)
    user_id = call.params["user_id"]
    user = emu.bot if user_id == emu.bot.id else emu.users.get(user_id)
    if user is None:
        raise bad_request("user not found", violation=False)
    return chat_member(user, member_status(chat, user, emu.bot))


async def get_chat_administrators(emu: EmulatorState, call: Call) -> list[JSON]:
    """getChatAdministrators: creator, administrators and the bot when it is an admin."""
    chat = target_chat(emu, call.params)
    require_group(chat)
    admins = [
        chat_member(emu.users[uid], status)
        for uid, status in chat.members.items()
        if status in ("creator", "administrator") and uid in emu.users
    ]
    if chat.bot_status == "administrator":
        admins.append(chat_member(emu.bot, "administrator"))
    return admins


METHODS: dict[str, Method] = {
    "getMe": get_me,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setChatMenuButton": set_chat_menu_button,
    "sendMessage": send_message,
    "sendPhoto": send_photo,
    "sendDocument": send_document,
    "sendPoll": send_poll,
    "stopPoll": stop_poll,
    "sendChatAction": send_chat_action,
    "editMessageText": edit_message_text,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "editMessageCaption": edit_message_caption,
    "deleteMessage": delete_message,
    "pinChatMessage": pin_chat_message,
    "unpinChatMessage": unpin_chat_message,
    "leaveChat": leave_chat,
    "setMyDescription": set_description,
    "setMyShortDescription": set_description,
    "answerCallbackQuery": answer_callback_query,
    "getChatMember": get_chat_member,
    "getChatAdministrators": get_chat_administrators,
}
"""Emulated methods by canonical Bot API name."""
