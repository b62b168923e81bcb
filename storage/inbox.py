"""The inbox: updates stored on receipt, marked done once handled, replayed after a crash.

Telegram forgets an update once the bot confirms it (polling: the next ``getUpdates``
offset; webhook: the HTTP 200), so the bot stores each one here first. Written with
portable SQL (an INSERT that ignores a known id, on SQLite and PostgreSQL alike).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from storage.models import InboxUpdate

NEW = "new"
PENDING = "pending"
DONE = "done"


def receive(session: Session, *, update_id: int, payload: dict[str, Any], now: datetime) -> str:
    """Store an update unless it is known: :data:`NEW` when stored now, else its status
    (:data:`PENDING`: received before and not handled yet; :data:`DONE`: handled)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    stored = session.connection().execute(
        insert(InboxUpdate)
        .values(update_id=update_id, payload=payload, status=PENDING, received_at=now)
        .on_conflict_do_nothing(index_elements=["update_id"])
    )
    if stored.rowcount:
        return NEW
    status = session.exec(
        select(InboxUpdate.status).where(InboxUpdate.update_id == update_id)
    ).first()
    return status or PENDING


def mark_done(session: Session, *, update_id: int, now: datetime) -> None:
    """The update was handled: forget its payload, keep its id (to spot a redelivery)."""
    session.connection().execute(
        update(InboxUpdate)
        .where(col(InboxUpdate.update_id) == update_id)
        .values(status=DONE, payload=None, done_at=now)
    )


def pending(session: Session) -> list[tuple[int, dict[str, Any]]]:
    """Updates received but not handled (the process stopped first), oldest first."""
    rows = session.exec(
        select(InboxUpdate.update_id, InboxUpdate.payload)
        .where(InboxUpdate.status == PENDING)
        .order_by(col(InboxUpdate.update_id))
    ).all()
    return [(int(update_id), dict(payload or {})) for update_id, payload in rows]


def prune(session: Session, *, before: datetime) -> int:
    """Drop done updates handled before ``before`` (Telegram redelivers within a day)."""
    result = session.connection().execute(
        delete(InboxUpdate).where(
            col(InboxUpdate.status) == DONE, col(InboxUpdate.done_at) < before
        )
    )
    return int(result.rowcount)
