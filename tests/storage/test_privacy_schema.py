"""Every column that can hold a person's Telegram id is known to storage/privacy.py, so export
and erasure cover it; a new one must be a foreign key to users.id or marked as a mention."""

from __future__ import annotations

from sqlalchemy import BigInteger
from sqlmodel import SQLModel

from storage.privacy import iter_person_columns, personal_tables

# BigInteger columns that hold something other than a person: Telegram chat ids of groups
# (a post waiting in the outbox goes to a group), update ids.
NOT_PEOPLE = {
    ("groups", "chat_id"),
    ("group_outbox", "chat_id"),
    ("users", "id"),
    ("inbox", "update_id"),
}


def test_every_wide_integer_column_is_a_person_or_known_not_to_be() -> None:
    people = set(iter_person_columns())
    wide = {
        (table.name, column.name)
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, BigInteger)
    }
    assert wide - people - NOT_PEOPLE == set()


def test_child_tables_of_a_persons_rows_are_theirs_too() -> None:
    owned = {p.table.name for p in personal_tables() if p.owned}
    assert {"quiz_questions", "step_attempts", "group_poll_votes"} <= owned
    # class tables are not the person's: only the ids in them are blanked
    assert not {"groups", "challenges", "group_quizzes", "group_polls"} & owned
