"""For tutors, in private: invites for other tutors, class reports, and scenario previews.

* ``/invite`` makes a one-time code (valid :data:`INVITE_LIFETIME`) and its deep link
  ``t.me/<bot>?start=tutor_<code>``; redeeming it (:func:`redeem`) makes the person a tutor.
* ``/report [group] [csv]`` sends the report of a group the person teaches: text and a chart,
  or a CSV document. It never shows in a group: reports are for the group's tutors only.
* ``/challenge`` in private previews scenarios before they are pushed to a group.

Buttons carry ``tu:<action>:<arg>``: ``r:<group>`` report, ``c:<group>`` CSV, ``p:<scenario>``
preview.
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import timedelta

from sqlmodel import Session

from dialogs.classes import approvals, asked, reports, roles
from dialogs.classes import stats as class_stats
from dialogs.classes.args import find_scenario
from dialogs.context import Context
from dialogs.feature import Feature
from dialogs.replies import Button, ButtonOutcome, Document, Message, Photo, Reply, rows
from dialogs.scenarios import walkthrough as scenarios
from dialogs.text import bold, code, esc, italic
from knowledge.models import Scenario
from storage import tutors as store
from storage.models import Group

PREFIX = "tu"
INVITE_LIFETIME = timedelta(hours=48)
CODE_BYTES = 9
REPORT_USAGE = "Usage: /report [group name] [csv]"


# invites -----------------------------------------------------------------------------------


def invite_link(ctx: Context, code_text: str) -> str:
    """The deep link that redeems a tutor invite."""
    return f"https://t.me/{ctx.services.config.bot_username}?start=tutor_{code_text}"


async def invite_command(ctx: Context, args: str) -> list[Reply]:
    """``/invite``: a one-time tutor code and link, valid 48 hours (private chats only)."""
    if not await roles.is_tutor(ctx):
        return roles.refusal("invite")
    if not ctx.private:
        return [Message("Send /invite to me in a private chat, so the code stays private.")]
    code_text = secrets.token_urlsafe(CODE_BYTES)
    expires = ctx.now + INVITE_LIFETIME
    await ctx.db.run(
        lambda session: store.create_invite(
            session, code=code_text, created_by=ctx.person.id, now=ctx.now, expires_at=expires
        )
    )
    link = invite_link(ctx, code_text)
    text = (
        f"🎟 {bold('Tutor invite')} (one use, valid 48 hours)\n\n"
        f"Send this link to the tutor you want to invite:\n{esc(link)}\n\n"
        f"Or they can send me {code(f'/start tutor_{code_text}')}."
    )
    return [Message(text)]


async def redeem(ctx: Context, code_text: str) -> list[Reply]:
    """``/start tutor_<code>``: become a tutor if the code is valid, unused and not expired."""
    if not ctx.private:
        return [Message("Open the invite link in a private chat with me.")]
    if await roles.is_tutor(ctx):
        return [Message("You're already a tutor, so I've kept this invite unused. /help")]

    def use(session: Session) -> str | None:
        """Use the invite and make the person a tutor; or why the invite cannot be used."""
        invite = store.get_invite(session, code=code_text) if code_text else None
        if invite is None:
            return "That invite code isn't valid. Ask your colleague for a new one."
        if invite.used_by is not None:
            return "That invite has already been used. Ask for a new one."
        if invite.expires_at <= ctx.now:
            return "That invite has expired (they last 48 hours). Ask for a new one."
        if not store.use_invite(session, invite=invite, user_id=ctx.person.id, now=ctx.now):
            return "That invite has already been used. Ask for a new one."
        store.make_tutor(session, user_id=ctx.person.id)
        return None

    refused = await ctx.db.run(use)
    if refused is not None:
        return [Message(refused)]
    return [Message(tutor_welcome(ctx))]


def tutor_welcome(ctx: Context) -> str:
    """What a new tutor should do next."""
    name = esc(ctx.person.first_name or "there")
    return (
        f"🎓 Welcome aboard, {name}: you're now a tutor.\n\n"
        "1. Add me to your class group.\n"
        f"2. In the group: {code('/challenge')} sets a scenario challenge, "
        f"{code('/groupquiz 5')} runs a quick quiz, {code('/schedule')} makes it weekly.\n"
        f"3. Here in private: {code('/report')} shows how the class is doing, "
        f"{code('/challenge')} previews the scenarios, {code('/invite')} invites a colleague."
    )


# reports -----------------------------------------------------------------------------------


async def _groups_for(ctx: Context) -> list[Group]:
    if roles.is_owner(ctx):
        return await ctx.db.run(store.all_groups)
    return await ctx.db.run(lambda session: store.tutor_groups(session, user_id=ctx.person.id))


def _pick(groups: list[Group], wanted: str) -> list[Group]:
    if not wanted:
        return groups
    key = wanted.casefold()
    exact = [g for g in groups if g.title.casefold() == key or str(g.id) == key]
    return exact or [g for g in groups if key in g.title.casefold()]


def _label(group: Group) -> str:
    name = group.title or f"Group {group.id}"
    return name if group.active else f"{name} (left)"


async def report_command(ctx: Context, args: str) -> list[Reply]:
    """``/report [group] [csv]``: tutors' requests waiting for this person's approval, then
    the class report, privately, for a group's tutors only."""
    if not ctx.private:
        return await _report_replies(ctx, args)
    return [*await approvals.requests(ctx), *await _report_replies(ctx, args)]


async def _report_replies(ctx: Context, args: str) -> list[Reply]:
    if not ctx.private:
        if not await roles.may_teach_here(ctx):
            return roles.refusal("report")
        return [Message("Reports are private: send /report to me in a private chat.")]
    groups = await _groups_for(ctx)
    if not groups:
        if not await roles.is_tutor(ctx):
            return roles.refusal("report")
        return [Message("You don't have a class group yet: add me to one, then try again.")]
    words = args.split()
    as_csv = bool(words) and words[-1].casefold() == "csv"
    wanted = " ".join(words[:-1] if as_csv else words)
    chosen = _pick(groups, wanted)
    if len(chosen) == 1:
        return await (csv_report(ctx, chosen[0]) if as_csv else full_report(ctx, chosen[0]))
    if not chosen:
        intro = f"I don't see a group called {bold(wanted)} among yours. {esc(REPORT_USAGE)}\n"
        chosen = groups
    else:
        intro = ""
    action = "c" if as_csv else "r"
    buttons = [Button(_label(g)[:60], f"{PREFIX}:{action}:{g.id}") for g in chosen[:20]]
    return [Message(f"{intro}Which group?", rows(*buttons, width=1))]


async def _report(ctx: Context, group: Group) -> reports.ClassReport:
    facts = await class_stats.gather(
        ctx.db,
        group,
        owners=ctx.services.config.tutor_ids,
        practice=await roles.sees_practice(ctx, group),
    )
    zone = group.timezone or ctx.services.config.default_timezone
    return reports.build_report(ctx.kb, facts, ctx.now, zone)


async def full_report(ctx: Context, group: Group) -> list[Reply]:
    """The report as text, then the chart; a button fetches the CSV."""
    report = await _report(ctx, group)
    csv_button = rows(Button("📄 CSV for a spreadsheet", f"{PREFIX}:c:{group.id}"))
    png = await asyncio.to_thread(reports.report_chart, report)
    caption = f"📈 {bold(report.title)}: mastery by base and the marking points missed most."
    replies: list[Reply] = [Message(reports.report_html(report), csv_button), Photo(png, caption)]
    assert group.id is not None
    names = {s.user_id: s.name for s in report.students}
    extra = asked.report_html(ctx, await asked.gather(ctx, group.id, names), names)
    return [*replies, Message(extra)] if extra else replies


async def csv_report(ctx: Context, group: Group) -> list[Reply]:
    """The per-student table as a CSV document."""
    report = await _report(ctx, group)
    stamp = ctx.now.strftime("%Y%m%d")
    slug = "".join(ch if ch.isalnum() else "_" for ch in report.title.casefold())[:30] or "group"
    name = f"report_{slug}_{stamp}.csv"
    caption = f"📄 {bold(report.title)}: {len(report.students)} students, one row each."
    replies: list[Reply] = [Document(reports.report_csv(report), name, caption)]
    assert group.id is not None
    names = {s.user_id: s.name for s in report.students}
    contested = await asked.gather(ctx, group.id, names)
    if contested.appeals:
        about = f"⚖️ {bold(report.title)}: {len(contested.appeals)} contested marks, one row each."
        table = asked.appeals_csv(ctx, contested, names)
        replies.append(Document(table, f"contested_{slug}_{stamp}.csv", about))
    return replies


# previews ----------------------------------------------------------------------------------


def preview_list(ctx: Context) -> Message:
    """Every scenario with a preview button."""
    buttons = [
        Button(f"👁 {s.title} ({s.market})"[:60], f"{PREFIX}:p:{s.id}")
        for s in ctx.kb.scenarios.values()
    ]
    text = (
        f"👁 {bold('Preview a scenario')} before you set it as a challenge.\n"
        f"{italic('In your class group: /challenge <scenario> <deadline>, e.g. 48h.')}"
    )
    return Message(text, rows(*buttons, width=1))


def preview(ctx: Context, scenario: Scenario) -> list[Reply]:
    """A tutor's view of a scenario: the case, every step with its marking points."""
    lines = [f"👁 {bold('Tutor preview')}: {bold(scenario.title)}", ""]
    for number, step in enumerate(scenario.steps, start=1):
        marks = [
            ctx.kb.marking_points[m].label
            for m in step.marking_points
            if m in ctx.kb.marking_points
        ]
        title = scenarios.STEP_TITLES.get(step.kind, "Step")
        lines.append(f"{number}. {bold(title)}: {esc(step.prompt)}")
        if marks:
            lines.append(f"   {italic('Marks: ' + '; '.join(marks))}")
    lines += [
        "",
        f"Set it for your class in the group: {code(f'/challenge {scenario.id} 48h')}",
    ]
    buttons = rows(Button("▶️ Try it as a student", f"s:start:{scenario.id}"))
    return [scenarios.intro(scenario), Message("\n".join(lines), buttons)]


async def preview_command(ctx: Context, args: str) -> list[Reply]:
    """``/challenge [scenario]`` in private (tutors): the list, or one scenario's preview."""
    wanted = args.split()[0] if args.split() else ""
    if not wanted:
        return [preview_list(ctx)]
    scenario = find_scenario(ctx.kb, wanted)
    if scenario is None:
        names = ", ".join(ctx.kb.scenarios)
        return [
            Message(f"I don't know the scenario {bold(wanted)}. Pick one of: {esc(names)}."),
            preview_list(ctx),
        ]
    return preview(ctx, scenario)


# buttons -----------------------------------------------------------------------------------


async def on_button(ctx: Context, rest: str) -> ButtonOutcome:
    """``tu:r:<group>`` / ``tu:c:<group>`` / ``tu:p:<scenario>``, rights checked first."""
    action, _, arg = rest.partition(":")
    if action == "p":
        if not await roles.is_tutor(ctx):
            return ButtonOutcome(toast=roles.REFUSAL_TOAST)
        scenario = ctx.kb.scenarios.get(arg)
        if scenario is None:
            return ButtonOutcome(toast="That scenario isn't available any more.")
        return ButtonOutcome(replies=preview(ctx, scenario))
    if action not in ("r", "c") or not arg.isdigit():
        return ButtonOutcome(toast="That button has expired. Send /report again.")
    if not ctx.private:
        return ButtonOutcome(toast="Reports are private: send /report to me in a private chat.")
    group = next((g for g in await _groups_for(ctx) if g.id == int(arg)), None)
    if group is None or not await roles.may_see_group(ctx, group):
        return ButtonOutcome(toast=roles.REFUSAL_TOAST)
    replies = await (csv_report(ctx, group) if action == "c" else full_report(ctx, group))
    return ButtonOutcome(replies=replies)


FEATURE = Feature(
    "tutors",
    commands={"invite": invite_command, "report": report_command},
    buttons={PREFIX: on_button, approvals.PREFIX: approvals.on_button},
)
