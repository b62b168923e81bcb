"""Queries on quiz sessions and their questions (the current question lives here, not in memory)."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Update, bindparam, insert
from sqlmodel import Session, col, select, update

from storage.core import execute, insert_id, mirror
from storage.locks import lock_student
from storage.models import QuizQuestion, QuizSession

# Built once: these run on every quiz answer (see storage.core).
_LOAD = (
    select(QuizQuestion, QuizSession)
    .join(QuizSession, col(QuizSession.id) == col(QuizQuestion.session_id))
    .where(col(QuizQuestion.id) == bindparam("question_id"))
    .with_for_update(of=QuizSession)  # one answer at a time per quiz (see start_session)
)
_WAITING = (
    select(QuizQuestion, QuizSession)
    .join(QuizSession, col(QuizSession.id) == col(QuizQuestion.session_id))
    .where(
        col(QuizSession.user_id) == bindparam("user_id"),
        col(QuizSession.status) == "active",
        col(QuizQuestion.answered_at).is_(None),
    )
    .order_by(col(QuizSession.id).desc(), col(QuizQuestion.position).desc())
    .limit(1)
    .with_for_update(of=QuizSession)
)
_ASKED = (
    select(col(QuizQuestion.item_id))
    .where(col(QuizQuestion.session_id) == bindparam("quiz_id"))
    .order_by(col(QuizQuestion.position))
)
_KINDS = (
    select(col(QuizQuestion.kind))
    .where(col(QuizQuestion.session_id) == bindparam("quiz_id"))
    .order_by(col(QuizQuestion.position).desc())
    .limit(bindparam("count"))
)
_CLAIM = (
    update(QuizQuestion)
    .where(
        col(QuizQuestion.id) == bindparam("question_id"), col(QuizQuestion.answered_at).is_(None)
    )
    .values(answer=bindparam("answer"), correct=bindparam("correct"), answered_at=bindparam("now"))
)
_ADD_QUESTION = insert(QuizQuestion)
_QUESTION_FIELDS = ("session_id", "position", "item_id", "kind", "payload", "hinted", "asked_at")
_QUIZ_UPDATE = update(QuizSession).where(col(QuizSession.id) == bindparam("quiz_id"))


def active_session(session: Session, *, user_id: int) -> QuizSession | None:
    """The student's running quiz, if any (the newest, should there ever be two)."""
    result = session.exec(
        select(QuizSession)
        .where(QuizSession.user_id == user_id, QuizSession.status == "active")
        .order_by(col(QuizSession.id).desc())
    )
    return result.first()


def get_session(session: Session, *, quiz_id: int) -> QuizSession | None:
    """One quiz session by id."""
    return session.get(QuizSession, quiz_id)


def start_session(
    session: Session,
    *,
    user_id: int,
    mode: str,
    topic: str | None,
    size: int,
    now: datetime,
) -> QuizSession:
    """Start a quiz; any quiz the student still had running is marked abandoned.

    The student's row is locked first, so two starts at once (two taps, two instances) end
    with one active quiz: the second waits, then abandons the first's.
    """
    lock_student(session, user_id=user_id)
    session.exec(
        update(QuizSession)
        .where(col(QuizSession.user_id) == user_id, col(QuizSession.status) == "active")
        .values(status="abandoned", updated_at=now)
    )
    quiz = QuizSession(
        user_id=user_id, mode=mode, topic=topic, size=size, started_at=now, updated_at=now
    )
    session.add(quiz)
    session.flush()
    return quiz


def end_session(session: Session, *, quiz: QuizSession, status: str, now: datetime) -> None:
    """Close a quiz with a final status: finished, cancelled, expired or abandoned."""
    _update_quiz(session, quiz, status=status, updated_at=now)


def _update_quiz(session: Session, quiz: QuizSession, **values: object) -> None:
    execute(session, _quiz_update(tuple(values)), {"quiz_id": quiz.id, **values})
    mirror(quiz, **values)


@cache
def _quiz_update(columns: tuple[str, ...]) -> Update:
    """UPDATE quiz_sessions SET these columns, built once per set of columns."""
    return _QUIZ_UPDATE.values({name: bindparam(name) for name in columns})


def add_question(
    session: Session,
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
    position = quiz.asked + 1
    question = QuizQuestion(
        session_id=quiz.id,
        position=position,
        item_id=item_id,
        kind=kind,
        payload=payload,
        asked_at=now,
    )
    values = {name: getattr(question, name) for name in _QUESTION_FIELDS}
    mirror(question, id=insert_id(session, _ADD_QUESTION, values))
    _update_quiz(session, quiz, asked=position, updated_at=now)
    return question


def get_question(session: Session, *, question_id: int) -> QuizQuestion | None:
    """One question by id."""
    return session.get(QuizQuestion, question_id)


def load_question(session: Session, *, question_id: int) -> tuple[QuizQuestion, QuizSession] | None:
    """A question and its quiz, in one query; None if there is no such question."""
    found = session.execute(_LOAD, {"question_id": question_id}).first()
    return (found[0], found[1]) if found else None


def waiting_question(session: Session, *, user_id: int) -> tuple[QuizQuestion, QuizSession] | None:
    """The student's running quiz and its unanswered question, in one query, if any."""
    found = session.execute(_WAITING, {"user_id": user_id}).first()
    return (found[0], found[1]) if found else None


def pending_question(session: Session, *, quiz_id: int) -> QuizQuestion | None:
    """The question of ``quiz_id`` still waiting for an answer, if any."""
    result = session.exec(
        select(QuizQuestion)
        .where(QuizQuestion.session_id == quiz_id, col(QuizQuestion.answered_at).is_(None))
        .order_by(col(QuizQuestion.position).desc())
    )
    return result.first()


def asked_items(session: Session, *, quiz_id: int) -> list[str]:
    """The items already asked in ``quiz_id``, in order."""
    return list(session.execute(_ASKED, {"quiz_id": quiz_id}).scalars())


def recent_kinds(session: Session, *, quiz_id: int, count: int = 2) -> list[str]:
    """The kinds of the last ``count`` questions asked in ``quiz_id``, latest first."""
    return list(session.execute(_KINDS, {"quiz_id": quiz_id, "count": count}).scalars())


def claim_answer(
    session: Session,
    *,
    question: QuizQuestion,
    answer: str,
    correct: bool,
    now: datetime,
) -> bool:
    """Store the answer unless one is already stored; False means it was answered before.

    A single conditional UPDATE, so two taps racing each other count once.
    """
    params = {"question_id": question.id, "answer": answer[:500], "correct": correct, "now": now}
    if execute(session, _CLAIM, params).rowcount != 1:
        return False
    mirror(question, answer=answer[:500], correct=correct, answered_at=now)
    return True


def count_correct(session: Session, *, quiz: QuizSession, now: datetime) -> None:
    """Add one right answer to the quiz's score."""
    _update_quiz(session, quiz, correct=quiz.correct + 1, updated_at=now)


def mark_hinted(session: Session, *, question: QuizQuestion) -> None:
    """Remember that the student saw a hint (the answer then earns at most Hard)."""
    question.hinted = True
    session.add(question)
