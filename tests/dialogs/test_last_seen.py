"""Every turn records the person as seen, but writes only when something changed or a minute
passed; a blocked person is unblocked by any turn of theirs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from dialogs.tutor import Turn, Tutor
from storage import Database
from storage.models import User
from storage.users import get_user
from tests.conftest import NOON


async def _stored(database: Database, user_id: int = 1) -> User:
    user = await database.run(lambda s: get_user(s, user_id=user_id))
    assert user is not None
    return user


async def test_first_contact_is_stored_at_once(
    tutor: Tutor, turn: Callable[..., Turn], database: Database
) -> None:
    await tutor.on_command(turn(), "start", "")
    user = await _stored(database)
    assert (user.first_name, user.created_at, user.last_seen_at) == ("Sam", NOON, NOON)


async def test_last_seen_is_refreshed_at_most_once_a_minute(
    tutor: Tutor, turn: Callable[..., Turn], database: Database
) -> None:
    await tutor.on_command(turn(), "start", "")
    await tutor.on_command(turn(now=NOON + timedelta(seconds=30)), "help", "")
    assert (await _stored(database)).last_seen_at == NOON
    later = NOON + timedelta(minutes=2)
    await tutor.on_command(turn(now=later), "help", "")
    assert (await _stored(database)).last_seen_at == later


async def test_a_new_name_is_stored_on_the_next_turn(
    tutor: Tutor, turn: Callable[..., Turn], database: Database
) -> None:
    await tutor.on_command(turn(), "start", "")
    soon = NOON + timedelta(seconds=5)
    await tutor.on_command(turn(now=soon, name="Samira"), "help", "")
    user = await _stored(database)
    assert (user.first_name, user.last_seen_at) == ("Samira", soon)


async def test_a_blocked_person_who_writes_is_unblocked_at_once(
    tutor: Tutor, turn: Callable[..., Turn], database: Database
) -> None:
    await tutor.on_command(turn(), "start", "")
    await tutor.user_blocked(1)  # what the adapter calls when Telegram says 403
    assert (await _stored(database)).blocked
    await tutor.on_command(turn(now=NOON + timedelta(seconds=5)), "help", "")
    assert not (await _stored(database)).blocked
