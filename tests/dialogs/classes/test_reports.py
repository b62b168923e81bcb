"""The tutor's class report: every number checked against a class built row by row, the text,
the CSV for a spreadsheet and the chart, through /report and its buttons.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from dialogs.classes import reports
from dialogs.classes import stats as class_stats
from dialogs.classes.lifecycle import bot_added
from dialogs.context import Person
from dialogs.replies import Document, Message, Photo, Reply
from dialogs.tutor import Turn, Tutor
from knowledge.base import KnowledgeBase
from storage import Database, challenges
from storage import group_quizzes as quiz_store
from storage import groups as store
from storage.models import (
    Group,
    MisconceptionHit,
    ReviewLog,
    ScenarioRun,
    StepAttempt,
    User,
)
from tests.conftest import NOON

OWNER = 999
GROUP = -100
AMIR, BEA, CODY = 1, 2, 3


def private(user: int = OWNER) -> Turn:
    return Turn(Person(user, "Tess"), user, NOON, "private")


def text_of(replies: Sequence[Reply]) -> str:
    return "\n".join(r.html for r in replies if isinstance(r, Message))


def day(d: int, hour: int = 10, month: int = 11) -> datetime:
    return datetime(2026, month, d, hour, tzinfo=UTC)


async def build_class(tutor: Tutor, database: Database) -> Group:
    """Three students: Amir (strong, active), Bea (middling), Cody (joined, did little)."""
    await bot_added(
        tutor.services, chat_id=GROUP, title="Class 3B", by=Person(OWNER, "Tess"), now=NOON
    )

    def build(s: Session) -> Group:
        group = store.group_by_chat(s, chat_id=GROUP)
        assert group is not None and group.id is not None
        for uid, name in ((AMIR, "Amir"), (BEA, "Bea"), (CODY, "=2+3")):
            s.add(User(id=uid, first_name=name, created_at=day(1), last_seen_at=day(2, 9)))
        s.flush()
        for uid in (AMIR, BEA, CODY):  # all three joined the class: their practice is shared
            store.join_class(s, group_id=group.id, user_id=uid, now=day(1))
        gym = challenges.create_challenge(
            s,
            group_id=group.id,
            scenario_id="gym_membership",
            created_by=OWNER,
            deadline=NOON + timedelta(days=2),
            now=day(1),
        )
        fashion = challenges.create_challenge(
            s,
            group_id=group.id,
            scenario_id="online_fashion",
            created_by=OWNER,
            deadline=NOON + timedelta(days=2),
            now=day(1),
        )
        runs = {
            "amir_gym": ScenarioRun(
                user_id=AMIR,
                scenario_id="gym_membership",
                status="done",
                score=0.8,
                challenge_id=gym.id,
                started_at=day(1),
                updated_at=day(1, 11),
            ),
            "bea_gym": ScenarioRun(
                user_id=BEA,
                scenario_id="gym_membership",
                status="done",
                score=0.6,
                challenge_id=gym.id,
                started_at=day(1),
                updated_at=day(1, 12),
            ),
            "cody_gym": ScenarioRun(
                user_id=CODY,
                scenario_id="gym_membership",
                status="active",
                challenge_id=gym.id,
                started_at=day(1),
                updated_at=day(1),
            ),
            "amir_fashion": ScenarioRun(
                user_id=AMIR,
                scenario_id="online_fashion",
                status="active",
                challenge_id=fashion.id,
                started_at=day(1),
                updated_at=day(1),
            ),
        }
        for stored in runs.values():
            s.add(stored)
        s.flush()
        for run, step, score in (
            ("amir_gym", "variables", 1.0),
            ("amir_gym", "motivations", 0.4),
            ("bea_gym", "motivations", 0.7),
            ("cody_gym", "motivations", 0.3),
            ("amir_fashion", "variables", 0.2),
        ):
            s.add(
                StepAttempt(
                    run_id=runs[run].id or 0, step_id=step, answer="...", score=score, at=day(1)
                )
            )
        quiz = quiz_store.create_quiz(
            s,
            group_id=group.id,
            created_by=OWNER,
            topic=None,
            size=2,
            now=day(2),
            results_due=day(2),
        )
        assert quiz.id is not None
        polls = []
        for position in range(2):
            poll = quiz_store.plan_poll(
                s,
                quiz_id=quiz.id,
                position=position,
                item_id="age",
                question=f"Q{position}",
                options=["a", "b"],
                correct_option=0,
                explanation="",
                open_seconds=40,
                due_at=day(2),
            )
            quiz_store.mark_poll_sent(
                s,
                record=poll,
                poll_id=f"P{position}",
                message_id=position,
                now=day(2),
                results_after=45,
            )
            polls.append(poll)
        for poll, user, option in (
            (polls[0], AMIR, 0),
            (polls[1], AMIR, 0),
            (polls[0], BEA, 0),
            (polls[1], BEA, 1),
        ):
            quiz_store.add_vote(s, record=poll, user_id=user, option=option, now=day(2))
        for user, item, rating, when in (
            (AMIR, "age", 3, day(1)),
            (AMIR, "lifestyle", 1, day(2)),
            (AMIR, "lifestyle", 1, day(2)),
            (BEA, "income", 3, day(20, month=10)),
        ):
            s.add(
                ReviewLog(
                    user_id=user, item_id=item, rating=rating, source="quiz", reviewed_at=when
                )
            )
        for user, mc in (
            (AMIR, "mc_demographics_only"),
            (AMIR, "mc_demographics_only"),
            (BEA, "mc_demographics_only"),
            (BEA, "mc_static_profiles"),
        ):
            s.add(
                MisconceptionHit(user_id=user, misconception_id=mc, context="scenario", at=day(1))
            )
        return group

    return await database.run(build)


async def test_every_number_in_the_report(
    tutor: Tutor, database: Database, kb: KnowledgeBase
) -> None:
    group = await build_class(tutor, database)
    facts = await class_stats.gather(database, group, owners={OWNER}, practice=True)
    report = reports.build_report(kb, facts, NOON, "Europe/London")
    assert (report.title, report.challenges, report.quizzes) == ("Class 3B", 2, 1)
    by_name = {s.name: s for s in report.students}
    assert [s.name for s in report.students] == ["Amir", "Bea", "=2+3"]  # most points first
    amir, bea, cody = by_name["Amir"], by_name["Bea"], by_name["=2+3"]
    assert (amir.completed, amir.challenges, amir.challenge_score) == (1, 2, 0.8)
    assert (amir.answered, amir.right, amir.points, amir.streak) == (2, 2, 10, 2)
    assert amir.top_misconception == "Demographics alone are not enough"
    assert (bea.completed, bea.challenge_score, bea.answered, bea.right, bea.points) == (
        1,
        0.6,
        2,
        1,
        7,
    )
    assert bea.streak == 0 and bea.last_active == day(2, 9)
    assert (cody.completed, cody.challenge_score, cody.answered, cody.points) == (0, None, 0, 0)
    # marking points: gym "motivations" missed by Amir (0.4) and Cody (0.3), not Bea (0.7);
    # "variables" fine for Amir in the gym (1.0), missed in fashion (0.2)
    misses = {m.key: (m.missed, m.tries) for m in report.marking_points}
    assert misses == {
        "mp_linkage": (2, 3),
        "tip_psycho_behavioural_profile": (2, 3),
        "mp_classification": (1, 2),
        "tip_command_words": (1, 2),
    }
    assert {m.key for m in report.marking_points[:2]} == {
        "mp_linkage",
        "tip_psycho_behavioural_profile",
    }
    assert report.misconceptions == [
        ("Demographics alone are not enough", 3, 2),
        ("Profiles need updating", 1, 1),
    ]
    mastery = [(b.base, b.right, b.answers) for b in report.bases]
    assert mastery[:2] == [("psychographic", 0, 2), ("demographic", 2, 2)]
    assert {b.base for b in report.bases[2:]} == {"behavioural", "geographic", "firmographic"}
    assert all(b.mastery is None for b in report.bases[2:])

    text = reports.report_html(report)
    assert "3 students · 2 challenges · 1 quizzes" in text
    assert "<b>Amir</b>: challenges 1/2 (avg 80%) · quiz 2/2 · 🔥 2 · last seen 2 Nov" in text
    assert "<b>=2+3</b>: challenges 0/2 · no quiz answers · no streak" in text
    assert "missed in 2 of 3 attempts (67%)" in text
    assert "Demographics alone are not enough: 3× (2 students)" in text
    assert "Psychographic: 0% right (2 answers)" in text
    assert "Not practised yet: Behavioural, Firmographic, Geographic" in text


async def test_the_csv_has_one_row_per_student_and_is_safe_in_a_spreadsheet(
    tutor: Tutor, database: Database, kb: KnowledgeBase
) -> None:
    group = await build_class(tutor, database)
    facts = await class_stats.gather(database, group, owners={OWNER}, practice=True)
    data = reports.report_csv(reports.build_report(kb, facts, NOON, "Europe/London"))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(reports.CSV_HEADER)
    assert rows[1] == [
        "Amir",
        "1",
        "1",
        "2",
        "80",
        "2",
        "2",
        "100",
        "10",
        "2026-11-02 09:00",
        "2",
        "Demographics alone are not enough",
    ]
    assert rows[2][:9] == ["Bea", "2", "1", "2", "60", "2", "1", "50", "7"]
    assert rows[3][0] == "'=2+3" and rows[3][4] == "" and rows[3][7] == ""
    assert len(rows) == 4


async def test_report_command_sends_text_chart_and_csv_to_the_tutor(
    tutor: Tutor, database: Database
) -> None:
    group = await build_class(tutor, database)
    replies = await tutor.on_command(private(), "report", "")
    message, chart = replies
    assert isinstance(message, Message) and isinstance(chart, Photo)
    assert "Class report</b>: Class 3B" in message.html
    assert chart.png.startswith(b"\x89PNG") and len(chart.png) > 5_000
    assert [b.data for row in message.buttons for b in row] == [f"tu:c:{group.id}"]
    [document] = await tutor.on_command(private(), "report", "3b csv")
    assert isinstance(document, Document)
    assert document.filename == "report_class_3b_20261102.csv"
    assert document.content.decode("utf-8-sig").count("\r\n") == 4
    pressed = await tutor.on_button(private(), f"tu:c:{group.id}")
    assert isinstance(pressed.replies[0], Document)
    unknown = await tutor.on_command(private(), "report", "year 9")
    assert "I don't see a group called" in text_of(unknown)
    assert "Which group?" in text_of(unknown)


async def test_a_tutor_with_several_groups_picks_one(tutor: Tutor) -> None:
    for chat, title in ((-100, "Class 3B"), (-200, "Class 4A")):
        await bot_added(
            tutor.services, chat_id=chat, title=title, by=Person(OWNER, "Tess"), now=NOON
        )
    [picker] = await tutor.on_command(private(), "report", "")
    assert isinstance(picker, Message) and "Which group?" in picker.html
    assert [b.label for row in picker.buttons for b in row] == ["Class 3B", "Class 4A"]
    only = await tutor.on_command(private(), "report", "4a")
    assert "Class report</b>: Class 4A" in text_of(only)
    assert "No students yet" in text_of(only)


def test_the_chart_draws_with_no_data_at_all(kb: KnowledgeBase) -> None:
    empty = reports.ClassReport(
        title="Empty",
        timezone="Europe/London",
        made_at=NOON,
        students=[],
        challenges=0,
        quizzes=0,
        marking_points=[],
        misconceptions=[],
        bases=class_stats.base_mastery(kb, []),
    )
    assert reports.report_chart(empty).startswith(b"\x89PNG")
    assert "No students yet" in reports.report_html(empty)
