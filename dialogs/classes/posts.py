"""What the bot posts to groups outside a conversation turn.

The adapter's job calls :func:`due_posts` every few seconds: the next poll of each group quiz,
results at deadlines and after quizzes, and recurring posts. The group's own life cycle (added,
removed, migrated, renamed) is in :mod:`dialogs.classes.lifecycle`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from dialogs.classes import results
from dialogs.classes import stats as class_stats
from dialogs.classes.args import (
    DEFAULT_POLLS,
    PREFIX,
    next_run,
    plural,
    shorten,
    topic_label,
    when_text,
)
from dialogs.classes.polls import plan_quiz, poll_reply
from dialogs.context import Context, Services
from dialogs.quiz.topics import topics
from dialogs.replies import Button, Message, Poll, Reply
from dialogs.text import bold, esc
from storage import challenges as challenge_store
from storage import group_quizzes as quiz_store
from storage import groups as store
from storage import schedules as schedule_store
from storage.models import Challenge, Group, GroupQuiz, GroupSchedule

SCHEDULE_LATE = timedelta(hours=6)
POLL_CLAIM = timedelta(minutes=1)  # a sender that dies holding a poll: posted a minute later


def zone_of(ctx_or_services: Context | Services, group: Group | None) -> str:
    """The group's time zone, else the configured default."""
    services = ctx_or_services.services if isinstance(ctx_or_services, Context) else ctx_or_services
    if group is not None and group.timezone:
        return group.timezone
    return services.config.default_timezone


def deep_link(ctx_or_services: Context | Services, payload: str) -> str:
    """A t.me link that opens a private chat with the bot and sends ``/start <payload>``."""
    services = ctx_or_services.services if isinstance(ctx_or_services, Context) else ctx_or_services
    return f"https://t.me/{services.config.bot_username}?start={payload}"


def challenge_post(ctx_or_services: Context | Services, challenge: Challenge, zone: str) -> Message:
    """The challenge as posted in the group: title, context, deadline, the private-chat link."""
    kb = ctx_or_services.kb
    scenario = kb.scenarios[challenge.scenario_id]
    url = deep_link(ctx_or_services, f"ch_{challenge.id}")
    text = (
        f"🏆 {bold('Class challenge')}: {bold(scenario.title)} ({esc(scenario.market)})\n\n"
        f"{esc(shorten(scenario.context, 700))}\n\n"
        f"⏰ Deadline: {bold(when_text(challenge.deadline, zone))} ({esc(zone)})\n"
        f"👉 Tap {bold('Start the challenge')} to work through it with me in a private chat: "
        f"{len(scenario.steps)} steps, and your answers count for the class results."
    )
    buttons = (
        (Button("🚀 Start the challenge", url=url),),
        (Button("📊 My progress", f"{PREFIX}:me:{challenge.id}"),),
    )
    return Message(text, buttons)


async def challenge_results(
    services: Services, challenge: Challenge, group: Group, now: datetime
) -> Message | None:
    """Close a challenge and build its results post; None if it was closed meanwhile."""
    challenge_id = challenge.id
    assert challenge_id is not None

    def close(session: Session) -> bool:
        """Claim the entrants' runs and close it; False if it was closed meanwhile."""
        challenge_store.claim_runs(session, challenge=challenge)
        return challenge_store.close_challenge(session, challenge_id=challenge_id, now=now)

    if not await services.db.run(close):
        return None
    facts = await class_stats.gather(
        services.db, group, owners=services.config.tutor_ids, challenge_ids=[challenge_id]
    )
    return Message(results.challenge_results_html(services.kb, challenge, facts))


async def quiz_results(
    services: Services, quiz: GroupQuiz, group: Group, now: datetime
) -> Message | None:
    """Close a group quiz and build its results post; None if it was closed meanwhile."""
    quiz_id = quiz.id
    assert quiz_id is not None
    if not await services.db.run(
        lambda session: quiz_store.close_quiz(session, quiz_id=quiz_id, now=now)
    ):
        return None
    facts = await class_stats.gather(
        services.db, group, owners=services.config.tutor_ids, quiz_ids=[quiz_id]
    )
    sent = [p for p in facts.polls if p.quiz_id == quiz_id]
    return Message(results.quiz_results_html(facts, sent, topic_label(services.kb, quiz.topic)))


@dataclass(frozen=True)
class GroupPost:
    """Something the adapter should post to a group now; polls carry a key for poll_sent."""

    chat_id: int
    thread_id: int | None
    reply: Reply

    @property
    def key(self) -> str:
        """The poll's key ("" for anything else)."""
        return self.reply.key if isinstance(self.reply, Poll) else ""


async def due_posts(services: Services, now: datetime) -> list[GroupPost]:
    """Everything due in every group: the next poll of each quiz, results, scheduled posts.

    Results and scheduled posts change state here (they are returned once). A poll is claimed
    for a minute and stays planned until the adapter confirms it with :func:`poll_sent`, gives
    it back with :func:`poll_held_back`, or gives up with :func:`poll_failed`.
    """
    posts: list[GroupPost] = []

    def due(
        session: Session,
    ) -> tuple[list[GroupPost], list[GroupQuiz], list[Challenge], list[GroupSchedule]]:
        """The polls due (as posts), and the quizzes, challenges and schedules due."""
        due_now = quiz_store.due_polls(session, now=now)
        polls = quiz_store.claim_polls(session, records=due_now, now=now, until=now + POLL_CLAIM)
        planned = []
        for record in polls:
            quiz = quiz_store.get_quiz(session, quiz_id=record.quiz_id)
            group = store.get_group(session, group_id=quiz.group_id) if quiz else None
            if quiz is not None and group is not None:
                planned.append(GroupPost(group.chat_id, quiz.thread_id, poll_reply(record)))
        finished = quiz_store.due_quiz_results(session, now=now)
        deadlines = challenge_store.due_challenges(session, now=now)
        schedules = schedule_store.due_schedules(session, now=now)
        return planned, finished, deadlines, schedules

    planned, finished, deadlines, schedules = await services.db.run(due)
    posts += planned
    for quiz in finished:
        group = await _group_by_id(services, quiz.group_id)
        message = await quiz_results(services, quiz, group, now) if group else None
        if group is not None and message is not None:
            posts.append(GroupPost(group.chat_id, quiz.thread_id, message))
    for challenge in deadlines:
        group = await _group_by_id(services, challenge.group_id)
        message = await challenge_results(services, challenge, group, now) if group else None
        if group is not None and message is not None:
            posts.append(GroupPost(group.chat_id, challenge.thread_id, message))
    for schedule in schedules:
        posts += await _run_schedule(services, schedule, now)
    return posts


async def _group_by_id(services: Services, group_id: int) -> Group | None:
    return await services.db.run(lambda session: store.get_group(session, group_id=group_id))


async def _run_schedule(
    services: Services, schedule: GroupSchedule, now: datetime
) -> list[GroupPost]:
    """Post a recurring item (unless it is hours late after downtime) and move it on."""

    due_at = schedule.next_run

    def move_on(session: Session) -> tuple[Group, dict[str, int]] | None:
        """Claim this run by moving the schedule on; its group and scenario use, or None if
        the group is gone or the run was claimed already (another tick moved it on)."""
        group = store.get_group(session, group_id=schedule.group_id)
        if group is None:
            return None
        s = schedule
        following = next_run(s.weekday, s.hour, s.minute, s.timezone, now)
        if not schedule_store.set_next_run(session, schedule=schedule, next_run=following):
            return None
        return group, challenge_store.scenario_use(session, group_id=schedule.group_id)

    found = await services.db.run(move_on)
    if found is None:
        return []
    group, use = found
    if now - due_at > SCHEDULE_LATE:
        return []
    params = schedule.params
    zone = zone_of(services, group)
    if schedule.kind == "quiz":
        if await services.db.run(
            lambda session: quiz_store.running_quizzes(session, group_id=schedule.group_id)
        ):
            return []  # two quizzes at once would interleave their polls
        topic_key = params.get("topic")
        topic = topics(services.kb).get(topic_key) if isinstance(topic_key, str) else None
        quiz = await plan_quiz(
            services,
            group,
            size=int(params.get("size", DEFAULT_POLLS)),
            topic=topic,
            created_by=schedule.created_by,
            now=now,
            thread_id=schedule.thread_id,
        )
        if quiz is None:
            return []
        about = f" on {esc(topic.label)}" if topic else ""
        text = (
            f"🗓 {bold('Scheduled class quiz')}: {plural(quiz.size, 'question')}{about}, "
            "starting now. Answer in each poll!"
        )
        return [GroupPost(group.chat_id, schedule.thread_id, Message(text))]
    scenario_id = params.get("scenario")
    if not isinstance(scenario_id, str) or scenario_id not in services.kb.scenarios:
        order = list(services.kb.scenarios)
        scenario_id = min(order, key=lambda s: (use.get(s, 0), order.index(s)))
    hours = int(params.get("hours", 48))
    group_id = group.id
    assert group_id is not None

    def create(session: Session) -> Challenge:
        return challenge_store.create_challenge(
            session,
            group_id=group_id,
            scenario_id=scenario_id,
            created_by=schedule.created_by,
            deadline=now + timedelta(hours=hours),
            now=now,
            thread_id=schedule.thread_id,
        )

    challenge = await services.db.run(create)
    return [GroupPost(group.chat_id, schedule.thread_id, challenge_post(services, challenge, zone))]
