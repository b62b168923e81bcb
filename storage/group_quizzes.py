"""Queries about group quizzes: the quizzes, their polls (planned, then sent) and the votes.

A poll is planned with a due time and sent by the adapter's job; Telegram's poll id is stored
once it is out, because poll answers carry nothing else. One vote per student and poll.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import Session, col, or_, select, update

from storage.models import Group, GroupQuiz, PollRecord, PollVote

CLOSED = "closed"
CANCELLED = "cancelled"
RUNNING = "running"
PLANNED = "planned"
SENT = "sent"


def create_quiz(
    session: Session,
    *,
    group_id: int,
    created_by: int,
    topic: str | None,
    size: int,
    now: datetime,
    results_due: datetime,
    thread_id: int | None = None,
) -> GroupQuiz:
    """Start a group quiz; its polls are added with :func:`plan_poll`."""
    quiz = GroupQuiz(
        group_id=group_id,
        created_by=created_by,
        topic=topic,
        size=size,
        created_at=now,
        results_due=results_due,
        thread_id=thread_id,
    )
    session.add(quiz)
    session.flush()
    return quiz


def plan_poll(
    session: Session,
    *,
    quiz_id: int,
    position: int,
    item_id: str,
    question: str,
    options: Sequence[str],
    correct_option: int,
    explanation: str,
    open_seconds: int,
    due_at: datetime,
) -> PollRecord:
    """Plan one poll of a quiz, to be posted at ``due_at``."""
    record = PollRecord(
        quiz_id=quiz_id,
        position=position,
        item_id=item_id,
        question=question,
        options=list(options),
        correct_option=correct_option,
        explanation=explanation,
        open_seconds=open_seconds,
        due_at=due_at,
    )
    session.add(record)
    session.flush()
    return record


def get_quiz(session: Session, *, quiz_id: int) -> GroupQuiz | None:
    """The group quiz with this id, or None."""
    return session.get(GroupQuiz, quiz_id)


def running_quizzes(session: Session, *, group_id: int) -> list[GroupQuiz]:
    """The group's quizzes still running, oldest first."""
    result = session.exec(
        select(GroupQuiz)
        .where(GroupQuiz.group_id == group_id, GroupQuiz.status == RUNNING)
        .order_by(col(GroupQuiz.id))
    )
    return list(result.all())


def quizzes_of(
    session: Session, *, group_id: int, since: datetime | None = None
) -> list[GroupQuiz]:
    """The group's quizzes that were not cancelled, optionally started since ``since``."""
    query = select(GroupQuiz).where(GroupQuiz.group_id == group_id, GroupQuiz.status != CANCELLED)
    if since is not None:
        query = query.where(GroupQuiz.created_at >= since)
    result = session.exec(query.order_by(col(GroupQuiz.id)))
    return list(result.all())


def due_polls(session: Session, *, now: datetime) -> list[PollRecord]:
    """The next planned poll of each running quiz, when it is due (uses the due_at index)."""
    result = session.exec(
        select(PollRecord)
        .join(GroupQuiz, col(GroupQuiz.id) == col(PollRecord.quiz_id))
        .join(Group, col(Group.id) == col(GroupQuiz.group_id))
        .where(
            PollRecord.status == PLANNED,
            PollRecord.due_at <= now,
            GroupQuiz.status == RUNNING,
            col(Group.active).is_(True),
        )
        .order_by(col(PollRecord.quiz_id), col(PollRecord.position))
    )
    first: dict[int, PollRecord] = {}
    for record in result.all():
        first.setdefault(record.quiz_id, record)
    return sorted(first.values(), key=lambda r: (r.due_at, r.id or 0))


def claim_polls(
    session: Session, *, records: Sequence[PollRecord], now: datetime, until: datetime
) -> list[PollRecord]:
    """Of these due polls, the ones this caller now holds until ``until`` to post.

    One conditional UPDATE each (still planned, not held by someone else), so when two ticks
    or two instances find the same poll due, one posts it. Kept until it is marked sent, or
    given back with :func:`release_poll`; a sender that dies lets it go at ``until``.
    """
    held = []
    for record in records:
        result = session.exec(
            update(PollRecord)
            .where(
                col(PollRecord.id) == record.id,
                col(PollRecord.status) == PLANNED,
                or_(col(PollRecord.claimed_until).is_(None), col(PollRecord.claimed_until) < now),
            )
            .values(claimed_until=until)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            record.claimed_until = until
            held.append(record)
    return held


def release_poll(session: Session, *, record_id: int) -> None:
    """Give a claimed poll back unposted (held back by the pacer, or Telegram busy)."""
    session.exec(
        update(PollRecord).where(col(PollRecord.id) == record_id).values(claimed_until=None)
    )


def get_poll(session: Session, *, record_id: int) -> PollRecord | None:
    """The planned or sent poll with this id, or None."""
    return session.get(PollRecord, record_id)


def poll_by_telegram_id(session: Session, *, poll_id: str) -> PollRecord | None:
    """The group poll Telegram knows as ``poll_id`` (poll answers carry only this), or None."""
    result = session.exec(select(PollRecord).where(PollRecord.poll_id == poll_id))
    return result.first()


def mark_poll_sent(
    session: Session,
    *,
    record: PollRecord,
    poll_id: str,
    message_id: int,
    now: datetime,
    results_after: float,
) -> None:
    """The poll is out: remember Telegram's id; results wait until it has closed."""
    record.status = SENT
    record.poll_id = poll_id
    record.message_id = message_id
    record.sent_at = now
    session.add(record)
    quiz = session.get(GroupQuiz, record.quiz_id)
    if quiz is not None:
        quiz.results_due = max(quiz.results_due, now + timedelta(seconds=results_after))
        session.add(quiz)
    session.flush()


def cancel_poll(session: Session, *, record: PollRecord) -> None:
    """A poll that could not be posted: never try it again."""
    record.status = CANCELLED
    session.add(record)
    session.flush()


def quiz_polls(session: Session, *, quiz_ids: Sequence[int]) -> list[PollRecord]:
    """The polls of these quizzes, in quiz and question order."""
    if not quiz_ids:
        return []
    result = session.exec(
        select(PollRecord)
        .where(col(PollRecord.quiz_id).in_(list(quiz_ids)))
        .order_by(col(PollRecord.quiz_id), col(PollRecord.position))
    )
    return list(result.all())


def due_quiz_results(session: Session, *, now: datetime) -> list[GroupQuiz]:
    """Running quizzes whose last poll has closed: time to post the results."""
    planned = select(PollRecord.id).where(
        col(PollRecord.quiz_id) == col(GroupQuiz.id), PollRecord.status == PLANNED
    )
    result = session.exec(
        select(GroupQuiz)
        .join(Group, col(Group.id) == col(GroupQuiz.group_id))
        .where(
            GroupQuiz.status == RUNNING,
            GroupQuiz.results_due <= now,
            col(Group.active).is_(True),
            ~planned.exists(),
        )
        .order_by(col(GroupQuiz.results_due), col(GroupQuiz.id))
    )
    return list(result.all())


def close_quiz(session: Session, *, quiz_id: int, now: datetime, status: str = CLOSED) -> bool:
    """End a running group quiz; polls not posted yet are cancelled.

    True for the one caller that ended it (results are posted once).
    """
    result = session.exec(
        update(GroupQuiz)
        .where(col(GroupQuiz.id) == quiz_id, col(GroupQuiz.status) == RUNNING)
        .values(status=status, closed_at=now)
    )
    if not result.rowcount:
        return False
    session.exec(
        update(PollRecord)
        .where(col(PollRecord.quiz_id) == quiz_id, col(PollRecord.status) == PLANNED)
        .values(status=CANCELLED)
    )
    return True


def add_vote(
    session: Session,
    *,
    record: PollRecord,
    user_id: int,
    option: int,
    now: datetime,
) -> PollVote | None:
    """Count a student's answer to a poll; None when they had answered it already.

    Two copies of one answer handled at once both get past the check; the unique constraint
    then refuses the second with IntegrityError, and the caller's retry finds the first.
    """
    assert record.id is not None
    existing = session.exec(
        select(PollVote).where(PollVote.poll_record_id == record.id, PollVote.user_id == user_id)
    )
    if existing.first() is not None:
        return None
    vote = PollVote(
        poll_record_id=record.id,
        user_id=user_id,
        option=option,
        correct=option == record.correct_option,
        at=now,
    )
    session.add(vote)
    session.flush()  # a copy stored meanwhile raises IntegrityError: callers retry
    return vote


def votes_for(session: Session, *, record_ids: Sequence[int]) -> list[PollVote]:
    """Every vote on these polls, oldest first."""
    if not record_ids:
        return []
    result = session.exec(
        select(PollVote)
        .where(col(PollVote.poll_record_id).in_(list(record_ids)))
        .order_by(col(PollVote.at), col(PollVote.id))
    )
    return list(result.all())
