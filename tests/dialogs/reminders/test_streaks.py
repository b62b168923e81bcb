"""Streaks: consecutive local study days, one automatic freeze per ISO week."""

from __future__ import annotations

from datetime import date, timedelta

from dialogs.reminders.streaks import Streak, compute_streak

# Wednesday 4 November 2026; ISO week 45 runs Mon 2 Nov - Sun 8 Nov.
TODAY = date(2026, 11, 4)


def days_back(*offsets: int) -> list[date]:
    return [TODAY - timedelta(days=n) for n in offsets]


def test_no_reviews_no_streak() -> None:
    streak = compute_streak([], TODAY)
    assert streak == Streak(0, studied_today=False)
    assert "starts it" in streak.describe()


def test_consecutive_days_count_repeats_do_not() -> None:
    streak = compute_streak([*days_back(0, 1, 2), *days_back(0, 0, 1)], TODAY)
    assert (streak.days, streak.studied_today, streak.frozen) == (3, True, ())
    assert streak.describe() == "🔥 3-day streak"


def test_today_not_studied_yet_breaks_nothing() -> None:
    streak = compute_streak(days_back(1, 2), TODAY)
    assert (streak.days, streak.studied_today) == (2, False)
    assert streak.describe().endswith("review today to keep it")


def test_one_missed_day_is_frozen_and_the_run_goes_on() -> None:
    # Studied today, missed Tuesday, studied Monday and Sunday before.
    streak = compute_streak(days_back(0, 2, 3), TODAY)
    assert streak.days == 3
    assert streak.frozen == (date(2026, 11, 3),)
    assert "a freeze saved Tuesday" in streak.describe()


def test_missed_yesterday_is_frozen_while_today_is_open() -> None:
    streak = compute_streak(days_back(2, 3), TODAY)
    assert (streak.days, streak.frozen) == (2, (date(2026, 11, 3),))


def test_two_missed_days_in_one_week_reset_it() -> None:
    # Missed Tuesday and Monday: the week has one freeze only.
    streak = compute_streak(days_back(0, 3, 4), TODAY)
    assert (streak.days, streak.frozen) == (1, ())


def test_one_freeze_per_iso_week_not_per_run() -> None:
    # Missed Tuesday 3 Nov (week 45) and Thursday 29 Oct (week 44): one freeze each.
    studied = [date(2026, 11, d) for d in (4, 2, 1)] + [date(2026, 10, d) for d in (31, 30, 28)]
    streak = compute_streak(studied, TODAY)
    assert streak.days == 6
    assert streak.frozen == (date(2026, 11, 3), date(2026, 10, 29))
    # A second miss in week 44 (Tue 27 Oct) ends the run there.
    assert compute_streak([*studied, date(2026, 10, 26)], TODAY).days == 6


def test_a_freeze_never_bridges_into_nothing() -> None:
    streak = compute_streak(days_back(0), TODAY)
    assert (streak.days, streak.frozen) == (1, ())


def test_a_lapsed_streak_is_over() -> None:
    streak = compute_streak(days_back(3, 4, 5), TODAY)
    assert streak.days == 0 and not streak.alive


def test_future_dates_are_ignored() -> None:
    streak = compute_streak([TODAY, TODAY + timedelta(days=1)], TODAY)
    assert streak.days == 1
