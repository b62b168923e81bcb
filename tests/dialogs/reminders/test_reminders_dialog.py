"""/remind and its buttons: set, show, change, pause, resume, off; offered once; streak."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dialogs.context import Context, Person
from dialogs.reminders import offer, streak_days
from storage.cards import add_review
from storage.users import get_user

NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)  # Monday; London is on GMT


def data_of(reply) -> list[str]:
    return [b.data for row in reply.buttons for b in row]


async def stored(database, user_id: int = 1):
    user = await database.run(lambda s: get_user(s, user_id=user_id))
    assert user is not None
    return user


async def test_remind_sets_a_daily_time_and_confirms_time_and_zone(tutor, turn, database):
    [reply] = await tutor.on_command(turn(), "remind", "18:30")
    assert "<b>18:30</b>" in reply.html
    assert "London (Europe/London)" in reply.html
    assert "today at 18:30" in reply.html
    assert "/timezone" in reply.html  # still on the default: say how to change it
    user = await stored(database)
    assert user.remind_at == "18:30"
    assert user.next_reminder_at == datetime(2026, 11, 2, 18, 30, tzinfo=UTC)


async def test_remind_uses_the_students_zone(tutor, turn, database):
    await tutor.on_command(turn(), "timezone", "new york")
    [reply] = await tutor.on_command(turn(), "remind", "6.30 pm")
    assert "<b>18:30</b>" in reply.html and "America/New_York" in reply.html
    assert "07:00" in reply.html  # their clock now
    user = await stored(database)
    assert user.next_reminder_at == datetime(2026, 11, 2, 23, 30, tzinfo=UTC)


async def test_a_new_zone_keeps_the_local_reminder_time(tutor, turn, database):
    await tutor.on_command(turn(), "remind", "18:30")
    [reply] = await tutor.on_command(turn(), "timezone", "Asia/Tokyo")
    assert "stays at <b>18:30</b> local time" in reply.html
    user = await stored(database)
    # 12:00 UTC is 21:00 in Tokyo: the next 18:30 there is tomorrow, 09:30 UTC.
    assert user.next_reminder_at == datetime(2026, 11, 3, 9, 30, tzinfo=UTC)


async def test_remind_alone_shows_the_setting_with_buttons(tutor, turn):
    [empty] = await tutor.on_command(turn(), "remind", "")
    assert "no daily reminder" in empty.html
    assert "r:at:1830" in data_of(empty)
    await tutor.on_command(turn(), "remind", "18:30")
    [shown] = await tutor.on_command(turn(), "remind", "")
    assert "Daily reminder at <b>18:30</b>" in shown.html
    assert {"r:times", "r:pause", "r:off"} <= set(data_of(shown))


async def test_remind_off_stops_them(tutor, turn, database):
    await tutor.on_command(turn(), "remind", "18:30")
    [reply] = await tutor.on_command(turn(), "remind", "off")
    assert "off" in reply.html
    user = await stored(database)
    assert (user.remind_at, user.next_reminder_at) == (None, None)


async def test_an_unreadable_time_gets_a_clear_reply(tutor, turn, database):
    [reply] = await tutor.on_command(turn(), "remind", "after tea <script>")
    assert "couldn't read" in reply.html and "&lt;script&gt;" in reply.html
    assert "/remind 18:30" in reply.html
    assert (await stored(database)).remind_at is None


async def test_preset_buttons_set_and_forged_ones_change_nothing(tutor, turn, database):
    outcome = await tutor.on_button(turn(), "r:at:0700")
    assert outcome.edit is not None and "<b>07:00</b>" in outcome.edit.html
    assert (await stored(database)).remind_at == "07:00"
    for forged in ("r:at:2599", "r:at:7", "r:at:", "r:pause:x", "r:launch", "r:tz:"):
        outcome = await tutor.on_button(turn(), forged)
        assert outcome.toast and "expired" in outcome.toast, forged
        assert outcome.edit is None and not outcome.replies
    assert (await stored(database)).remind_at == "07:00"


async def test_pause_skips_one_day_and_resume_undoes_it(tutor, turn, database):
    await tutor.on_command(turn(), "remind", "18:30")
    paused = await tutor.on_button(turn(), "r:pause")
    assert paused.toast and "tomorrow at 18:30" in paused.toast
    assert paused.edit is not None and "paused for a day" in paused.edit.html
    assert "r:resume" in data_of(paused.edit)
    assert (await stored(database)).next_reminder_at == datetime(2026, 11, 3, 18, 30, tzinfo=UTC)
    resumed = await tutor.on_button(turn(), "r:resume")
    assert resumed.toast and "today at 18:30" in resumed.toast
    assert (await stored(database)).next_reminder_at == datetime(2026, 11, 2, 18, 30, tzinfo=UTC)


async def test_reminders_are_set_in_private_only(tutor, turn):
    [reply] = await tutor.on_command(turn(chat_kind="group"), "remind", "18:30")
    assert "private" in reply.html


async def test_offered_once_and_never_to_someone_with_a_reminder(services, tutor, turn):
    await tutor.on_command(turn(), "start", "")
    ctx = Context(services, Person(1, "Sam"), 1, NOON)
    [offered] = await offer.maybe_offer(ctx)
    assert "r:at:1830" in data_of(offered) and "r:no" in data_of(offered)
    assert await offer.maybe_offer(ctx) == []
    await tutor.on_command(turn(user=2), "remind", "18:30")
    assert await offer.maybe_offer(Context(services, Person(2, "Kim"), 2, NOON)) == []


async def test_declining_the_offer_is_polite(tutor, turn):
    outcome = await tutor.on_button(turn(), "r:no")
    assert outcome.edit is not None and "/remind" in outcome.edit.html


async def test_current_streak_counts_local_days(services, tutor, turn, database):
    await tutor.on_command(turn(), "timezone", "new york")

    def review_twice(session):
        # 01:00 UTC on 2 Nov is still 1 Nov in New York; with 31 Oct, two local days.
        for moment in (
            datetime(2026, 11, 2, 1, tzinfo=UTC),
            datetime(2026, 10, 31, 15, tzinfo=UTC),
        ):
            add_review(
                session,
                user_id=1,
                item_id="age",
                rating=3,
                source="quiz",
                duration_ms=None,
                now=moment,
            )

    await database.run(review_twice)
    streak = await streak_days.current_streak(Context(services, Person(1, "Sam"), 1, NOON))
    assert (streak.days, streak.studied_today) == (2, False)


async def test_a_long_streak_is_read_past_the_recent_window(services, tutor, turn, database):
    await tutor.on_command(turn(), "start", "")

    def review_every_day(session):
        for back in range(1, 91):
            add_review(
                session,
                user_id=1,
                item_id="age",
                rating=3,
                source="quiz",
                duration_ms=None,
                now=NOON - timedelta(days=back),
            )

    await database.run(review_every_day)
    streak = await streak_days.current_streak(Context(services, Person(1, "Sam"), 1, NOON))
    assert streak.days == 90
