"""Asking the tutor through the real Application and the loopback Bot API: a dozen phrasings
answered from the right card, an honest "not sure", "Quiz me on this", and a question in the
middle of a quiz that leaves the quiz waiting (and will not give the answer away)."""

from __future__ import annotations

import random
from collections.abc import Callable

from sqlmodel import Session, select

from bot.jobs.groups import BOT_DATA_KEY
from dialogs.quiz.variable_questions import classify_typed
from knowledge.base import KnowledgeBase
from storage import Database
from storage.models import AskedQuestion, QuizQuestion, QuizSession, StepAttempt
from storage.quizzes import add_question, start_session
from tests.emulator import ChatMessage, Emulator, User, polling
from tests.emulator.polling import AnyApplication

# What a student types, and words the right card's answer must show.
PHRASINGS = [
    ("what is positioning?", ["Positioning", "Example", "Exam angle"]),
    ("niche vs segment", ["Niche market", "Segmentation", "The difference"]),
    ("how do I calculate customer acquisition cost", ["Customer acquisition cost", "work it out"]),
    ("is marital status demographic?", ["Marital status is demographic", "Why"]),
    (
        "give me an example of a geographic variable for a coffee chain",
        ["Geographic segmentation", "Examples", "Postcode area"],
    ),
    ("whats CLV", ["Customer lifetime value"]),
    ("explain psychographic segmentation", ["Psychographic segmentation", "lifestyle"]),
    ("what's the difference between features and benefits?", ["Features", "benefits"]),
    ("what does evaluate mean in the exam?", ["Evaluate", "exam command word"]),
    ("how do i work out ROI", ["Return on investment", "work it out"]),
    ("which base is usage rate?", ["Usage rate is behavioural"]),
    ("tell me about buyer personas", ["Buyer persona"]),
    ("what is segmantation", ["Segmentation", "Dividing a market"]),
    ("psychographic vs behavioural?", ["Psychographic", "Behavioural", "The difference"]),
    ("whats the 7ps", ["marketing mix (7Ps)", "Product", "Physical evidence"]),
    ("can you explain positioning", ["Positioning", "target segment"]),
    (
        "how is a customer profile different from a persona?",
        ["Customer profile", "Buyer persona", "The difference"],
    ),
    ("what's the difference between b2b and b2c segmentation", ["B2B vs B2C segmentation"]),
]


def app_db(app: AnyApplication) -> Database:
    """The running app's own database (to set up and check state while it runs)."""
    return app.bot_data[BOT_DATA_KEY].tutor.services.db  # type: ignore[no-any-return]


async def ask_typed_question(db: Database, user: User, kb: KnowledgeBase) -> int:
    """Put "which base is usage rate?" (typed) in front of ``user``; the question's id."""
    question = classify_typed(kb, kb.variables["usage_rate"], random.Random(2))

    def ask(session: Session) -> int:
        from datetime import UTC, datetime

        now = datetime.now(UTC)
        quiz = start_session(session, user_id=user.id, mode="quiz", topic=None, size=10, now=now)
        row = add_question(
            session,
            quiz=quiz,
            item_id=question.item_id,
            kind=question.kind,
            payload=question.to_payload() | {"review": False},
            now=now,
        )
        assert row.id is not None
        return row.id

    return await db.run(ask)


async def _until(emulator: Emulator, user: User, needle: str, within: int = 4) -> ChatMessage:
    """The next bot message to ``user`` containing ``needle`` (skipping up to ``within``)."""
    seen = []
    for _ in range(within):
        message = await emulator.reply_to(user)
        if needle in (message.text or ""):
            return message
        seen.append((message.text or "")[:60])
    raise AssertionError(f"no message with {needle!r} in {seen}")


async def _tap(emulator: Emulator, user: User, message: ChatMessage, data: str) -> str:
    answer = await emulator.answered(emulator.press(user, message, data=data))
    assert answer.ok
    return str(answer.params.get("text", ""))


async def test_questions_in_many_phrasings_get_the_right_card(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    ada = emulator.user(first_name="Ada")
    async with polling(make_app()) as app:
        for text, needles in PHRASINGS:
            emulator.send_text(ada, text)
            answer = await emulator.reply_to(ada)
            shown = answer.text or ""
            for needle in needles:
                assert needle in shown, (text, needle, shown[:200])
            assert "📝 Quiz me on this" in answer.button_texts

        # nothing in the unit answers these: said honestly, never made up
        for text in ("what is the capital of france?", "who won the football last night?"):
            emulator.send_text(ada, text)
            unsure = await emulator.reply_to(ada)
            assert "not sure" in (unsure.text or "")
            assert "📝 Quiz me on this" not in unsure.button_texts

        # a related card, then "Quiz me on this" starts a quiz on that card's topic
        emulator.send_text(ada, "how is churn rate calculated?")
        churn = await emulator.reply_to(ada)
        assert "Churn rate" in (churn.text or "")
        related = next(d for d in churn.callback_data if d.startswith("a:i:"))
        await _tap(emulator, ada, churn, related)
        card = await emulator.reply_to(ada)
        assert "Exam angle" in (card.text or "")
        await _tap(emulator, ada, churn, "a:q:kpi_churn_rate")
        await _until(emulator, ada, "Question 1 of")  # after a note on its real length
        quiz = await app_db(app).run(lambda s: s.exec(select(QuizSession)).one())
        assert quiz.topic == "kpi"

        # every question is kept for the class report (a student in no class: unfiled)
        asked = await app_db(app).run(lambda s: list(s.exec(select(AskedQuestion)).all()))
        assert len(asked) == len(PHRASINGS) + 3
        assert {a.item_id for a in asked if "france" in a.text} == {None}
        assert all(a.group_id is None for a in asked)


async def test_a_question_in_the_middle_of_a_quiz_leaves_it_waiting(
    emulator: Emulator, make_app: Callable[[], AnyApplication], kb: KnowledgeBase
) -> None:
    bo = emulator.user(first_name="Bo")
    async with polling(make_app()) as app:
        emulator.command(bo, "start")
        await emulator.reply_to(bo)
        question_id = await ask_typed_question(app_db(app), bo, kb)

        emulator.send_text(bo, "wait, what is positioning?")
        card = await emulator.reply_to(bo)
        assert "Positioning" in (card.text or "")
        again = await emulator.reply_to(bo)
        assert "Question 1 of 10" in (again.text or "") and "Usage rate" in (again.text or "")

        # asking about the very thing being tested does not give it away
        emulator.send_text(bo, "what is usage rate?")
        assert "won't give it away" in ((await emulator.reply_to(bo)).text or "")
        assert "Question 1 of 10" in ((await emulator.reply_to(bo)).text or "")

        row = await app_db(app).run(lambda s: s.get(QuizQuestion, question_id))
        assert row is not None and row.answered_at is None  # nothing was graded

        # an answer offered as a question is still an answer
        emulator.send_text(bo, "is it behavioural?")
        verdict = await emulator.reply_to(bo)
        assert "Right" in (verdict.text or "")
        row = await app_db(app).run(lambda s: s.get(QuizQuestion, question_id))
        assert row is not None and row.correct is True


async def test_a_question_in_the_middle_of_a_scenario_leaves_the_step_waiting(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    cal = emulator.user(first_name="Cal")
    async with polling(make_app()) as app:
        emulator.command(cal, "scenario", "gym_membership")
        await _until(emulator, cal, "Step 1/7")

        emulator.send_text(cal, "sorry, what is a buyer persona?")
        card = await emulator.reply_to(cal)
        assert "Buyer persona" in (card.text or "")
        waiting = await emulator.reply_to(cal)
        assert "still waiting" in (waiting.text or "")
        await _tap(emulator, cal, waiting, "m:resume")
        await _until(emulator, cal, "Step 1/7")
        attempts = await app_db(app).run(lambda s: list(s.exec(select(StepAttempt)).all()))
        assert attempts == []  # the question was not marked as an answer

        # a longer answer that happens to start with a question is still an answer
        emulator.send_text(
            cal, "What do they have in common? Age, visits per week and how they pay for it."
        )
        marked = await emulator.reply_to(cal)
        assert "Buyer persona" not in (marked.text or "")
        attempts = await app_db(app).run(lambda s: list(s.exec(select(StepAttempt)).all()))
        assert len(attempts) == 1
