"""Questions students ask the tutor (kept per class, without who asked), contested marks, and
the rows an undone answer takes back."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import datetime

from sqlmodel import Session, col, func, select

from storage.models import Appeal, AskedQuestion, QuizQuestion, ReviewLog


def record_question(
    session: Session, *, group_ids: Collection[int], text: str, item_id: str | None, now: datetime
) -> None:
    """Keep one asked question once per class of the asker (once, unfiled, if in none)."""
    filed: list[int | None] = [*group_ids] or [None]
    for group_id in filed:
        session.add(AskedQuestion(group_id=group_id, text=text[:300], item_id=item_id, at=now))


def class_questions(
    session: Session, *, group_id: int, since: datetime | None = None
) -> list[AskedQuestion]:
    """The questions a class asked (newest first), optionally only since a moment."""
    query = select(AskedQuestion).where(AskedQuestion.group_id == group_id)
    if since is not None:
        query = query.where(AskedQuestion.at >= since)
    return list(session.exec(query.order_by(col(AskedQuestion.at).desc())).all())


def asked_counts(questions: Collection[AskedQuestion]) -> Counter[str | None]:
    """How often each card answered the questions (None: the tutor was not sure)."""
    return Counter(q.item_id for q in questions)


def add_appeal(
    session: Session,
    *,
    user_id: int,
    question: QuizQuestion,
    prompt: str,
    verdict: str,
    now: datetime,
) -> Appeal:
    """Store a contested mark (one per question)."""
    assert question.id is not None
    appeal = Appeal(
        user_id=user_id,
        question_id=question.id,
        item_id=question.item_id,
        prompt=prompt[:500],
        answer=(question.answer or "")[:500],
        verdict=verdict[:1000],
        at=now,
    )
    session.add(appeal)
    return appeal


def appeal_for(session: Session, *, question_id: int) -> Appeal | None:
    """The appeal against one question's mark, if any."""
    return session.exec(select(Appeal).where(Appeal.question_id == question_id)).first()


def appeals_since(session: Session, *, user_id: int, since: datetime) -> int:
    """How many marks the student contested since ``since``."""
    query = (
        select(func.count())
        .select_from(Appeal)
        .where(Appeal.user_id == user_id, Appeal.at >= since)
    )
    return int(session.exec(query).one())


def appeals_of(session: Session, *, user_ids: Collection[int]) -> list[Appeal]:
    """The marks these students contested, newest first."""
    if not user_ids:
        return []
    query = select(Appeal).where(col(Appeal.user_id).in_(list(user_ids)))
    return list(session.exec(query.order_by(col(Appeal.at).desc())).all())


def answer_review(session: Session, *, user_id: int, question: QuizQuestion) -> ReviewLog | None:
    """The review-log entry a quiz answer wrote (same student, item and moment)."""
    query = select(ReviewLog).where(
        ReviewLog.user_id == user_id,
        ReviewLog.item_id == question.item_id,
        ReviewLog.reviewed_at == question.answered_at,
        ReviewLog.source == "quiz",
    )
    return session.exec(query.order_by(col(ReviewLog.id).desc())).first()


def delete_review(session: Session, *, review: ReviewLog) -> None:
    """Remove one review from the log (an answer undone)."""
    session.delete(review)
    session.flush()


def unanswer(session: Session, *, question: QuizQuestion) -> None:
    """Make an answered question wait for its answer again."""
    question.answer = None
    question.correct = None
    question.answered_at = None
    session.add(question)


def question_after(session: Session, *, question: QuizQuestion) -> QuizQuestion | None:
    """The question asked after this one in the same quiz, if any."""
    query = select(QuizQuestion).where(
        QuizQuestion.session_id == question.session_id,
        QuizQuestion.position == question.position + 1,
    )
    return session.exec(query).first()


def drop_question(session: Session, *, question: QuizQuestion) -> None:
    """Remove an unanswered question (asked after an answer that was undone)."""
    session.delete(question)
    session.flush()
