"""A person's data, found generically from the schema: exported, erased, and aged out.

Which rows are a person's is read from the tables themselves, so a new table is covered the
moment it points at a person:

* an *owner* column is a foreign key to ``users.id``: the row is the person's (their cards,
  their votes). Export includes it; erasure deletes it.
* a *child* table points (by foreign key) at a table the person owns rows in: the questions
  of their quiz sessions, the attempts of their scenario runs. Exported and deleted with it.
* a *mention* column holds a Telegram user id without owning the row (who added the bot to a
  group, who set a challenge): marked ``info={"person": True}`` in ``storage.models``. The row
  belongs to a class, so erasure blanks the id (NULL, or :data:`ERASED` where a value is
  required) and the class keeps its history.

Erasure runs in the caller's one transaction (``Database.run``), children first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Column, ColumnElement, Select, Table, delete, false, or_, select, update
from sqlmodel import Session, SQLModel, col

import storage.models  # noqa: F401  (registers every table on SQLModel.metadata)
from storage.models import Appeal, QuizQuestion, StepAttempt, User

USERS = "users"
ERASED = 0
"""What a required mention column holds once the person it named has been erased."""


def person_columns(table: Table) -> tuple[list[Column[Any]], list[Column[Any]]]:
    """The table's owner columns (foreign keys to ``users.id``) and mention columns."""
    owners = [
        c for c in table.columns if any(fk.column.table.name == USERS for fk in c.foreign_keys)
    ]
    mentions = [c for c in table.columns if c.info.get("person") and c not in owners]
    return owners, mentions


@dataclass(frozen=True)
class Personal:
    """How one table holds a person's data: rows they own, or ids of theirs to blank."""

    table: Table
    owned: bool
    mentions: tuple[Column[Any], ...]


@cache
def personal_tables() -> tuple[Personal, ...]:
    """Every table that can hold a person's data, parents before their children (the schema
    is fixed once the models are imported, so this is worked out once)."""
    owned: dict[str, Table] = {}
    found: list[Personal] = []
    for table in SQLModel.metadata.sorted_tables:  # a parent always comes before its children
        owners, mentions = person_columns(table)
        is_child = any(
            fk.column.table.name in owned
            for column in table.columns
            for fk in column.foreign_keys
            if fk.column.table.name != USERS
        )
        is_owned = table.name == USERS or bool(owners) or is_child
        if is_owned:
            owned[table.name] = table
        if is_owned or mentions:
            found.append(Personal(table, is_owned, tuple(mentions)))
    return tuple(found)


def _owned_by(table: Table, user_id: int) -> ColumnElement[bool]:
    """The condition selecting ``table``'s rows that belong to ``user_id`` (any depth)."""
    if table.name == USERS:
        return table.c.id == user_id
    owners, _ = person_columns(table)
    conditions: list[ColumnElement[bool]] = [c == user_id for c in owners]
    for column in table.columns:
        for fk in column.foreign_keys:
            parent = fk.column.table
            if parent.name == USERS or not isinstance(parent, Table):
                continue
            if any(p.table is parent and p.owned for p in personal_tables()):
                parents: Select[Any] = select(fk.column).where(_owned_by(parent, user_id))
                conditions.append(column.in_(parents))
    return or_(*conditions) if conditions else false()


def _mentioning(entry: Personal, user_id: int) -> ColumnElement[bool]:
    return or_(*(c == user_id for c in entry.mentions)) if entry.mentions else false()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def export_user(session: Session, *, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every stored row about the person, table by table (tables with no rows are listed
    empty, so the export shows what could be kept as well as what is)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for entry in personal_tables():
        condition = _owned_by(entry.table, user_id) if entry.owned else false()
        query = select(entry.table).where(or_(condition, _mentioning(entry, user_id)))
        rows = session.connection().execute(query.order_by(*entry.table.primary_key.columns))
        tables[entry.table.name] = [
            {key: _plain(value) for key, value in row._mapping.items()} for row in rows
        ]
    return tables


def table_descriptions() -> dict[str, str]:
    """Each personal table's name and what it holds (its model's docstring, first line)."""
    described: dict[str, str] = {}
    for mapper in SQLModel._sa_registry.mappers:
        model = mapper.class_
        table = getattr(model, "__table__", None)
        if isinstance(table, Table) and model.__doc__:
            described[table.name] = model.__doc__.strip().splitlines()[0]
    return {p.table.name: described.get(p.table.name, "") for p in personal_tables()}


def erase_user(session: Session, *, user_id: int) -> dict[str, int]:
    """Delete every row the person owns and blank every mention of them; rows touched per
    table. Runs inside the caller's transaction, so it happens completely or not at all."""
    entries = personal_tables()
    touched: dict[str, int] = {}
    connection = session.connection()
    for entry in entries:  # blank mentions first: a mention may sit in a row about to go
        for column in entry.mentions:
            blank = None if column.nullable else ERASED
            result = connection.execute(
                update(entry.table).where(column == user_id).values({column.name: blank})
            )
            touched[entry.table.name] = touched.get(entry.table.name, 0) + result.rowcount
    for entry in reversed(entries):  # children before their parents
        if entry.owned:
            result = connection.execute(delete(entry.table).where(_owned_by(entry.table, user_id)))
            touched[entry.table.name] = touched.get(entry.table.name, 0) + result.rowcount
    session.expire_all()
    return {name: count for name, count in touched.items() if count}


def clear_old_answers(session: Session, *, before: datetime) -> int:
    """Blank the words of typed answers (and of contested ones) given before ``before``: the
    verdicts, scores and points made stay (progress needs them), the text does not. Returns
    how many were cleared."""
    connection = session.connection()
    quiz = connection.execute(
        update(QuizQuestion)
        .where(col(QuizQuestion.answered_at) < before, col(QuizQuestion.answer).is_not(None))
        .values(answer=None)
    )
    steps = connection.execute(
        update(StepAttempt)
        .where(col(StepAttempt.at) < before, col(StepAttempt.answer) != "")
        .values(answer="")
    )
    appeals = connection.execute(
        update(Appeal).where(col(Appeal.at) < before, col(Appeal.answer) != "").values(answer="")
    )
    return int(quiz.rowcount) + int(steps.rowcount) + int(appeals.rowcount)


def user_exists(session: Session, *, user_id: int) -> bool:
    """Whether anything about the person is stored at all (their users row)."""
    return session.get(User, user_id) is not None


def iter_person_columns() -> Iterator[tuple[str, str]]:
    """(table, column) for every column that holds a person's id: owners and mentions."""
    for table in SQLModel.metadata.sorted_tables:
        owners, mentions = person_columns(table)
        for column in (*owners, *mentions):
            yield table.name, column.name
