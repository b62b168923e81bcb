"""Reminder claims: atomic, exclusive, leased, and safe with two dispatchers on one database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from storage import Database
from storage import reminders as store
from storage.models import User
from storage.users import get_user, set_blocked, touch_user

T = datetime(2026, 11, 2, 18, 30, tzinfo=UTC)
LEASE = timedelta(minutes=2)


async def add_students(db: Database, ids: range, *, due: datetime = T) -> None:
    def add(session: Session) -> None:
        for user_id in ids:
            touch_user(
                session, user_id=user_id, first_name="S", username=None, language=None, now=T
            )
            store.set_reminder(session, user_id=user_id, remind_at="18:30", next_at=due)

    await db.run(add)


async def claim(db: Database, token: str, *, now: datetime = T, limit: int = 100):
    return await db.run(
        lambda s: store.claim_due(s, now=now, token=token, lease_until=now + LEASE, limit=limit)
    )


async def test_claims_only_due_reminders_of_reachable_students(database):
    await add_students(database, range(1, 4))
    await add_students(database, range(4, 5), due=T + timedelta(minutes=1))  # not yet

    def add_and_block(session: Session) -> None:
        touch_user(session, user_id=5, first_name="S", username=None, language=None, now=T)
        set_blocked(session, user_id=3)

    await database.run(add_and_block)
    claimed = await claim(database, "a")
    assert sorted(c.user_id for c in claimed) == [1, 2]
    assert all(c.due_at == T and c.remind_at == "18:30" for c in claimed)


async def test_a_claimed_reminder_is_not_claimed_again_until_its_lease_ends(database):
    await add_students(database, range(1, 3))
    first = await claim(database, "first")
    assert len(first) == 2
    assert await claim(database, "second", now=T + timedelta(minutes=1)) == []
    # The first dispatcher died: after the lease, another one takes over...
    taken = await claim(database, "third", now=T + LEASE + timedelta(seconds=1))
    assert sorted(c.user_id for c in taken) == [1, 2]
    # ...and the dead one's late finish changes nothing.
    late = await database.run(
        lambda s: store.finish_claim(
            s, user_id=1, token="first", next_at=T + timedelta(days=1), sent_at=T
        )
    )
    assert late is False


async def test_finish_stores_the_next_instant_and_frees_the_row(database):
    await add_students(database, range(1, 2))
    await claim(database, "tok")

    def finish(session: Session) -> tuple[bool, User | None]:
        ok = store.finish_claim(
            session, user_id=1, token="tok", next_at=T + timedelta(days=1), sent_at=T
        )
        return ok, session.get(User, 1)

    ok, user = await database.run(finish)
    assert ok
    assert user is not None
    assert (user.next_reminder_at, user.last_reminder_at) == (T + timedelta(days=1), T)
    assert user.reminder_claim is None and user.reminder_claimed_until is None
    assert await claim(database, "again", now=T + timedelta(hours=1)) == []


async def test_released_reminders_are_claimed_again_at_once(database):
    await add_students(database, range(1, 4))
    await claim(database, "tok")
    assert await database.run(lambda s: store.release_claim(s, token="tok", user_id=2)) == 1
    assert [c.user_id for c in await claim(database, "next")] == [2]
    assert await database.run(lambda s: store.release_claim(s, token="tok")) == 2


async def test_claims_of_an_instance_known_dead_are_given_back_and_no_others(database):
    await add_students(database, range(1, 5))
    await claim(database, "dead-host:41:1:abc/x1", limit=2)
    await claim(database, "alive-host:7:1:def/x2", limit=1)
    released = await database.run(lambda s: store.release_claims_of(s, owner="dead-host:41:1:abc"))
    assert released == 2
    assert {r.user_id for r in await claim(database, "next/x3")} == {1, 2, 4}


async def test_a_settings_change_drops_the_claim_so_the_dispatcher_cannot_overwrite_it(database):
    await add_students(database, range(1, 2))
    await claim(database, "tok")
    new_next = T + timedelta(hours=2)
    await database.run(
        lambda s: store.set_reminder(s, user_id=1, remind_at="20:30", next_at=new_next)
    )

    def finish(session: Session) -> tuple[bool, User | None]:
        lost = store.finish_claim(
            session, user_id=1, token="tok", next_at=T + timedelta(days=1), sent_at=T
        )
        return lost, get_user(session, user_id=1)

    lost, user = await database.run(finish)
    assert lost is False
    assert user is not None and user.next_reminder_at == new_next


async def test_extend_keeps_a_long_batch_leased(database):
    await add_students(database, range(1, 3))
    await claim(database, "tok")
    held = await database.run(
        lambda s: store.extend_claim(s, token="tok", lease_until=T + 2 * LEASE)
    )
    assert held == 2
    assert await claim(database, "other", now=T + LEASE + timedelta(seconds=1)) == []


async def test_two_dispatchers_on_one_database_never_claim_the_same_reminder(db_url, database):
    await add_students(database, range(1, 301))
    other = Database.from_url(db_url)  # a second bot instance: its own engine and pool
    a: list[int] = []
    b: list[int] = []
    try:
        # Round after round both claim at the same moment, until nothing is left. (Left to
        # loop freely, one SQLite dispatcher can starve the other of the write lock.)
        for round_ in range(1, 100):
            got_a, got_b = await asyncio.gather(
                claim(database, f"a-{round_}", limit=7), claim(other, f"b-{round_}", limit=7)
            )
            if not got_a and not got_b:
                break
            a.extend(c.user_id for c in got_a)
            b.extend(c.user_id for c in got_b)
    finally:
        await other.close()
    assert not set(a) & set(b)
    assert sorted(a + b) == list(range(1, 301))
    assert a and b  # both really took part


async def test_offered_once(database):
    await add_students(database, range(1, 2))
    assert await database.run(lambda s: store.mark_offered(s, user_id=1)) is True
    assert await database.run(lambda s: store.mark_offered(s, user_id=1)) is False


async def test_last_review_and_review_times(database):
    from storage.cards import add_review

    await add_students(database, range(1, 2))

    def review(session: Session) -> datetime | None:
        before = store.last_review_at(session, user_id=1)
        for hours in (5, 1, 30):
            add_review(
                session,
                user_id=1,
                item_id="age",
                rating=3,
                source="quiz",
                duration_ms=None,
                now=T - timedelta(hours=hours),
            )
        return before

    assert await database.run(review) is None

    def read(session: Session) -> tuple[datetime | None, list[datetime], list[datetime]]:
        return (
            store.last_review_at(session, user_id=1),
            store.review_times_since(session, user_id=1, since=T - timedelta(hours=6)),
            store.review_times_since(session, user_id=1),
        )

    last, recent, everything = await database.run(read)
    assert last == T - timedelta(hours=1)
    assert sorted(recent) == [T - timedelta(hours=5), T - timedelta(hours=1)]
    assert len(everything) == 3
