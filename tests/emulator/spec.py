"""Bot API method signatures: loaded from api.json when available, else a built-in table.

The machine-readable spec (PaulSonOfLars/telegram-bot-api-spec format) exists on developer
machines and CI but not on a fresh clone, so every check here degrades gracefully: without
it, parameter types come from a small built-in table covering the emulated methods and
unknown parameter names are not reported.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SPEC_ENV_VAR = "TELEGRAM_BOT_API_SPEC"
# ../shared beside the project, as on developer machines and CI (absent on a fresh clone).
DEFAULT_SPEC_PATH = Path(__file__).resolve().parents[3] / "shared/telegram-bot-api/api.json"

_INTEGER = re.compile(r"-?\d+")
_SCALAR_STRING = ("String",)


@dataclass(frozen=True)
class ParamSpec:
    """One parameter of a Bot API method: its name, accepted types and whether it is required."""

    name: str
    types: tuple[str, ...]
    required: bool = False


@dataclass(frozen=True)
class MethodSpec:
    """A Bot API method with its parameters and documented return types."""

    name: str
    params: Mapping[str, ParamSpec]
    returns: tuple[str, ...] = ()


@dataclass
class ApiSpec:
    """The set of known Bot API methods.

    ``complete`` is true when the methods come from api.json: only then are unknown method
    and parameter names reported, because the built-in table is deliberately partial.
    """

    methods: dict[str, MethodSpec]
    complete: bool
    version: str = "built-in"
    _by_lower: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_lower = {name.lower(): name for name in self.methods}

    def method(self, name: str) -> MethodSpec | None:
        """Return the method spec; like Telegram, method names are matched case-insensitively."""
        canonical = self._by_lower.get(name.lower())
        return self.methods[canonical] if canonical else None

    @classmethod
    def load(cls, path: Path | str | None = None) -> ApiSpec:
        """Load api.json from ``path``, $TELEGRAM_BOT_API_SPEC or the shared default location.

        Falls back to the built-in table when no file is found, or when
        $TELEGRAM_BOT_API_SPEC is "builtin".
        """
        candidates: list[Path] = []
        if path is not None:
            candidates.append(Path(path))
        env_path = os.environ.get(SPEC_ENV_VAR)
        if env_path == "builtin":  # lets CI check what a fresh clone without api.json sees
            return cls.builtin()
        if env_path:
            candidates.append(Path(env_path))
        candidates.append(DEFAULT_SPEC_PATH)
        for candidate in candidates:
            if candidate.is_file():
                return _cached_spec(candidate.resolve())
        return cls.builtin()

    @classmethod
    def from_file(cls, path: Path) -> ApiSpec:
        """Parse an api.json file."""
        raw = json.loads(path.read_text(encoding="utf-8"))
        methods: dict[str, MethodSpec] = {}
        for name, body in raw["methods"].items():
            params = {
                f["name"]: ParamSpec(f["name"], tuple(f["types"]), bool(f["required"]))
                for f in body.get("fields", [])
            }
            methods[name] = MethodSpec(name, params, tuple(body.get("returns", [])))
        return cls(methods=methods, complete=True, version=str(raw.get("version", "?")))

    @classmethod
    def builtin(cls) -> ApiSpec:
        """The partial table used when api.json is absent."""
        return cls(methods=_builtin_methods(), complete=False)


@functools.lru_cache(maxsize=4)
def _cached_spec(path: Path) -> ApiSpec:
    """Parse each spec file once per process (it is ~1 MB and never mutated)."""
    return ApiSpec.from_file(path)


def decode_params(
    spec: MethodSpec | None, raw: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Decode request parameters the way the Bot API does.

    PTB (like any form-encoding client) sends string parameters verbatim and everything
    else JSON-encoded, so the declared type decides: a text of "42" stays a string while
    ``chat_id="42"`` becomes 42. Values that are already typed (JSON bodies) pass through.
    Returns the decoded parameters and Telegram-style descriptions of undecodable ones.
    """
    decoded: dict[str, Any] = {}
    errors: list[str] = []
    for name, value in raw.items():
        param = spec.params.get(name) if spec else None
        if not isinstance(value, str):
            decoded[name] = value
            continue
        try:
            decoded[name] = _decode_value(param.types if param else None, value)
        except ValueError:
            decoded[name] = value
            errors.append(f'Bad Request: can\'t parse parameter "{name}"')
    return decoded, errors


def _decode_value(types: tuple[str, ...] | None, value: str) -> Any:
    if types is None:
        # Unknown to the table: JSON containers are decoded, scalars kept as sent.
        return json.loads(value) if value[:1] in "[{" else value
    if types == _SCALAR_STRING or "InputFile" in types:
        return value
    if types == ("Integer", "String"):
        return int(value) if _INTEGER.fullmatch(value) else value
    if types == ("Integer",):
        return int(value)
    if types == ("Float",):
        return float(value)
    if types == ("Boolean",):
        lowered = value.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise ValueError(value)
    return json.loads(value)


def check_params(spec: MethodSpec, params: Mapping[str, Any], complete: bool) -> list[str]:
    """Report missing required parameters and, with a complete spec, unknown ones."""
    errors = [
        f'Bad Request: parameter "{p.name}" is required for {spec.name}'
        for p in spec.params.values()
        if p.required and p.name not in params
    ]
    if complete:
        errors.extend(
            f'Bad Request: unknown parameter "{name}" for {spec.name}'
            for name in params
            if name not in spec.params
        )
    return errors


# Built-in table -----------------------------------------------------------------------------
# Codes: s String, i Integer, f Float, b Boolean, I Integer-or-String (chat ids),
# F InputFile-or-String, j JSON-serialized object or array; a trailing "!" marks required.
_CODES: dict[str, tuple[str, ...]] = {
    "s": ("String",),
    "i": ("Integer",),
    "f": ("Float",),
    "b": ("Boolean",),
    "I": ("Integer", "String"),
    "F": ("InputFile", "String"),
    "j": ("JSON",),
}

_SEND_COMMON = {
    "business_connection_id": "s",
    "chat_id": "I!",
    "message_thread_id": "i",
    "direct_messages_topic_id": "i",
    "disable_notification": "b",
    "protect_content": "b",
    "allow_paid_broadcast": "b",
    "message_effect_id": "s",
    "suggested_post_parameters": "j",
    "reply_parameters": "j",
    "reply_markup": "j",
}
_CAPTIONED = {"caption": "s", "parse_mode": "s", "caption_entities": "j"}
_EDIT_TARGET = {
    "business_connection_id": "s",
    "chat_id": "I",
    "message_id": "i",
    "inline_message_id": "s",
    "reply_markup": "j",
}

_BUILTIN: dict[str, dict[str, str]] = {
    "getMe": {},
    "getUpdates": {"offset": "i", "limit": "i", "timeout": "i", "allowed_updates": "j"},
    "setWebhook": {
        "url": "s!",
        "certificate": "F",
        "ip_address": "s",
        "max_connections": "i",
        "allowed_updates": "j",
        "drop_pending_updates": "b",
        "secret_token": "s",
    },
    "deleteWebhook": {"drop_pending_updates": "b"},
    "getWebhookInfo": {},
    "setMyCommands": {"commands": "j!", "scope": "j", "language_code": "s"},
    "getMyCommands": {"scope": "j", "language_code": "s"},
    "deleteMyCommands": {"scope": "j", "language_code": "s"},
    "sendMessage": {
        **_SEND_COMMON,
        "text": "s!",
        "parse_mode": "s",
        "entities": "j",
        "link_preview_options": "j",
    },
    "editMessageText": {
        **_EDIT_TARGET,
        "text": "s",
        "parse_mode": "s",
        "entities": "j",
        "link_preview_options": "j",
    },
    "editMessageReplyMarkup": dict(_EDIT_TARGET),
    "answerCallbackQuery": {
        "callback_query_id": "s!",
        "text": "s",
        "show_alert": "b",
        "url": "s",
        "cache_time": "i",
    },
    "sendPoll": {
        **_SEND_COMMON,
        "question": "s!",
        "question_parse_mode": "s",
        "question_entities": "j",
        "options": "j!",
        "is_anonymous": "b",
        "type": "s",
        "allows_multiple_answers": "b",
        "allows_revoting": "b",
        "shuffle_options": "b",
        "allow_adding_options": "b",
        "hide_results_until_closes": "b",
        "members_only": "b",
        "country_codes": "j",
        "correct_option_ids": "j",
        "correct_option_id": "i",
        "explanation": "s",
        "explanation_parse_mode": "s",
        "explanation_entities": "j",
        "explanation_media": "j",
        "open_period": "i",
        "close_date": "i",
        "is_closed": "b",
        "description": "s",
        "description_parse_mode": "s",
        "description_entities": "j",
        "media": "j",
    },
    "stopPoll": {
        "business_connection_id": "s",
        "chat_id": "I!",
        "message_id": "i!",
        "reply_markup": "j",
    },
    "sendPhoto": {
        **_SEND_COMMON,
        **_CAPTIONED,
        "photo": "F!",
        "show_caption_above_media": "b",
        "has_spoiler": "b",
    },
    "sendDocument": {
        **_SEND_COMMON,
        **_CAPTIONED,
        "document": "F!",
        "thumbnail": "F",
        "disable_content_type_detection": "b",
    },
    "editMessageCaption": {**_EDIT_TARGET, **_CAPTIONED, "show_caption_above_media": "b"},
    "deleteMessage": {"chat_id": "I!", "message_id": "i!"},
    "pinChatMessage": {
        "business_connection_id": "s",
        "chat_id": "I!",
        "message_id": "i!",
        "disable_notification": "b",
    },
    "unpinChatMessage": {"business_connection_id": "s", "chat_id": "I!", "message_id": "i"},
    "leaveChat": {"chat_id": "I!"},
    "setMyDescription": {"description": "s", "language_code": "s"},
    "setMyShortDescription": {"short_description": "s", "language_code": "s"},
    "getChat": {"chat_id": "I!"},
    "getChatMember": {"chat_id": "I!", "user_id": "i!"},
    "getChatAdministrators": {"chat_id": "I!", "return_bots": "b"},
    "sendChatAction": {
        "business_connection_id": "s",
        "chat_id": "I!",
        "message_thread_id": "i",
        "action": "s!",
    },
    "setChatMenuButton": {"chat_id": "i", "menu_button": "j"},
}


def _builtin_methods() -> dict[str, MethodSpec]:
    return {
        name: MethodSpec(name, dict(_builtin_params(table))) for name, table in _BUILTIN.items()
    }


def _builtin_params(table: Mapping[str, str]) -> Iterable[tuple[str, ParamSpec]]:
    for name, code in table.items():
        required = code.endswith("!")
        yield name, ParamSpec(name, _CODES[code.rstrip("!")], required)
