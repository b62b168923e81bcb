"""A student's data through the real Application: /privacy, /export (every table that can hold
a person's data is in the file) and /forget (afterwards no table or column holds the
student's id or name, and a classmate's data is untouched); typed answers age out.

Two students share a class. Each practises for real (a quiz answer, a misconception typed, a
reminder set) and every other table a person can appear in is seeded for both, so the scan
covers the whole schema. A new table that can hold a person's data fails
``test_the_seed_covers_every_personal_table`` until it is seeded here too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, SQLModel, select

from bot.app import build_application
from bot.jobs.privacy import JOB_NAME as RETENTION_JOB
from bot.settings import Settings
from dialogs.classes import stats as class_stats
from dialogs.context import Services, TutorConfig
from dialogs.privacy import clear_expired_answers
from knowledge.base import KnowledgeBase
from storage import Database
from storage.models import (
    Appeal,
    Card,
    Challenge,
    ChallengeEntry,
    Group,
    GroupMember,
    GroupQuiz,
    GroupSchedule,
    GroupTutor,
    MisconceptionHit,
    PollRecord,
    PollVote,
    QuizQuestion,
    QuizSession,
    ReviewLog,
    ScenarioRun,
    StepAttempt,
    TutorInvite,
)
from storage.models import User as UserRow
from storage.privacy import erase_user, export_user, personal_tables
from tests.emulator import ChatMessage, Emulator, User, polling
from tests.emulator.polling import AnyApplication

ZEPH_ID = 7_345_678_901
ZEPH_NAME = "Zephyrine"
OTHER_ID = 7_345_600_002
SECRET_WORDS = "my pet theory about quokkas"
NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


async def _expect(emulator: Emulator, user: User, needle: str, *, within: int = 4) -> ChatMessage:
    seen: list[str] = []
    for _ in range(within):
        message = await emulator.reply_to(user)
        if needle in (message.text or ""):
            return message
        seen.append((message.text or "")[:80])
    raise AssertionError(f"no message with {needle!r}; got {seen}")


def seed(session: Session, user_id: int, group_id: int, tag: str) -> None:
    """One row of the person's in every table that can hold their data."""
    session.add(Card(user_id=user_id, item_id="age", due=NOW))
    session.add(ReviewLog(user_id=user_id, item_id="age", rating=3, reviewed_at=NOW))
    quiz = QuizSession(user_id=user_id, started_at=NOW, updated_at=NOW)
    run = ScenarioRun(user_id=user_id, scenario_id="gym_membership", started_at=NOW, updated_at=NOW)
    session.add_all([quiz, run])
    session.flush()
    assert quiz.id is not None and run.id is not None
    session.add(
        QuizQuestion(
            session_id=quiz.id,
            position=1,
            item_id="age",
            kind="recall",
            answer=f"{tag} quiz",
            asked_at=NOW,
            answered_at=NOW,
        )
    )
    session.add(StepAttempt(run_id=run.id, step_id="s1", answer=f"{tag} step", score=1, at=NOW))
    question = session.exec(select(QuizQuestion).where(QuizQuestion.session_id == quiz.id)).one()
    assert question.id is not None
    session.add(
        Appeal(
            user_id=user_id,
            question_id=question.id,
            item_id="age",
            prompt="Which base?",
            answer=f"{tag} appeal",
            verdict="wrong",
            at=NOW,
        )
    )
    session.add(MisconceptionHit(user_id=user_id, misconception_id="mc_x", at=NOW))
    session.add(GroupTutor(group_id=group_id, user_id=user_id, at=NOW))
    session.add(GroupMember(group_id=group_id, user_id=user_id, first_seen=NOW, last_seen=NOW))
    session.add(
        TutorInvite(code=f"own-{user_id}", created_by=user_id, created_at=NOW, expires_at=NOW)
    )
    challenge = Challenge(
        group_id=group_id,
        scenario_id="gym_membership",
        created_by=user_id,
        created_at=NOW,
        deadline=NOW,
        status="closed",
    )
    group_quiz = GroupQuiz(
        group_id=group_id, created_by=user_id, created_at=NOW, results_due=NOW, status="closed"
    )
    session.add_all([challenge, group_quiz])
    session.flush()
    assert challenge.id is not None and group_quiz.id is not None
    session.add(ChallengeEntry(challenge_id=challenge.id, user_id=user_id, joined_at=NOW))
    poll = PollRecord(
        quiz_id=group_quiz.id,
        position=1,
        item_id="age",
        question="Q?",
        options=["a", "b"],
        correct_option=0,
        due_at=NOW,
        status="closed",
    )
    session.add(poll)
    session.flush()
    assert poll.id is not None
    session.add(PollVote(poll_record_id=poll.id, user_id=user_id, option=0, correct=True, at=NOW))
    session.add(
        GroupSchedule(
            group_id=group_id,
            created_by=user_id,
            kind="quiz",
            hour=9,
            created_at=NOW,
            next_run=NOW,
            status="cancelled",
        )
    )


def seed_class(session: Session) -> None:
    """Zeph and a classmate in one group Zeph added the bot to, with an invite each way."""
    for user_id, name in ((ZEPH_ID, ZEPH_NAME), (OTHER_ID, "Olu")):
        if session.get(UserRow, user_id) is None:
            session.add(UserRow(id=user_id, first_name=name, created_at=NOW, last_seen_at=NOW))
    session.flush()
    group = Group(chat_id=-100777, title="Class 3B", added_by=ZEPH_ID, added_at=NOW)
    session.add(group)
    session.flush()
    assert group.id is not None
    seed(session, ZEPH_ID, group.id, SECRET_WORDS)
    seed(session, OTHER_ID, group.id, "classmate")
    session.add(
        TutorInvite(
            code="for-zeph",
            created_by=OTHER_ID,
            created_at=NOW,
            expires_at=NOW,
            used_by=ZEPH_ID,
            used_at=NOW,
        )
    )


def traces(session: Session, *needles: object) -> list[str]:
    """Every table.column whose value is, or contains, one of the needles."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for row in session.connection().execute(table.select()):
            for column, value in row._mapping.items():
                text = json.dumps(value, default=str) if not isinstance(value, str) else value
                if any(value == n or str(n) in text for n in needles):
                    found.append(f"{table.name}.{column}")
    return found


def rows_of(session: Session, user_id: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for entry in personal_tables():
        for row in session.connection().execute(entry.table.select()):
            if user_id in row._mapping.values():
                found[entry.table.name] = found.get(entry.table.name, 0) + 1
    return found


async def _practise(emulator: Emulator, student: User) -> None:
    """Real use: a quiz answer, a misconception typed, a reminder set."""
    emulator.command(student, "quiz")
    question = await _expect(emulator, student, "Question 1")
    emulator.press(student, question, data=question.callback_data[0])
    await emulator.reply_to(student)
    emulator.command(student, "cancel")
    await emulator.reply_to(student)
    emulator.send_text(student, "segmentation is just picking who you sell to")
    await emulator.reply_to(student)
    emulator.command(student, "remind", "18:30")
    await emulator.reply_to(student)


async def test_export_then_forget_leaves_no_trace_and_spares_the_classmate(
    emulator: Emulator, make_app: Callable[[], AnyApplication], db_url: str
) -> None:
    zeph = emulator.user(ZEPH_ID, ZEPH_NAME, username="zeph_the_student")
    other = emulator.user(OTHER_ID, "Olu")
    database = Database.from_url(db_url)
    async with polling(make_app()):
        for student in (zeph, other):
            emulator.command(student, "start")
            welcome = await emulator.reply_to(student)
            assert "/privacy" in (welcome.text or "")
            await _practise(emulator, student)
        await database.run(seed_class)
        before = await database.run(lambda s: rows_of(s, ZEPH_ID))
        seen_before = await database.run(lambda s: traces(s, ZEPH_ID, ZEPH_NAME, SECRET_WORDS))
        classmate_before = await database.run(lambda s: rows_of(s, OTHER_ID))

        emulator.command(zeph, "privacy")
        privacy = await _expect(emulator, zeph, "Your data")
        assert "/forget" in (privacy.text or "") and "90 days" in (privacy.text or "")

        emulator.command(zeph, "export")
        sent = await emulator.reply_to(zeph)
        assert sent.method == "sendDocument"
        exported = json.loads(emulator.files[sent.data["document"]["file_id"]].data)

        emulator.command(zeph, "forget")
        confirm = await _expect(emulator, zeph, "Delete everything about you?")
        emulator.press(zeph, confirm, "🗑 Yes, delete everything")
        await emulator.wait_for(
            lambda: "Done" in (emulator.find_message(zeph.id, confirm.message_id).text or ""),  # type: ignore[union-attr]
            what="the deletion to be confirmed",
        )
    # scanned once the bot has stopped: the inbox still holds an update until it is handled
    after = await database.run(lambda s: traces(s, ZEPH_ID, ZEPH_NAME, "zeph_the_student"))
    typed_left = await database.run(lambda s: traces(s, SECRET_WORDS, "picking who you sell"))
    classmate_after = await database.run(lambda s: rows_of(s, OTHER_ID))
    await database.close()

    # the export: every personal table, each row the person's, the typed words included
    assert set(exported["tables"]) == {p.table.name for p in personal_tables()}
    assert set(exported["about"]) == set(exported["tables"])
    assert exported["tables"]["users"][0]["first_name"] == ZEPH_NAME
    for name, count in before.items():
        assert len(exported["tables"][name]) >= count, name
    assert SECRET_WORDS in json.dumps(exported)
    assert exported["tables"]["review_logs"] and exported["tables"]["misconception_hits"]

    # the deletion: nothing left anywhere (where the scan did find it before)
    assert {trace.split(".")[0] for trace in seen_before} == {
        p.table.name for p in personal_tables()
    }
    # ... and the classmate's data untouched
    assert after == [] and typed_left == []
    assert classmate_after == classmate_before


async def test_the_seed_covers_every_personal_table(database: Database) -> None:
    await database.run(seed_class)
    exported = await database.run(lambda s: export_user(s, user_id=ZEPH_ID))
    assert [name for name, rows in exported.items() if not rows] == []


async def test_forget_can_be_called_off_and_expires(
    emulator: Emulator, make_app: Callable[[], AnyApplication], db_url: str
) -> None:
    ana = emulator.user(first_name="Ana")
    database = Database.from_url(db_url)
    async with polling(make_app()):
        emulator.command(ana, "forget")
        confirm = await _expect(emulator, ana, "Delete everything")
        await emulator.answered(emulator.press(ana, confirm, "Keep my data"))
        stale = emulator.forge_callback(ana, ana, confirm.message_id, "pv:forget:123")
        answer = await emulator.answered(stale)
        huge = emulator.forge_callback(ana, ana, confirm.message_id, "pv:forget:" + "9" * 30)
        answer_huge = await emulator.answered(huge)
        kept = await database.run(lambda s: rows_of(s, ana.id))
    await database.close()
    assert "expired" in str(answer.params["text"]) and "expired" in str(answer_huge.params["text"])
    assert kept.get("users") == 1


async def test_typed_answers_lose_their_words_after_the_retention_period(
    database: Database, kb: KnowledgeBase
) -> None:
    await database.run(seed_class)
    services = Services(database, kb, TutorConfig(answer_retention_days=30))
    assert await clear_expired_answers(services, NOW + timedelta(days=29)) == 0
    # Two students' quiz answers, step answers and contested answers.
    assert await clear_expired_answers(services, NOW + timedelta(days=31)) == 6

    def answers(session: Session) -> list[Any]:
        quiz = session.exec(select(QuizQuestion.answer, QuizQuestion.correct)).all()
        steps = session.exec(select(StepAttempt.answer, StepAttempt.score)).all()
        return [*quiz, *steps]

    assert await database.run(answers) == [(None, None), (None, None), ("", 1.0), ("", 1.0)]


async def test_the_retention_job_runs_on_the_bot_and_ages_answers_out(
    emulator: Emulator, bot_settings: Settings, db_url: str
) -> None:
    database = Database.from_url(db_url)
    await database.run(seed_class)  # answers from NOW, weeks before the wall clock
    app = build_application(bot_settings.model_copy(update={"answer_retention_days": 1}))
    async with polling(app):
        assert app.job_queue is not None
        [job] = app.job_queue.get_jobs_by_name(RETENTION_JOB)
        await job.run(app)
    left = await database.run(lambda s: traces(s, SECRET_WORDS, "classmate quiz"))
    await database.close()
    assert left == []


async def test_after_forget_the_class_counts_without_the_student(
    database: Database, kb: KnowledgeBase
) -> None:
    def as_a_class(session: Session) -> Group:
        """The seed, with both as students (not tutors) and their polls sent."""
        seed_class(session)
        for link in session.exec(select(GroupTutor)).all():
            session.delete(link)
        for number, poll in enumerate(session.exec(select(PollRecord)).all()):
            poll.poll_id = f"poll-{number}"
            session.add(poll)
        return session.exec(select(Group)).one()

    group = await database.run(as_a_class)
    before = await class_stats.gather(database, group, practice=True)
    await database.run(lambda s: erase_user(s, user_id=ZEPH_ID))
    after = await class_stats.gather(database, group, practice=True)
    assert ZEPH_ID in before.students and ZEPH_ID in {v.user_id for v in before.votes}
    assert set(after.students) == {OTHER_ID}
    assert {v.user_id for v in after.votes} == {OTHER_ID}
    assert [row.user_id for row in class_stats.leaderboard(after)] == [OTHER_ID]
