"""The reminder dispatch: claim due reminders, build each one, and settle what happened.

The dispatcher in ``bot/jobs/reminders.py`` calls these entry points: ``claim_due``, then for
each claimed student ``prepare`` (builds the reminder, or decides nothing is worth sending),
then ``delivered`` / ``blocked`` / ``give_back``, each one transaction. All decisions live
here, all SQL in ``storage/reminders.py``; the job only paces and sends.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from dialogs.context import Context, Person, Services
from dialogs.quiz import feature as quiz
from dialogs.quiz import flow
from dialogs.reminders import schedule
from dialogs.reminders import zones as timezones
from dialogs.reminders.messages import _new_item_message, _nudge_message, _reminder_message
from dialogs.reminders.shared import tzinfo
from dialogs.reminders.snapshot import Snapshot, pending_in, snapshot
from dialogs.replies import Message, Reply
from storage import reminders as store
from storage.quizzes import active_session
from storage.scenarios import active_run
from storage.users import set_blocked

NUDGE_AFTER = timedelta(days=3)


@dataclass(frozen=True)
class Claimed:
    """Reminders one dispatcher now owns until ``lease_until`` (or until it gives them back)."""

    token: str
    items: tuple[store.DueReminder, ...]
    lease_until: datetime


@dataclass(frozen=True)
class Outgoing:
    """A reminder ready to send: to whom, what, and the next instant to store once it is sent."""

    user_id: int
    chat_id: int
    replies: list[Reply]
    kind: str
    next_at: datetime


async def claim_due(
    services: Services,
    now: datetime,
    *,
    limit: int = 100,
    lease: timedelta = timedelta(minutes=2),
    owner: str = "",
) -> Claimed:
    """Atomically claim up to ``limit`` due reminders under a fresh token naming ``owner``
    (the claiming instance), so another can give them back if that instance dies."""
    token = f"{owner}{store.CLAIM_OWNER_MARK}{secrets.token_hex(16)}"
    lease_until = now + lease
    items = await services.db.run(
        lambda session: store.claim_due(
            session, now=now, token=token, lease_until=lease_until, limit=limit
        )
    )
    return Claimed(token, tuple(items), lease_until)


async def extend(services: Services, token: str, lease_until: datetime) -> int:
    """Keep a long batch's lease alive; returns how many reminders are still held."""
    return await services.db.run(
        lambda session: store.extend_claim(session, token=token, lease_until=lease_until)
    )


async def prepare(
    services: Services, token: str, item: store.DueReminder, now: datetime
) -> Outgoing | None:
    """Decide what one claimed reminder becomes; None means nothing is sent (already settled).

    Skipped, and rescheduled at once: a reminder whose day is over (after downtime only
    today's missed one still goes, once); one for a student in the middle of a quiz; and a
    student who has done today's work (nothing due, no new items left under today's cap).
    With reviews due it brings the first one; with none due but new items left, a new
    question, unless the student chose reviews only in /settings. After three quiet days
    (and no nudge since) that new question comes as a friendlier nudge. A question a live
    quiz is waiting on comes back as the reminder's question instead of a new quiz.

    One transaction either way: reading the student, starting the quiz whose first question
    the reminder carries, or settling a skipped reminder.
    """
    zone = item.timezone if item.timezone in timezones.known_zones() else None
    zone = zone or services.config.default_timezone
    tz = tzinfo(zone)
    at = schedule.parse_hhmm(item.remind_at)
    if at is None:  # cannot happen for a claimed row, but never send on a broken setting
        await _settle(services, token, item.user_id, next_at=None)
        return None
    next_at = schedule.next_reminder(at, tz, max(now, item.due_at))
    if schedule.slot_to_send(at, tz, item.due_at, now) is None:
        await _settle(services, token, item.user_id, next_at=next_at)
        return None
    ctx = Context(services, Person(item.user_id, item.first_name), item.user_id, now)

    def look(session: Session) -> tuple[Snapshot, tuple[Message, int] | None] | None:
        seen = snapshot(session, ctx, tz, item.last_seen_at)
        if seen.busy or not (seen.due or (item.new_items and seen.new_left)):
            store.finish_claim(session, user_id=item.user_id, token=token, next_at=next_at)
            return None
        return seen, seen.pending or _first_question(session, ctx, review=bool(seen.due))

    found = await services.db.run(look)
    if found is None:
        return None
    seen, question = found
    quiet_since = seen.last_review or item.created_at
    nudged = item.last_nudge_at is not None and item.last_nudge_at >= quiet_since
    if seen.due:
        today = f"{now.astimezone(tz):%Y%m%d}"
        message = _reminder_message(seen.due, seen.streak, question, today)
        return Outgoing(item.user_id, item.user_id, [message], "due", next_at)
    if now - quiet_since >= NUDGE_AFTER and not nudged:
        message = _nudge_message(item.first_name, seen.streak, question)
        return Outgoing(item.user_id, item.user_id, [message], "nudge", next_at)
    message = _new_item_message(seen.new_left, seen.streak, question)
    return Outgoing(item.user_id, item.user_id, [message], "new", next_at)


async def delivered(services: Services, token: str, outgoing: Outgoing, now: datetime) -> bool:
    """The reminder went out: store the next instant. False if the claim was lost meanwhile."""
    return await services.db.run(
        lambda session: store.finish_claim(
            session,
            user_id=outgoing.user_id,
            token=token,
            next_at=outgoing.next_at,
            sent_at=now,
            nudged_at=now if outgoing.kind == "nudge" else None,
        )
    )


async def undeliverable(services: Services, token: str, outgoing: Outgoing) -> None:
    """Telegram refused this reminder for good (bad request): move on to the next one."""
    await _settle(services, token, outgoing.user_id, next_at=outgoing.next_at)


async def blocked(services: Services, token: str, outgoing: Outgoing) -> None:
    """The student blocked the bot: flag them (skipped until they /start again), move on."""

    def flag_and_finish(session: Session) -> None:
        set_blocked(session, user_id=outgoing.user_id)
        store.finish_claim(session, user_id=outgoing.user_id, token=token, next_at=outgoing.next_at)

    await services.db.run(flag_and_finish)
    services.sightings.forget(outgoing.user_id)


async def retry_later(services: Services, token: str, user_id: int, at: datetime) -> None:
    """Sending failed for now (network, flood control, a bug): try this one again at ``at``.

    Not released at once, so a run never spins on a reminder Telegram keeps refusing; a
    retry that lands on a later local day is dropped by the usual rule.
    """
    await _settle(services, token, user_id, next_at=at)


async def give_back(services: Services, token: str, user_id: int | None = None) -> int:
    """Release unsent reminders (one, or all under ``token``) so a later run sends them."""
    return await services.db.run(
        lambda session: store.release_claim(session, token=token, user_id=user_id)
    )


async def give_back_all_of(services: Services, owner: str) -> int:
    """Release every reminder ``owner`` (an instance now known dead) claimed but never sent."""
    return await services.db.run(lambda session: store.release_claims_of(session, owner=owner))


async def _settle(
    services: Services, token: str, user_id: int, *, next_at: datetime | None
) -> None:
    """Finish a claim without sending; ``next_at`` None stops a broken setting for good."""
    await services.db.run(
        lambda session: store.finish_claim(session, user_id=user_id, token=token, next_at=next_at)
    )


_QUESTION_BUTTON = re.compile(r"^q:(?:\d+:\d+|[hs]:\d+)$")


async def _newer_activity(ctx: Context, asked: datetime) -> bool:
    """True when a quiz or scenario moved on after we asked for a time zone: text is theirs."""

    def moved_on(session: Session) -> bool:
        running = active_session(session, user_id=ctx.person.id)
        run = active_run(session, user_id=ctx.person.id)
        return any(x is not None and x.updated_at > asked for x in (running, run))

    return await ctx.db.run(moved_on)


def _is_question(reply: Reply) -> bool:
    return isinstance(reply, Message) and any(
        _QUESTION_BUTTON.match(b.data) for row in reply.buttons for b in row
    )


async def _pending(ctx: Context) -> tuple[Message, int] | None:
    """The question a live quiz is waiting on, shown again (e.g. after a snooze)."""

    def read(session: Session) -> tuple[Message, int] | None:
        running = active_session(session, user_id=ctx.person.id)
        return pending_in(session, ctx, running)

    return await ctx.db.run(read)


def _first_question(session: Session, ctx: Context, *, review: bool) -> tuple[Message, int] | None:
    """The quiz feature's own first question (due reviews, or new items), and its quiz id.

    Asked only when no live quiz waits on a question (that one is taken instead), so the quiz
    feature starts a new quiz here, as /review or /quiz would. None when it has nothing to ask
    (or offers something other than a question).
    """
    # The quiz feature's start itself, not /review: the reminder's whole preparation is then
    # one transaction rather than one for the reading, one for the quiz and one for its id.
    replies = flow.start_quiz(session, ctx, "review" if review else "quiz", None)
    first = next((r for r in replies if _is_question(r)), None)
    if first is None:
        return None
    assert isinstance(first, Message)
    running = active_session(session, user_id=ctx.person.id)
    if running is None or running.id is None:
        return None
    return first, running.id


async def _start_review(ctx: Context) -> list[Reply]:
    """What "Start review" does when no quiz is attached: the waiting question, or /review."""
    pending = await _pending(ctx)
    if pending is not None:
        return [pending[0]]
    return await quiz.review_command(ctx, "")
