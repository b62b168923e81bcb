"""What tutors type after the group commands, read strictly: scenarios, deadlines, quiz sizes
and topics, recurring times; and how those read back in a message.

Each parser returns the parsed value or one friendly line saying what was wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dialogs.quiz.topics import Topic, find_topic, topics
from dialogs.reminders.clocks import parse_clock
from knowledge.base import KnowledgeBase
from knowledge.models import Scenario
from storage.models import GroupSchedule

PREFIX = "g"
"""Callback data of the group feature's buttons starts with ``g:``."""
DEFAULT_POLLS = 5
MAX_POLLS = 10
DEFAULT_DEADLINE = timedelta(hours=48)
MIN_DEADLINE = timedelta(minutes=10)
MAX_DEADLINE = timedelta(days=30)
CHALLENGE_USAGE = "Usage: /challenge [scenario] [deadline], e.g. /challenge gym_membership 48h"
QUIZ_USAGE = f"Usage: /groupquiz [n] [topic], e.g. /groupquiz 5 kpis (n from 1 to {MAX_POLLS})"
SCHEDULE_USAGE = (
    "Usage: /schedule <day> <time> quiz [n] [topic], or /schedule <day> <time> challenge "
    "[scenario] [deadline]. Day: monday…sunday or daily. E.g. /schedule mon 09:00 quiz 5"
)
LEADERBOARD_USAGE = "Usage: /leaderboard [week|all]"
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DURATION = re.compile(r"^(\d{1,4})\s*(m|min|mins|h|hr|hrs|hours?|d|days?|w|weeks?)$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def when_text(moment: datetime, zone: str) -> str:
    """'Wed 4 Nov, 12:00' on the group's clocks."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%a %-d %b, %H:%M")


def plural(count: int, noun: str) -> str:
    """'1 question', '3 questions'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def find_scenario(kb: KnowledgeBase, text: str) -> Scenario | None:
    """A scenario by id, by its number in the list, or by a word of its title."""
    key = "_".join(text.casefold().replace("-", " ").split())
    if key in kb.scenarios:
        return kb.scenarios[key]
    if key.isdigit() and 1 <= int(key) <= len(kb.scenarios):
        return list(kb.scenarios.values())[int(key) - 1]
    matches = [s for s in kb.scenarios.values() if key and key in s.id]
    matches = matches or [s for s in kb.scenarios.values() if key and key in s.title.casefold()]
    return matches[0] if len(matches) == 1 else None


def parse_deadline(text: str, now: datetime, zone: str) -> datetime | str:
    """``48h``, ``90m``, ``3d``, ``1w`` or ``2026-11-20`` (end of that day); else why not."""
    value = text.strip().casefold()
    found = _DURATION.match(value)
    if found:
        amount, unit = int(found.group(1)), found.group(2)[0]
        step = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
        deadline = now + amount * step.get(unit, timedelta(weeks=1))
    elif value.startswith("-") and _DURATION.match(value[1:]):
        return "That deadline is in the past. Give a time from now, e.g. 48h."
    elif day := _DATE.match(value):
        try:
            local = datetime(int(day[1]), int(day[2]), int(day[3]), 23, 59, tzinfo=ZoneInfo(zone))
        except ValueError:
            return f"{text} isn't a real date. Use YYYY-MM-DD, e.g. 2026-11-20."
        deadline = local
    else:
        return f"I can't read the deadline {text!r}. Use e.g. 90m, 48h, 3d or 2026-11-20."
    if deadline <= now:
        return "That deadline is in the past. Give a time from now, e.g. 48h."
    if deadline - now < MIN_DEADLINE:
        return "That's too soon: give students at least 10 minutes."
    if deadline - now > MAX_DEADLINE:
        return "That's too far away: a challenge can run for at most 30 days."
    return deadline


@dataclass(frozen=True)
class ChallengeArgs:
    """What ``/challenge`` was asked for."""

    scenario: Scenario | None
    deadline: datetime


def parse_challenge(kb: KnowledgeBase, args: str, now: datetime, zone: str) -> ChallengeArgs | str:
    """Scenario and deadline from the arguments, in any order; an error line if unusable."""
    scenario: Scenario | None = None
    deadline = now + DEFAULT_DEADLINE
    for word in args.split():
        looks_like_time = bool(
            _DURATION.match(word.casefold())
            or _DATE.match(word)
            or (word.startswith("-") and word[1:2].isdigit())
        )
        if looks_like_time:
            parsed = parse_deadline(word, now, zone)
            if isinstance(parsed, str):
                return parsed
            deadline = parsed
            continue
        found = find_scenario(kb, word)
        if found is None or scenario is not None:
            names = ", ".join(kb.scenarios)
            return f"I don't know the scenario {word!r}. Pick one of: {names}."
        scenario = found
    return ChallengeArgs(scenario, deadline)


@dataclass(frozen=True)
class QuizArgs:
    """What ``/groupquiz`` was asked for."""

    size: int
    topic: Topic | None


def parse_quiz(kb: KnowledgeBase, args: str) -> QuizArgs | str:
    """``[n] [topic]``: n from 1 to MAX_POLLS, topic as ``/quiz`` understands it."""
    words = args.split()
    size = DEFAULT_POLLS
    if words and re.fullmatch(r"-?\d+", words[0]):
        size = int(words.pop(0))
        if not 1 <= size <= MAX_POLLS:
            if size < 1:
                return f"Ask for at least 1 question. {QUIZ_USAGE}"
            return f"{size} questions is too many for one go. {QUIZ_USAGE}"
    topic: Topic | None = None
    if words:
        topic = find_topic(kb, " ".join(words))
        if topic is None:
            return f"I don't know the topic {' '.join(words)!r}. {QUIZ_USAGE}"
    return QuizArgs(size, topic)


@dataclass(frozen=True)
class ScheduleArgs:
    """A recurring post as typed after ``/schedule``."""

    weekday: int | None
    hour: int
    minute: int
    kind: str
    params: dict[str, object]


def parse_schedule(kb: KnowledgeBase, args: str, now: datetime, zone: str) -> ScheduleArgs | str:
    """``<day> <time> quiz [n] [topic]`` or ``<day> <time> challenge [scenario] [deadline]``."""
    words = args.split()
    if len(words) < 3:
        return SCHEDULE_USAGE
    day, clock_text, kind, rest = words[0].casefold(), words[1], words[2].casefold(), words[3:]
    weekday: int | None
    if day in ("daily", "everyday", "day"):
        weekday = None
    else:
        matches = [i for i, name in enumerate(DAYS) if len(day) >= 3 and name.startswith(day)]
        if len(matches) != 1:
            return f"I can't read the day {words[0]!r}. {SCHEDULE_USAGE}"
        weekday = matches[0]
    clock = parse_clock(clock_text)
    if clock is None:
        return f"I can't read the time {clock_text!r}: use 24-hour time like 09:00."
    params: dict[str, object] = {}
    if kind in ("quiz", "groupquiz"):
        parsed = parse_quiz(kb, " ".join(rest))
        if isinstance(parsed, str):
            return parsed
        params = {"size": parsed.size, "topic": parsed.topic.key if parsed.topic else None}
        kind = "quiz"
    elif kind == "challenge":
        challenge = parse_challenge(kb, " ".join(rest), now, zone)
        if isinstance(challenge, str):
            return challenge
        hours = round((challenge.deadline - now).total_seconds() / 3600)
        params = {
            "scenario": challenge.scenario.id if challenge.scenario else None,
            "hours": max(1, hours),
        }
    else:
        return f"I can schedule a quiz or a challenge, not {kind!r}. {SCHEDULE_USAGE}"
    return ScheduleArgs(weekday, clock.time.hour, clock.time.minute, kind, params)


def next_run(weekday: int | None, hour: int, minute: int, zone: str, after: datetime) -> datetime:
    """The first local ``weekday`` (None: any day) at hour:minute strictly after ``after``."""
    tz = ZoneInfo(zone)
    local = after.astimezone(tz)
    for days in range(8):
        day = (local + timedelta(days=days)).date()
        candidate = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
        if candidate > after and (weekday is None or candidate.weekday() == weekday):
            return candidate.astimezone(after.tzinfo)
    raise AssertionError("a weekly time always falls within 8 days")


def topic_label(kb: KnowledgeBase, key: str | None) -> str:
    """The label of a quiz topic key ("kpi" -> "KPIs"); "" for none."""
    if key is None:
        return ""
    found = topics(kb).get(key)
    return found.label if found else key


def schedule_text(schedule: GroupSchedule, kb: KnowledgeBase) -> str:
    """'Every Monday 09:00 (Europe/London): quiz, 5 questions on KPIs'."""
    day = "Every day" if schedule.weekday is None else f"Every {DAYS[schedule.weekday].title()}"
    head = f"{day} {schedule.hour:02d}:{schedule.minute:02d} ({schedule.timezone})"
    params = schedule.params
    if schedule.kind == "quiz":
        key = params.get("topic")
        topic = f" on {topic_label(kb, key)}" if isinstance(key, str) else ""
        return f"{head}: quiz, {params.get('size', DEFAULT_POLLS)} questions{topic}"
    found = kb.scenarios.get(str(params.get("scenario")))
    scenario = found.title if found else "the next scenario in turn"
    return f"{head}: challenge, {scenario}, {params.get('hours', 48)}h to finish"
