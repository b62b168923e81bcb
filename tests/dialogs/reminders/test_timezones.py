"""Time zones from what students type: places, zone names, typos, and the time on their clock."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from dialogs.reminders.clocks import parse_clock, zones_at_local_time
from dialogs.reminders.zones import find_zones, lookup, zone_label
from storage.users import get_user

WINTER_NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)  # London on GMT
SUMMER_NOON = datetime(2026, 7, 2, 12, 0, tzinfo=UTC)  # London on BST


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("london", "Europe/London"),
        ("London", "Europe/London"),
        ("new york", "America/New_York"),
        ("New_York", "America/New_York"),
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("tokyo", "Asia/Tokyo"),
        ("buenos aires", "America/Argentina/Buenos_Aires"),
        ("uk", "Europe/London"),
        ("Manchester", "Europe/London"),
        ("india", "Asia/Kolkata"),
        ("nyc", "America/New_York"),
        ("germany", "Europe/Berlin"),
        ("pst", "America/Los_Angeles"),
        ("Leeds", "Europe/London"),
        ("Lagos", "Africa/Lagos"),
        ("Kraków", "Europe/Warsaw"),
        ("krakow", "Europe/Warsaw"),
        ("Munich", "Europe/Berlin"),
        ("I'm in Leeds", "Europe/London"),
        ("I live in Paris", "Europe/Paris"),
    ],
)
def test_zones_countries_and_cities_from_the_gazetteer_are_sure(typed: str, zone: str) -> None:
    found = lookup(typed)
    assert found.sure and found.zones[0] == zone


def test_a_much_bigger_place_wins_and_the_others_stay_on_offer() -> None:
    found = lookup("Birmingham")
    assert found.sure and found.zones[0] == "Europe/London"
    assert "America/Chicago" in found.zones
    assert found.labels["Europe/London"] == "Birmingham, United Kingdom"


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("new yrok", "America/New_York"),
        ("manchster", "Europe/London"),
        ("atlantis", "Africa/Johannesburg"),  # a real town, but too small to assume
        ("somewhere nice", "Europe/Paris"),  # a place picked out of a phrase
        ("berlin germany", "Europe/Berlin"),
        ("london, uk", "Europe/London"),
    ],
)
def test_guesses_are_offered_never_sure(typed: str, zone: str) -> None:
    found = lookup(typed)
    assert not found.sure and found.zones[0] == zone


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("londn", "Europe/London"),
        ("new yrok", "America/New_York"),
        ("berlim", "Europe/Berlin"),
        ("manchster", "Europe/London"),
        ("tokio", "Asia/Tokyo"),
    ],
)
def test_small_typos_find_the_place(typed: str, zone: str) -> None:
    assert find_zones(typed)[0] == zone


def test_places_sharing_a_name_are_asked_about_with_telling_labels() -> None:
    found = lookup("Springfield")
    assert not found.sure and len(found.zones) > 1
    assert len(set(found.labels.values())) == len(found.zones)
    assert all(label.startswith("Springfield, United States (") for label in found.labels.values())


def test_a_country_with_several_zones_offers_them_all() -> None:
    found = lookup("usa")
    assert not found.sure and found.zones[0] == "America/New_York"
    assert {"America/Chicago", "America/Denver", "America/Los_Angeles"} <= set(found.zones)
    assert found.labels["America/Chicago"] == "United States (Chicago)"


def test_fixed_offsets_use_the_posix_names_but_read_naturally() -> None:
    assert find_zones("UTC+2") == ["Etc/GMT-2"]
    assert zone_label("Etc/GMT-2") == "UTC+2"
    assert find_zones("utc") == ["UTC"]


@pytest.mark.parametrize("typed", ["xyzzy", "ab", "", "   "])
def test_nonsense_matches_nothing(typed: str) -> None:
    assert find_zones(typed) == []


@pytest.mark.parametrize("typed", ["hello there", "banana", "narnia", "later"])
def test_words_near_a_place_name_are_never_sure(typed: str) -> None:
    assert not lookup(typed).sure


def test_links_to_the_same_clock_are_offered_once() -> None:
    # America/Buenos_Aires is a legacy link to America/Argentina/Buenos_Aires.
    assert find_zones("buenos aires") == ["America/Argentina/Buenos_Aires"]


@pytest.mark.parametrize(
    ("typed", "expected", "has_minutes"),
    [
        ("18:05", time(18, 5), True),
        ("18.05", time(18, 5), True),
        ("1805", time(18, 5), True),
        ("18h05", time(18, 5), True),
        ("6pm", time(18, 0), False),
        ("6 PM", time(18, 0), False),
        ("6.05 pm", time(18, 5), True),
        ("6:05 p.m.", time(18, 5), True),
        ("12am", time(0, 0), False),
        ("12pm", time(12, 0), False),
        ("noon", time(12, 0), True),
        ("midnight", time(0, 0), True),
    ],
)
def test_times_of_day(typed: str, expected: time, has_minutes: bool) -> None:
    clock = parse_clock(typed)
    assert clock is not None
    assert clock.time == expected
    assert clock.has_minutes is has_minutes


@pytest.mark.parametrize("typed", ["25:00", "6:75", "13pm", "0am", "soon", "18:5", "6m", ""])
def test_impossible_times_are_refused(typed: str) -> None:
    assert parse_clock(typed) is None


def test_a_bare_hour_up_to_twelve_could_be_either_half_of_the_day() -> None:
    clock = parse_clock("6")
    assert clock is not None and clock.twelve_hour and clock.time == time(6, 0)
    assert not parse_clock("18").twelve_hour  # type: ignore[union-attr]


def test_the_local_time_prefers_the_default_zone() -> None:
    clock = parse_clock("12:03")
    assert clock is not None
    zones = zones_at_local_time(clock, WINTER_NOON, "Europe/London")
    assert zones[0] == "Europe/London"
    # Lisbon and Dublin keep London's clocks all year: offered once, as London.
    assert "Europe/Lisbon" not in zones and "Europe/Dublin" not in zones


def test_the_local_time_finds_the_region_of_the_default_zone_first() -> None:
    clock = parse_clock("13:00")
    assert clock is not None
    assert zones_at_local_time(clock, WINTER_NOON, "Europe/London")[0] == "Europe/Paris"
    # In summer 13:00 at noon UTC is London's own time (BST).
    assert zones_at_local_time(clock, SUMMER_NOON, "Europe/London")[0] == "Europe/London"


def test_half_hour_zones_and_vague_hours() -> None:
    exact = parse_clock("17:30")
    assert exact is not None
    assert zones_at_local_time(exact, WINTER_NOON, "Europe/London") == ["Asia/Kolkata"]
    vague = parse_clock("7am")
    assert vague is not None
    assert zones_at_local_time(vague, WINTER_NOON, "Europe/London")[0] == "America/New_York"


def test_a_time_no_clock_shows_finds_nothing() -> None:
    # 12:30 at noon UTC in November: no zone is 30 minutes from UTC.
    clock = parse_clock("12:30")
    assert clock is not None
    assert zones_at_local_time(clock, WINTER_NOON, "Europe/London") == []


async def test_timezone_command_confirms_the_zone_by_name_and_local_time(tutor, turn, database):
    [reply] = await tutor.on_command(turn(), "timezone", "new york")
    assert "New York" in reply.html and "America/New_York" in reply.html
    assert "07:00" in reply.html  # noon UTC in November is 07:00 in New York
    user = await database.run(lambda s: get_user(s, user_id=1))
    assert user is not None and user.timezone == "America/New_York"


async def test_invalid_place_gets_a_clear_reply_and_changes_nothing(tutor, turn, database):
    [reply] = await tutor.on_command(turn(), "timezone", "Xyzzy <b>")
    assert "couldn't find a place" in reply.html
    assert "Xyzzy &lt;b&gt;" in reply.html  # what they typed, escaped
    assert "new york" in reply.html  # examples of what works
    user = await database.run(lambda s: get_user(s, user_id=1))
    assert user is not None and user.timezone is None


async def test_answering_what_time_is_it_asks_which_place_and_a_button_sets_it(
    tutor, turn, database
):
    [ask] = await tutor.on_command(turn(), "timezone", "")
    assert "what time is it where you are?" in ask.html
    assert "Europe/London" in ask.html  # the default until they choose
    [reply] = await tutor.on_text(turn(), "1pm")
    assert "Which one is yours?" in reply.html
    data = [b.data for row in reply.buttons for b in row]
    assert data[0] == "r:tz:Europe/Paris" and "r:tzkeep" in data
    user = await database.run(lambda s: get_user(s, user_id=1))
    assert user is not None and user.timezone is None  # a guess is never applied unasked
    chosen = await tutor.on_button(turn(), data[0])
    assert chosen.edit is not None and "Paris" in chosen.edit.html and "13:00" in chosen.edit.html
    user = await database.run(lambda s: get_user(s, user_id=1))
    assert user is not None and user.timezone == "Europe/Paris"
    # Once answered, free text is not ours any more.
    later = await tutor.on_text(turn(), "london")
    assert "Time zone set" not in later[0].html


async def test_a_fuzzy_guess_is_a_question_and_none_of_these_keeps_the_zone(tutor, turn, database):
    [reply] = await tutor.on_command(turn(), "timezone", "atlantis")
    assert "Which one is yours" in reply.html
    labels = [b.label for row in reply.buttons for b in row]
    assert labels[0].startswith("Atlantis, South Africa · ") and "✖️ None of these" in labels
    user = await database.run(lambda s: get_user(s, user_id=1))
    assert user is not None and user.timezone is None
    kept = await tutor.on_button(turn(), "r:tzkeep")
    assert kept.edit is not None and "Keeping" in kept.edit.html
    user = await database.run(lambda s: get_user(s, user_id=1))
    assert user is not None and user.timezone is None


async def test_an_ambiguous_place_offers_buttons_and_a_button_sets_it(tutor, turn, database):
    [reply] = await tutor.on_command(turn(), "timezone", "usa")
    data = [b.data for row in reply.buttons for b in row]
    assert "r:tz:America/Chicago" in data
    outcome = await tutor.on_button(turn(), "r:tz:America/Chicago")
    assert outcome.edit is not None and "America/Chicago" in outcome.edit.html
    user = await database.run(lambda s: get_user(s, user_id=1))
    assert user is not None and user.timezone == "America/Chicago"


async def test_a_forged_zone_button_changes_nothing(tutor, turn, database):
    outcome = await tutor.on_button(turn(), "r:tz:Mars/Olympus_Mons")
    assert outcome.toast and "expired" in outcome.toast
    user = await database.run(lambda s: get_user(s, user_id=1))
    assert user is not None and user.timezone is None


async def test_wrong_answer_to_the_question_keeps_asking_until_cancel(tutor, turn):
    await tutor.on_command(turn(), "timezone", "")
    [reply] = await tutor.on_text(turn(), "xyzzy")
    assert "couldn't find a place" in reply.html
    [cancelled] = await tutor.on_command(turn(), "cancel", "")
    assert "stays" in cancelled.html and "Europe/London" in cancelled.html
