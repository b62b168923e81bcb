"""The menu around the features: resume offers, stickers mid-step, tutor help, /settings."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from dialogs.replies import ButtonOutcome, Message, Reply
from dialogs.tutor import Turn, Tutor
from storage import Database
from storage.users import get_user

Turns = Callable[..., Turn]


def only_message(replies: Sequence[Reply]) -> Message:
    [message] = replies
    assert isinstance(message, Message)
    return message


def labels(message: Message) -> list[str]:
    return [b.label for row in message.buttons for b in row]


async def test_the_menu_offers_to_resume_an_open_scenario(tutor: Tutor, turn: Turns) -> None:
    before = only_message(await tutor.on_command(turn(), "start"))
    await tutor.on_command(turn(), "scenario", "gym_membership")
    after = only_message(await tutor.on_command(turn(), "start"))
    assert "▶️ Resume your scenario" not in labels(before)
    assert labels(after)[0] == "▶️ Resume your scenario"
    resumed = await tutor.on_button(turn(), after.buttons[0][0].data)
    assert "Step 1/7" in "\n".join(r.html for r in resumed.replies if isinstance(r, Message))


async def test_a_sticker_mid_step_says_the_step_is_waiting(tutor: Tutor, turn: Turns) -> None:
    idle = only_message(await tutor.on_other(turn(), "sticker"))
    await tutor.on_command(turn(), "scenario", "gym_membership")
    busy = only_message(await tutor.on_other(turn(), "sticker"))
    assert "pick something from the menu" in idle.html
    assert "I can only read text" in busy.html and "scenario step is still waiting" in busy.html


async def test_a_misconception_out_of_the_blue_is_corrected(tutor: Tutor, turn: Turns) -> None:
    replies = await tutor.on_text(turn(), "segmentation and targeting are the same thing")
    assert only_message(replies).html.startswith("💡 Common misconception")
    chatter = await tutor.on_text(turn(), "hello there")
    assert "not waiting for an answer" in only_message(chatter).html


async def test_help_shows_tutor_commands_to_tutors_only(tutor: Tutor, turn: Turns) -> None:
    student = only_message(await tutor.on_command(turn(user=1), "help"))
    teacher = only_message(await tutor.on_command(turn(user=999), "help"))
    assert "/groupquiz" not in student.html and "For tutors" not in student.html
    assert "For tutors" in teacher.html and "/groupquiz" in teacher.html


async def test_settings_change_with_buttons_and_persist(
    tutor: Tutor, turn: Turns, database: Database
) -> None:
    screen = only_message(await tutor.on_command(turn(), "settings"))
    assert "New items a day: 15" in screen.html and "Target recall: 90%" in screen.html
    assert "✅ 🆕 15" in labels(screen)
    changed = await tutor.on_button(turn(), "st:new:5")
    assert changed.toast == "✅ New items a day: 5"
    assert changed.edit is not None and "✅ 🆕 5" in labels(changed.edit)
    await tutor.on_button(turn(), "st:ret:95")
    user = await database.run(lambda s: get_user(s, user_id=1))
    assert user is not None and (user.daily_new_cap, user.desired_retention) == (5, 0.95)


async def test_forged_settings_buttons_change_nothing(
    tutor: Tutor, turn: Turns, database: Database
) -> None:
    await tutor.on_command(turn(), "settings")
    for data in ("st:new:500", "st:ret:1", "st:new:", "st:zzz:5", "st:new:-5"):
        outcome = await tutor.on_button(turn(), data)
        assert outcome == ButtonOutcome(
            toast="That button has expired. Send /settings for a fresh one."
        )
    user = await database.run(lambda s: get_user(s, user_id=1))
    assert user is not None and (user.daily_new_cap, user.desired_retention) == (15, 0.9)


@pytest.mark.parametrize(
    "data",
    ["s:9223372036854775808:0:n", "q:99999999999999999999:0", "g:sx:12345678901234567890"],
)
async def test_buttons_with_numbers_too_big_for_an_id_are_expired(
    tutor: Tutor, turn: Turns, data: str
) -> None:
    outcome = await tutor.on_button(turn(), data)
    assert outcome.toast is not None and "expired" in outcome.toast and not outcome.replies
