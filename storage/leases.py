"""Leases: a named role held by one bot instance at a time, until it stops renewing it.

The holder renews well before ``expires_at``; an instance that dies stops renewing, and the
next instance to ask once the lease has expired takes it over. Taking and renewing is one
conditional UPDATE (free, expired or already ours), so two instances asking at the same
instant cannot both get it, on PostgreSQL or SQLite.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, or_, update

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
