"""Learning before being tested, through the real Application and the loopback Bot API: /learn
pages a topic by editing one message, the glossary, a new item's card before its first
question (and the setting that turns it off), self-rating, and the daily goal at the end."""

from __future__ import annotations

from collections.abc import Callable

from fsrs import Rating
from sqlmodel import Session, col, select

from dialogs.quiz.scheduling import recompute
from knowledge.base import KnowledgeBase
from storage.cards import get_card, reviews
from storage.models import QuizSession
from tests.e2e.test_answer_controls_e2e import _data, _edited, _next_with, _tap
from tests.e2e.test_ask_e2e import app_db, ask_typed_question
from tests.emulator import ChatMessage, Emulator, User, polling
from tests.emulator.polling import AnyApplication


async def _edit_after(
    emulator: Emulator, user: User, message: ChatMessage, label: str
) -> ChatMessage:
    """Press the button labelled ``label`` and wait for the message to be edited."""
    edits = message.edit_count
    await _tap(emulator, user, message, _data(message, label))

    def changed() -> ChatMessage | None:
        found = emulator.find_message(message.chat_id, message.message_id)
        return found if found is not None and found.edit_count > edits else None

    return await emulator.wait_for(changed, what=f"the edit after {label}")


async def test_learn_pages_a_topic_in_one_message_and_the_glossary(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    fay = emulator.user(first_name="Fay")
    async with polling(make_app()) as app:
        emulator.command(fay, "learn")
        picker = await _next_with(emulator, fay, "Pick a topic")
        assert "KPIs" in picker.button_texts and "🔤 Glossary A-Z" in picker.button_texts
        sent = len(emulator.messages(fay))

        page = await _edit_after(emulator, fay, picker, "KPIs")
        assert "KPIs · card 1 of 6" in (page.text or "")
        assert "Conversion rate" in (page.text or "") and "Previous" not in str(page.button_texts)
        page = await _edit_after(emulator, fay, page, "Next")
        assert "card 2 of 6" in (page.text or "") and "Customer acquisition cost" in (
            page.text or ""
        )
        page = await _edit_after(emulator, fay, page, "Previous")
        assert "card 1 of 6" in (page.text or "")
        assert len(emulator.messages(fay)) == sent  # paging edits, it never floods the chat

        await _tap(emulator, fay, page, _data(page, "Quiz me on this"))
        await _next_with(emulator, fay, "Question 1 of")
        emulator.command(fay, "cancel")
        await _next_with(emulator, fay, "Quiz stopped")

        emulator.command(fay, "learn", "psycographic")  # a typo still finds the topic
        first = await _next_with(emulator, fay, "Psychographic variables · card 1 of")
        assert "Psychographic segmentation" in (first.text or "")

        emulator.command(fay, "learn", "a-z")
        glossary = await _next_with(emulator, fay, "Glossary")
        assert "page 1 of" in (glossary.text or "") and "Age" in (glossary.text or "")
        second = await _edit_after(emulator, fay, glossary, "Next")
        assert "page 2 of" in (second.text or "")

        emulator.command(fay, "glossary")
        await _next_with(emulator, fay, "page 1 of")
        emulator.command(fay, "learn", "astrology")
        unknown = await _next_with(emulator, fay, "I don't have cards on")
        assert "KPIs" in unknown.button_texts

        # /quiz without a topic offers the same picker
        emulator.command(fay, "quiz")
        mixed = await _next_with(emulator, fay, "Question 1 of")
        await _tap(emulator, fay, mixed, _data(mixed, "Choose a topic instead"))
        topics = await _next_with(emulator, fay, "Which topic shall I quiz you on?")
        await _tap(emulator, fay, topics, _data(topics, "KPIs"))
        kpis = await _next_with(emulator, fay, "Question 1 of")
        assert "🆕 New: " in (kpis.text or "")
        quiz = await app_db(app).run(
            lambda s: s.exec(select(QuizSession).order_by(col(QuizSession.id).desc())).first()
        )
        assert quiz is not None and quiz.topic == "kpi"

        # a stale or forged page is refused kindly
        forged = emulator.forge_callback(fay, fay, unknown.message_id, "l:t:kpi:99")
        assert "expired" in str((await emulator.answered(forged)).params["text"])


async def test_new_cards_come_first_unless_turned_off_and_self_rating(
    emulator: Emulator, make_app: Callable[[], AnyApplication], kb: KnowledgeBase
) -> None:
    gus = emulator.user(first_name="Gus")
    async with polling(make_app()) as app:
        emulator.command(gus, "quiz", "1 kpis")
        first = await _next_with(emulator, gus, "Question 1 of 1")
        assert "🆕 New:" in (first.text or "")
        await _tap(emulator, gus, first, _data(first, "I don't know"))
        summary = await _next_with(emulator, gus, "Quiz complete")
        text = summary.text or ""
        assert "Today: 1 of 10 answers, 9 to your daily goal" in text
        assert "streak" in text and "Coming back: 1 within a day" in text

        emulator.command(gus, "settings")
        settings = await _next_with(emulator, gus, "Your settings")
        settings = await _edit_after(emulator, gus, settings, "Show new cards first")
        assert "shown before they're tested: no" in (settings.text or "")
        settings = await _edit_after(emulator, gus, settings, "Self-rating")
        assert "Rate my own right answers (Again/Hard/Good/Easy): on" in (settings.text or "")
        settings = await _edit_after(emulator, gus, settings, "🏁 5")
        assert "Daily goal: 5 answers" in (settings.text or "")

        emulator.command(gus, "quiz", "1 kpis")
        plain = await _next_with(emulator, gus, "Question 1 of 1")
        assert "🆕 New:" not in (plain.text or "")
        emulator.command(gus, "cancel")
        await _next_with(emulator, gus, "Quiz stopped")

        # a right answer can be rated by the student; the schedule follows their rating
        db = app_db(app)
        await ask_typed_question(db, gus, kb)
        emulator.send_text(gus, "behavioural")
        right = await _next_with(emulator, gus, "Right")
        assert "😎 Easy" in right.button_texts
        assert await _tap(emulator, gus, right, _data(right, "Easy")) == (
            "🎚 Rated Easy: scheduled to match"
        )

        def state(session: Session) -> tuple[list[int], bool]:
            logs = reviews(session, user_id=gus.id, item_id="usage_rate")
            card = get_card(session, user_id=gus.id, item_id="usage_rate")
            replayed = recompute([(r.reviewed_at, r.rating) for r in logs])
            same = card is not None and replayed is not None and card.due == replayed.due
            return [r.rating for r in logs], same

        ratings, same = await db.run(state)
        assert ratings == [int(Rating.Easy)] and same
        assert _edited(emulator, right) is None  # the verdict stays as it was
