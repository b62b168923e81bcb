"""Scenario run queries: one active run, position changes, attempts and the score that counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from storage import Database
from storage import scenarios as store
from storage.models import ScenarioRun
from storage.users import touch_user

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


async def recorded_user(db: Database, user_id: int = 1) -> None:
    await db.run(
        lambda s: touch_user(
            s, user_id=user_id, first_name="Sam", username=None, language=None, now=NOW
        )
    )


async def test_start_keeps_one_active_run_per_student(database: Database) -> None:
    await recorded_user(database)
    await recorded_user(database, 2)

    def start(s: Session) -> tuple[ScenarioRun, ScenarioRun, ScenarioRun]:
        first = store.start_run(s, user_id=1, scenario_id="gym_membership", now=NOW)
        other = store.start_run(s, user_id=2, scenario_id="gym_membership", now=NOW)
        second = store.start_run(s, user_id=1, scenario_id="b2b_software", now=NOW)
        return first, other, second

    first, other, second = await database.run(start)

    def check(s: Session) -> None:
        active = store.active_run(s, user_id=1)
        assert active is not None and active.id == second.id
        old = store.get_run(s, run_id=first.id or 0)
        assert old is not None and old.status == store.ABANDONED
        still = store.active_run(s, user_id=2)
        assert still is not None and still.id == other.id

    await database.run(check)


async def test_position_survives_a_new_session(database: Database) -> None:
    await recorded_user(database)
    later = NOW + timedelta(minutes=5)

    def tick_and_hint(s: Session) -> None:
        run = store.start_run(s, user_id=1, scenario_id="gym_membership", now=NOW)
        store.set_selected(s, run=run, selected=["age"], now=NOW)
        store.set_selected(s, run=run, selected=[*run.selected, "income"], now=NOW)
        assert store.use_hint(s, run=run, now=NOW) == 1

    await database.run(tick_and_hint)

    def reload_and_advance(s: Session) -> None:
        loaded = store.active_run(s, user_id=1)
        assert loaded is not None
        assert loaded.selected == ["age", "income"]
        assert loaded.hints_used == 1
        store.advance(s, run=loaded, now=later)

    await database.run(reload_and_advance)

    def check(s: Session) -> None:
        moved = store.active_run(s, user_id=1)
        assert moved is not None
        assert (moved.step_index, moved.hints_used, moved.selected) == (1, 0, [])
        assert moved.updated_at == later

    await database.run(check)


async def test_best_attempt_counts_until_the_answer_is_revealed(database: Database) -> None:
    await recorded_user(database)

    def attempt(s: Session) -> ScenarioRun:
        run = store.start_run(s, user_id=1, scenario_id="gym_membership", now=NOW)
        for score, revealed in [(0.25, False), (0.75, False), (0.5, False), (0.75, True)]:
            store.add_attempt(
                s,
                run=run,
                step_id="a",
                answer="x",
                score=score,
                points_made=["p"],
                now=NOW,
                revealed=revealed,
            )
        # after the reveal, practice cannot raise the score
        store.add_attempt(
            s, run=run, step_id="a", answer="x", score=1.0, points_made=[], now=NOW, revealed=True
        )
        store.add_attempt(
            s,
            run=run,
            step_id="b",
            answer="",
            score=0.0,
            points_made=[],
            now=NOW,
            revealed=True,
            misconceptions=["mc_static_profiles"],
        )
        return run

    run = await database.run(attempt)

    def check(s: Session) -> None:
        assert run.id is not None
        found = store.attempts(s, run_id=run.id, step_id="a")
        assert [a.score for a in found] == [0.25, 0.75, 0.5, 0.75, 1.0]
        best = store.best_attempt(found)
        assert best is not None and best.id == found[1].id
        assert store.step_scores(s, run_id=run.id) == {"a": 0.75, "b": 0.0}
        b = store.attempts(s, run_id=run.id, step_id="b")
        assert b[0].misconceptions == ["mc_static_profiles"]
        assert store.is_revealed(b) and not store.is_revealed(found[:3])

    await database.run(check)
    assert store.counted_score([]) == 0.0


async def test_best_scores_only_from_finished_runs(database: Database) -> None:
    await recorded_user(database)

    def play(s: Session) -> None:
        for score in (0.4, 0.9, 0.6):
            run = store.start_run(s, user_id=1, scenario_id="gym_membership", now=NOW)
            store.end_run(s, run=run, status=store.DONE, now=NOW, score=score)
        left = store.start_run(s, user_id=1, scenario_id="b2b_software", now=NOW)
        store.end_run(s, run=left, status=store.ABANDONED, now=NOW)
        store.start_run(s, user_id=1, scenario_id="online_fashion", now=NOW)

    await database.run(play)

    def check(s: Session) -> None:
        assert store.best_scores(s, user_id=1) == {"gym_membership": 0.9}
        assert store.best_scores(s, user_id=2) == {}

    await database.run(check)
