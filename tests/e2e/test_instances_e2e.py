"""Several instances of one bot: a second long poller is refused with a clear reason."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.jobs.sender import SecondPoller, refuse_second_poller
from tests.emulator import Emulator, polling
from tests.emulator.polling import AnyApplication


async def test_a_second_long_poller_on_the_same_database_is_refused(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    first = make_app()
    refuse_second_poller(first)
    ada = emulator.user(first_name="Ada")
    async with polling(first):
        second = make_app()
        refuse_second_poller(second)
        await second.initialize()
        with pytest.raises(SecondPoller, match="use webhook mode"):
            assert second.post_init is not None
            await second.post_init(second)
        await second.shutdown()
        assert second.post_shutdown is not None
        await second.post_shutdown(second)
        emulator.command(ada, "start")  # the first instance carries on, undisturbed
        assert "Hi Ada" in ((await emulator.reply_to(ada)).text or "")
    after = make_app()  # the first stopped cleanly and let go: a new poller may start
    refuse_second_poller(after)
    async with polling(after):
        emulator.command(ada, "help")
        assert await emulator.reply_to(ada)
