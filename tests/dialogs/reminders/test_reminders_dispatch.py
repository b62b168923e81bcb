"""What a due reminder becomes: the message with its inline question, nudges, skips."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from dialogs.quiz.card_updates import push_items
from dialogs.reminders import dispatch
from storage import reminders as store
from storage.cards import add_review
from storage.models import QuizSession, ReviewLog
from storage.users import get_user

NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 2, 18, 30, tzinfo=UTC)  # 18:30 in London (GMT)


def data_of(reply) -> list[str]:
    return [b.data for row in reply.buttons for b in row]


async def set_up(tutor, turn, database, *, due_items: tuple[str, ...] = ("age", "income")):
    await tutor.on_command(turn(), "remind", "18:30")
    if due_items:
        await database.run(lambda s: push_items(s, user_id=1, item_ids=list(due_items), now=NOON))


async def claim_one(services, now=DUE):
    claimed = await dispatch.claim_due(services, now)
    assert len(claimed.items) == 1
    return claimed.token, claimed.items[0]


async def test_the_reminder_carries_the_first_due_question(services, tutor, turn, database):
    await set_up(tutor, turn, database)
    token, item = await claim_one(services)
    outgoing = await dispatch.prepare(services, token, item, DUE)
    assert outgoing is not None and outgoing.kind == "due"
    [message] = outgoing.replies
    assert "2 items are due" in message.html
    assert "Question 1 of" in message.html  # the quiz feature's own question
    data = data_of(message)
    assert any(d.startswith("q:") and d.count(":") == 2 and d[2].isdigit() for d in data)
    assert any(d.startswith("q:r:") for d in data)  # Start review carries on that quiz
    assert "r:snooze:20261102" in data
    assert outgoing.next_at == DUE + timedelta(days=1)
    assert await dispatch.delivered(services, token, outgoing, DUE)
    user = await database.run(lambda s: get_user(s, user_id=1))
    assert user is not None
    assert (user.next_reminder_at, user.last_reminder_at) == (DUE + timedelta(days=1), DUE)


async def test_the_inline_question_is_graded_by_the_quiz_feature(services, tutor, turn, database):
    await set_up(tutor, turn, database)
    token, item = await claim_one(services)
    outgoing = await dispatch.prepare(services, token, item, DUE)
    assert outgoing is not None
    answer = next(d for d in data_of(outgoing.replies[0]) if d[2].isdigit())
    pressed = await tutor.on_button(turn(now=DUE + timedelta(seconds=20)), answer)
    assert pressed.toast in ("✅ Right!", "❌ Not quite")
    assert pressed.edit is not None and "Your answer" in pressed.edit.html
    assert pressed.replies  # feedback, then the next due question
    logs = await database.run(lambda s: s.exec(select(ReviewLog)).all())
    assert len(logs) == 1 and logs[0].item_id in ("age", "income")


async def test_start_review_after_a_snooze_shows_the_waiting_question(
    services, tutor, turn, database
):
    await set_up(tutor, turn, database)
    token, item = await claim_one(services)
    outgoing = await dispatch.prepare(services, token, item, DUE)
    assert outgoing is not None
    await dispatch.delivered(services, token, outgoing, DUE)
    snoozed = await tutor.on_button(turn(now=DUE), "r:snooze:20261102")
    assert snoozed.toast and "19:30" in snoozed.toast
    user = await database.run(lambda s: get_user(s, user_id=1))
    assert user is not None and user.next_reminder_at == DUE + timedelta(hours=1)
    started = await tutor.on_button(turn(now=DUE), "r:go")
    assert "Question 1 of" in started.replies[0].html
    # An hour later the same waiting question comes back in the reminder, not a new quiz.
    later = DUE + timedelta(hours=1)
    token, item = await claim_one(services, later)
    again = await dispatch.prepare(services, token, item, later)
    assert again is not None
    assert again.replies[0].buttons[0] == outgoing.replies[0].buttons[0]
    quizzes = await database.run(lambda s: s.exec(select(QuizSession)).all())
    assert len(quizzes) == 1


async def test_a_snooze_button_from_an_earlier_day_changes_nothing(tutor, turn, database):
    await set_up(tutor, turn, database)
    outcome = await tutor.on_button(turn(now=DUE), "r:snooze:20261101")
    assert outcome.toast and "earlier day" in outcome.toast
    user = await database.run(lambda s: get_user(s, user_id=1))
    assert user is not None and user.next_reminder_at == DUE


async def test_nothing_due_but_new_items_left_brings_a_new_question(
    services, tutor, turn, database
):
    await set_up(tutor, turn, database, due_items=())
    token, item = await claim_one(services)
    outgoing = await dispatch.prepare(services, token, item, DUE)
    assert outgoing is not None and outgoing.kind == "new"
    [message] = outgoing.replies
    assert "Nothing is due, and you have 15 new items left today" in message.html
    assert "Question 1 of 10" in message.html  # the quiz feature's own first new question
    assert any(d.startswith("q:r:") for d in data_of(message))
    assert "m:settings" in data_of(message)


async def test_reviews_only_means_no_reminder_when_nothing_is_due(services, tutor, turn, database):
    await set_up(tutor, turn, database, due_items=())
    chosen = await tutor.on_button(turn(), "st:rem:due")
    assert chosen.toast and "only when reviews are due" in chosen.toast
    token, item = await claim_one(services)
    assert await dispatch.prepare(services, token, item, DUE) is None
    user = await database.run(lambda s: get_user(s, user_id=1))
    assert user is not None
    assert user.next_reminder_at == DUE + timedelta(days=1) and user.reminder_claim is None
    assert user.last_reminder_at is None
    await set_up(tutor, turn, database, due_items=("age",))  # reviews due still remind
    token, item = await claim_one(services, DUE + timedelta(days=1))
    due = await dispatch.prepare(services, token, item, DUE + timedelta(days=1))
    assert due is not None and due.kind == "due"


async def test_todays_work_done_means_no_reminder(services, tutor, turn, database):
    await set_up(tutor, turn, database, due_items=())
    await tutor.on_button(turn(), "st:new:5")
    for item_id in ("age", "income", "gender", "lifestyle", "usage_rate"):
        await database.run(
            lambda s, item_id=item_id: add_review(
                s, user_id=1, item_id=item_id, rating=3, source="quiz", duration_ms=None, now=NOON
            )
        )
    token, item = await claim_one(services)
    assert await dispatch.prepare(services, token, item, DUE) is None
    user = await database.run(lambda s: get_user(s, user_id=1))
    assert user is not None and user.last_reminder_at is None


async def test_three_quiet_days_bring_one_gentle_nudge(services, tutor, turn, database):
    await set_up(tutor, turn, database, due_items=())
    await database.run(
        lambda s: add_review(
            s,
            user_id=1,
            item_id="age",
            rating=3,
            source="quiz",
            duration_ms=None,
            now=NOON - timedelta(days=4),
        )
    )
    token, item = await claim_one(services)
    nudge = await dispatch.prepare(services, token, item, DUE)
    assert nudge is not None and nudge.kind == "nudge"
    assert "few days" in nudge.replies[0].html
    assert "Question 1 of" in nudge.replies[0].html  # something new to answer right there
    await dispatch.delivered(services, token, nudge, DUE)
    tomorrow = DUE + timedelta(days=1)
    token, item = await claim_one(services, tomorrow)
    again = await dispatch.prepare(services, token, item, tomorrow)
    assert again is not None and again.kind == "new"  # the nudge is once only


async def test_after_days_of_downtime_only_todays_missed_reminder_goes(
    services, tutor, turn, database
):
    await set_up(tutor, turn, database)
    back = DUE + timedelta(days=2, hours=1)  # down since Monday; back Wednesday 19:30
    token, item = await claim_one(services, back)
    outgoing = await dispatch.prepare(services, token, item, back)
    assert outgoing is not None  # Wednesday's 18:30, once; Monday's and Tuesday's are gone
    assert outgoing.next_at == DUE + timedelta(days=3)
    await dispatch.delivered(services, token, outgoing, back)
    assert (await dispatch.claim_due(services, back + timedelta(hours=1))).items == ()


async def test_a_reminder_from_an_earlier_day_is_dropped(services, tutor, turn, database):
    await set_up(tutor, turn, database)
    back = DUE + timedelta(days=2, hours=-1)  # Wednesday 17:30: today's is still to come
    token, item = await claim_one(services, back)
    assert await dispatch.prepare(services, token, item, back) is None
    user = await database.run(lambda s: get_user(s, user_id=1))
    assert user is not None and user.next_reminder_at == DUE + timedelta(days=2)


async def test_a_reminder_missed_earlier_today_still_goes_once(services, tutor, turn, database):
    await set_up(tutor, turn, database)
    back = DUE + timedelta(hours=4)  # 22:30 the same evening
    token, item = await claim_one(services, back)
    outgoing = await dispatch.prepare(services, token, item, back)
    assert outgoing is not None and outgoing.next_at == DUE + timedelta(days=1)


async def test_no_reminder_in_the_middle_of_a_quiz(services, tutor, turn, database):
    await set_up(tutor, turn, database)
    await tutor.on_command(turn(now=DUE - timedelta(minutes=5)), "quiz", "")
    token, item = await claim_one(services)
    assert await dispatch.prepare(services, token, item, DUE) is None


async def test_the_streak_is_in_the_reminder(services, tutor, turn, database):
    await set_up(tutor, turn, database)

    def review_three_days(session):
        for back in (1, 2, 3):
            add_review(
                session,
                user_id=1,
                item_id="gender",
                rating=3,
                source="quiz",
                duration_ms=None,
                now=NOON - timedelta(days=back),
            )

    await database.run(review_three_days)
    token, item = await claim_one(services)
    outgoing = await dispatch.prepare(services, token, item, DUE)
    assert outgoing is not None
    assert "3-day streak" in outgoing.replies[0].html


async def test_blocked_students_are_flagged_and_skipped(services, tutor, turn, database):
    await set_up(tutor, turn, database)
    token, item = await claim_one(services)
    outgoing = await dispatch.prepare(services, token, item, DUE)
    assert outgoing is not None
    await dispatch.blocked(services, token, outgoing)
    tomorrow = DUE + timedelta(days=1)
    assert (await dispatch.claim_due(services, tomorrow)).items == ()
    await tutor.on_command(turn(now=tomorrow), "start", "")  # unblocked: they wrote again
    assert len((await dispatch.claim_due(services, tomorrow)).items) == 1


async def test_a_student_flagged_blocked_is_unblocked_by_their_next_message(
    services, tutor, turn, database
):
    await set_up(tutor, turn, database)
    token, item = await claim_one(services)
    outgoing = await dispatch.prepare(services, token, item, DUE)
    assert outgoing is not None
    await tutor.on_command(turn(now=DUE), "help", "")  # seen a moment ago
    await dispatch.blocked(services, token, outgoing)
    await tutor.on_command(turn(now=DUE + timedelta(seconds=5)), "start", "")
    user = await database.run(lambda s: get_user(s, user_id=1))
    assert user is not None and not user.blocked


async def test_given_back_reminders_are_claimed_again(services, tutor, turn, database):
    await set_up(tutor, turn, database)
    token, _ = await claim_one(services)
    assert await dispatch.give_back(services, token) == 1
    _, item = await claim_one(services)
    held = await database.run(lambda s: store.count_scheduled(s, due_by=DUE))
    assert held == 1 and item.user_id == 1
