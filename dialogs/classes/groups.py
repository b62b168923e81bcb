"""Classes in Telegram groups: challenges, group quizzes, results, leaderboards, schedules.

Commands (tutor commands check rights first; see :mod:`dialogs.classes.roles`):

* ``/challenge [scenario] [deadline]`` posts a scenario challenge; students open it in private
  through a ``?start=ch_<id>`` link and walk it with the scenario feature.
* ``/groupquiz [n] [topic]`` plans n native quiz polls, posted one after another by the
  adapter's job (see :mod:`dialogs.classes.polls` and :mod:`dialogs.classes.posts`).
* ``/close`` posts the results of whatever is open; deadlines do the same from the job.
* ``/leaderboard [week|all]`` for everyone; ``/schedule`` adds, lists and cancels recurring posts.

Buttons carry ``g:<action>:<arg>``: ``ch:<scenario>:<hours>`` set a challenge, ``sx:<id>``
cancel a schedule, ``me:<challenge>`` a student's own progress (shown only to them),
``nm:hide|show`` a student's own choice to keep their name off leaderboards.

``/start ch_<id>``, ``/start join_<group>`` and ``/start tutor_<code>`` reach
:func:`start_link` from the Tutor.

This module declares the feature, ``/groupquiz``, ``/close`` and the button router; the other
commands live in :mod:`~dialogs.classes.challenges`, :mod:`~dialogs.classes.schedules` and
:mod:`~dialogs.classes.leaderboards`.
"""

from __future__ import annotations

import random
import secrets

from sqlmodel import Session

from dialogs.classes import consent, roles, tutors
from dialogs.classes.args import (
    PREFIX,
    parse_quiz,
    plural,
)
from dialogs.classes.challenges import (
    challenge_command,
    join_challenge,
    my_progress,
    pick_challenge,
)
from dialogs.classes.in_group import in_group_for_tutors, this_group
from dialogs.classes.leaderboards import (
    leaderboard_command,
    toggle_name,
)
from dialogs.classes.polls import POLL_GAP, plan_quiz, poll_questions
from dialogs.classes.posts import challenge_results, quiz_results
from dialogs.classes.schedules import (
    cancel_schedule,
    schedule_command,
)
from dialogs.context import Context
from dialogs.feature import Feature
from dialogs.replies import ButtonOutcome, Message, Poll, Reply, rows
from dialogs.text import bold, code, esc, italic
from storage import challenges as challenge_store
from storage import group_quizzes as quiz_store
from storage.models import Challenge, GroupQuiz


async def groupquiz_command(ctx: Context, args: str) -> list[Reply]:
    """``/groupquiz [n] [topic]``: n quiz polls in this group, one every ~45 seconds."""
    parsed = parse_quiz(ctx.kb, args)
    if isinstance(parsed, str):
        return [Message(esc(parsed))]
    group = await this_group(ctx)
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
    join = rows(consent.join_button(ctx.services.config.bot_username, group_id))
    return [Message(text, join)]


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
    group = await this_group(ctx)
    group_id = group.id
    assert group_id is not None

    def read(session: Session) -> tuple[list[Challenge], list[GroupQuiz]]:
        return (
            challenge_store.open_challenges(session, group_id=group_id),
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


_TUTOR_ACTIONS = frozenset({"ch", "sx"})


def button_needs_rights(data: str) -> bool:
    """True for callback data of a tutor's button here: the adapter then checks admin rights."""
    prefix, _, rest = data.partition(":")
    return prefix == PREFIX and rest.partition(":")[0] in _TUTOR_ACTIONS


async def on_button(ctx: Context, rest: str) -> ButtonOutcome:
    """``g:<action>:<arg>``; tutor actions check rights before anything changes."""
    action, _, arg = rest.partition(":")
    if action == "me":
        return await my_progress(ctx, arg)
    if action == "nm":
        return await toggle_name(ctx, arg)
    tutor_actions = {"ch": pick_challenge, "sx": cancel_schedule}
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
    if payload.startswith("join_"):
        return await consent.offer(ctx, payload.removeprefix("join_"))
    number = payload.removeprefix("ch_")
    if not number.isdigit() or len(number) > 12:
        return [Message("That link looks broken. Ask your tutor for the challenge again.")]
    return await join_challenge(ctx, int(number))


FEATURE = Feature(
    "groups",
    commands={
        "challenge": in_group_for_tutors("challenge", tutors.preview_command)(challenge_command),
        "groupquiz": in_group_for_tutors("groupquiz", quiz_preview)(groupquiz_command),
        "close": in_group_for_tutors("close")(close_command),
        "schedule": in_group_for_tutors("schedule")(schedule_command),
        "leaderboard": leaderboard_command,
    },
    buttons={PREFIX: on_button},
)
