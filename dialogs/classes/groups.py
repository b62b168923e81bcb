"""Classes in Telegram groups: challenges, group quizzes, results, leaderboards, schedules.

Commands (tutor commands check rights first; see :mod:`dialogs.roles`):

* ``/challenge [scenario] [deadline]`` posts a scenario challenge; students open it in private
  through a ``?start=ch_<id>`` link and walk it with the scenario feature.
* ``/groupquiz [n] [topic]`` plans n native quiz polls, posted one after another by the
  adapter's job (see :mod:`dialogs.group_polls` and :mod:`dialogs.group_posts`).
* ``/close`` posts the results of whatever is open; deadlines do the same from the job.
* ``/leaderboard [week|all]`` for everyone; ``/schedule`` adds, lists and cancels recurring posts.

Buttons carry ``g:<action>:<arg>``: ``ch:<scenario>:<hours>`` set a challenge, ``sx:<id>``
cancel a schedule, ``me:<challenge>`` a student's own progress (shown only to them),
``nm:hide|show`` a student's own choice to keep their name off leaderboards.

``/start ch_<id>`` and ``/start tutor_<code>`` reach :func:`start_link` from the Tutor.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlmodel import Session

from dialogs.classes import reports, roles, tutors
from dialogs.classes import stats as class_stats
from dialogs.classes.args import (
    CHALLENGE_USAGE,
    LEADERBOARD_USAGE,
    PREFIX,
    SCHEDULE_USAGE,
    next_run,
    parse_challenge,
    parse_quiz,
    parse_schedule,
    plural,
    schedule_text,
    when_text,
)
from dialogs.classes.polls import POLL_GAP, plan_quiz, poll_questions
from dialogs.classes.posts import challenge_post, challenge_results, quiz_results, zone_of
from dialogs.context import Context
from dialogs.feature import Feature
from dialogs.replies import Button, ButtonOutcome, Message, Poll, Reply, rows
from dialogs.scenarios import walkthrough as scenarios
from dialogs.text import bold, code, esc, italic, pct
from knowledge.base import KnowledgeBase
from knowledge.models import Scenario
from storage import group_quizzes as quiz_store
from storage import groups as store
from storage import scenarios as runs_store
from storage import tutors as tutor_store
from storage.models import Challenge, Group, GroupQuiz, GroupSchedule, ScenarioRun
from storage.users import get_user

MAX_SCHEDULES = 10


async def _group(ctx: Context) -> Group:
    """This chat's group record, created on first use."""
    return await ctx.db.run(
        lambda session: store.ensure_group(session, chat_id=ctx.chat_id, title="", now=ctx.now)
    )


async def _link_teacher(ctx: Context, group: Group) -> None:
    """Whoever ran a tutor command here may read this group's reports from now on."""
    if not roles.is_real_person(ctx):
        return
    group_id = group.id
    assert group_id is not None
    source = "tutor" if await roles.is_tutor(ctx) else "admin"

    def link(session: Session) -> None:
        tutor_store.link_tutor(
            session, group_id=group_id, user_id=ctx.person.id, source=source, now=ctx.now
        )
        if group.timezone is None:
            user = get_user(session, user_id=ctx.person.id)
            if user is not None and user.timezone:
                stored = store.get_group(session, group_id=group_id)
                if stored is not None:
                    stored.timezone = user.timezone
                    session.add(stored)
                    group.timezone = user.timezone

    await ctx.db.run(link)


Handler = Callable[[Context, str], Awaitable[list[Reply]]]


def _in_group_for_tutors(name: str, private: Handler | None = None) -> Callable[[Handler], Handler]:
    """Rights first (a student gets a polite refusal and nothing happens), then the chat kind."""

    def wrap(handler: Handler) -> Handler:
        async def run(ctx: Context, args: str) -> list[Reply]:
            if not await roles.may_teach_here(ctx):
                return roles.refusal(name)
            if ctx.private:
                if private is not None:
                    return await private(ctx, args)
                text = (
                    f"/{name} works in your class group: add me there, then send it in the group."
                )
                return [Message(text)]
            group = await _group(ctx)
            await _link_teacher(ctx, group)
            return await handler(ctx, args)

        return run

    return wrap


async def _set_challenge(
    ctx: Context, group: Group, scenario: Scenario, deadline: datetime
) -> list[Reply]:
    group_id = group.id
    assert group_id is not None

    def create(session: Session) -> Challenge:
        return store.create_challenge(
            session,
            group_id=group_id,
            scenario_id=scenario.id,
            created_by=ctx.person.id,
            deadline=deadline,
            now=ctx.now,
            thread_id=ctx.thread_id,
        )

    challenge = await ctx.db.run(create)
    return [challenge_post(ctx, challenge, zone_of(ctx, group))]


def _scenario_picker(kb: KnowledgeBase, hours: int) -> Message:
    buttons = [
        Button(f"{scenarios.short_title(s.title)} ({s.market})", f"{PREFIX}:ch:{s.id}:{hours}")
        for s in kb.scenarios.values()
    ]
    text = (
        f"Which scenario should the class work on? They'll have {hours} hours.\n"
        f"{italic(CHALLENGE_USAGE)}"
    )
    return Message(text, rows(*buttons, width=1))


async def challenge_command(ctx: Context, args: str) -> list[Reply]:
    """``/challenge [scenario] [deadline]`` in a group; in private a tutor gets previews."""
    group = await _group(ctx)
    parsed = parse_challenge(ctx.kb, args, ctx.now, zone_of(ctx, group))
    if isinstance(parsed, str):
        return [Message(f"{esc(parsed)}\n{esc(CHALLENGE_USAGE)}")]
    if parsed.scenario is None:
        hours = max(1, round((parsed.deadline - ctx.now).total_seconds() / 3600))
        return [_scenario_picker(ctx.kb, hours)]
    return await _set_challenge(ctx, group, parsed.scenario, parsed.deadline)


async def _pick_challenge(ctx: Context, rest: str) -> ButtonOutcome:
    scenario_id, _, hours_text = rest.partition(":")
    scenario = ctx.kb.scenarios.get(scenario_id)
    if scenario is None or not hours_text.isdigit() or not 1 <= int(hours_text) <= 720:
        return ButtonOutcome(toast="That button has expired. Send /challenge again.")
    if ctx.private:
        return ButtonOutcome(toast="Send /challenge in your class group.")
    group = await _group(ctx)
    await _link_teacher(ctx, group)
    deadline = ctx.now + timedelta(hours=int(hours_text))
    done = Message(f"✅ Challenge set: {bold(scenario.title)}.")
    return ButtonOutcome(
        toast="Challenge posted.",
        edit=done,
        replies=await _set_challenge(ctx, group, scenario, deadline),
    )


async def join_challenge(ctx: Context, challenge_id: int) -> list[Reply]:
    """``/start ch_<id>``: enter the challenge and walk its scenario in this private chat."""
    if not ctx.private:
        return [Message("Open challenges in a private chat with me: tap the link in the post.")]

    def read(session: Session) -> tuple[Challenge | None, Group | None]:
        challenge = store.get_challenge(session, challenge_id=challenge_id)
        group = store.get_group(session, group_id=challenge.group_id) if challenge else None
        return challenge, group

    challenge, group = await ctx.db.run(read)
    scenario = ctx.kb.scenarios.get(challenge.scenario_id) if challenge else None
    if challenge is None or group is None or scenario is None or challenge.status == "cancelled":
        return [Message("I can't find that challenge any more. Try /scenario to practise anyway.")]
    zone = zone_of(ctx, group)
    if challenge.status != "open" or challenge.deadline <= ctx.now:
        text = (
            f"The challenge {bold(scenario.title)} closed on "
            f"{esc(when_text(challenge.deadline, zone))}, so it no longer counts, but you can "
            f"still practise it: /scenario {esc(scenario.id)}"
        )
        return [Message(text)]
    group_id, entered = group.id, challenge.id
    assert group_id is not None and entered is not None

    def enter(session: Session) -> list[ScenarioRun]:
        """Enter (and join the group's members); the runs already finished for it."""
        store.enter_challenge(session, challenge_id=entered, user_id=ctx.person.id, now=ctx.now)
        store.touch_member(session, group_id=group_id, user_id=ctx.person.id, now=ctx.now)
        return [
            r
            for r in store.challenge_runs(session, challenge_ids=[entered])
            if r.user_id == ctx.person.id and r.status == runs_store.DONE
        ]

    done = await ctx.db.run(enter)
    if done:
        best = max(r.score or 0.0 for r in done)
        text = (
            f"You've already finished {bold(scenario.title)} for this challenge "
            f"(score {pct(best)}). Results come after the deadline, "
            f"{esc(when_text(challenge.deadline, zone))}."
        )
        return [Message(text)]
    where = f" from {esc(group.title)}" if group.title else ""
    head = Message(
        f"🏆 {bold('Class challenge')}{where}: {bold(scenario.title)}\n"
        f"⏰ Deadline {esc(when_text(challenge.deadline, zone))}. Your answers count for the class "
        "results, and only you and your tutor see them in full."
    )
    replies = await scenarios.scenario_command(ctx, scenario.id)
    await ctx.db.run(lambda session: store.claim_runs(session, challenge=challenge))
    return [head, *replies]


async def _my_progress(ctx: Context, rest: str) -> ButtonOutcome:
    """A student's own progress on a challenge, as an alert only they see."""
    if not rest.isdigit():
        return ButtonOutcome(toast="That button has expired.")

    def progress(session: Session) -> tuple[Challenge, list[ScenarioRun]] | None:
        """The challenge (its runs claimed) and the presser's runs of it; None if gone."""
        challenge = store.get_challenge(session, challenge_id=int(rest))
        if challenge is None or challenge.id is None:
            return None
        store.claim_runs(session, challenge=challenge)
        mine = [
            r
            for r in store.challenge_runs(session, challenge_ids=[challenge.id])
            if r.user_id == ctx.person.id
        ]
        return challenge, mine

    found = await ctx.db.run(progress)
    if found is None:
        return ButtonOutcome(toast="That challenge has gone.")
    challenge, mine = found
    scenario = ctx.kb.scenarios.get(challenge.scenario_id)
    steps = len(scenario.steps) if scenario else 0
    finished = [r for r in mine if r.status == runs_store.DONE]
    if finished:
        best = max(r.score or 0.0 for r in finished)
        text = f"You finished this challenge: {pct(best)}. Well done!"
    elif mine:
        step = min(mine[-1].step_index + 1, steps)
        text = f"In progress: step {step} of {steps}. Send /resume to me to carry on."
    else:
        text = "You haven't started yet: tap the link in the post to begin in private."
    return ButtonOutcome(toast=text, alert=True)


async def groupquiz_command(ctx: Context, args: str) -> list[Reply]:
    """``/groupquiz [n] [topic]``: n quiz polls in this group, one every ~45 seconds."""
    parsed = parse_quiz(ctx.kb, args)
    if isinstance(parsed, str):
        return [Message(esc(parsed))]
    group = await _group(ctx)
    group_id = group.id
    assert group_id is not None
    running = await ctx.db.run(
        lambda session: quiz_store.running_quizzes(session, group_id=group_id)
    )
    if running:
        return [Message("A class quiz is already running here. /close ends it early.")]
    quiz = await plan_quiz(
        ctx.services,
        group,
        size=parsed.size,
        topic=parsed.topic,
        created_by=ctx.person.id,
        now=ctx.now,
        thread_id=ctx.thread_id,
    )
    if quiz is None:
        return [Message("I couldn't make poll questions on that topic. Try another one.")]
    about = f" on {esc(parsed.topic.label)}" if parsed.topic else ""
    text = (
        f"🧠 {bold('Class quiz')}: {plural(quiz.size, 'question')}{about}, one every "
        f"{int(POLL_GAP.total_seconds())} seconds. Answer in each poll: every answer also counts "
        "towards your own revision. Results after the last one!"
    )
    if quiz.size < parsed.size:
        text += f"\n{italic('(That is every poll question I have on that topic.)')}"
    return [Message(text)]


async def quiz_preview(ctx: Context, args: str) -> list[Reply]:
    """``/groupquiz`` in private, for a tutor: one sample poll and how to run it in a group."""
    parsed = parse_quiz(ctx.kb, args)
    if isinstance(parsed, str):
        return [Message(esc(parsed))]
    rng = random.Random(secrets.randbits(64))
    sample = poll_questions(ctx.kb, parsed.topic, 1, rng)
    command = f"/groupquiz {parsed.size}" + (f" {parsed.topic.key}" if parsed.topic else "")
    text = (
        f"👁 {bold('Preview')}: in your class group, {code(command)} posts {parsed.size} polls "
        f"like this one, {int(POLL_GAP.total_seconds())} seconds apart, then the results."
    )
    replies: list[Reply] = [Message(text)]
    if sample:
        poll = sample[0]
        replies.append(Poll(poll.question, poll.options, poll.correct, esc(poll.explanation), None))
    return replies


async def close_command(ctx: Context, args: str) -> list[Reply]:
    """``/close``: end what is open in this group now and post the results."""
    group = await _group(ctx)
    group_id = group.id
    assert group_id is not None

    def read(session: Session) -> tuple[list[Challenge], list[GroupQuiz]]:
        return (
            store.open_challenges(session, group_id=group_id),
            quiz_store.running_quizzes(session, group_id=group_id),
        )

    challenges, quizzes = await ctx.db.run(read)
    if not challenges and not quizzes:
        return [
            Message("Nothing is open in this group. Start something with /challenge or /groupquiz.")
        ]
    found = [await challenge_results(ctx.services, c, group, ctx.now) for c in challenges]
    found += [await quiz_results(ctx.services, q, group, ctx.now) for q in quizzes]
    replies: list[Reply] = [message for message in found if message is not None]
    return replies or [Message("That's already closed: the results are above.")]


async def leaderboard_command(ctx: Context, args: str) -> list[Reply]:
    """``/leaderboard [week|all]``: the group's top scores; in private, your own standing."""
    window = args.strip().casefold() or "week"
    if window not in ("week", "all"):
        return [Message(LEADERBOARD_USAGE)]
    since = class_stats.week_start(ctx.now) if window == "week" else None
    label = "last 7 days" if window == "week" else "all time"
    if ctx.private:
        return await _own_standing(ctx, since, label)
    group = await _group(ctx)
    facts = await class_stats.gather(ctx.db, group, owners=ctx.services.config.tutor_ids)
    table = class_stats.leaderboard(facts, since)
    other = "all" if window == "week" else "week"
    text = reports.leaderboard_html(group.title or "this group", table, label)
    return [Message(f"{text}\n{italic(f'Also: /leaderboard {other}')}")]


async def _own_standing(ctx: Context, since: datetime | None, label: str) -> list[Reply]:
    groups = await ctx.db.run(
        lambda session: store.groups_of_member(session, user_id=ctx.person.id)
    )
    if not groups:
        return [Message("You're not in a class group with me yet. Your tutor can add me to one.")]
    lines = [f"🏆 {bold('Your standing')} ({esc(label)})"]
    for group in groups:
        facts = await class_stats.gather(ctx.db, group, owners=ctx.services.config.tutor_ids)
        table = class_stats.leaderboard(facts, since)
        mine = next((s for s in table if s.user_id == ctx.person.id), None)
        name = esc(group.title or "your group")
        if mine is None:
            lines.append(f"• {name}: no points yet")
        else:
            lines.append(f"• {name}: {mine.points} pts, rank {mine.rank} of {len(table)}")
    hidden = await _name_hidden(ctx)
    lines.append(italic(NAME_HIDDEN if hidden else NAME_SHOWN))
    return [Message("\n".join(lines), rows(name_privacy_button(hidden)))]


NAME_SHOWN = "Your first name shows on class leaderboards and results."
NAME_HIDDEN = 'Your name is hidden: the class sees "A classmate" instead.'


def name_privacy_button(hidden: bool) -> Button:
    """The toggle for showing one's first name to the class (for /settings screens too)."""
    if hidden:
        return Button("🙋 Show my name to the class", f"{PREFIX}:nm:show")
    return Button("🙈 Hide my name from the class", f"{PREFIX}:nm:hide")


async def _name_hidden(ctx: Context) -> bool:
    user = await ctx.db.run(lambda session: get_user(session, user_id=ctx.person.id))
    return user is not None and user.hide_name


async def _toggle_name(ctx: Context, arg: str) -> ButtonOutcome:
    """Only ever changes the presser's own setting, so anyone may press it."""
    if arg not in ("hide", "show"):
        return ButtonOutcome(toast="That button has expired.")
    hidden = arg == "hide"
    await ctx.db.run(
        lambda session: store.set_name_hidden(session, user_id=ctx.person.id, hidden=hidden)
    )
    toast = NAME_HIDDEN if hidden else NAME_SHOWN
    if not ctx.private:  # a group message's button: never edit it for everyone
        return ButtonOutcome(toast=toast, alert=True)
    return ButtonOutcome(
        toast=toast, edit=Message(f"✅ {esc(toast)}", rows(name_privacy_button(hidden)))
    )


def _schedule_list(kb: KnowledgeBase, schedules: list[GroupSchedule], head: str = "") -> Message:
    if not schedules:
        return Message(f"{head}No recurring posts here yet.\n{esc(SCHEDULE_USAGE)}")
    lines = [f"{head}{bold('🗓 Recurring posts')}"]
    buttons = []
    for number, schedule in enumerate(schedules, start=1):
        lines.append(f"{number}. {esc(schedule_text(schedule, kb))}")
        buttons.append(Button(f"❌ Cancel {number}", f"{PREFIX}:sx:{schedule.id}"))
    lines.append(italic("Add one: /schedule mon 09:00 quiz 5"))
    return Message("\n".join(lines), rows(*buttons, width=3))


async def schedule_command(ctx: Context, args: str) -> list[Reply]:
    """``/schedule``: list (with cancel buttons); ``/schedule <day> <time> <what>`` adds one."""
    group = await _group(ctx)
    group_id = group.id
    assert group_id is not None
    zone = zone_of(ctx, group)
    existing = await ctx.db.run(lambda session: store.schedules_of(session, group_id=group_id))
    if not args.strip() or args.strip().casefold() == "list":
        return [_schedule_list(ctx.kb, existing)]
    parsed = parse_schedule(ctx.kb, args, ctx.now, zone)
    if isinstance(parsed, str):
        return [Message(esc(parsed))]
    if len(existing) >= MAX_SCHEDULES:
        return [Message(f"A group can have {MAX_SCHEDULES} recurring posts. Cancel one first.")]
    first = next_run(parsed.weekday, parsed.hour, parsed.minute, zone, ctx.now)

    def add(session: Session) -> tuple[GroupSchedule, list[GroupSchedule]]:
        """The new schedule, and the group's schedules with it."""
        schedule = store.add_schedule(
            session,
            group_id=group_id,
            created_by=ctx.person.id,
            kind=parsed.kind,
            weekday=parsed.weekday,
            hour=parsed.hour,
            minute=parsed.minute,
            timezone=zone,
            params=dict(parsed.params),
            next_run=first,
            now=ctx.now,
            thread_id=ctx.thread_id,
        )
        return schedule, store.schedules_of(session, group_id=group_id)

    schedule, existing = await ctx.db.run(add)
    text = (
        f"✅ Scheduled: {esc(schedule_text(schedule, ctx.kb))}.\n"
        f"First one: {esc(when_text(first, zone))}.\n\n"
    )
    return [_schedule_list(ctx.kb, existing, text)]


async def _cancel_schedule(ctx: Context, rest: str) -> ButtonOutcome:
    if not rest.isdigit():
        return ButtonOutcome(toast="That button has expired. Send /schedule again.")

    def cancel(session: Session) -> list[GroupSchedule] | str:
        """The group's schedules left after cancelling, or why nothing was cancelled."""
        schedule = store.get_schedule(session, schedule_id=int(rest))
        group = store.group_by_chat(session, chat_id=ctx.chat_id)
        if schedule is None or group is None or schedule.group_id != group.id:
            return "That schedule isn't in this group any more."
        if schedule.status != store.ACTIVE:
            return "That one was already cancelled."
        store.cancel_schedule(session, schedule=schedule)
        return store.schedules_of(session, group_id=group.id)

    remaining = await ctx.db.run(cancel)
    if isinstance(remaining, str):
        return ButtonOutcome(toast=remaining)
    return ButtonOutcome(toast="Cancelled.", edit=_schedule_list(ctx.kb, remaining))


_TUTOR_ACTIONS = frozenset({"ch", "sx"})


def button_needs_rights(data: str) -> bool:
    """True for callback data of a tutor's button here: the adapter then checks admin rights."""
    prefix, _, rest = data.partition(":")
    return prefix == PREFIX and rest.partition(":")[0] in _TUTOR_ACTIONS


async def on_button(ctx: Context, rest: str) -> ButtonOutcome:
    """``g:<action>:<arg>``; tutor actions check rights before anything changes."""
    action, _, arg = rest.partition(":")
    if action == "me":
        return await _my_progress(ctx, arg)
    if action == "nm":
        return await _toggle_name(ctx, arg)
    tutor_actions = {"ch": _pick_challenge, "sx": _cancel_schedule}
    handler = tutor_actions.get(action)
    if handler is None:
        return ButtonOutcome(toast="That button has expired.")
    if not await roles.may_teach_here(ctx):
        return ButtonOutcome(toast=roles.REFUSAL_TOAST)
    return await handler(ctx, arg)


async def start_link(ctx: Context, payload: str) -> list[Reply]:
    """``/start tutor_<code>`` (redeem an invite) or ``/start ch_<id>`` (join a challenge)."""
    if payload.startswith("tutor_"):
        return await tutors.redeem(ctx, payload.removeprefix("tutor_"))
    number = payload.removeprefix("ch_")
    if not number.isdigit() or len(number) > 12:
        return [Message("That link looks broken. Ask your tutor for the challenge again.")]
    return await join_challenge(ctx, int(number))


FEATURE = Feature(
    "groups",
    commands={
        "challenge": _in_group_for_tutors("challenge", tutors.preview_command)(challenge_command),
        "groupquiz": _in_group_for_tutors("groupquiz", quiz_preview)(groupquiz_command),
        "close": _in_group_for_tutors("close")(close_command),
        "schedule": _in_group_for_tutors("schedule")(schedule_command),
        "leaderboard": leaderboard_command,
    },
    buttons={PREFIX: on_button},
)
