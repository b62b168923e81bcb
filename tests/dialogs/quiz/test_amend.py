"""Undo and self-rating have limits: only the latest answer, only within the window."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from dialogs.quiz.amend import UNDO_WINDOW
from dialogs.quiz.variable_questions import classify_typed
from dialogs.replies import Message
from dialogs.tutor import Turn, Tutor
from knowledge.base import KnowledgeBase
from storage import Database
from storage.cards import reviews
from tests.conftest import NOON
from tests.dialogs.quiz.test_quiz_flow import _ask

Turns = Callable[..., Turn]


def _data(message: Message, prefix: str) -> str:
    return next(b.data for row in message.buttons for b in row if b.data.startswith(prefix))


async def test_undo_only_the_latest_answer_within_the_window(
    tutor: Tutor, turn: Turns, kb: KnowledgeBase, database: Database
) -> None:
    await tutor.on_command(turn(), "start")
    await _ask(database, classify_typed(kb, kb.variables["usage_rate"], random.Random(1)))
    replies = await tutor.on_text(turn(), "behavioural")
    following = replies[-1]
    assert isinstance(following, Message)
    undo = _data(following, "q:u:")

    late = await tutor.on_button(turn(now=NOON + UNDO_WINDOW + timedelta(seconds=1)), undo)
    assert late.toast is not None and late.toast.startswith("Too late to undo")
    assert len(await database.run(lambda s: reviews(s, user_id=1))) == 1

    # answering the next question ("I don't know") makes the first no longer the latest
    await tutor.on_button(turn(now=NOON + timedelta(seconds=20)), _data(following, "q:s:"))
    older = await tutor.on_button(turn(now=NOON + timedelta(seconds=30)), undo)
    assert older.toast == "Only your latest answer can be undone."
    assert len(await database.run(lambda s: reviews(s, user_id=1))) == 2


async def test_self_rating_is_refused_when_off_and_for_wrong_answers(
    tutor: Tutor, turn: Turns, kb: KnowledgeBase, database: Database
) -> None:
    await tutor.on_command(turn(), "start")
    question_id = await _ask(database, classify_typed(kb, kb.variables["age"], random.Random(1)))
    replies = await tutor.on_text(turn(), "psychographic")
    verdict = replies[0]
    assert isinstance(verdict, Message) and "Easy" not in verdict.html
    assert not any(b.data.startswith("q:g:") for row in verdict.buttons for b in row)
    forged = await tutor.on_button(turn(), f"q:g:{question_id}:4")
    assert forged.toast is not None and "expired" in forged.toast
    assert [r.rating for r in await database.run(lambda s: reviews(s, user_id=1))] == [1]
