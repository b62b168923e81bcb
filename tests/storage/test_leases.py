"""Leases: one holder at a time, renewed by its holder, taken over once it has expired."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from storage import Database, leases
from storage.models import Lease

T = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
TTL = timedelta(seconds=30)


async def hold(db: Database, holder: str, now: datetime = T) -> bool:
    return await db.run(
        lambda s: leases.hold(s, name="sender", holder=holder, now=now, until=now + TTL)
    )


async def test_one_holder_until_it_lets_go_or_its_lease_expires(database: Database) -> None:
    assert await hold(database, "a")
    assert not await hold(database, "b")
    assert await hold(database, "a", T + timedelta(seconds=20))  # renewed: until T+50s
    assert not await hold(database, "b", T + timedelta(seconds=40))
    assert await hold(database, "b", T + timedelta(seconds=51))  # a stopped renewing
    assert not await hold(database, "a", T + timedelta(seconds=52))
    await database.run(lambda s: leases.let_go(s, name="sender", holder="a"))  # not a's: no-op
    assert not await hold(database, "a", T + timedelta(seconds=53))
    await database.run(lambda s: leases.let_go(s, name="sender", holder="b"))
    assert await hold(database, "a", T + timedelta(seconds=54))


async def test_instances_asking_at_the_same_instant_get_one_holder(
    db_url: str, database: Database
) -> None:
    instances = [database, *(Database.from_url(db_url) for _ in range(4))]
    try:
        for round_ in range(3):  # the very first ask (an insert), then expired takeovers
            now = T + round_ * 2 * TTL
            got = await asyncio.gather(
                *(hold(db, f"i{n}-{round_}", now) for n, db in enumerate(instances))
            )
            assert sum(got) == 1
    finally:
        for db in instances[1:]:
            await db.close()


async def test_one_instance_asking_twice_at_once_holds_it_both_times(
    db_url: str, database: Database
) -> None:
    other_connection = Database.from_url(db_url)  # two jobs of one instance, two connections
    try:
        got = await asyncio.gather(hold(database, "a"), hold(other_connection, "a"))
    finally:
        await other_connection.close()
    assert list(got) == [True, True]


async def present(db: Database, holder: str, now: datetime = T) -> int:
    return await db.run(lambda s: leases.present(s, holder=holder, now=now, until=now + TTL))


async def test_presence_counts_the_instances_alive_now(database: Database) -> None:
    assert await present(database, "a") == 1
    assert await present(database, "b", T + timedelta(seconds=5)) == 2
    assert await present(database, "a", T + timedelta(seconds=10)) == 2
    await database.run(lambda s: leases.let_go(s, name=leases.PRESENCE + "b", holder="b"))
    assert await present(database, "a", T + timedelta(seconds=15)) == 1  # b said goodbye
    assert await present(database, "c", T + timedelta(seconds=20)) == 2
    assert await present(database, "a", T + timedelta(seconds=55)) == 1  # c died at T+50s


async def test_presence_rows_of_instances_long_gone_are_removed(database: Database) -> None:
    await present(database, "gone")
    later = T + leases.FORGET_AFTER + timedelta(minutes=1)
    assert await present(database, "new", later) == 1
    names = await database.run(lambda s: [row.name for row in s.exec(select(Lease))])
    assert names == [leases.PRESENCE + "new"]


async def test_lease_times_come_from_the_database_server(database: Database) -> None:
    host = datetime.now(UTC)
    server = await database.run(leases.database_now)
    assert server.tzinfo is not None
    # A local server: the same clock. (What matters is that every instance asks the same one.)
    assert abs(server - host) < timedelta(minutes=1)
