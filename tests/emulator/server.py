"""The emulator's HTTP face: an aiohttp server on 127.0.0.1 serving /bot<token>/<method>
(GET or POST; query string, form-urlencoded, multipart or JSON bodies)."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from .core import Emulator
from .models import UploadedFile
from .transport import split_api_path


class EmulatorServer:
    """Runs an Emulator behind a real HTTP socket; ``start()`` sets ``emulator.base_url``."""

    def __init__(self, emulator: Emulator, host: str = "127.0.0.1", port: int = 0) -> None:
        self.emulator = emulator
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> Emulator:
        """Bind (port 0 picks a free port) and start serving."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._serve)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server  # aiohttp exposes the bound port only here
        assert server is not None
        self.port = int(server.sockets[0].getsockname()[1])  # type: ignore[attr-defined]
        self.emulator.base_url = f"http://{self.host}:{self.port}/bot"
        return self.emulator

    async def stop(self) -> None:
        """Release pending long polls, then close the socket."""
        await self.emulator.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self.emulator.base_url = None

    async def _serve(self, request: web.Request) -> web.Response:
        target = split_api_path(request.path)
        if target is None:
            return _json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        token, method = target
        params: dict[str, Any] = dict(request.query)
        files: dict[str, UploadedFile] = {}
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
        elif request.can_read_body:
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    data = value.file.read()
                    files[name] = UploadedFile(name, value.filename, value.content_type, data)
                else:
                    params[name] = value if isinstance(value, str) else bytes(value).decode()
        status, payload = await self.emulator.handle(token, method, params, files, transport="http")
        return _json(status, payload)


def _json(status: int, payload: dict[str, Any]) -> web.Response:
    return web.Response(
        status=status, body=json.dumps(payload).encode(), content_type="application/json"
    )
