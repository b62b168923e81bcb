"""Scenario challenges: a tutor posts one to the group; students join through a private link and
walk it with the scenario feature; each can check their own progress.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from dialogs.classes import consent
from dialogs.classes.args import (
    CHALLENGE_USAGE,
    PREFIX,
    parse_challenge,
    when_text,
)
from dialogs.classes.in_group import link_teacher, this_group
from dialogs.classes.posts import challenge_post, zone_of
from dialogs.context import Context
from dialogs.replies import Button, ButtonOutcome, Message, Reply, rows
from dialogs.scenarios import walkthrough as scenarios
from dialogs.text import bold, esc, italic, pct
from knowledge.base import KnowledgeBase
from knowledge.models import Scenario
from storage import challenges as challenge_store
from storage import groups as store
from storage import scenarios as runs_store
from storage.models import Challenge, Group, ScenarioRun


async def _set_challenge(
    ctx: Context, group: Group, scenario: Scenario, deadline: datetime
) -> list[Reply]:
    group_id = group.id
    assert group_id is not None

    def create(session: Session) -> Challenge:
        return challenge_store.create_challenge(
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
    group = await this_group(ctx)
    parsed = parse_challenge(ctx.kb, args, ctx.now, zone_of(ctx, group))
    if isinstance(parsed, str):
        return [Message(f"{esc(parsed)}\n{esc(CHALLENGE_USAGE)}")]
    if parsed.scenario is None:
        hours = max(1, round((parsed.deadline - ctx.now).total_seconds() / 3600))
        return [_scenario_picker(ctx.kb, hours)]
    return await _set_challenge(ctx, group, parsed.scenario, parsed.deadline)


async def pick_challenge(ctx: Context, rest: str) -> ButtonOutcome:
    scenario_id, _, hours_text = rest.partition(":")
    scenario = ctx.kb.scenarios.get(scenario_id)
    if scenario is None or not hours_text.isdigit() or not 1 <= int(hours_text) <= 720:
        return ButtonOutcome(toast="That button has expired. Send /challenge again.")
    if ctx.private:
        return ButtonOutcome(toast="Send /challenge in your class group.")
    group = await this_group(ctx)
    note = await link_teacher(ctx, group)
    deadline = ctx.now + timedelta(hours=int(hours_text))
    done = Message(f"✅ Challenge set: {bold(scenario.title)}.")
    return ButtonOutcome(
        toast="Challenge posted.",
        edit=done,
        replies=[*await _set_challenge(ctx, group, scenario, deadline), *note],
    )


async def join_challenge(ctx: Context, challenge_id: int) -> list[Reply]:
    """``/start ch_<id>``: enter the challenge and walk its scenario in this private chat."""
    if not ctx.private:
        return [Message("Open challenges in a private chat with me: tap the link in the post.")]

    def read(session: Session) -> tuple[Challenge | None, Group | None]:
        challenge = challenge_store.get_challenge(session, challenge_id=challenge_id)
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

    def enter(session: Session) -> tuple[list[ScenarioRun], bool]:
        """Enter (and join the class: the link said so); the runs already finished for it,
        and whether the student joined the class just now."""
        challenge_store.enter_challenge(
            session, challenge_id=entered, user_id=ctx.person.id, now=ctx.now
        )
        joined = store.join_class(session, group_id=group_id, user_id=ctx.person.id, now=ctx.now)
        done = [
            r
            for r in challenge_store.challenge_runs(session, challenge_ids=[entered])
            if r.user_id == ctx.person.id and r.status == runs_store.DONE
        ]
        return done, joined

    done, joined = await ctx.db.run(enter)
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
        + (f"\n\n{consent.joined_note(group)}" if joined else "")
    )
    replies = await scenarios.scenario_command(ctx, scenario.id)
    await ctx.db.run(lambda session: challenge_store.claim_runs(session, challenge=challenge))
    return [head, *replies]


async def my_progress(ctx: Context, rest: str) -> ButtonOutcome:
    """A student's own progress on a challenge, as an alert only they see."""
    if not rest.isdigit():
        return ButtonOutcome(toast="That button has expired.")

    def progress(session: Session) -> tuple[Challenge, list[ScenarioRun]] | None:
        """The challenge (its runs claimed) and the presser's runs of it; None if gone."""
        challenge = challenge_store.get_challenge(session, challenge_id=int(rest))
        if challenge is None or challenge.id is None:
            return None
        challenge_store.claim_runs(session, challenge=challenge)
        mine = [
            r
            for r in challenge_store.challenge_runs(session, challenge_ids=[challenge.id])
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
