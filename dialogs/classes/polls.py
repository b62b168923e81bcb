"""Group quizzes as native quiz polls: questions from the quiz generator, a plan that posts
them one after another, and what happens when they are sent and answered.

A planned poll is sent by the adapter's job, which passes the poll's ``key`` back with
Telegram's poll id (:func:`poll_sent`); poll answers carry only that id, so it is how an
answer finds its group and question. A student's first answer counts (for the leaderboard)
and is fed to their own spaced repetition.
"""

from __future__ import annotations

import html
import random
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from dialogs import people
from dialogs.classes import roles
from dialogs.classes.args import shorten
from dialogs.context import Context, Person, Services
from dialogs.quiz import card_updates, scheduling
from dialogs.quiz.makers import make
from dialogs.quiz.questions import Question
from dialogs.quiz.topics import Topic, topic_items
from dialogs.replies import Poll
from dialogs.text import esc
from knowledge.base import KnowledgeBase
from storage import group_quizzes as quiz_store
from storage import groups as store
from storage.models import Group, GroupQuiz, PollRecord, PollVote

POLL_OPEN_SECONDS = 40
POLL_GAP = timedelta(seconds=POLL_OPEN_SECONDS + 5)
FIRST_POLL_DELAY = timedelta(seconds=3)
RESULTS_GRACE_SECONDS = 5
POLL_SOURCE = "group_poll"
_TAG = re.compile(r"<[^>]+>")
KEY_PREFIX = "g"
"""Poll keys are ``g<record id>``; the adapter hands them back to :func:`poll_sent`."""


def _plain(markup: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", markup)).split())


@dataclass(frozen=True)
class PollQuestion:
    """A question shaped for a native quiz poll (Telegram's length limits applied)."""

    item_id: str
    question: str
    options: tuple[str, ...]
    correct: int
    explanation: str


def as_poll(question: Question) -> PollQuestion | None:
    """A one-right-answer option question as a poll; None for typed or multi-answer ones."""
    if question.typed or len(question.correct) != 1 or not 2 <= len(question.options) <= 10:
        return None
    options = tuple(o.strip() for o in question.options)
    # Telegram caps an option at 100 characters; a cut-off option could mislead, so skip.
    if len(set(options)) != len(options) or not all(0 < len(o) <= 100 for o in options):
        return None
    why = question.explanation or (
        question.why[question.correct[0]] if len(question.why) > question.correct[0] else ""
    )
    return PollQuestion(
        item_id=question.item_id,
        question=shorten(_plain(question.prompt), 300),
        options=options,
        correct=question.correct[0],
        explanation=shorten(_plain(why), 190),
    )


def poll_questions(
    kb: KnowledgeBase, topic: Topic | None, size: int, rng: random.Random
) -> list[PollQuestion]:
    """Up to ``size`` poll questions on distinct items of the topic, from the quiz generator."""
    items = topic_items(kb, topic.key if topic else None)
    rng.shuffle(items)
    found: list[PollQuestion] = []
    for item_id in items:
        for _try in range(3):
            question = make(kb, item_id, rng, reviewed=rng.random() < 0.5)
            poll = as_poll(question) if question is not None else None
            if poll is not None:
                found.append(poll)
                break
        if len(found) == size:
            break
    return found


async def plan_quiz(
    services: Services,
    group: Group,
    *,
    size: int,
    topic: Topic | None,
    created_by: int,
    now: datetime,
    thread_id: int | None,
) -> GroupQuiz | None:
    """Store a group quiz and its polls, due one after another; None if no questions fit."""
    group_id = group.id
    assert group_id is not None
    rng = random.Random(secrets.randbits(64))
    questions = poll_questions(services.kb, topic, size, rng)
    if not questions:
        return None
    first = now + FIRST_POLL_DELAY
    last_close = first + POLL_GAP * (len(questions) - 1) + timedelta(seconds=POLL_OPEN_SECONDS)

    def store_plan(session: Session) -> GroupQuiz:
        quiz = quiz_store.create_quiz(
            session,
            group_id=group_id,
            created_by=created_by,
            topic=topic.key if topic else None,
            size=len(questions),
            now=now,
            results_due=last_close + timedelta(seconds=RESULTS_GRACE_SECONDS),
            thread_id=thread_id,
        )
        assert quiz.id is not None
        for position, question in enumerate(questions):
            quiz_store.plan_poll(
                session,
                quiz_id=quiz.id,
                position=position,
                item_id=question.item_id,
                question=question.question,
                options=question.options,
                correct_option=question.correct,
                explanation=question.explanation,
                open_seconds=POLL_OPEN_SECONDS,
                due_at=first + POLL_GAP * position,
            )
        return quiz

    return await services.db.run(store_plan)


def poll_reply(record: PollRecord) -> Poll:
    """A planned poll as a reply; its key maps the sent poll back to the record."""
    return Poll(
        question=record.question,
        options=tuple(record.options),
        correct_option_id=record.correct_option,
        explanation=esc(record.explanation),
        open_period=record.open_seconds,
        key=f"{KEY_PREFIX}{record.id}",
    )


def _record_id(key: str) -> int | None:
    number = key.removeprefix(KEY_PREFIX)
    return int(number) if key.startswith(KEY_PREFIX) and number.isdigit() else None


async def poll_sent(
    services: Services, *, key: str, poll_id: str, message_id: int, now: datetime
) -> bool:
    """The adapter posted the poll with this key: remember Telegram's poll id for answers."""
    record_id = _record_id(key)
    if record_id is None:
        return False

    def mark_sent(session: Session) -> bool:
        record = quiz_store.get_poll(session, record_id=record_id)
        if record is None:
            return False
        quiz_store.mark_poll_sent(
            session,
            record=record,
            poll_id=poll_id,
            message_id=message_id,
            now=now,
            results_after=record.open_seconds + RESULTS_GRACE_SECONDS,
        )
        return True

    return await services.db.run(mark_sent)


async def poll_held_back(services: Services, *, key: str) -> None:
    """The adapter did not post the poll this time (pacer, Telegram busy): due again at once."""
    record_id = _record_id(key)
    if record_id is not None:
        await services.db.run(lambda s: quiz_store.release_poll(s, record_id=record_id))


async def poll_failed(services: Services, *, key: str) -> None:
    """The poll could not be posted (Telegram refused it): skip it for good."""
    record_id = _record_id(key)
    if record_id is None:
        return

    def cancel(session: Session) -> None:
        record = quiz_store.get_poll(session, record_id=record_id)
        if record is not None:
            quiz_store.cancel_poll(session, record=record)

    await services.db.run(cancel)


async def poll_answered(
    services: Services, *, person: Person, poll_id: str, option_ids: list[int], now: datetime
) -> bool:
    """A poll answer: counted once per student, and fed to their own spaced repetition.

    Returns False for polls that are not group-quiz polls (or retracted votes).
    """
    if not option_ids or person.id == roles.ANONYMOUS_ADMIN_ID:
        return False
    try:
        found = await _count_vote(services, person, poll_id, option_ids[0], now)
    except IntegrityError:
        # The same answer (or this student's first contact) arrived twice at once and the
        # other copy was stored first: counting again now finds it and adds nothing.
        found = await _count_vote(services, person, poll_id, option_ids[0], now)
    if found is None:
        return False
    record, vote = found
    if vote is None:
        return True
    duration = int((now - record.sent_at).total_seconds() * 1000) if record.sent_at else None
    rating = scheduling.rating_for(correct=vote.correct, duration_ms=duration)
    ctx = Context(services, person, person.id, now)
    if ctx.kb.item(record.item_id) is not None:
        await card_updates.record_answer(
            ctx, record.item_id, rating, source=POLL_SOURCE, duration_ms=duration
        )
    return True


async def _count_vote(
    services: Services, person: Person, poll_id: str, option: int, now: datetime
) -> tuple[PollRecord, PollVote | None] | None:

    def count(session: Session) -> tuple[PollRecord, PollVote | None] | None:
        record = quiz_store.poll_by_telegram_id(session, poll_id=poll_id)
        if record is None:
            return None
        quiz = quiz_store.get_quiz(session, quiz_id=record.quiz_id)
        people.seen(session, person, now)
        if quiz is not None:
            store.touch_member(session, group_id=quiz.group_id, user_id=person.id, now=now)
        vote = quiz_store.add_vote(
            session, record=record, user_id=person.id, option=option, now=now
        )
        return record, vote

    return await services.db.run(count)
