"""The Emulator: one object holding the simulated Telegram, the request pipeline shared by
both transports (HTTP server and in-process BaseRequest) and the fault controls."""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from .content import check_content
from .faults import FloodLimiter, ScriptedFault, counts_for_flood
from .methods import METHODS
from .models import JSON, ApiError, Call, UploadedFile
from .observe import ObserveMixin
from .people import PeopleMixin
from .spec import ApiSpec, check_params, decode_params
from .state import DEFAULT_BOT_USERNAME, DEFAULT_TOKEN
from .transport import InProcessRequest


class Emulator(PeopleMixin, ObserveMixin):
    """A loopback Telegram Bot API for tests.

    Create people and chats (``user``, ``group``), make them act (``send_text``,
    ``command``, ``press``, ``answer_poll``...), let the bot poll, then observe
    (``next_call``, ``reply_to``, ``answered``, ``calls``, ``messages``). Requests that
    Telegram would reject are answered like Telegram and collected in ``violations``.
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = DEFAULT_BOT_USERNAME,
        bot_first_name: str = "Revision Tutor",
        privacy_mode: bool = True,
        spec: ApiSpec | None = None,
    ) -> None:
        super().__init__(
            token=token,
            bot_username=bot_username,
            bot_first_name=bot_first_name,
            privacy_mode=privacy_mode,
            spec=spec,
        )
        self._init_observation()
        self._base_url: str | None = None
        self._tasks: set[asyncio.Task[tuple[int, JSON]]] = set()

    # transports ---------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The value for ``ApplicationBuilder().base_url(...)`` while the HTTP server runs."""
        if self._base_url is None:
            raise RuntimeError("No HTTP server is running for this emulator (use EmulatorServer)")
        return self._base_url

    @base_url.setter
    def base_url(self, value: str | None) -> None:
        self._base_url = value

    def in_process_request(self, read_timeout: float | None = 5.0) -> InProcessRequest:
        """A PTB ``BaseRequest`` answering from this emulator without sockets. Pass one to
        both ``ApplicationBuilder.request()`` and ``.get_updates_request()``."""
        return InProcessRequest(self, read_timeout=read_timeout)

    async def handle(
        self,
        token: str,
        method: str,
        params: Mapping[str, Any],
        files: Mapping[str, UploadedFile],
        *,
        transport: str,
    ) -> tuple[int, JSON]:
        """Process one Bot API request; returns (HTTP status, JSON body).

        Processing runs in its own task: a client that gives up (timeout, cancellation)
        does not stop it, just as a request that reached Telegram still takes effect.
        """
        task = asyncio.create_task(self._process(token, method, params, files, transport))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return await asyncio.shield(task)

    async def close(self) -> None:
        """Shut down: pending long polls return [] at once, slow answers stop waiting."""
        self.closing = True
        self.notify()
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=5)

    # pipeline -----------------------------------------------------------------------------------

    async def _process(
        self,
        token: str,
        method: str,
        raw: Mapping[str, Any],
        files: Mapping[str, UploadedFile],
        transport: str,
    ) -> tuple[int, JSON]:
        spec = self.spec.method(method)
        name = spec.name if spec else method
        call = self.record(Call(name, dict(raw), time.monotonic(), dict(files), transport))
        try:
            if token != self.token:
                raise ApiError(401, "Unauthorized", violation=True, detail=f"token {token!r}")
            if spec is None:
                raise ApiError(
                    404, "Not Found", violation=True, detail=f"{method} is not a Bot API method"
                )
            call.params, errors = decode_params(spec, raw)
            await self._inject_faults(call)
            present = {**call.params, **{k: v for k, v in files.items() if k in spec.params}}
            errors += check_params(spec, present, self.spec.complete)
            errors += check_content(name, call.params)
            if errors:
                for error in errors:
                    self.violate(name, error, call.params)
                raise ApiError(400, errors[0])  # violations recorded just above
            implementation = METHODS.get(name)
            if implementation is None:
                raise ApiError(
                    400,
                    f"Bad Request: method {name} is not emulated",
                    violation=True,
                    detail="emulate it in tests/emulator/methods.py",
                )
            call.result = copy.deepcopy(await implementation(self, call))
            status, body = HTTPStatus.OK.value, {"ok": True, "result": call.result}
        except ApiError as error:
            if error.violation:
                self.violate(name, error, call.params)
            call.error = error.description
            status, body = error.status, error.body()
        except Exception as exc:  # an emulator bug must fail the test, not hang it
            self.violate(name, f"emulator error: {exc!r}", call.params)
            call.error = f"Internal Server Error: {exc!r}"
            status = HTTPStatus.INTERNAL_SERVER_ERROR.value
            body = {"ok": False, "error_code": status, "description": call.error}
        call.status = status
        self.status_counts[status] += 1
        self.notify()
        late = self.late_answers.get(name)
        if late:  # done (and visible to everyone) now; the bot hears back only later
            await self.sleep_unless_closing(late.pop(0))
        return status, body

    async def _inject_faults(self, call: Call) -> None:
        scripted = self.faults.get(call.method)
        if scripted:
            fault = scripted[0]
            fault.times -= 1
            if fault.times <= 0:
                scripted.pop(0)
            raise fault.to_error()
        delays = self.delays.get(call.method)
        if delays:
            await self.sleep_unless_closing(delays.pop(0))
        if self.flood is not None and counts_for_flood(call.method):
            chat_id = call.params.get("chat_id")
            refusal = self.flood.admit(
                chat_id if isinstance(chat_id, int) else None, time.monotonic()
            )
            if refusal is not None:
                raise refusal

    # faults -------------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int = 429,
        *,
        retry_after: float = 1,
        description: str | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` requests of ``method`` with an error: 429 carries
        ``parameters.retry_after``; 5xx, 403 and 400 get Telegram's usual descriptions
        unless ``description`` is given. Injected errors are not violations."""
        self.faults.setdefault(method, []).append(
            ScriptedFault(status, retry_after, description, times)
        )

    def slow_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Delay the answer to the next ``times`` requests of ``method``. The request still
        takes effect after the delay even if the client timed out meanwhile."""
        self.delays.setdefault(method, []).extend([seconds] * times)

    def answer_late(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Carry out the next ``times`` requests of ``method`` at once, but hold the answer
        back for ``seconds``: what the request did is visible (and can be reacted to) before
        the bot learns of it."""
        self.late_answers.setdefault(method, []).extend([seconds] * times)

    def flood_limits(
        self,
        global_per_second: int | None = 30,
        per_group_per_minute: int | None = 20,
        per_chat_per_second: int | None = None,
    ) -> None:
        """Enforce Telegram-like flood control on message-producing methods; excess
        requests get 429 with retry_after (see ``count_429`` / ``flood_rejections``)."""
        self.flood = FloodLimiter(global_per_second, per_group_per_minute, per_chat_per_second)

    def no_flood_limits(self) -> None:
        """Stop enforcing flood limits."""
        self.flood = None
