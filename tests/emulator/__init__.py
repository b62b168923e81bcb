"""A loopback Telegram Bot API emulator for driving a real PTB Application in tests.

See ``tests/emulator_plugin.py`` for the pytest fixtures built on it.
"""

from .core import Emulator
from .html_check import HtmlParseResult, html_errors, parse_html
from .models import ApiError, Call, Chat, ChatMessage, UploadedFile, User, Violation
from .polling import polling
from .server import EmulatorServer
from .spec import ApiSpec
from .state import DEFAULT_BOT_USERNAME, DEFAULT_TOKEN
from .transport import InProcessRequest

__all__ = [
    "DEFAULT_BOT_USERNAME",
    "DEFAULT_TOKEN",
    "ApiError",
    "ApiSpec",
    "Call",
    "Chat",
    "ChatMessage",
    "Emulator",
    "EmulatorServer",
    "HtmlParseResult",
    "InProcessRequest",
    "UploadedFile",
    "User",
    "Violation",
    "html_errors",
    "parse_html",
    "polling",
]
