"""The group outbox: posts decided on and waiting to be sent, claimed like reminders.

Results and scheduled posts change state when they are decided (a quiz is closed, a schedule
moved on), so from then on the post itself is the only record that something must be sent:
it is stored here at once, and deleted only once Telegram has it (or refused it for good).
The sender claims posts with a token and an expiry (picked ``FOR UPDATE SKIP LOCKED``, as in
``storage/reminders.py``); a post whose sender died is claimable again once the claim expires.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, delete, or_, select, update

from storage.models import GroupOutbox


def keep(
    session: Session,
    *,
    posts: Iterable[tuple[int, int | None, str, list[list[dict[str, Any]]]]],
    now: datetime,
) -> int:
    """Store posts to send: (chat id, forum topic, HTML, buttons) each; how many."""
    rows = [
        GroupOutbox(chat_id=chat, thread_id=thread, html=html, buttons=buttons, created_at=now)
        for chat, thread, html, buttons in posts
    ]
    session.add_all(rows)
    session.flush()
    return len(rows)


def claim(
    session: Session, *, now: datetime, token: str, until: datetime, limit: int = 200
) -> list[GroupOutbox]:
    """Claim up to ``limit`` waiting posts, oldest first (not claimed, or the claim expired)."""
    free = or_(col(GroupOutbox.claimed_until).is_(None), col(GroupOutbox.claimed_until) < now)
    picked = session.exec(
        select(GroupOutbox.id)
        .where(free)
        .order_by(col(GroupOutbox.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not picked:
        return []
    session.exec(
        update(GroupOutbox)
        .where(col(GroupOutbox.id).in_(list(picked)), free)
        .values(claim=token, claimed_until=until)
        .execution_options(synchronize_session=False)
    )
    result = session.exec(
        select(GroupOutbox)
        .where(col(GroupOutbox.claim) == token)
        .order_by(col(GroupOutbox.id))
        .execution_options(populate_existing=True)
    )
    return list(result.all())


def done(session: Session, *, post_id: int, token: str) -> bool:
    """The post is out (or can never be sent): remove it, if the claim is still ours."""
    result = session.exec(
        delete(GroupOutbox).where(col(GroupOutbox.id) == post_id, col(GroupOutbox.claim) == token)
    )
    return bool(result.rowcount == 1)


def release(session: Session, *, token: str) -> int:
    """Give back every post still claimed under ``token`` (unsent: next tick)."""
    result = session.exec(
        update(GroupOutbox)
        .where(col(GroupOutbox.claim) == token)
        .values(claim=None, claimed_until=None)
    )
    return int(result.rowcount)


def waiting(session: Session) -> int:
    """How many posts wait to be sent."""
    return len(session.exec(select(GroupOutbox.id)).all())
