"""Content rules Telegram enforces on what a bot sends: text and caption lengths, HTML,
inline keyboards, polls, bot commands, chat actions.

Limits come from ``telegram.constants`` so they hold with or without api.json. Each check
returns Telegram-style 400 descriptions ("Bad Request: ..."), empty when the request is fine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from telegram.constants import (
    BotCommandLimit,
    BotDescriptionLimit,
    CallbackQueryLimit,
    InlineKeyboardButtonLimit,
    MessageLimit,
    PollLimit,
)

from .html_check import parse_html
from .models import JSON, ApiError, bad_request

PARSE_MODES = {"html": "HTML", "markdown": "Markdown", "markdownv2": "MarkdownV2"}
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_INLINE_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_COMMAND_RE = re.compile(r"[a-z0-9_]+")
_MAX_CALLBACK_ANSWER = int(CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH)
_MAX_DESCRIPTION = int(BotDescriptionLimit.MAX_DESCRIPTION_LENGTH)
_MAX_SHORT_DESCRIPTION = int(BotDescriptionLimit.MAX_SHORT_DESCRIPTION_LENGTH)


def render(
    text: str, parse_mode: str | None, entities: list[JSON] | None = None
) -> tuple[str, list[JSON]]:
    """Turn sent text into what users see: plain text plus entities.

    Raises ApiError (400 "can't parse entities") for invalid HTML. Markdown modes are not
    parsed: the text is kept as sent (only HTML is validated).
    """
    if parse_mode is None:
        return text, list(entities or [])
    mode = PARSE_MODES.get(parse_mode.lower())
    if mode is None:
        raise bad_request("unsupported parse_mode")
    if mode != "HTML":
        return text, []
    result = parse_html(text)
    if result.error:
        raise bad_request(f"can't parse entities: {result.error}")
    return result.text, result.entities


def _visible(text: Any, parse_mode: Any) -> tuple[str | None, str | None]:
    """(visible text, error) for a text field; non-strings are reported as errors."""
    if not isinstance(text, str):
        return None, "Bad Request: text must be a String"
    try:
        plain, _ = render(text, parse_mode if isinstance(parse_mode, str) else None)
    except ApiError as exc:
        return None, exc.description
    return plain, None


def check_message_text(text: Any, parse_mode: Any) -> list[str]:
    """Message text: valid markup, 1-4096 characters after entity parsing."""
    plain, error = _visible(text, parse_mode)
    if plain is None:
        return [error or "Bad Request: message text is empty"]
    length = len(plain.strip())
    if length < MessageLimit.MIN_TEXT_LENGTH:
        return ["Bad Request: message text is empty"]
    if length > MessageLimit.MAX_TEXT_LENGTH:
        return [
            f"Bad Request: message is too long ({length} characters after entity parsing; "
            f"at most {int(MessageLimit.MAX_TEXT_LENGTH)})"
        ]
    return []


def check_caption(caption: Any, parse_mode: Any) -> list[str]:
    """Media caption: valid markup, at most 1024 characters after entity parsing."""
    plain, error = _visible(caption, parse_mode)
    if plain is None:
        return [error or "Bad Request: caption must be a String"]
    length = len(plain.strip())
    if length > MessageLimit.CAPTION_LENGTH:
        return [
            f"Bad Request: message caption is too long ({length} characters; "
            f"at most {int(MessageLimit.CAPTION_LENGTH)})"
        ]
    return []


def check_reply_markup(markup: Any, *, inline_only: bool = False) -> list[str]:
    """Inline keyboards (callback_data 1-64 bytes, one action per button) and reply keyboards."""
    if not isinstance(markup, dict):
        return ["Bad Request: can't parse reply keyboard markup JSON object"]
    if "inline_keyboard" in markup:
        return _check_inline_keyboard(markup["inline_keyboard"])
    if inline_only:
        return ["Bad Request: only an inline keyboard is allowed here"]
    if "keyboard" in markup:
        return _check_reply_keyboard(markup["keyboard"])
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return []
    return ["Bad Request: can't parse reply keyboard markup JSON object"]


def _rows(keyboard: Any, name: str) -> list[list[Any]] | str:
    if not isinstance(keyboard, list) or not all(isinstance(row, list) for row in keyboard):
        return f'Bad Request: field "{name}" must be an Array of Arrays'
    return keyboard


def _check_inline_keyboard(keyboard: Any) -> list[str]:
    rows = _rows(keyboard, "inline_keyboard")
    if isinstance(rows, str):
        return [rows]
    errors: list[str] = []
    for button in (b for row in rows for b in row):
        if not isinstance(button, dict) or not isinstance(button.get("text"), str):
            errors.append("Bad Request: can't parse inline keyboard button: text is missing")
            continue
        label = button["text"]
        if not label.strip():
            errors.append("Bad Request: can't parse inline keyboard button: text is empty")
        actions = [key for key in _INLINE_ACTIONS if key in button]
        if len(actions) != 1:
            errors.append(
                "Bad Request: can't parse inline keyboard button: Text buttons are unallowed "
                f"in the inline keyboard (button {label!r} has actions {actions})"
            )
        if "callback_data" in button:
            errors.extend(_check_callback_data(label, button["callback_data"]))
    return errors


def _check_callback_data(label: str, data: Any) -> list[str]:
    if not isinstance(data, str):
        return [f"Bad Request: BUTTON_DATA_INVALID (button {label!r}: data is not a string)"]
    size = len(data.encode("utf-8"))
    low = InlineKeyboardButtonLimit.MIN_CALLBACK_DATA
    high = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
    if not low <= size <= high:
        return [
            f"Bad Request: BUTTON_DATA_INVALID (button {label!r}: callback_data is {size} "
            f"bytes; {int(low)}-{int(high)} allowed)"
        ]
    return []


def _check_reply_keyboard(keyboard: Any) -> list[str]:
    rows = _rows(keyboard, "keyboard")
    if isinstance(rows, str):
        return [rows]
    for button in (b for row in rows for b in row):
        label = button.get("text") if isinstance(button, dict) else button
        if not isinstance(label, str) or not label.strip():
            return ["Bad Request: keyboard button text must be a non-empty String"]
    return []


def check_poll(params: Mapping[str, Any]) -> list[str]:
    """sendPoll: question 1-300, 2-12 options of 1-100, quiz answers, explanation <= 200."""
    errors: list[str] = []
    question, error = _visible(params.get("question"), params.get("question_parse_mode"))
    if question is None:
        errors.append(error or "Bad Request: poll question is missing")
    elif not 1 <= (length := len(question.strip())) <= PollLimit.MAX_QUESTION_LENGTH:
        errors.append(
            f"Bad Request: POLL_QUESTION_INVALID (question has {length} "
            f"characters; 1-{int(PollLimit.MAX_QUESTION_LENGTH)} allowed)"
        )
    options = params.get("options")
    if not isinstance(options, list):
        return [*errors, "Bad Request: poll options must be an Array"]
    # Bot API 10 allows a single option only for polls that let voters add options.
    minimum = 1 if params.get("allow_adding_options") else 2
    if not minimum <= len(options) <= PollLimit.MAX_OPTION_NUMBER:
        errors.append(
            f"Bad Request: POLL_ANSWERS_INVALID ({len(options)} options; "
            f"{minimum}-{int(PollLimit.MAX_OPTION_NUMBER)} allowed)"
        )
    for option in options:
        errors.extend(_check_option(option))
    poll_type = params.get("type", "regular")
    if poll_type not in ("regular", "quiz"):
        errors.append(f"Bad Request: wrong poll type {poll_type!r}")
    if poll_type == "quiz":
        errors.extend(_check_quiz(params, len(options)))
    errors.extend(_check_explanation(params))
    period = params.get("open_period")
    if period is not None and not PollLimit.MIN_OPEN_PERIOD <= period <= PollLimit.MAX_OPEN_PERIOD:
        errors.append(f"Bad Request: wrong open_period {period}")
    return errors


def _check_option(option: Any) -> list[str]:
    if isinstance(option, dict):
        text, error = _visible(option.get("text"), option.get("text_parse_mode"))
    else:
        text, error = _visible(option, None)
    if text is None:
        return [error or "Bad Request: poll option text is missing"]
    length = len(text.strip())
    if not PollLimit.MIN_OPTION_LENGTH <= length <= PollLimit.MAX_OPTION_LENGTH:
        return [
            f"Bad Request: POLL_OPTION_INVALID (option {text!r} has {length} characters; "
            f"1-{int(PollLimit.MAX_OPTION_LENGTH)} allowed)"
        ]
    return []


def correct_option_ids(params: Mapping[str, Any]) -> list[int] | None:
    """The quiz's correct options, from correct_option_ids or the legacy correct_option_id."""
    ids = params.get("correct_option_ids")
    if ids is None and params.get("correct_option_id") is not None:
        ids = [params["correct_option_id"]]
    if ids is None:
        return None
    return list(ids) if isinstance(ids, list) else [ids]


def _check_quiz(params: Mapping[str, Any], option_count: int) -> list[str]:
    ids = correct_option_ids(params)
    if not ids:
        return ["Bad Request: quiz poll must have correct_option_ids"]
    if not all(isinstance(i, int) and 0 <= i < option_count for i in ids):
        return [f"Bad Request: wrong correct option ids {ids} for {option_count} options"]
    if sorted(set(ids)) != ids:
        return [f"Bad Request: correct_option_ids {ids} must be strictly increasing"]
    if len(ids) > 1 and not params.get("allows_multiple_answers"):
        return ["Bad Request: a single-answer quiz must have exactly one correct option"]
    return []


def _check_explanation(params: Mapping[str, Any]) -> list[str]:
    if params.get("explanation") is None:
        return []
    text, error = _visible(params["explanation"], params.get("explanation_parse_mode"))
    if text is None:
        return [error or "Bad Request: explanation must be a String"]
    errors = []
    if len(text.strip()) > PollLimit.MAX_EXPLANATION_LENGTH:
        errors.append(
            f"Bad Request: explanation is too long ({len(text.strip())} characters; at most "
            f"{int(PollLimit.MAX_EXPLANATION_LENGTH)})"
        )
    if text.strip().count("\n") > PollLimit.MAX_EXPLANATION_LINE_FEEDS:
        errors.append("Bad Request: explanation has more than 2 line feeds")
    return errors


def check_commands(commands: Any) -> list[str]:
    """setMyCommands: 1-32 lowercase letters/digits/underscores, descriptions 1-256."""
    if not isinstance(commands, list):
        return ["Bad Request: commands must be an Array of BotCommand"]
    errors: list[str] = []
    for item in commands:
        command = item.get("command") if isinstance(item, dict) else None
        description = item.get("description") if isinstance(item, dict) else None
        if not (
            isinstance(command, str)
            and BotCommandLimit.MIN_COMMAND <= len(command) <= BotCommandLimit.MAX_COMMAND
            and _COMMAND_RE.fullmatch(command)
        ):
            errors.append(f"Bad Request: BOT_COMMAND_INVALID ({command!r})")
        if not (
            isinstance(description, str)
            and BotCommandLimit.MIN_DESCRIPTION
            <= len(description)
            <= BotCommandLimit.MAX_DESCRIPTION
        ):
            errors.append(f"Bad Request: BOT_COMMAND_DESCRIPTION_INVALID ({command!r})")
    return errors


def check_content(method: str, params: Mapping[str, Any]) -> list[str]:
    """All content rules that apply to a request of ``method`` with decoded ``params``."""
    errors: list[str] = []
    parse_mode = params.get("parse_mode")
    if isinstance(parse_mode, str) and parse_mode.lower() not in PARSE_MODES:
        errors.append("Bad Request: unsupported parse_mode")
    elif method in ("sendMessage", "editMessageText") and "text" in params:
        errors.extend(check_message_text(params["text"], parse_mode))
    elif "caption" in params:
        errors.extend(check_caption(params["caption"], parse_mode))
    if "reply_markup" in params:
        inline_only = method.startswith("edit") or method == "stopPoll"
        errors.extend(check_reply_markup(params["reply_markup"], inline_only=inline_only))
    if method == "sendPoll":
        errors.extend(check_poll(params))
    elif method == "setMyCommands":
        errors.extend(check_commands(params.get("commands")))
    elif method == "answerCallbackQuery":
        text = params.get("text")
        if isinstance(text, str) and len(text) > _MAX_CALLBACK_ANSWER:
            errors.append(f"Bad Request: MESSAGE_TOO_LONG (callback answer of {len(text)} chars)")
    elif method == "sendChatAction" and params.get("action") not in CHAT_ACTIONS:
        errors.append("Bad Request: wrong parameter action in request")
    elif method == "setMyDescription":
        errors.extend(_check_length(params, "description", _MAX_DESCRIPTION))
    elif method == "setMyShortDescription":
        errors.extend(_check_length(params, "short_description", _MAX_SHORT_DESCRIPTION))
    return errors


def _check_length(params: Mapping[str, Any], name: str, limit: int) -> list[str]:
    value = params.get(name)
    if isinstance(value, str) and len(value) > limit:
        return [f"Bad Request: {name} is too long ({len(value)} characters; at most {limit})"]
    return []
