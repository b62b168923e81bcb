"""Queries for daily reminders: settings, and the claim-send-finish cycle of the dispatcher.

A due reminder is *claimed* in two steps: pick the oldest due, unleased rows with
``SELECT ... FOR UPDATE SKIP LOCKED`` (on PostgreSQL a second dispatcher picking at the same
instant skips the rows the first is taking and gets the next ones, instead of waiting and
then finding them taken), then stamp a random token and a lease expiry on exactly those rows,
re-checking that they are still claimable. SQLite has one writer at a time, so there the pick
is a plain SELECT. (A single ``UPDATE ... WHERE id IN (SELECT ... SKIP LOCKED LIMIT n)`` is not
safe on PostgreSQL: the subquery may be re-run and claim more than n rows.)

Finishing is conditional on the token: a dispatcher whose lease was taken
over, or whose student changed their settings meanwhile, writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, func, or_, select

from storage.models import ReviewLog, User

CLAIM_OWNER_MARK = "/"
"""Between the claiming instance's name and the random part of a claim token."""


@dataclass(frozen=True)
class DueReminder:
    """A claimed reminder: whose, when it was due, and what is needed to build it."""

    user_id: int
    due_at: datetime
    remind_at: str
    timezone: str | None
    first_name: str
    created_at: datetime
    last_seen_at: datetime
    last_nudge_at: datetime | None
    paused_until: datetime | None
    new_items: bool = True


def set_reminder(
    session: Session, *, user_id: int, remind_at: str | None, next_at: datetime | None
) -> None:
    """Set (or, with None, clear) the daily time and the next instant; unpauses, drops claims."""
    _move(session, user_id, remind_at=remind_at, next_reminder_at=next_at)


def reschedule(
    session: Session,
    *,
    user_id: int,
    next_at: datetime | None,
    paused_until: datetime | None = None,
) -> None:
    """Move the next reminder (snooze, pause, resume, new zone); drops any claim on it."""
    _move(session, user_id, next_reminder_at=next_at, reminder_paused_until=paused_until)


def _move(session: Session, user_id: int, **values: object) -> None:
    """Update the student's reminder (unpaused unless ``values`` say otherwise); whoever had
    claimed its old instant no longer has it."""
    moved = {"reminder_paused_until": None, "reminder_claim": None, "reminder_claimed_until": None}
    session.exec(update(User).where(col(User.id) == user_id).values(moved | values))


def set_new_items(session: Session, *, user_id: int, new_items: bool) -> None:
    """Whether the daily reminder also comes for new items, or only when reviews are due."""
    session.exec(update(User).where(col(User.id) == user_id).values(remind_new_items=new_items))


def set_timezone(session: Session, *, user_id: int, zone: str | None) -> None:
    """Store the student's zone name (None: back to the default) and stop asking for it."""
    session.exec(
        update(User).where(col(User.id) == user_id).values(timezone=zone, timezone_asked_at=None)
    )


def set_timezone_asked(session: Session, *, user_id: int, at: datetime | None) -> None:
    """Remember that we asked for the student's time or city (None: not waiting any more)."""
    session.exec(update(User).where(col(User.id) == user_id).values(timezone_asked_at=at))


def mark_offered(session: Session, *, user_id: int) -> bool:
    """Flag that reminders were offered; True only for the one call that flipped the flag."""
    result = session.exec(
        update(User)
        .where(col(User.id) == user_id, col(User.offered_reminder).is_(False))
        .values(offered_reminder=True)
    )
    return result.rowcount == 1


def claim_due(
    session: Session, *, now: datetime, token: str, lease_until: datetime, limit: int
) -> list[DueReminder]:
    """Claim up to ``limit`` due reminders of students who have not blocked the bot.

    Due means ``next_reminder_at <= now`` and not leased (no lease, or an expired one left
    by a dispatcher that died). The picked rows are locked until commit and stamped; the
    claimed rows are then read back by token.
    """
    claimable = (
        col(User.next_reminder_at) <= now,
        col(User.remind_at).is_not(None),
        col(User.blocked).is_(False),
        or_(col(User.reminder_claimed_until).is_(None), col(User.reminder_claimed_until) < now),
    )
    picked = session.exec(
        select(User.id)
        .where(*claimable)
        .order_by(col(User.next_reminder_at))
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not picked:
        return []
    session.exec(
        update(User)
        .where(col(User.id).in_(list(picked)), *claimable)
        .values(reminder_claim=token, reminder_claimed_until=lease_until)
        .execution_options(synchronize_session=False)
    )
    result = session.exec(
        select(User)
        .where(User.reminder_claim == token)
        .order_by(col(User.next_reminder_at), col(User.id))
        .execution_options(populate_existing=True)
    )
    return [
        DueReminder(
            user_id=user.id,
            due_at=user.next_reminder_at or now,
            remind_at=user.remind_at or "",
            timezone=user.timezone,
            first_name=user.first_name,
            created_at=user.created_at,
            last_seen_at=user.last_seen_at,
            last_nudge_at=user.last_nudge_at,
            paused_until=user.reminder_paused_until,
            new_items=user.remind_new_items,
        )
        for user in result.all()
    ]


def extend_claim(session: Session, *, token: str, lease_until: datetime) -> int:
    """Push the lease of every row still held under ``token``; how many are still held."""
    result = session.exec(
        update(User)
        .where(col(User.reminder_claim) == token)
        .values(reminder_claimed_until=lease_until)
    )
    return int(result.rowcount)


def finish_claim(
    session: Session,
    *,
    user_id: int,
    token: str,
    next_at: datetime | None,
    sent_at: datetime | None = None,
    nudged_at: datetime | None = None,
) -> bool:
    """Done with one claimed reminder: store the next instant (None: no more) and drop the claim.

    ``sent_at`` records a delivered reminder and ``nudged_at`` a delivered nudge. Returns
    False (and changes nothing) when the claim is no longer ours.
    """
    values: dict[str, object] = {
        "next_reminder_at": next_at,
        "reminder_claim": None,
        "reminder_claimed_until": None,
        "reminder_paused_until": None,
    }
    if sent_at is not None:
        values["last_reminder_at"] = sent_at
    if nudged_at is not None:
        values["last_nudge_at"] = nudged_at
    result = session.exec(
        update(User)
        .where(col(User.id) == user_id, col(User.reminder_claim) == token)
        .values(**values)
    )
    return result.rowcount == 1


def release_claim(session: Session, *, token: str, user_id: int | None = None) -> int:
    """Give claimed reminders back unsent (all under ``token``, or one), to be claimed again."""
    query = update(User).where(col(User.reminder_claim) == token)
    if user_id is not None:
        query = query.where(col(User.id) == user_id)
    result = session.exec(query.values(reminder_claim=None, reminder_claimed_until=None))
    return int(result.rowcount)


def release_claims_of(session: Session, *, owner: str) -> int:
    """Give back every reminder claimed under ``owner``'s tokens (``owner/...``): an instance
    known to have died will never send them, so they need not wait for their lease."""
    mine = col(User.reminder_claim).startswith(owner + CLAIM_OWNER_MARK, autoescape=True)
    query = update(User).where(mine)
    result = session.exec(query.values(reminder_claim=None, reminder_claimed_until=None))
    return int(result.rowcount)


def last_review_at(session: Session, *, user_id: int) -> datetime | None:
    """When the student last reviewed anything, or None if never."""
    result = session.exec(
        select(ReviewLog.reviewed_at)
        .where(ReviewLog.user_id == user_id)
        .order_by(col(ReviewLog.reviewed_at).desc())
        .limit(1)
    )
    return result.first()


def review_times_since(
    session: Session, *, user_id: int, since: datetime | None = None
) -> list[datetime]:
    """Every review time at or after ``since`` (all of them with None)."""
    query = select(ReviewLog.reviewed_at).where(ReviewLog.user_id == user_id)
    if since is not None:
        query = query.where(col(ReviewLog.reviewed_at) >= since)
    result = session.exec(query)
    return list(result.all())


def count_scheduled(session: Session, *, due_by: datetime | None = None) -> int:
    """How many students have a reminder set (and, with ``due_by``, due by then)."""
    query = select(func.count()).select_from(User).where(col(User.remind_at).is_not(None))
    if due_by is not None:
        query = query.where(col(User.next_reminder_at) <= due_by)
    result = session.exec(query)
    return int(result.one())
