"""Answer controls through the real Application and the loopback Bot API: "I don't know" on a
button question, Undo (the schedule restored exactly, checked against the review log), "My
answer was right" reaching the tutor's report and CSV (and its daily limit), and quiz length."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fsrs import Rating
from sqlmodel import Session, col, select

from dialogs.quiz.amend import APPEALS_PER_DAY
from dialogs.quiz.scheduling import recompute
from knowledge.base import KnowledgeBase
from storage.cards import add_review, get_card, reviews, save_card
from storage.groups import ensure_group, touch_member
from storage.models import Appeal, Card, QuizQuestion, QuizSession, ReviewLog
from tests.e2e.test_ask_e2e import app_db, ask_typed_question
from tests.emulator import ChatMessage, Emulator, User, polling
from tests.emulator.polling import AnyApplication

SCHEDULE = ("state", "step", "stability", "difficulty", "due", "last_review")


async def _tap(emulator: Emulator, user: User, message: ChatMessage, data: str) -> str:
    answer = await emulator.answered(emulator.press(user, message, data=data))
    assert answer.ok
    return str(answer.params.get("text", ""))


async def _next_with(emulator: Emulator, user: User, needle: str, within: int = 4) -> ChatMessage:
    seen = []
    for _ in range(within):
        message = await emulator.reply_to(user)
        if needle in (message.text or "") or any(needle in t for t in message.button_texts):
            return message
        seen.append((message.text or "")[:60])
    raise AssertionError(f"no message with {needle!r} in {seen}")


def _data(message: ChatMessage, label: str) -> str:
    return next(
        str(b["callback_data"])
        for b in message.buttons
        if label in b["text"] and "callback_data" in b
    )


def _edited(emulator: Emulator, message: ChatMessage) -> ChatMessage | None:
    found = emulator.find_message(message.chat_id, message.message_id)
    return found if found is not None and found.edit_count else None


def _schedule(card: Card | None) -> tuple[object, ...] | None:
    return None if card is None else tuple(getattr(card, name) for name in SCHEDULE)


async def test_i_dont_know_and_undo_restore_the_schedule_exactly(
    emulator: Emulator, make_app: Callable[[], AnyApplication], kb: KnowledgeBase
) -> None:
    cy = emulator.user(first_name="Cy")
    async with polling(make_app()) as app:
        db = app_db(app)
        emulator.command(cy, "start")
        await emulator.reply_to(cy)

        # "I don't know" is on multiple-choice questions too: the answer shown, rated Again
        emulator.command(cy, "quiz", "misconceptions")
        first = await _next_with(emulator, cy, "Question 1 of")
        assert any(d.startswith("q:1:") for d in first.callback_data)  # options as buttons
        dont_know = _data(first, "I don't know")
        toast = await _tap(emulator, cy, first, dont_know)
        assert toast == "👀 Here it is"
        shown = await emulator.wait_for(lambda: _edited(emulator, first), what="the answer shown")
        assert "The answer" in (shown.text or "")
        assert "Not quite" not in (shown.text or "")  # no penalty message
        logged = await db.run(lambda s: reviews(s, user_id=cy.id))
        assert [r.rating for r in logged] == [int(Rating.Again)]
        # no "my answer was right" on a tapped option or "I don't know", even forged
        shown_id = dont_know.split(":")[-1]
        forged = emulator.forge_callback(cy, cy, first.message_id, f"q:a:{shown_id}")
        assert "expired" in str((await emulator.answered(forged)).params["text"])
        emulator.command(cy, "cancel")
        await _next_with(emulator, cy, "Quiz stopped")

        # usage rate has a history: two earlier reviews, its card replayed from them
        now = datetime.now(UTC)

        def history(session: Session) -> Card:
            for days, rating in ((6, Rating.Good), (2, Rating.Good)):
                add_review(
                    session,
                    user_id=cy.id,
                    item_id="usage_rate",
                    rating=int(rating),
                    source="quiz",
                    duration_ms=5000,
                    now=now - timedelta(days=days),
                )
            logs = reviews(session, user_id=cy.id, item_id="usage_rate")
            replayed = recompute([(r.reviewed_at, r.rating) for r in logs])
            assert replayed is not None
            card = Card(user_id=cy.id, item_id="usage_rate", due=replayed.due)
            from dialogs.quiz.scheduling import store

            return save_card(session, store(card, replayed))

        before = _schedule(await db.run(history))
        question_id = await ask_typed_question(db, cy, kb)

        emulator.send_text(cy, "demographic")
        verdict = await _next_with(emulator, cy, "Not quite")
        assert "⚖️ My answer was right" in verdict.button_texts
        following = await _next_with(emulator, cy, "Question 2 of 10")
        card = await db.run(lambda s: get_card(s, user_id=cy.id, item_id="usage_rate"))
        assert _schedule(card) != before  # the wrong answer moved the card

        undo = _data(following, "Undo")
        assert await _tap(emulator, cy, following, undo) == "↩️ Undone"
        back = await _next_with(emulator, cy, "Question 1 of 10")
        assert "Usage rate" in (back.text or "")
        undone = await emulator.wait_for(lambda: _edited(emulator, following), what="undone")
        assert "Answer undone" in (undone.text or "")

        def state(
            session: Session,
        ) -> tuple[Card | None, list[ReviewLog], QuizQuestion | None, QuizSession]:
            card = get_card(session, user_id=cy.id, item_id="usage_rate")
            logs = reviews(session, user_id=cy.id, item_id="usage_rate")
            row = session.get(QuizQuestion, question_id)
            quiz = session.exec(select(QuizSession).where(QuizSession.status == "active")).one()
            return card, logs, row, quiz

        card, logs, row, quiz = await db.run(state)
        assert _schedule(card) == before  # exactly as it was
        replayed = recompute([(r.reviewed_at, r.rating) for r in logs])
        assert replayed is not None and card is not None
        assert (replayed.stability, replayed.difficulty, replayed.due) == (
            card.stability,
            card.difficulty,
            card.due,
        )
        assert len(logs) == 2 and row is not None and row.answered_at is None
        assert quiz.asked == 1 and quiz.correct == 0
        # a second tap (raced, or forged) changes nothing
        again = emulator.forge_callback(cy, cy, following.message_id, undo)
        assert (await emulator.answered(again)).params["text"] == "That answer is already undone. ✔️"

        # the question waits again and is marked as usual
        emulator.send_text(cy, "behavioural")
        await _next_with(emulator, cy, "Right")


async def test_my_answer_was_right_reaches_the_tutors_report(
    emulator: Emulator, make_app: Callable[[], AnyApplication], kb: KnowledgeBase
) -> None:
    dee, tess = emulator.user(first_name="Dee"), emulator.user(999, first_name="Tess")
    async with polling(make_app()) as app:
        db = app_db(app)
        for person in (dee, tess):
            emulator.command(person, "start")
            await emulator.reply_to(person)

        def join(session: Session) -> None:
            now = datetime.now(UTC)
            group = ensure_group(session, chat_id=-100777, title="Class 3B", now=now, added_by=999)
            assert group.id is not None
            touch_member(session, group_id=group.id, user_id=dee.id, now=now)

        await db.run(join)
        emulator.send_text(dee, "what is customer lifetime value?")
        await _next_with(emulator, dee, "Customer lifetime value")

        for attempt in range(APPEALS_PER_DAY + 1):
            await ask_typed_question(db, dee, kb)
            emulator.send_text(dee, "demographic")
            verdict = await _next_with(emulator, dee, "Not quite")
            await _next_with(emulator, dee, "Question 2 of 10")
            toast = await _tap(emulator, dee, verdict, _data(verdict, "My answer was right"))
            if attempt < APPEALS_PER_DAY:
                assert toast == "⚖️ Sent to your tutor"
                edited = await emulator.wait_for(
                    lambda shown=verdict: _edited(emulator, shown),  # type: ignore[misc]
                    what="edit",
                )
                assert "Counted as right for now" in (edited.text or "")
            else:
                assert "the most I take in a day" in toast  # appealing everything is limited

        def contested(session: Session) -> tuple[list[Appeal], list[ReviewLog]]:
            appeals = list(session.exec(select(Appeal)).all())
            logs = session.exec(
                select(ReviewLog)
                .where(ReviewLog.item_id == "usage_rate")
                .order_by(col(ReviewLog.id))
            )
            return appeals, list(logs.all())

        appeals, logs = await db.run(contested)
        assert len(appeals) == APPEALS_PER_DAY
        assert appeals[0].answer == "demographic" and "Not quite" in appeals[0].verdict
        # re-rated as right for now; the last (refused) one stays wrong
        assert [r.rating for r in logs] == [int(Rating.Good)] * APPEALS_PER_DAY + [
            int(Rating.Again)
        ]

        emulator.command(tess, "report", "")
        report = await _next_with(emulator, tess, "Class report")
        extra = await _next_with(emulator, tess, "Marks contested")
        text = extra.text or ""
        assert "Dee" in text and "demographic" in text and "Usage rate" in text
        assert "What the class asks me" in text and "Customer lifetime value (CLV): 1×" in text
        await _tap(emulator, tess, report, _data(report, "CSV"))
        table = await emulator.reply_to(tess)
        assert table.data["document"]["file_name"].startswith("report_class_3b_")
        appeals_csv = await emulator.reply_to(tess)
        assert appeals_csv.data["document"]["file_name"].startswith("contested_class_3b_")


async def test_quiz_length(emulator: Emulator, make_app: Callable[[], AnyApplication]) -> None:
    eli = emulator.user(first_name="Eli")
    async with polling(make_app()) as app:
        emulator.command(eli, "quiz", "50")
        assert "1 to 30 questions" in ((await emulator.reply_to(eli)).text or "")
        emulator.command(eli, "quiz", "3")
        message = await _next_with(emulator, eli, "Question 1 of 3")
        for number in (2, 3):
            await _tap(emulator, eli, message, _data(message, "I don't know"))
            message = await _next_with(emulator, eli, f"Question {number} of 3")
        await _tap(emulator, eli, message, _data(message, "I don't know"))
        await _next_with(emulator, eli, "Quiz complete")

        emulator.command(eli, "quiz", "20 kpis")
        await _next_with(emulator, eli, "Question 1 of")
        quiz = await app_db(app).run(
            lambda s: s.exec(select(QuizSession).order_by(col(QuizSession.id).desc())).first()
        )
        # Twenty asked for; the KPI topic has fewer new items, so the quiz says its real length.
        assert quiz is not None and quiz.topic == "kpi" and 1 <= quiz.size < 20
