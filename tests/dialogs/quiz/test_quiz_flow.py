"""Quiz sessions through the Tutor: buttons, typed answers, bad input, restarts, scheduling."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from sqlmodel import Session, col, select

from dialogs.context import Services
from dialogs.corrections import HEADER
from dialogs.quiz.grading import Verdict
from dialogs.quiz.makers import numeric
from dialogs.quiz.questions import Question
from dialogs.quiz.scheduling import Rating
from dialogs.quiz.topics import topic_items
from dialogs.quiz.variable_questions import classify, recall
from dialogs.quiz.view import answered_message
from dialogs.replies import ButtonOutcome, Message, Reply
from dialogs.tutor import Turn, Tutor
from knowledge.base import KnowledgeBase
from storage import Database
from storage.cards import reviews
from storage.misconceptions import hit_counts
from storage.models import QuizQuestion, QuizSession, User
from storage.quizzes import add_question, start_session
from tests.conftest import NOON

Turns = Callable[..., Turn]


def _message(replies: list[Reply], index: int = -1) -> Message:
    reply = replies[index]
    assert isinstance(reply, Message)
    return reply


OFFER = "📅 Want a nudge to revise?"


def _summary(replies: list[Reply]) -> Message:
    """The quiz's closing message: the last one, or the one before the reminder offer."""
    last = _message(replies)
    return _message(replies, -2) if last.html.startswith(OFFER) else last


def _datas(message: Message) -> list[str]:
    return [b.data for row in message.buttons for b in row]


def _answers(message: Message) -> list[str]:
    return [d for d in _datas(message) if d.count(":") == 2 and d.split(":")[1].isdigit()]


async def _logs(database: Database, user: int = 1) -> list[tuple[str, int]]:
    return await database.run(
        lambda session: [(r.item_id, r.rating) for r in reviews(session, user_id=user)]
    )


async def _ask(database: Database, question: Question, *, user: int = 1) -> int:
    """Put ``question`` in front of ``user`` as question 1 of a fresh quiz; returns its id."""

    def ask(session: Session) -> int:
        quiz = start_session(session, user_id=user, mode="quiz", topic=None, size=10, now=NOON)
        row = add_question(
            session,
            quiz=quiz,
            item_id=question.item_id,
            kind=question.kind,
            payload=question.to_payload() | {"review": False},
            now=NOON,
        )
        assert row.id is not None
        return row.id

    return await database.run(ask)


async def _question(database: Database, question_id: int) -> QuizQuestion:
    row = await database.run(lambda session: session.get(QuizQuestion, question_id))
    assert row is not None
    return row


def _right_wrong(message: Message, question: Question) -> tuple[str, str]:
    answers = _answers(message)
    return answers[question.correct[0]], answers[(question.correct[0] + 1) % len(answers)]


async def _start(tutor: Tutor, turn: Turns, args: str = "") -> Message:
    replies = await tutor.on_command(turn(), "quiz", args)
    message = _message(replies)
    assert "Question 1 of 10" in message.html
    return message


async def _payload(database: Database, data: str) -> Question:
    question_id = int(data.split(":")[1])
    return Question.from_payload((await _question(database, question_id)).payload)


async def test_a_quiz_starts_with_question_one(tutor: Tutor, turn: Turns) -> None:
    message = await _start(tutor, turn)
    assert _answers(message)
    assert any(d.startswith("q:h:") for d in _datas(message))


async def test_right_answer_schedules_good_and_asks_the_next(
    tutor: Tutor, turn: Turns, database: Database
) -> None:
    message = await _start(tutor, turn)
    question = await _payload(database, _answers(message)[0])
    right, _ = _right_wrong(message, question)
    outcome = await tutor.on_button(turn(now=NOON + timedelta(seconds=6)), right)
    assert outcome.toast == "✅ Right!"
    assert outcome.edit is not None and "Your answer" in outcome.edit.html
    assert outcome.edit.buttons == ()
    assert "Right" in outcome.edit.html  # the explanation joins the answered question
    assert len(outcome.replies) == 1 and "Question 2 of 10" in _message(outcome.replies).html
    assert await _logs(database) == [(question.item_id, int(Rating.Good))]


async def test_wrong_answer_is_again_and_explained(
    tutor: Tutor, turn: Turns, database: Database
) -> None:
    message = await _start(tutor, turn)
    question = await _payload(database, _answers(message)[0])
    _, wrong = _right_wrong(message, question)
    outcome = await tutor.on_button(turn(now=NOON + timedelta(seconds=6)), wrong)
    assert outcome.edit is not None
    feedback = outcome.edit.html
    assert outcome.toast == "❌ Not quite"
    assert "Not quite" in feedback and "The answer" in feedback
    assert await _logs(database) == [(question.item_id, int(Rating.Again))]


async def test_double_tap_counts_once(tutor: Tutor, turn: Turns, database: Database) -> None:
    message = await _start(tutor, turn)
    question = await _payload(database, _answers(message)[0])
    right, wrong = _right_wrong(message, question)
    first = await tutor.on_button(turn(now=NOON + timedelta(seconds=5)), right)
    second = await tutor.on_button(turn(now=NOON + timedelta(seconds=6)), right)
    third = await tutor.on_button(turn(now=NOON + timedelta(seconds=7)), wrong)
    assert first.replies
    for repeat in (second, third):
        assert repeat == ButtonOutcome(toast="You've already answered that one. ✔️")
    assert len(await _logs(database)) == 1
    quiz = await database.run(lambda session: session.exec(select(QuizSession)).one())
    assert (quiz.asked, quiz.correct) == (2, 1)


async def test_someone_elses_or_forged_buttons_change_nothing(
    tutor: Tutor, turn: Turns, database: Database
) -> None:
    message = await _start(tutor, turn)
    data = _answers(message)[0]
    question_id = data.split(":")[1]
    outcome = await tutor.on_button(turn(user=2), data)
    assert outcome.toast is not None and "someone else" in outcome.toast
    for forged in (
        "q:999999:0",
        f"q:{question_id}:99",
        f"q:{question_id}:-1",
        "q:abc:1",
        "q:",
        f"q:{question_id}:0:0",
        "q:z:1",
        "q:n:1:party",
        f"q:h:{question_id}x",
    ):
        result = await tutor.on_button(turn(), forged)
        assert result.toast and not result.replies and result.edit is None, forged
    assert await _logs(database) == []
    assert (await _question(database, int(question_id))).answered_at is None


async def test_a_full_session_ends_with_a_summary(
    tutor: Tutor, turn: Turns, database: Database
) -> None:
    message = await _start(tutor, turn)
    now = NOON
    for position in range(1, 11):
        assert f"Question {position} of 10" in message.html
        question = await _payload(database, _answers(message)[0])
        right, _ = _right_wrong(message, question)
        now += timedelta(seconds=10)
        outcome = await tutor.on_button(turn(now=now), right)
        message = _message(outcome.replies)
    assert message.html.startswith(OFFER)  # offered once, after the first quiz
    message = _message(outcome.replies, -2)
    assert "Quiz complete" in message.html and "10 of 10" in message.html
    assert _datas(message) == ["m:quiz", "m:start"]
    quiz = await database.run(lambda session: session.exec(select(QuizSession)).one())
    assert quiz.status == "finished"
    assert len(await _logs(database)) == 10


async def test_button_of_an_ended_quiz_says_so(
    tutor: Tutor, turn: Turns, database: Database
) -> None:
    message = await _start(tutor, turn)
    data = _answers(message)[0]
    stopped = await tutor.on_command(turn(), "cancel")
    assert "Quiz stopped" in _message(stopped).html
    outcome = await tutor.on_button(turn(), data)
    assert outcome.toast == "That quiz has ended."
    assert "m:quiz" in _datas(_message(outcome.replies))
    assert await _logs(database) == []


async def test_pending_question_survives_a_restart(
    services: Services, turn: Turns, db_url: str
) -> None:
    # Its own handle, closed here for the "restart" (the fixture's is closed at teardown).
    before = Database.from_url(db_url)
    try:
        message = await _start(Tutor(Services(before, services.kb, services.config)), turn)
        question = await _payload(before, _answers(message)[0])
    finally:
        await before.close()
    right, _ = _right_wrong(message, question)
    reopened = await Database.open(db_url)
    try:
        again = Tutor(Services(reopened, services.kb, services.config))
        outcome = await again.on_button(turn(now=NOON + timedelta(seconds=8)), right)
        assert outcome.toast == "✅ Right!"
        assert "Question 2 of 10" in _message(outcome.replies).html
        repeat = await again.on_button(turn(now=NOON + timedelta(seconds=9)), right)
        assert repeat.toast == "You've already answered that one. ✔️"
        assert await _logs(reopened) == [(question.item_id, int(Rating.Good))]
    finally:
        await reopened.close()


async def test_typed_recall_with_typos_gets_partial_credit_and_an_echo(
    tutor: Tutor, turn: Turns, kb: KnowledgeBase, database: Database
) -> None:
    await tutor.on_command(turn(), "start")
    question = recall(kb, kb.variables["usage_rate"], random.Random(1))
    question_id = await _ask(database, question)
    replies = await tutor.on_text(turn(now=NOON + timedelta(seconds=20)), "usage-rate and age")
    feedback = _message(replies, 0).html
    assert "Partly right" in feedback and "✅ Usage rate" in feedback
    assert "Question 2 of 10" in _message(replies).html
    row = await _question(database, question_id)
    assert row.answered_at is not None and row.correct is False
    assert await _logs(database) == [("usage_rate", int(Rating.Hard))]


async def test_bad_typed_input_is_explained_and_not_counted(
    tutor: Tutor, turn: Turns, kb: KnowledgeBase, database: Database
) -> None:
    await tutor.on_command(turn(), "start")
    question_id = await _ask(database, recall(kb, kb.variables["lifestyle"], random.Random(1)))
    expected = {
        "🙂🙂🙂": "couldn't find any words",
        "образ жизни": "English",
        "42": "expecting words",
        "   ": "empty",
        "x" * 5000: "long one",
    }
    for text, phrase in expected.items():
        replies = await tutor.on_text(turn(), text)
        assert phrase in _message(replies).html, text
    assert (await _question(database, question_id)).answered_at is None
    assert await _logs(database) == []


async def test_numeric_question_wants_a_number(
    tutor: Tutor, turn: Turns, kb: KnowledgeBase, database: Database
) -> None:
    await tutor.on_command(turn(), "start")
    await _ask(database, numeric(kb, kb.concepts["kpi_conversion_rate"], random.Random(1)))
    replies = await tutor.on_text(turn(), "quite a lot")
    assert "I need a number" in _message(replies).html
    replies = await tutor.on_text(turn(now=NOON + timedelta(seconds=30)), "35%")
    assert "How to work it out" in _message(replies, 0).html
    assert await _logs(database) == [("kpi_conversion_rate", int(Rating.Again))]


async def test_text_on_a_button_question_reminds_or_matches(
    tutor: Tutor, turn: Turns, kb: KnowledgeBase, database: Database
) -> None:
    await tutor.on_command(turn(), "start")
    await _ask(database, classify(kb, kb.variables["lifestyle"], random.Random(1)))
    reminder = await tutor.on_text(turn(), "hmm, not sure")
    assert "Tap one of the buttons" in _message(reminder).html
    replies = await tutor.on_text(turn(now=NOON + timedelta(seconds=9)), "psycografic")
    assert "Right" in _message(replies, 0).html
    assert await _logs(database) == [("lifestyle", int(Rating.Good))]


async def test_answer_after_the_timeout_is_not_marked(
    tutor: Tutor, turn: Turns, kb: KnowledgeBase, database: Database
) -> None:
    await tutor.on_command(turn(), "start")
    question_id = await _ask(database, recall(kb, kb.variables["lifestyle"], random.Random(1)))
    replies = await tutor.on_text(turn(now=NOON + timedelta(hours=3)), "values and opinions")
    assert "timed out" in _message(replies).html
    assert (await _question(database, question_id)).answered_at is None
    assert await _logs(database) == []
    later = await tutor.on_text(turn(now=NOON + timedelta(hours=3, minutes=1)), "values")
    assert "not waiting" in _message(later).html


async def test_misconception_in_a_typed_answer_is_corrected(
    tutor: Tutor, turn: Turns, kb: KnowledgeBase, database: Database
) -> None:
    await tutor.on_command(turn(), "start")
    await _ask(database, recall(kb, kb.variables["age"], random.Random(1)))
    replies = await tutor.on_text(
        turn(now=NOON + timedelta(seconds=30)), "age and income, demographics are all you need"
    )
    htmls = [_message(replies, i).html for i in range(len(replies))]
    assert "Right" in htmls[0]
    assert htmls[1].startswith(HEADER + "\n")
    assert "Question 2 of 10" in htmls[-1]
    hits = await database.run(lambda session: hit_counts(session, user_id=1))
    assert hits == {"mc_demographics_only": 1}


async def test_hint_then_right_is_hard(tutor: Tutor, turn: Turns, database: Database) -> None:
    message = await _start(tutor, turn)
    hint = next(d for d in _datas(message) if d.startswith("q:h:"))
    shown = await tutor.on_button(turn(), hint)
    assert "Hint" in _message(shown.replies).html
    assert shown.edit is not None and hint not in _datas(shown.edit)
    assert (await tutor.on_button(turn(), hint)).toast is not None
    question = await _payload(database, _answers(message)[0])
    right, _ = _right_wrong(message, question)
    await tutor.on_button(turn(now=NOON + timedelta(seconds=5)), right)
    assert await _logs(database) == [(question.item_id, int(Rating.Hard))]


async def test_slow_right_answer_is_hard(tutor: Tutor, turn: Turns, database: Database) -> None:
    message = await _start(tutor, turn)
    question = await _payload(database, _answers(message)[0])
    right, _ = _right_wrong(message, question)
    await tutor.on_button(turn(now=NOON + timedelta(seconds=95)), right)
    assert await _logs(database) == [(question.item_id, int(Rating.Hard))]


async def test_show_answer_counts_as_again(
    tutor: Tutor, turn: Turns, kb: KnowledgeBase, database: Database
) -> None:
    await tutor.on_command(turn(), "start")
    question_id = await _ask(database, recall(kb, kb.variables["lifestyle"], random.Random(1)))
    outcome = await tutor.on_button(turn(), f"q:s:{question_id}")
    assert outcome.edit is not None and "The answer" in outcome.edit.html
    assert await _logs(database) == [("lifestyle", int(Rating.Again))]


async def test_review_asks_only_what_is_due(tutor: Tutor, turn: Turns, database: Database) -> None:
    nothing = await tutor.on_command(turn(), "review")
    assert "Nothing is due" in _message(nothing).html
    message = await _start(tutor, turn)
    question = await _payload(database, _answers(message)[0])
    _, wrong = _right_wrong(message, question)
    await tutor.on_button(turn(now=NOON + timedelta(seconds=5)), wrong)
    await tutor.on_command(turn(now=NOON + timedelta(seconds=6)), "cancel")
    later = turn(now=NOON + timedelta(minutes=5))
    replies = await tutor.on_command(later, "review")
    due = _message(replies)
    assert "Question 1 of 1<" in due.html and "review" in due.html  # one item is due
    asked = await database.run(
        lambda session: session.exec(
            select(QuizQuestion).order_by(col(QuizQuestion.id).desc())
        ).first()
    )
    assert asked is not None and asked.item_id == question.item_id
    outcome = await tutor.on_button(later, f"q:s:{asked.id}")  # show the answer, whatever kind
    assert "Quiz complete" in _summary(outcome.replies).html


async def test_daily_new_item_cap(tutor: Tutor, turn: Turns, database: Database) -> None:
    await tutor.on_command(turn(), "start")

    def cap_new_items(session: Session) -> None:
        user = session.get(User, 1)
        assert user is not None
        user.daily_new_cap = 2
        session.add(user)

    await database.run(cap_new_items)
    replies = await tutor.on_command(turn(), "quiz")
    note, message = _message(replies, 0), _message(replies)
    assert "This quiz has <b>2 questions</b>: 2 new" in note.html
    assert "today's 2 new items" in note.html and "/settings" in note.html
    assert "Question 1 of 2<" in message.html
    now = NOON
    for number in (1, 2):
        assert f"Question {number} of 2<" in message.html
        question = await _payload(database, _answers(message)[0])
        right, _ = _right_wrong(message, question)
        now += timedelta(seconds=5)
        message = _summary((await tutor.on_button(turn(now=now), right)).replies)
    assert "Quiz complete" in message.html and "2 of 2" in message.html
    assert "come back sooner" not in message.html  # nothing was missed
    assert "next review is due in 10 minutes" in message.html
    practise = [b.data for row in message.buttons for b in row if "Practise" in b.label]
    again = await tutor.on_command(turn(now=now), "quiz")
    assert "caught up" in _message(again).html
    assert practise[0].startswith("q:t:") and practise[0].endswith(":practice")
    assert "q:t:0:practice" in _datas(_message(again))  # caught up, but practice is on offer
    topped = await tutor.on_button(turn(now=now), practise[0])
    assert "Question 1 of 2<" in _message(topped.replies).html
    assert "review" in _message(topped.replies).html


async def test_topic_narrows_the_quiz(
    tutor: Tutor, turn: Turns, kb: KnowledgeBase, database: Database
) -> None:
    message = await _start(tutor, turn, "psycografic")
    question = await _payload(database, _answers(message)[0])
    assert question.item_id in topic_items(kb, "psychographic")
    unknown = await tutor.on_command(turn(), "quiz", "banana")
    assert "I don't know the topic" in _message(unknown).html


async def test_quiz_while_one_runs_offers_carry_on_or_new(
    tutor: Tutor, turn: Turns, database: Database
) -> None:
    first = await _start(tutor, turn)
    offer = _message(await tutor.on_command(turn(), "quiz"))
    resume, new = _datas(offer)
    assert resume.startswith("q:r:") and new.startswith("q:n:")
    carried = await tutor.on_button(turn(), resume)
    assert _answers(_message(carried.replies)) == _answers(first)
    fresh = await tutor.on_button(turn(), new)
    assert "Question 1 of 10" in _message(fresh.replies).html
    old = await tutor.on_button(turn(), _answers(first)[0])
    assert old.toast == "That quiz has ended."
    assert (await tutor.on_button(turn(user=2), resume)).toast is not None


def test_an_explanation_too_long_to_join_the_question_comes_as_its_own_message() -> None:
    question = Question(item_id="x", kind="classify", prompt="Which base?", options=("A", "B"))
    short = Verdict(correct=True, feedback="✅ Right: it is demographic.", chosen="A")
    edit, extra = answered_message(question, short, position=1, size=10, review=False)
    assert "it is demographic" in edit.html and extra is None
    long = Verdict(correct=False, feedback="❌ " + "Because… " * 500, chosen="B")
    edit, extra = answered_message(question, long, position=1, size=10, review=False)
    assert "Your answer" in edit.html and "Because" not in edit.html
    assert extra is not None and extra.html == long.feedback


async def test_an_unknown_topic_offers_the_closest_topics_as_buttons(
    tutor: Tutor, turn: Turns
) -> None:
    await tutor.on_command(turn(), "start")
    offer = _message(await tutor.on_command(turn(), "quiz", "psycholgy stuff"))
    assert "I don't know the topic" in offer.html
    data = _datas(offer)
    assert data[0] == "q:p:psychographic" and "q:p:kpi" in data
    outcome = await tutor.on_button(turn(), data[0])
    assert outcome.edit is not None and "Psychographic" in outcome.edit.html
    assert "Question 1 of" in _message(outcome.replies).html
    forged = await tutor.on_button(turn(), "q:p:atlantis")
    assert forged.toast is not None and "expired" in forged.toast


async def test_b2b_is_a_topic(tutor: Tutor, turn: Turns, database: Database) -> None:
    await tutor.on_command(turn(), "start")
    first = _message(await tutor.on_command(turn(), "quiz", "b2b"))
    assert "Question 1 of" in first.html
    quiz = await database.run(lambda session: session.exec(select(QuizSession)).one())
    assert quiz.topic == "firmographic"
