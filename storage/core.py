"""Single Core statements for the writes every quiz answer makes.

The ORM's unit of work costs several times the statement it finally emits. On the hot path,
storage writes with one prepared Core statement and mirrors the stored values onto the object
it was handed, without marking it changed, so nothing is written twice at commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, Executable
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session


def execute(session: Session, statement: Executable, params: dict[str, Any]) -> CursorResult[Any]:
    """Run a Core statement on the session's connection (inside its transaction)."""
    result: CursorResult[Any] = session.connection().execute(statement, params)
    return result


def mirror(target: object, **values: Any) -> None:
    """Set attributes as if just loaded from the database (not dirty: no UPDATE at commit)."""
    for name, value in values.items():
        set_committed_value(target, name, value)


def insert_id(session: Session, statement: Executable, params: dict[str, Any]) -> int:
    """Run a Core INSERT of one row and return the new row's primary key."""
    key = execute(session, statement, params).inserted_primary_key
    assert key is not None
    return int(key[0])
