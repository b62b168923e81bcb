"""Storage for classes in groups: records, migration, removal, polls and votes, challenge runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from storage import Database, challenges, schedules
from storage import group_quizzes as quiz_store
from storage import groups as store
from storage import tutors as tutor_store
from storage.models import (
    Challenge,
    Group,
    GroupMember,
    GroupQuiz,
    GroupSchedule,
    GroupTutor,
    PollRecord,
    ScenarioRun,
    User,
)

NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


async def _users(db: Database, *ids: int) -> None:
    def add(s: Session) -> None:
        for uid in ids:
            s.add(User(id=uid, first_name=f"U{uid}", created_at=NOON, last_seen_at=NOON))

    await db.run(add)


async def test_a_group_is_recorded_once_and_comes_back_after_removal(database: Database) -> None:
    def record_twice(s: Session) -> Group:
        first = store.ensure_group(s, chat_id=-5, title="3B", now=NOON)
        again = store.ensure_group(s, chat_id=-5, title="", now=NOON)
        assert again.id == first.id and again.title == "3B"
        store.deactivate_group(s, group=again, now=NOON)
        return first

    first = await database.run(record_twice)

    def check_back(s: Session) -> None:
        gone = store.group_by_chat(s, chat_id=-5)
        assert gone is not None and not gone.active and gone.removed_at == NOON
        back = store.ensure_group(s, chat_id=-5, title="3B 2027", now=NOON + timedelta(1))
        assert back.id == first.id and back.active and back.title == "3B 2027"

    await database.run(check_back)


async def test_removal_cancels_schedules_open_challenges_and_unsent_polls(
    database: Database,
) -> None:
    def plan_everything(s: Session) -> tuple[GroupSchedule, Challenge, GroupQuiz, PollRecord]:
        group = store.ensure_group(s, chat_id=-5, title="3B", now=NOON)
        assert group.id is not None
        schedule = schedules.add_schedule(
            s,
            group_id=group.id,
            created_by=1,
            kind="quiz",
            weekday=0,
            hour=9,
            minute=0,
            timezone="Europe/London",
            params={"size": 5},
            next_run=NOON,
            now=NOON,
        )
        challenge = challenges.create_challenge(
            s,
            group_id=group.id,
            scenario_id="gym_membership",
            created_by=1,
            deadline=NOON + timedelta(hours=1),
            now=NOON,
        )
        quiz = quiz_store.create_quiz(
            s, group_id=group.id, created_by=1, topic=None, size=1, now=NOON, results_due=NOON
        )
        assert quiz.id is not None
        poll = quiz_store.plan_poll(
            s,
            quiz_id=quiz.id,
            position=0,
            item_id="age",
            question="Q?",
            options=["a", "b"],
            correct_option=0,
            explanation="",
            open_seconds=40,
            due_at=NOON,
        )
        store.deactivate_group(s, group=group, now=NOON)
        return schedule, challenge, quiz, poll

    schedule, challenge, quiz, poll = await database.run(plan_everything)
    quiz_id = quiz.id
    assert quiz_id is not None

    def check_cancelled(s: Session) -> None:
        assert schedules.get_schedule(s, schedule_id=schedule.id or 0).status == "cancelled"  # type: ignore[union-attr]
        assert challenges.get_challenge(s, challenge_id=challenge.id or 0).status == "cancelled"  # type: ignore[union-attr]
        assert quiz_store.get_quiz(s, quiz_id=quiz_id).status == "cancelled"  # type: ignore[union-attr]
        assert quiz_store.get_poll(s, record_id=poll.id or 0).status == "cancelled"  # type: ignore[union-attr]
        later = NOON + timedelta(days=9)
        assert schedules.due_schedules(s, now=later) == []
        assert challenges.due_challenges(s, now=later) == []
        assert quiz_store.due_polls(s, now=later) == []

    await database.run(check_cancelled)


async def test_migration_moves_the_chat_id_and_merges_a_record_made_meanwhile(
    database: Database,
) -> None:
    await _users(database, 1, 2)

    def migrate(s: Session) -> int:
        old = store.ensure_group(s, chat_id=-4001, title="3B", now=NOON)
        new = store.ensure_group(s, chat_id=-1004001, title="3B", now=NOON)
        assert old.id is not None and new.id is not None
        store.touch_member(s, group_id=old.id, user_id=1, now=NOON)
        store.touch_member(s, group_id=new.id, user_id=1, now=NOON)
        store.touch_member(s, group_id=new.id, user_id=2, now=NOON)
        tutor_store.link_tutor(s, group_id=new.id, user_id=2, source="tutor", now=NOON)
        challenges.create_challenge(
            s,
            group_id=new.id,
            scenario_id="gym_membership",
            created_by=2,
            deadline=NOON + timedelta(hours=2),
            now=NOON,
        )
        moved = store.migrate_group(s, old_chat_id=-4001, new_chat_id=-1004001)
        assert moved is not None and moved.id == old.id and moved.chat_id == -1004001
        return old.id

    old_id = await database.run(migrate)

    def check_merged(s: Session) -> None:
        assert store.group_by_chat(s, chat_id=-4001) is None
        members = store.members(s, group_id=old_id)
        assert sorted(m.user_id for m in members) == [1, 2]
        assert tutor_store.is_group_tutor(s, group_id=old_id, user_id=2)
        assert len(challenges.open_challenges(s, group_id=old_id)) == 1
        rows = s.exec(select(GroupMember)).all()
        assert len(rows) == 2
        assert len(s.exec(select(GroupTutor)).all()) == 1
        # Telegram tells both chats: the second notice changes nothing.
        again = store.migrate_group(s, old_chat_id=-4001, new_chat_id=-1004001)
        assert again is not None and again.id == old_id

    await database.run(check_merged)


async def test_polls_come_one_per_quiz_in_order_and_results_wait_for_the_last(
    database: Database,
) -> None:
    def plan(s: Session) -> tuple[GroupQuiz, list[PollRecord]]:
        group = store.ensure_group(s, chat_id=-5, title="3B", now=NOON)
        assert group.id is not None
        quiz = quiz_store.create_quiz(
            s, group_id=group.id, created_by=1, topic=None, size=2, now=NOON, results_due=NOON
        )
        assert quiz.id is not None
        records = [
            quiz_store.plan_poll(
                s,
                quiz_id=quiz.id,
                position=i,
                item_id="age",
                question=f"Q{i}",
                options=["a", "b"],
                correct_option=1,
                explanation="",
                open_seconds=40,
                due_at=NOON + timedelta(seconds=45 * i),
            )
            for i in range(2)
        ]
        return quiz, records

    quiz, records = await database.run(plan)

    def send_in_turn(s: Session) -> None:
        assert [r.id for r in quiz_store.due_polls(s, now=NOON + timedelta(hours=1))] == [
            records[0].id
        ]
        assert quiz_store.due_quiz_results(s, now=NOON + timedelta(hours=1)) == []
        quiz_store.mark_poll_sent(
            s, record=records[0], poll_id="P0", message_id=1, now=NOON, results_after=45
        )
        assert quiz_store.due_polls(s, now=NOON + timedelta(seconds=44)) == []
        due = quiz_store.due_polls(s, now=NOON + timedelta(seconds=45))
        assert [r.id for r in due] == [records[1].id]
        quiz_store.mark_poll_sent(
            s,
            record=due[0],
            poll_id="P1",
            message_id=2,
            now=NOON + timedelta(seconds=50),
            results_after=45,
        )
        assert quiz_store.due_quiz_results(s, now=NOON + timedelta(seconds=94)) == []
        finished = quiz_store.due_quiz_results(s, now=NOON + timedelta(seconds=95))
        assert [q.id for q in finished] == [quiz.id]
        found = quiz_store.poll_by_telegram_id(s, poll_id="P1")
        assert found is not None and found.position == 1

    await database.run(send_in_turn)


async def test_a_second_answer_to_the_same_poll_is_not_counted(database: Database) -> None:
    await _users(database, 1)

    def vote_twice(s: Session) -> None:
        group = store.ensure_group(s, chat_id=-5, title="3B", now=NOON)
        assert group.id is not None
        quiz = quiz_store.create_quiz(
            s, group_id=group.id, created_by=1, topic=None, size=1, now=NOON, results_due=NOON
        )
        assert quiz.id is not None
        record = quiz_store.plan_poll(
            s,
            quiz_id=quiz.id,
            position=0,
            item_id="age",
            question="Q",
            options=["a", "b"],
            correct_option=1,
            explanation="",
            open_seconds=40,
            due_at=NOON,
        )
        first = quiz_store.add_vote(s, record=record, user_id=1, option=1, now=NOON)
        second = quiz_store.add_vote(s, record=record, user_id=1, option=0, now=NOON)
        assert first is not None and first.correct
        assert second is None
        votes = quiz_store.votes_for(s, record_ids=[record.id or 0])
        assert [(v.user_id, v.option) for v in votes] == [(1, 1)]

    await database.run(vote_twice)


async def test_runs_count_for_a_challenge_only_after_entering_and_before_the_deadline(
    database: Database,
) -> None:
    await _users(database, 1, 2)
    deadline = NOON + timedelta(hours=48)

    def enter_and_claim(s: Session) -> None:
        group = store.ensure_group(s, chat_id=-5, title="3B", now=NOON)
        assert group.id is not None
        challenge = challenges.create_challenge(
            s,
            group_id=group.id,
            scenario_id="gym_membership",
            created_by=9,
            deadline=deadline,
            now=NOON,
        )
        assert challenge.id is not None
        # before entering (finished): not counted; after entering: counted; other scenario: not
        s.add(
            ScenarioRun(
                user_id=1,
                scenario_id="gym_membership",
                status="done",
                started_at=NOON - timedelta(hours=1),
                updated_at=NOON,
            )
        )
        challenges.enter_challenge(s, challenge_id=challenge.id, user_id=1, now=NOON)
        s.add(
            ScenarioRun(
                user_id=1,
                scenario_id="gym_membership",
                status="done",
                started_at=NOON + timedelta(hours=1),
                updated_at=NOON,
            )
        )
        s.add(
            ScenarioRun(
                user_id=1,
                scenario_id="online_fashion",
                status="active",
                started_at=NOON + timedelta(hours=1),
                updated_at=NOON,
            )
        )
        # someone who never entered: not counted
        s.add(
            ScenarioRun(
                user_id=2,
                scenario_id="gym_membership",
                status="active",
                started_at=NOON + timedelta(hours=1),
                updated_at=NOON,
            )
        )
        s.flush()
        assert challenges.claim_runs(s, challenge=challenge) == 1
        assert challenges.claim_runs(s, challenge=challenge) == 0
        runs = challenges.challenge_runs(s, challenge_ids=[challenge.id])
        assert [(r.user_id, r.started_at) for r in runs] == [(1, NOON + timedelta(hours=1))]
        again = challenges.enter_challenge(s, challenge_id=challenge.id, user_id=1, now=deadline)
        assert again.joined_at == NOON

    await database.run(enter_and_claim)
