"""Next-reminder instants with a fixed clock, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from dialogs.reminders.schedule import (
    format_hhmm,
    next_reminder,
    parse_hhmm,
    previous_reminder,
    skip_one,
    slot_to_send,
    still_worth_sending,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_later_today_or_tomorrow() -> None:
    assert next_reminder(time(18, 30), LONDON, utc(2026, 11, 2, 12)) == utc(2026, 11, 2, 18, 30)
    assert next_reminder(time(18, 30), LONDON, utc(2026, 11, 2, 18, 30)) == utc(2026, 11, 3, 18, 30)
    assert next_reminder(time(7, 0), LONDON, utc(2026, 11, 2, 12)) == utc(2026, 11, 3, 7)


def test_london_spring_forward_keeps_the_local_time() -> None:
    # Clocks go forward at 01:00 GMT on Sunday 29 March 2026.
    saturday = next_reminder(time(18, 30), LONDON, utc(2026, 3, 28, 12))
    sunday = next_reminder(time(18, 30), LONDON, saturday)
    assert saturday == utc(2026, 3, 28, 18, 30)  # GMT
    assert sunday == utc(2026, 3, 29, 17, 30)  # BST: still 18:30 on the clock
    assert sunday.astimezone(LONDON).strftime("%H:%M") == "18:30"


def test_london_fall_back_keeps_the_local_time() -> None:
    # Clocks go back at 02:00 BST on Sunday 25 October 2026.
    saturday = next_reminder(time(18, 30), LONDON, utc(2026, 10, 24, 12))
    sunday = next_reminder(time(18, 30), LONDON, saturday)
    assert saturday == utc(2026, 10, 24, 17, 30)
    assert sunday == utc(2026, 10, 25, 18, 30)


def test_new_york_spring_forward_and_fall_back() -> None:
    # 8 March 2026: 02:00 EST -> 03:00 EDT. 1 November 2026: 02:00 EDT -> 01:00 EST.
    before = next_reminder(time(18, 30), NEW_YORK, utc(2026, 3, 7, 12))
    after = next_reminder(time(18, 30), NEW_YORK, before)
    assert (before, after) == (utc(2026, 3, 7, 23, 30), utc(2026, 3, 8, 22, 30))
    before = next_reminder(time(18, 30), NEW_YORK, utc(2026, 10, 31, 12))
    after = next_reminder(time(18, 30), NEW_YORK, before)
    assert (before, after) == (utc(2026, 10, 31, 22, 30), utc(2026, 11, 1, 23, 30))


def test_a_time_in_the_spring_gap_comes_as_far_past_the_jump() -> None:
    # 02:30 does not exist in New York on 8 March 2026: the reminder comes at 03:30 EDT,
    # the instant 02:30 EST would have been.
    gap_day = next_reminder(time(2, 30), NEW_YORK, utc(2026, 3, 8, 5))
    assert gap_day == utc(2026, 3, 8, 7, 30)
    assert gap_day.astimezone(NEW_YORK).strftime("%H:%M") == "03:30"
    # The day after, 02:30 exists again.
    assert next_reminder(time(2, 30), NEW_YORK, gap_day) == utc(2026, 3, 9, 6, 30)


def test_a_time_in_the_autumn_fold_comes_once() -> None:
    # 01:30 happens twice in London on 25 October 2026: only the first (BST) counts.
    first = next_reminder(time(1, 30), LONDON, utc(2026, 10, 24, 12))
    assert first == utc(2026, 10, 25, 0, 30)
    assert next_reminder(time(1, 30), LONDON, first) == utc(2026, 10, 26, 1, 30)


def test_pause_skips_exactly_one() -> None:
    skipped, following = skip_one(time(18, 30), LONDON, utc(2026, 11, 2, 12))
    assert (skipped, following) == (utc(2026, 11, 2, 18, 30), utc(2026, 11, 3, 18, 30))


def test_missed_reminders_go_out_only_on_their_local_day() -> None:
    due = utc(2026, 11, 2, 18, 30)
    assert still_worth_sending(due, utc(2026, 11, 2, 18, 30), LONDON)
    assert still_worth_sending(due, utc(2026, 11, 2, 23, 59), LONDON)
    assert not still_worth_sending(due, utc(2026, 11, 3, 0, 1), LONDON)
    # New York's day ends five hours later than London's.
    ny_due = utc(2026, 11, 2, 23, 30)
    assert still_worth_sending(ny_due, utc(2026, 11, 3, 4, 0), NEW_YORK)
    assert not still_worth_sending(ny_due, utc(2026, 11, 3, 5, 1), NEW_YORK)


def test_after_downtime_only_todays_slot_is_sent() -> None:
    monday = utc(2026, 11, 2, 18, 30)
    wednesday_evening = utc(2026, 11, 4, 20)
    wednesday_morning = utc(2026, 11, 4, 9)
    assert previous_reminder(time(18, 30), LONDON, wednesday_evening) == utc(2026, 11, 4, 18, 30)
    assert previous_reminder(time(18, 30), LONDON, utc(2026, 11, 4, 18, 30)) == utc(
        2026, 11, 4, 18, 30
    )
    assert slot_to_send(time(18, 30), LONDON, monday, wednesday_evening) == utc(2026, 11, 4, 18, 30)
    assert slot_to_send(time(18, 30), LONDON, monday, wednesday_morning) is None
    # A snoozed reminder (due off the daily slot) is its own slot.
    snoozed = utc(2026, 11, 4, 19, 30)
    assert slot_to_send(time(18, 30), LONDON, snoozed, wednesday_evening) == snoozed


@pytest.mark.parametrize("text", ["18:30", "00:00", "23:59"])
def test_stored_form_round_trips(text: str) -> None:
    parsed = parse_hhmm(text)
    assert parsed is not None and format_hhmm(parsed) == text


@pytest.mark.parametrize("text", ["24:00", "8:30", "18:60", "1830", ""])
def test_stored_form_is_strict(text: str) -> None:
    assert parse_hhmm(text) is None
