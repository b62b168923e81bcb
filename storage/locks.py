"""Row locks that serialise one student's read-decide-write transactions on PostgreSQL.

SQLite lets one writer in at a time, so a transaction that reads, decides and writes sees no
one else's changes half way. PostgreSQL runs transactions side by side: two ``/quiz`` at the
same instant would each find no quiz running and each start one. Locking the student's row
first makes the second wait for the first to commit, then see what it did. ``FOR NO KEY
UPDATE`` (not ``FOR UPDATE``) so rows that merely reference the student (reviews, attempts)
can still be inserted meanwhile. SQLAlchemy leaves the clause out on SQLite.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import User


def lock_student(session: Session, *, user_id: int) -> None:
    """Hold the student's row until this transaction ends (no-op for unknown students)."""
    session.exec(
        select(User.id).where(col(User.id) == user_id).with_for_update(key_share=True)
    ).first()
