"""Classes in groups through the real Application and the loopback Bot API: the bot joining a
group, rights, a challenge taken by several students in private, the deadline results, a
group quiz answered by several students, pacing, forum topics, anonymous admins, supergroup
migration and removal.

Time is driven explicitly: the repeating group job is removed and the test calls
``GroupJobs.run_due`` with the moment it wants, so nothing waits on the wall clock.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select
from telegram.ext import BaseHandler

from bot.jobs.groups import BOT_DATA_KEY, JOB_NAME, GroupJobs, Pacer
from dialogs.classes import polls as group_polls
from knowledge.base import KnowledgeBase
from storage import Database
from storage import group_quizzes as quiz_store
from storage import groups as store
from storage.models import Challenge, GroupSchedule, PollRecord, PollVote, ReviewLog
from tests.emulator import Chat, ChatMessage, Emulator, User, polling
from tests.emulator.polling import AnyApplication

OWNER = 999
GYM = "gym_membership"


def group_jobs(app: AnyApplication) -> GroupJobs:
    """The app's group job, with its repeating tick removed (the test drives time)."""
    assert app.job_queue is not None
    for job in app.job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    jobs = app.bot_data[BOT_DATA_KEY]
    assert isinstance(jobs, GroupJobs)
    return jobs


def database(app: AnyApplication) -> Database:
    return group_jobs(app).tutor.services.db


def signals(app: AnyApplication, name: str) -> asyncio.Queue[object]:
    """A queue that gets an item each time the group handler ``name`` has finished."""
    finished: asyncio.Queue[object] = asyncio.Queue()
    handler: BaseHandler[Any, Any, Any] = next(
        h for h in app.handlers[-1] if getattr(h.callback, "__name__", "") == name
    )
    original = handler.callback

    async def wrapped(update: object, context: object) -> None:
        await original(update, context)
        finished.put_nowait(update)

    handler.callback = wrapped
    return finished


async def settle(queue: asyncio.Queue[object], count: int) -> None:
    for _ in range(count):
        await asyncio.wait_for(queue.get(), timeout=10)


async def next_with(
    emulator: Emulator, chat: User | Chat, needle: str, within: int = 5
) -> ChatMessage:
    """The next bot message in ``chat`` whose text (or a button) contains ``needle``."""
    seen = []
    for _ in range(within):
        message = await emulator.reply_to(chat)
        if needle in (message.text or "") or any(needle in t for t in message.button_texts):
            return message
        seen.append((message.text or "")[:60])
    raise AssertionError(f"no message with {needle!r} in {seen}")


async def press(emulator: Emulator, user: User, message: ChatMessage, label: str) -> Any:
    answer = await emulator.answered(emulator.press(user, message, label))
    assert answer.status == 200
    return answer


async def walk(emulator: Emulator, kb: KnowledgeBase, student: User, *, weak: bool) -> None:
    """Answer every step of the gym scenario in private (thinly on motivations if ``weak``)."""
    for step in kb.scenarios[GYM].steps:
        if step.choices:
            names = ", ".join(kb.variables[c].name for c in step.correct_choices)
            emulator.send_text(student, names)
        elif weak and step.kind == "motivations":
            emulator.send_text(student, "They like the music.")
        elif step.numeric is not None:
            emulator.send_text(student, f"£{step.numeric.answer:,.0f}")
        else:
            emulator.send_text(student, step.model_answer)
        feedback = await next_with(emulator, student, "▶️ Next step")
        await press(emulator, student, feedback, "▶️ Next step")
    await next_with(emulator, student, "🏁 Done:")


async def test_a_challenge_in_a_group_with_several_students_and_the_deadline_results(
    emulator: Emulator, make_app: Callable[[], AnyApplication], kb: KnowledgeBase
) -> None:
    tess = emulator.user(OWNER, "Tess")
    amir, bea, cody = (emulator.user(first_name=n) for n in ("Amir", "Bea", "Cody"))
    group = emulator.group(
        title="Class 3B", owner=tess, members=[amir, bea, cody], bot_status="left"
    )
    app = make_app()
    async with polling(app):
        jobs = group_jobs(app)
        emulator.add_bot_to_group(group, tess)
        intro = await next_with(emulator, group, "Hello, Class 3B")
        assert "/challenge gym_membership 48h" in (intro.text or "")

        emulator.command(amir, "challenge", "gym 48h", chat=group)
        refused = await emulator.reply_to(group)
        assert "/challenge is for tutors only" in (refused.text or "")
        emulator.command(tess, "challenge", "atlantis 48h", chat=group)
        usage = await emulator.reply_to(group)
        assert "Usage: /challenge" in (usage.text or "")

        emulator.command(tess, "challenge", "gym 48h", chat=group)
        post = await next_with(emulator, group, "Class challenge")
        [start_button] = [b for b in post.buttons if "url" in b]
        found = re.fullmatch(r"https://t\.me/RevisionTutorBot\?start=(ch_\d+)", start_button["url"])
        assert found, post.buttons
        for student in (amir, bea, cody):
            emulator.command(student, "start", found.group(1))
            await next_with(emulator, student, "Class challenge from Class 3B")
            await next_with(emulator, student, "Step 1/7")
        await walk(emulator, kb, amir, weak=False)
        await walk(emulator, kb, bea, weak=True)

        # Cody asks for his own progress in the group: only he sees the answer
        answer = await press(emulator, cody, post, "📊 My progress")
        assert answer.params["show_alert"] is True
        assert "step 1 of 7" in answer.params["text"]

        challenge = await database(app).run(lambda s: s.exec(select(Challenge)).one())
        assert await jobs.run_due(app.bot, challenge.deadline - timedelta(minutes=1)) == 0
        assert await jobs.run_due(app.bot, challenge.deadline) == 1
        results = await next_with(emulator, group, "Challenge closed")
        text = results.text or ""
        assert "3 took part and 2 finished" in text
        assert text.index("🥇 Amir") < text.index("🥈 Bea")
        assert "Teaching moment" in text and "step 3 (Motivations)" in text
        assert await jobs.run_due(app.bot, challenge.deadline + timedelta(hours=1)) == 0

        # the tutor's report, privately: text with a CSV button, then the chart
        emulator.command(tess, "report", "")
        report = await next_with(emulator, tess, "Class report")
        assert "Amir" in (report.text or "") and "challenges 1/1" in (report.text or "")
        chart = await emulator.reply_to(tess)
        assert chart.method == "sendPhoto"
        await press(emulator, tess, report, "📄 CSV for a spreadsheet")
        document = await emulator.reply_to(tess)
        assert document.method == "sendDocument"
        assert document.data["document"]["file_name"].startswith("report_class_3b_")
        emulator.command(amir, "report", "")
        assert "for tutors only" in ((await emulator.reply_to(amir)).text or "")


async def test_a_group_quiz_answered_by_several_students(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    tess = emulator.user(OWNER, "Tess")
    amir, bea, cody = (emulator.user(first_name=n) for n in ("Amir", "Bea", "Cody"))
    group = emulator.group(title="Class 3B", owner=tess, members=[amir, bea, cody])
    app = make_app()
    async with polling(app):
        jobs = group_jobs(app)
        answered = signals(app, "poll_answer")
        emulator.command(tess, "groupquiz", "3 demographic", chat=group)
        await next_with(emulator, group, "Class quiz")
        planned = await database(app).run(
            lambda s: s.exec(select(PollRecord).order_by(col(PollRecord.position))).all()
        )
        start = planned[0].due_at
        for index, record in enumerate(planned):
            at = start + index * group_polls.POLL_GAP
            assert await jobs.run_due(app.bot, at) == 1
            poll = await emulator.reply_to(group)
            assert poll.poll is not None and poll.text == record.question
            wrong = (record.correct_option + 1) % len(record.options)
            emulator.answer_poll(amir, poll, [record.correct_option])
            emulator.answer_poll(bea, poll, [record.correct_option if index == 0 else wrong])
            update = emulator.answer_poll(cody, poll, [wrong])
            emulator.enqueue(emulator.new_update("poll_answer", update["poll_answer"]))  # resent
            await settle(answered, 4)
        sent = emulator.calls("sendPoll")
        assert len(sent) == 3
        for call in sent:
            assert call.params["type"] == "quiz" and call.params["is_anonymous"] is False
            assert call.params["open_period"] == group_polls.POLL_OPEN_SECONDS
            assert call.params["explanation"] and call.params["correct_option_ids"]

        votes = await database(app).run(lambda s: s.exec(select(PollVote)).all())
        reviews = await database(app).run(lambda s: s.exec(select(ReviewLog)).all())
        assert len(votes) == 9 and sum(v.correct for v in votes) == 4
        assert len(reviews) == 9 and {r.source for r in reviews} == {"group_poll"}

        last_close = start + 2 * group_polls.POLL_GAP + timedelta(seconds=50)
        assert await jobs.run_due(app.bot, last_close) == 1
        results = await next_with(emulator, group, "Class quiz results")
        text = results.text or ""
        assert "3 took part in 3 questions" in text
        assert "🥇 Amir: 3/3" in text and "🥈 Bea: 1/3" in text and "Cody" not in text
        emulator.command(bea, "leaderboard", "", chat=group)
        board = await next_with(emulator, group, "Leaderboard")
        assert "Amir: 3 pts" in (board.text or "") and "Bea: 1 pts" in (board.text or "")


async def test_posts_to_one_group_stay_within_twenty_a_minute(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    tess = emulator.user(OWNER, "Tess")
    group = emulator.group(title="Class 3B", owner=tess)
    emulator.flood_limits(per_group_per_minute=20)
    app = make_app()
    async with polling(app):
        jobs = group_jobs(app)
        assert isinstance(jobs.pacer, Pacer) and jobs.pacer.limit == 20
        now = datetime.now(UTC)

        def backlog(s: Session) -> None:
            stored = store.ensure_group(s, chat_id=group.id, title="Class 3B", now=now)
            assert stored.id is not None
            for number in range(25):  # e.g. a backlog after downtime: 25 polls due at once
                quiz = quiz_store.create_quiz(
                    s,
                    group_id=stored.id,
                    created_by=OWNER,
                    topic=None,
                    size=1,
                    now=now,
                    results_due=now + timedelta(hours=1),
                )
                assert quiz.id is not None
                quiz_store.plan_poll(
                    s,
                    quiz_id=quiz.id,
                    position=0,
                    item_id="age",
                    question=f"Question {number}?",
                    options=["Yes", "No"],
                    correct_option=0,
                    explanation="",
                    open_seconds=40,
                    due_at=now,
                )

        await database(app).run(backlog)
        assert await jobs.run_due(app.bot, now) == 20
        assert await jobs.run_due(app.bot, now + timedelta(seconds=30)) == 0
        assert len(emulator.calls("sendPoll")) == 20
        assert emulator.flood_rejections == 0
        waiting = await database(app).run(
            lambda s: s.exec(select(PollRecord).where(PollRecord.status == "planned")).all()
        )
        assert len(waiting) == 5  # still due: the next minute sends them


async def test_admins_topics_migration_and_removal(
    emulator: Emulator, make_app: Callable[[], AnyApplication]
) -> None:
    tess = emulator.user(OWNER, "Tess")
    ada = emulator.user(first_name="Ada")
    sam = emulator.user(first_name="Sam")
    forum = emulator.group(
        title="Forum class", owner=tess, admins=[ada], members=[sam], is_forum=True
    )
    basic = emulator.group(title="Basic class", supergroup=False, owner=tess, admins=[ada])
    app = make_app()
    async with polling(app):
        jobs = group_jobs(app)
        migrated = signals(app, "migrated")
        membership = signals(app, "my_chat_member")

        # a group admin may run tutor commands there; a member may not
        emulator.send_text(sam, "/challenge@RevisionTutorBot gym 2h", forum, message_thread_id=5)
        assert "for tutors only" in ((await emulator.reply_to(forum)).text or "")
        emulator.send_text(ada, "/challenge@RevisionTutorBot gym 2h", forum, message_thread_id=5)
        post = await next_with(emulator, forum, "Class challenge")
        assert post.data["message_thread_id"] == 5
        assert emulator.calls("getChatMember", chat_id=forum.id, user_id=ada.id)

        # an anonymous admin posts as the group itself
        anonymous = {
            "message_id": emulator.new_message_id(forum.id),
            "from": {
                "id": 1087968824,
                "is_bot": True,
                "first_name": "Group",
                "username": "GroupAnonymousBot",
            },
            "sender_chat": forum.to_api(),
            "chat": forum.to_api(),
            "date": emulator.now(),
            "text": "/groupquiz@RevisionTutorBot 2",
            "entities": [{"type": "bot_command", "offset": 0, "length": 27}],
        }
        emulator.enqueue(emulator.new_update("message", anonymous))
        assert "Class quiz" in ((await emulator.reply_to(forum)).text or "")

        # the challenge's results go back to the topic it was set in
        challenge = await database(app).run(lambda s: s.exec(select(Challenge)).one())
        await jobs.run_due(app.bot, challenge.deadline)
        results = await next_with(emulator, forum, "Challenge closed")
        assert results.data["message_thread_id"] == 5

        # a basic group with a weekly post becomes a supergroup: the schedule follows it
        emulator.command(tess, "schedule", "mon 09:00 quiz 3", chat=basic)
        await next_with(emulator, basic, "Scheduled")
        supergroup, _updates = emulator.migrate_to_supergroup(basic, tess)
        await settle(migrated, 2)
        emulator.command(tess, "schedule", "", chat=supergroup)
        listing = await next_with(emulator, supergroup, "Recurring posts")
        assert "Every Monday 09:00" in (listing.text or "")

        # removal stops it for good
        emulator.remove_bot_from_group(supergroup, tess)
        await settle(membership, 1)
        schedule = await database(app).run(lambda s: s.exec(select(GroupSchedule)).one())
        assert schedule.status == "cancelled"
        before = len(emulator.all_calls)
        await jobs.run_due(app.bot, schedule.next_run + timedelta(minutes=1))
        later = emulator.all_calls[before:]
        assert not [c for c in later if c.params.get("chat_id") in (supergroup.id, basic.id)]
        # the forum's quiz polls still go out: removal from one group stops only that group
        assert [c.params["chat_id"] for c in later if c.method == "sendPoll"] == [forum.id]
