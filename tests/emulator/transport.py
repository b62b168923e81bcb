"""An in-process ``telegram.request.BaseRequest`` answering from an Emulator without sockets.

It hands the emulator exactly what HTTPXRequest would put on the wire (string parameters
verbatim, the rest JSON-encoded, files as multipart parts), so both transports exercise the
same decoding and validation.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from .models import UploadedFile

if TYPE_CHECKING:
    from telegram._utils.types import ODVInput

    from .core import Emulator


def split_api_path(path: str) -> tuple[str, str] | None:
    """("token", "method") from a path ending in /bot<token>/<method>, else None."""
    parts = unquote(path).rstrip("/").split("/")
    if len(parts) < 2 or not parts[-2].startswith("bot"):
        return None
    return parts[-2].removeprefix("bot"), parts[-1]


def _uploaded(name: str, part: Any) -> UploadedFile:
    filename, content, mimetype = part
    data = content.read() if hasattr(content, "read") else content
    return UploadedFile(name, filename, mimetype, bytes(data))


class InProcessRequest(BaseRequest):
    """PTB transport that calls ``Emulator.handle`` directly."""

    __slots__ = ("_emulator", "_read_timeout")

    def __init__(self, emulator: Emulator, read_timeout: float | None = 5.0) -> None:
        self._emulator = emulator
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        """Default read timeout in seconds (getUpdates adds its long-poll timeout)."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Answer the request from the emulator; raise TimedOut like HTTPXRequest."""
        target = split_api_path(urlsplit(url).path)
        if target is None:
            body = {"ok": False, "error_code": 404, "description": "Not Found"}
            return 404, json.dumps(body).encode()
        token, api_method = target
        params: dict[str, Any] = dict(request_data.json_parameters) if request_data else {}
        files = {}
        if request_data is not None and request_data.contains_files:
            files = {
                name: _uploaded(name, part) for name, part in request_data.multipart_data.items()
            }
        timeout = self._read_timeout if read_timeout is BaseRequest.DEFAULT_NONE else read_timeout
        try:
            status, body = await asyncio.wait_for(
                self._emulator.handle(token, api_method, params, files, transport="in-process"),
                timeout=timeout if isinstance(timeout, int | float) else None,
            )
        except TimeoutError as exc:
            raise TimedOut from exc
        return status, json.dumps(body).encode()
