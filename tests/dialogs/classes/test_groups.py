"""Challenges in a group through the Tutor: bad arguments, the post, students joining through the
deep link and walking the scenario, results at the deadline and on /close, the leaderboard,
forum topics, removal and supergroup migration.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, select

from dialogs.classes import lifecycle
from dialogs.classes import posts as group_posts
from dialogs.context import Person, Services
from dialogs.replies import Message, Poll, Reply
from dialogs.tutor import Turn, Tutor
from knowledge.base import KnowledgeBase
from storage import Database
from storage.models import Challenge, Group, ScenarioRun, User
from tests.conftest import NOON

OWNER = 999
GROUP = -100
GYM = "gym_membership"


def group_turn(
    user: int, name: str = "Sam", *, now: datetime = NOON, thread_id: int | None = None
) -> Turn:
    return Turn(Person(user, name), GROUP, now, "supergroup", thread_id=thread_id)


def private_turn(user: int, name: str = "Sam", *, now: datetime = NOON) -> Turn:
    return Turn(Person(user, name), user, now, "private")


def text_of(replies: Sequence[Reply]) -> str:
    return "\n".join(r.html for r in replies if isinstance(r, Message))


def urls_of(replies: Sequence[Reply]) -> str:
    messages = [r for r in replies if isinstance(r, Message)]
    return "\n".join(b.url for m in messages for row in m.buttons for b in row if b.url)


async def set_challenge(
    tutor: Tutor, args: str = "gym 48h", *, now: datetime = NOON, thread_id: int | None = None
) -> int:
    turn = group_turn(OWNER, "Tess", now=now, thread_id=thread_id)
    replies = await tutor.on_command(turn, "challenge", args)
    found = re.search(r"start=ch_(\d+)", urls_of(replies))
    assert found, text_of(replies)
    return int(found.group(1))


async def walk(
    tutor: Tutor, database: Database, kb: KnowledgeBase, user: int, name: str, *, weak: bool
) -> None:
    """Finish the gym scenario as ``user``: model answers, or thin ones on "motivations"."""
    scenario = kb.scenarios[GYM]
    for index, step in enumerate(scenario.steps):
        run = await database.run(
            lambda s: s.exec(
                select(ScenarioRun).where(
                    ScenarioRun.user_id == user, ScenarioRun.status == "active"
                )
            ).one()
        )
        me = private_turn(user, name)
        if step.choices:
            for choice in step.correct_choices:
                await tutor.on_button(me, f"s:{run.id}:{index}:t:{step.choices.index(choice)}")
            await tutor.on_button(me, f"s:{run.id}:{index}:d")
        elif weak and step.kind == "motivations":
            await tutor.on_text(me, "They like the music.")
        else:
            await tutor.on_text(me, step.model_answer)
        outcome = await tutor.on_button(me, f"s:{run.id}:{index}:n")
        assert outcome.toast is None, outcome.toast


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("no_such_case 48h", "I don't know the scenario 'no_such_case'"),
        ("gym -5h", "in the past"),
        ("gym 2026-10-01", "in the past"),
        ("gym 2026-02-30", "isn't a real date"),
        ("gym 5m", "at least 10 minutes"),
        ("gym 90d", "at most 30 days"),
        ("gym soonish", "I don't know the scenario 'soonish'"),
        ("gym bank 48h", "I don't know the scenario 'bank'"),
    ],
)
async def test_bad_challenge_arguments_get_a_usage_line_and_change_nothing(
    tutor: Tutor, database: Database, args: str, expected: str
) -> None:
    replies = await tutor.on_command(group_turn(OWNER, "Tess"), "challenge", args)
    text = text_of(replies)
    assert expected in text.replace("&#x27;", "'")
    assert "Usage: /challenge [scenario] [deadline]" in text
    assert await database.run(lambda s: s.exec(select(Challenge)).all()) == []


async def test_the_post_has_title_context_local_deadline_and_a_private_link(
    tutor: Tutor, kb: KnowledgeBase, database: Database
) -> None:
    await lifecycle.bot_added(
        tutor.services, chat_id=GROUP, title="Class 3B", by=Person(OWNER, "Tess"), now=NOON
    )
    challenge_id = await set_challenge(tutor, "gym_membership 2026-11-05")
    scenario = kb.scenarios[GYM]
    challenge = await database.run(lambda s: s.get(Challenge, challenge_id))
    assert challenge is not None
    # 23:59 on the 5th in London (GMT in November)
    assert challenge.deadline == datetime(2026, 11, 5, 23, 59, tzinfo=NOON.tzinfo)
    posted = await tutor.on_command(group_turn(OWNER, "Tess"), "close", "")
    assert "Challenge closed" in text_of(posted)
    again = await tutor.on_command(group_turn(OWNER, "Tess"), "challenge", "gym 48h")
    [post] = again
    assert isinstance(post, Message)
    assert scenario.title in post.html and scenario.context[:40] in post.html.replace("&amp;", "&")
    assert "Wed 4 Nov, 12:00" in post.html and "Europe/London" in post.html
    assert [(b.url, b.data) for row in post.buttons for b in row] == [
        ("https://t.me/RevisionTutorBot?start=ch_2", ""),
        (None, "g:me:2"),
    ]


async def test_several_students_take_part_and_the_deadline_posts_results(
    tutor: Tutor, database: Database, kb: KnowledgeBase
) -> None:
    services: Services = tutor.services
    await lifecycle.bot_added(
        services, chat_id=GROUP, title="Class 3B", by=Person(OWNER, "Tess"), now=NOON
    )
    challenge_id = await set_challenge(tutor)
    students = {1: "Amir", 2: "Bea", 3: "Cody", 4: "Dot"}
    for user, name in students.items():
        joined = await tutor.on_command(private_turn(user, name), "start", f"ch_{challenge_id}")
        text = text_of(joined)
        assert "Class challenge" in text and "from Class 3B" in text and "Step 1/7" in text
    await walk(tutor, database, kb, 1, "Amir", weak=False)
    await walk(tutor, database, kb, 2, "Bea", weak=True)
    await walk(tutor, database, kb, 3, "Cody", weak=True)
    # Dot started but did not finish; Bea hides her name from the class

    def hide_bea(s: Session) -> Sequence[ScenarioRun]:
        bea = s.get(User, 2)
        assert bea is not None
        bea.hide_name = True
        s.add(bea)
        return s.exec(select(ScenarioRun)).all()

    runs = await database.run(hide_bea)
    assert {r.user_id: r.challenge_id for r in runs} == {u: challenge_id for u in students}
    scores = {r.user_id: r.score for r in runs if r.status == "done"}
    assert scores[1] is not None and scores[2] is not None and scores[1] > scores[2]

    # a student's own progress, shown only to them
    mine = await tutor.on_button(group_turn(4, "Dot"), f"g:me:{challenge_id}")
    assert mine.alert and "In progress: step 1 of 7" in (mine.toast or "")
    done = await tutor.on_button(group_turn(1, "Amir"), f"g:me:{challenge_id}")
    assert f"{round(scores[1] * 100)}%" in (done.toast or "")

    assert await group_posts.due_posts(services, NOON + timedelta(hours=47)) == []
    posts = await group_posts.due_posts(services, NOON + timedelta(hours=48))
    [post] = posts
    assert post.chat_id == GROUP and isinstance(post.reply, Message)
    results = post.reply.html
    assert "Challenge closed" in results
    assert "4 took part and 3 finished" in results
    podium = results[results.index("Top scores") :]
    assert f"🥇 Amir: {round(scores[1] * 100)}%" in podium
    assert "Bea" not in results and "A classmate" in podium
    assert "Teaching moment" in results and "2 of 3 answers to step 3 (Motivations)" in results
    motives = next(s for s in kb.scenarios[GYM].steps if s.kind == "motivations")
    assert any(p.text.rstrip(".").replace("&", "&amp;") in results for p in motives.key_points)
    # posted once; the link now says it is closed
    assert await group_posts.due_posts(services, NOON + timedelta(hours=49)) == []
    late = await tutor.on_command(private_turn(5, "Eve"), "start", f"ch_{challenge_id}")
    assert "closed on" in text_of(late) and "/scenario gym_membership" in text_of(late)


async def test_finished_students_are_told_and_broken_links_explained(
    tutor: Tutor, database: Database, kb: KnowledgeBase
) -> None:
    challenge_id = await set_challenge(tutor)
    await tutor.on_command(private_turn(1), "start", f"ch_{challenge_id}")
    await walk(tutor, database, kb, 1, "Sam", weak=False)
    again = await tutor.on_command(private_turn(1), "start", f"ch_{challenge_id}")
    assert "already finished" in text_of(again)
    for payload in ("ch_999", "ch_x1", "ch_"):
        broken = await tutor.on_command(private_turn(1), "start", payload)
        assert "can't find" in text_of(broken) or "looks broken" in text_of(broken)
    in_group = await tutor.on_command(group_turn(1), "start", f"ch_{challenge_id}")
    assert "private chat" in text_of(in_group)


async def test_close_posts_results_now_and_the_deadline_does_not_post_again(
    tutor: Tutor, database: Database
) -> None:
    challenge_id = await set_challenge(tutor)
    await tutor.on_command(private_turn(1, "Amir"), "start", f"ch_{challenge_id}")
    closed = await tutor.on_command(
        group_turn(OWNER, "Tess", now=NOON + timedelta(hours=1)), "close", ""
    )
    assert "1 took part and 0 finished" in text_of(closed)
    assert await group_posts.due_posts(tutor.services, NOON + timedelta(hours=49)) == []
    nothing = await tutor.on_command(group_turn(OWNER, "Tess"), "close", "")
    assert "Nothing is open" in text_of(nothing)


async def test_leaderboard_week_and_all_time_with_first_names_only(
    tutor: Tutor, database: Database, kb: KnowledgeBase
) -> None:
    old = await set_challenge(tutor, "gym 48h", now=NOON - timedelta(days=10))
    await tutor.on_command(
        private_turn(1, "Amir", now=NOON - timedelta(days=10)), "start", f"ch_{old}"
    )

    def finish_amir(s: Session) -> None:
        run = s.exec(select(ScenarioRun)).one()
        run.status, run.score, run.updated_at = "done", 0.84, NOON - timedelta(days=9)
        s.add(run)

    await database.run(finish_amir)
    new = await set_challenge(tutor)
    await tutor.on_command(private_turn(2, "Bea Smith"), "start", f"ch_{new}")

    def finish_bea(s: Session) -> None:
        run = s.exec(select(ScenarioRun).where(ScenarioRun.user_id == 2)).one()
        run.status, run.score, run.updated_at = "done", 0.5, NOON
        s.add(run)

    await database.run(finish_bea)
    week = text_of(await tutor.on_command(group_turn(3, "Cody"), "leaderboard", ""))
    assert "🥇 Bea Smith: 5 pts" in week and "Amir" not in week
    every = text_of(await tutor.on_command(group_turn(3, "Cody"), "leaderboard", "all"))
    assert every.index("Amir: 8 pts") < every.index("Bea Smith: 5 pts")
    bad = text_of(await tutor.on_command(group_turn(3), "leaderboard", "forever"))
    assert "Usage: /leaderboard [week|all]" in bad
    own = text_of(await tutor.on_command(private_turn(1, "Amir"), "leaderboard", "all"))
    assert "8 pts, rank 1 of 2" in own and "Bea" not in own


async def test_a_forum_topic_gets_the_challenge_results_in_the_same_thread(
    tutor: Tutor,
) -> None:
    await set_challenge(tutor, "gym 1h", thread_id=42)
    [post] = await group_posts.due_posts(tutor.services, NOON + timedelta(hours=1))
    assert post.thread_id == 42


async def test_removal_stops_everything_and_migration_keeps_the_history(
    tutor: Tutor, database: Database
) -> None:
    services = tutor.services
    challenge_id = await set_challenge(tutor)
    await tutor.on_command(group_turn(OWNER, "Tess"), "schedule", "daily 09:00 quiz 3")
    await lifecycle.group_migrated(services, old_chat_id=GROUP, new_chat_id=-1009)
    group = await database.run(lambda s: s.exec(select(Group)).one())
    assert group.chat_id == -1009
    moved = Turn(Person(OWNER, "Tess"), -1009, NOON, "supergroup")
    listing = text_of(await tutor.on_command(moved, "schedule", ""))
    assert "Every day 09:00" in listing
    assert await lifecycle.bot_removed(services, chat_id=-1009, now=NOON)
    assert await group_posts.due_posts(services, NOON + timedelta(days=3)) == []
    challenge = await database.run(lambda s: s.get(Challenge, challenge_id))
    assert challenge is not None and challenge.status == "cancelled"
    assert not await lifecycle.bot_removed(services, chat_id=-555, now=NOON)


async def test_a_tutor_previews_scenarios_and_quiz_polls_privately(
    tutor: Tutor, kb: KnowledgeBase, database: Database
) -> None:
    me = private_turn(OWNER, "Tess")
    [listing] = await tutor.on_command(me, "challenge", "")
    assert isinstance(listing, Message)
    assert [b.data for row in listing.buttons for b in row] == [f"tu:p:{s}" for s in kb.scenarios]
    outcome = await tutor.on_button(me, f"tu:p:{GYM}")
    intro, steps = outcome.replies
    scenario = kb.scenarios[GYM]
    assert scenario.title in (intro.html if isinstance(intro, Message) else intro.caption_html)  # type: ignore[union-attr]
    assert isinstance(steps, Message)
    assert "Tutor preview" in steps.html and "/challenge gym_membership 48h" in steps.html
    assert steps.html.count("Marks:") == len(scenario.steps)
    assert [b.data for row in steps.buttons for b in row] == [f"s:start:{GYM}"]
    unknown = await tutor.on_command(me, "challenge", "atlantis")
    assert "I don't know the scenario" in text_of(unknown)
    preview, poll = await tutor.on_command(me, "groupquiz", "3 kpis")
    assert "posts 3 polls like this one" in text_of([preview])
    assert isinstance(poll, Poll) and not poll.key
    assert await database.run(lambda s: s.exec(select(Challenge)).all()) == []
