"""Recording the people the bot hears from, whichever way they reach it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from dialogs.context import Person
from storage.users import is_fresh, touch_user


def seen(
    session: Session, person: Person, now: datetime, *, unless_within: timedelta | None = None
) -> bool:
    """Store the person as seen now (creating them, unblocking them: they wrote to us);
    True when that took a write.

    With ``unless_within``, skip the write when nothing changed and they were seen that
    recently: a write on every turn would cost more than the rest of a quiz answer.
    """
    if unless_within is not None and is_fresh(
        session,
        user_id=person.id,
        first_name=person.first_name,
        username=person.username,
        language=person.language,
        now=now,
        within=unless_within,
    ):
        return False
    touch_user(
        session,
        user_id=person.id,
        first_name=person.first_name,
        username=person.username,
        language=person.language,
        now=now,
    )
    return True
