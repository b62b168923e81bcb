"""Queries on quiz sessions and their questions (the current question lives here, not in memory)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import QuizQuestion, QuizSession


async def active_session(session: AsyncSession, *, user_id: int) -> QuizSession | None:
    """The student's running quiz, if any (the newest, should there ever be two)."""
    result = await session.exec(
        select(QuizSession)
        .where(QuizSession.user_id == user_id, QuizSession.status == "active")
        .order_by(col(QuizSession.id).desc())
    )
    return result.first()


async def get_session(session: AsyncSession, *, quiz_id: int) -> QuizSession | None:
    """One quiz session by id."""
    return await session.get(QuizSession, quiz_id)


async def start_session(
    session: AsyncSession,
    *,
    user_id: int,
    mode: str,
    topic: str | None,
    size: int,
    now: datetime,
) -> QuizSession:
    """Start a quiz; any quiz the student still had running is marked abandoned."""
    await session.exec(
        update(QuizSession)
        .where(col(QuizSession.user_id) == user_id, col(QuizSession.status) == "active")
        .values(status="abandoned", updated_at=now)
    )
    quiz = QuizSession(
        user_id=user_id, mode=mode, topic=topic, size=size, started_at=now, updated_at=now
    )
    session.add(quiz)
    await session.flush()
    return quiz


async def end_session(
    session: AsyncSession, *, quiz: QuizSession, status: str, now: datetime
) -> None:
    """Close a quiz with a final status: finished, cancelled, expired or abandoned."""
    quiz.status = status
    quiz.updated_at = now
    session.add(quiz)


async def add_question(
    session: AsyncSession,
    *,
    quiz: QuizSession,
    item_id: str,
    kind: str,
    payload: dict[str, Any],
    now: datetime,
) -> QuizQuestion:
    """Ask the next question of ``quiz`` (its position is one more than those asked so far)."""
    if quiz.id is None:
        raise ValueError("the quiz must be saved first")
    quiz.asked += 1
    quiz.updated_at = now
    question = QuizQuestion(
        session_id=quiz.id,
        position=quiz.asked,
        item_id=item_id,
        kind=kind,
        payload=payload,
        asked_at=now,
    )
    session.add(quiz)
    session.add(question)
    await session.flush()
    return question


async def get_question(session: AsyncSession, *, question_id: int) -> QuizQuestion | None:
    """One question by id."""
    return await session.get(QuizQuestion, question_id)


async def load_question(
    session: AsyncSession, *, question_id: int
) -> tuple[QuizQuestion, QuizSession] | None:
    """A question and its quiz, in one query; None if there is no such question."""
    result = await session.exec(
        select(QuizQuestion, QuizSession)
        .join(QuizSession, col(QuizSession.id) == col(QuizQuestion.session_id))
        .where(QuizQuestion.id == question_id)
    )
    found = result.first()
    return (found[0], found[1]) if found else None


async def waiting_question(
    session: AsyncSession, *, user_id: int
) -> tuple[QuizQuestion, QuizSession] | None:
    """The student's running quiz and its unanswered question, in one query, if any."""
    result = await session.exec(
        select(QuizQuestion, QuizSession)
        .join(QuizSession, col(QuizSession.id) == col(QuizQuestion.session_id))
        .where(
            QuizSession.user_id == user_id,
            QuizSession.status == "active",
            col(QuizQuestion.answered_at).is_(None),
        )
        .order_by(col(QuizSession.id).desc(), col(QuizQuestion.position).desc())
    )
    found = result.first()
    return (found[0], found[1]) if found else None


async def pending_question(session: AsyncSession, *, quiz_id: int) -> QuizQuestion | None:
    """The question of ``quiz_id`` still waiting for an answer, if any."""
    result = await session.exec(
        select(QuizQuestion)
        .where(QuizQuestion.session_id == quiz_id, col(QuizQuestion.answered_at).is_(None))
        .order_by(col(QuizQuestion.position).desc())
    )
    return result.first()


async def asked_items(session: AsyncSession, *, quiz_id: int) -> list[str]:
    """The items already asked in ``quiz_id``, in order."""
    result = await session.exec(
        select(QuizQuestion.item_id)
        .where(QuizQuestion.session_id == quiz_id)
        .order_by(col(QuizQuestion.position))
    )
    return list(result.all())


async def claim_answer(
    session: AsyncSession,
    *,
    question: QuizQuestion,
    answer: str,
    correct: bool,
    now: datetime,
) -> bool:
    """Store the answer unless one is already stored; False means it was answered before.

    A single conditional UPDATE, so two taps racing each other count once.
    """
    result = await session.exec(
        update(QuizQuestion)
        .where(col(QuizQuestion.id) == question.id, col(QuizQuestion.answered_at).is_(None))
        .values(answer=answer[:500], correct=correct, answered_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    # Mirror the stored values without marking the object dirty (no second UPDATE at commit).
    for name, value in (("answer", answer[:500]), ("correct", correct), ("answered_at", now)):
        set_committed_value(question, name, value)
    return True


async def count_correct(session: AsyncSession, *, quiz: QuizSession, now: datetime) -> None:
    """Add one right answer to the quiz's score."""
    quiz.correct += 1
    quiz.updated_at = now
    session.add(quiz)


async def mark_hinted(session: AsyncSession, *, question: QuizQuestion) -> None:
    """Remember that the student saw a hint (the answer then earns at most Hard)."""
    question.hinted = True
    session.add(question)
