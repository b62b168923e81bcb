"""Card, review-log, quiz and misconception queries on a real (temporary) database."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import Connection, text
from sqlmodel import Session

from storage import Database
from storage.cards import (
    add_review,
    card_item_ids,
    count_due,
    due_cards,
    due_counts,
    introduced_since,
    next_due,
    save_card,
)
from storage.exams import fit_before
from storage.misconceptions import hit_counts, hit_counts_by_user, record_hit
from storage.models import Card, QuizQuestion, User
from storage.quizzes import (
    active_session,
    add_question,
    asked_items,
    claim_answer,
    pending_question,
    start_session,
)
from tests.conftest import NOON


async def _users(database: Database, *ids: int) -> None:

    def add(session: Session) -> None:
        for user_id in ids:
            session.add(User(id=user_id, created_at=NOON, last_seen_at=NOON))

    await database.run(add)


async def _card(database: Database, user_id: int, item_id: str, due_in: timedelta) -> None:
    card = Card(user_id=user_id, item_id=item_id, due=NOON + due_in)
    await database.run(lambda session: save_card(session, card))


async def test_due_queries(database: Database) -> None:
    await _users(database, 1, 2)
    await _card(database, 1, "age", -timedelta(hours=2))
    await _card(database, 1, "income", -timedelta(hours=1))
    await _card(database, 1, "values", timedelta(days=2))
    await _card(database, 2, "age", -timedelta(minutes=1))

    def check(session: Session) -> None:
        due = due_cards(session, user_id=1, now=NOON)
        assert [c.item_id for c in due] == ["age", "income"]
        assert [c.item_id for c in due_cards(session, user_id=1, now=NOON, limit=1)] == ["age"]
        skipped = due_cards(session, user_id=1, now=NOON, exclude=["age"])
        assert [c.item_id for c in skipped] == ["income"]
        only = due_cards(session, user_id=1, now=NOON, only=["income", "values"])
        assert [c.item_id for c in only] == ["income"]
        assert count_due(session, user_id=1, until=NOON + timedelta(days=7)) == 3
        assert due_counts(session, now=NOON) == {1: 2, 2: 1}
        assert next_due(session, user_id=1, after=NOON) == NOON + timedelta(days=2)
        assert card_item_ids(session, user_id=1) == {"age", "income", "values"}

    await database.run(check)


@pytest.mark.sqlite_only
async def test_due_lookup_uses_an_index(database: Database) -> None:

    def check(connection: Connection) -> None:
        for query in (
            "SELECT * FROM cards WHERE due <= '2026-11-02'",
            "SELECT * FROM cards WHERE user_id = 1 AND due <= '2026-11-02'",
        ):
            plan = connection.execute(text(f"EXPLAIN QUERY PLAN {query}")).all()
            assert any("USING INDEX" in str(row) for row in plan), plan

    await database.connection_run(check)


@pytest.mark.postgres_only
async def test_due_lookups_use_an_index_on_postgres(database: Database) -> None:
    """The PostgreSQL twin: with sequential scans priced out (the test tables are tiny, where a
    scan is rightly cheaper), the planner can answer due cards and due reminders by index."""

    def check(connection: Connection) -> None:
        connection.execute(text("SET enable_seqscan = off"))
        for query in (
            "SELECT * FROM cards WHERE due <= '2026-11-02'",
            "SELECT * FROM cards WHERE user_id = 1 AND due <= '2026-11-02'",
            "SELECT id FROM users WHERE next_reminder_at <= '2026-11-02' "
            "ORDER BY next_reminder_at LIMIT 100",
        ):
            plan = [row[0] for row in connection.execute(text(f"EXPLAIN {query}")).all()]
            assert any("Index" in line for line in plan), plan

    await database.connection_run(check)


async def test_introduced_since_counts_first_reviews_only(database: Database) -> None:
    await _users(database, 1)

    def log(session: Session) -> None:
        for item, when in (
            ("age", -timedelta(days=1)),
            ("age", timedelta()),
            ("income", timedelta()),
        ):
            add_review(
                session,
                user_id=1,
                item_id=item,
                rating=3,
                source="quiz",
                duration_ms=None,
                now=NOON + when,
            )

    await database.run(log)
    since = NOON - timedelta(hours=1)
    assert await database.run(lambda s: introduced_since(s, user_id=1, since=since)) == 1


async def test_racing_answers_are_claimed_once(database: Database) -> None:
    await _users(database, 1)

    def ask(session: Session) -> tuple[int, int]:
        quiz = start_session(session, user_id=1, mode="quiz", topic=None, size=10, now=NOON)
        row = add_question(session, quiz=quiz, item_id="age", kind="classify", payload={}, now=NOON)
        assert quiz.id is not None and row.id is not None
        return quiz.id, row.id

    quiz_id, question_id = await database.run(ask)

    async def claim(answer: str) -> bool:
        def work(session: Session) -> bool:
            question = session.get(QuizQuestion, question_id)
            assert question is not None
            return claim_answer(session, question=question, answer=answer, correct=True, now=NOON)

        return await database.run(work)

    results = await asyncio.gather(*(claim(f"tap {i}") for i in range(5)))
    assert sorted(results) == [False, False, False, False, True]
    pending, asked = await database.run(
        lambda s: (pending_question(s, quiz_id=quiz_id), asked_items(s, quiz_id=quiz_id))
    )
    assert pending is None
    assert asked == ["age"]


async def test_a_new_quiz_abandons_the_old_one(database: Database) -> None:
    await _users(database, 1)

    def check(session: Session) -> None:
        first = start_session(session, user_id=1, mode="quiz", topic=None, size=10, now=NOON)
        second = start_session(session, user_id=1, mode="review", topic=None, size=10, now=NOON)
        running = active_session(session, user_id=1)
        assert running is not None and running.id == second.id
        session.refresh(first)
        assert first.status == "abandoned"

    await database.run(check)


async def test_fit_before_spreads_late_cards(database: Database) -> None:
    await _users(database, 1)
    for index in range(3):
        await _card(database, 1, f"item{index}", timedelta(days=40 + index))
    await _card(database, 1, "soon", timedelta(days=1))
    deadline = NOON + timedelta(days=20)
    moved = await database.run(lambda s: fit_before(s, user_id=1, deadline=deadline, now=NOON))
    assert moved == 3
    due = await database.run(lambda s: due_cards(s, user_id=1, now=deadline))
    assert [c.item_id for c in due] == ["soon", "item0", "item1", "item2"]
    assert [c.due for c in due[1:]] == [NOON + timedelta(days=5 * i) for i in (1, 2, 3)]


async def test_misconception_counts(database: Database) -> None:
    await _users(database, 1, 2)

    def record(session: Session) -> None:
        for user, mc in ((1, "mc_a"), (1, "mc_a"), (1, "mc_b"), (2, "mc_b")):
            record_hit(session, user_id=user, misconception_id=mc, context="chat", now=NOON)

    def check(session: Session) -> None:
        assert hit_counts(session, user_id=1) == {"mc_a": 2, "mc_b": 1}
        assert list(hit_counts(session, user_id=1)) == ["mc_a", "mc_b"]
        assert hit_counts(session, user_id=1, since=NOON + timedelta(seconds=1)) == {}
        assert hit_counts_by_user(session) == {1: {"mc_a": 2, "mc_b": 1}, 2: {"mc_b": 1}}
        assert hit_counts_by_user(session, user_ids=[2]) == {2: {"mc_b": 1}}

    await database.run(record)
    await database.run(check)
