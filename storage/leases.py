"""Leases: a named role held by one bot instance at a time, until it stops renewing it.

The holder renews well before ``expires_at``; an instance that dies stops renewing, and the
next instance to ask once the lease has expired takes it over. Taking and renewing is one
conditional UPDATE (free, expired or already ours), so two instances asking at the same
instant cannot both get it, on PostgreSQL or SQLite.

Times come from the database server's clock (:func:`database_now`), so instances on hosts
whose clocks disagree still agree on when a lease runs out. Presence leases (one per live
instance, :func:`present`) tell each instance how many share the bot's send budget.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, or_, select, update

from storage.models import Lease


def hold(session: Session, *, name: str, holder: str, now: datetime, until: datetime) -> bool:
    """Take or renew the lease ``name`` for ``holder`` until ``until``; False if it is taken."""
    take = (
        update(Lease)
        .where(
            col(Lease.name) == name,
            or_(
                col(Lease.holder) == holder,
                col(Lease.holder).is_(None),
                col(Lease.expires_at) < now,
            ),
        )
        .values(holder=holder, expires_at=until)
    )
    if session.exec(take).rowcount == 1:
        return True
    if session.get(Lease, name) is not None:
        return False
    try:
        with session.begin_nested():  # the first ask ever: another instance may insert too
            session.add(Lease(name=name, holder=holder, expires_at=until))
    except IntegrityError:
        # Someone inserted it first (and has committed: the insert waited for them). It may
        # have been another call of ours, or be free again: the conditional update decides.
        return bool(session.exec(take).rowcount == 1)
    return True


def hold_or_inherit(
    session: Session,
    *,
    name: str,
    holder: str,
    now: datetime,
    until: datetime,
    died: Callable[[str | None], bool],
) -> bool:
    """:func:`hold`, or take the lease at once from a holder that ``died`` says is gone
    (instead of waiting for it to expire); False if someone alive has it."""
    if hold(session, name=name, holder=holder, now=now, until=until):
        return True
    lease = current(session, name=name)
    if lease is None or lease.holder is None or not died(lease.holder):
        return False
    take = (
        update(Lease)
        .where(col(Lease.name) == name, col(Lease.holder) == lease.holder)
        .values(holder=holder, expires_at=until)
    )
    return bool(session.exec(take).rowcount == 1)


def let_go(session: Session, *, name: str, holder: str) -> None:
    """Give the lease up at once (a clean shutdown), if ``holder`` still has it."""
    session.exec(
        update(Lease)
        .where(col(Lease.name) == name, col(Lease.holder) == holder)
        .values(holder=None)
    )


def current(session: Session, *, name: str) -> Lease | None:
    """The lease row (who holds it until when), or None if nobody ever asked for it."""
    return session.get(Lease, name)


PRESENCE = "instance:"
FORGET_AFTER = timedelta(days=1)
"""A presence row this long expired belongs to an instance that is not coming back."""


def database_now(session: Session) -> datetime:
    """The time on the database server (PostgreSQL's clock is shared by every instance; an
    SQLite file is only ever used by processes on this host, whose clock is the same)."""
    if session.get_bind().dialect.name == "postgresql":
        now: datetime = session.exec(select(func.now())).one()
        return now.astimezone(UTC)
    return datetime.now(UTC)


def present(session: Session, *, holder: str, now: datetime, until: datetime) -> int:
    """Say ``holder`` is alive until ``until``; how many instances are alive now (it included).

    Rows of instances long gone are removed on the way, so the table stays small."""
    name = PRESENCE + holder
    hold(session, name=name, holder=holder, now=now, until=until)
    session.exec(
        delete(Lease).where(
            col(Lease.name).startswith(PRESENCE), col(Lease.expires_at) < now - FORGET_AFTER
        )
    )
    alive = select(func.count()).where(
        col(Lease.name).startswith(PRESENCE),
        col(Lease.holder).is_not(None),
        col(Lease.expires_at) >= now,
    )
    return max(1, session.exec(alive).one())
