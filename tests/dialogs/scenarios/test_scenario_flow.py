"""Scenarios through the Tutor: list, start, steps, buttons, help, bad input, state, the end."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from dialogs.replies import ButtonOutcome, Message, Reply
from dialogs.text import esc
from dialogs.tutor import Turn, Tutor
from knowledge.base import KnowledgeBase
from knowledge.models import Scenario
from storage import Database
from storage import scenarios as store
from storage.models import Card, MisconceptionHit, ScenarioRun, StepAttempt
from tests.conftest import NOON

Turns = Callable[..., Turn]
GYM = "gym_membership"


def _texts(replies: Sequence[Reply]) -> str:
    return "\n".join(r.html for r in replies if isinstance(r, Message))


def _labels(replies: Sequence[Reply]) -> list[str]:
    return [b.label for r in replies if isinstance(r, Message) for row in r.buttons for b in row]


def _button(replies: Sequence[Reply] | Message, label: str) -> str:
    """The data of the first button whose label contains ``label``, in the given replies."""
    messages = [replies] if isinstance(replies, Message) else replies
    for reply in messages:
        for row in getattr(reply, "buttons", ()):
            for button in row:
                if label in button.label:
                    return str(button.data)
    raise AssertionError(f"no button {label!r}")


async def _run(database: Database, user: int = 1) -> ScenarioRun:
    run = await database.run(lambda s: store.active_run(s, user_id=user))
    assert run is not None
    return run


async def _attempts(database: Database, run_id: int | None) -> list[StepAttempt]:
    assert run_id is not None
    return await database.run(lambda s: store.attempts(s, run_id=run_id))


def _index(scenario: Scenario, kind: str) -> int:
    return next(i for i, s in enumerate(scenario.steps) if s.kind == kind)


async def _start(tutor: Tutor, turn: Turns, scenario_id: str = GYM) -> list[Reply]:
    return await tutor.on_command(turn(), "scenario", scenario_id)


async def _skip_to(tutor: Tutor, turn: Turns, database: Database, index: int) -> None:
    """Reveal model answers until step ``index`` is waiting."""
    while (run := await _run(database)).step_index < index:
        outcome = await tutor.on_button(turn(), f"s:{run.id}:{run.step_index}:m")
        assert outcome.toast is None


async def test_list_shows_title_market_steps_and_best_score(
    tutor: Tutor, turn: Turns, database: Database, kb: KnowledgeBase
) -> None:
    await tutor.on_command(turn(), "start", "")  # the student exists from first contact

    def finished_run(s: Session) -> None:
        run = store.start_run(s, user_id=1, scenario_id=GYM, now=NOON)
        store.end_run(s, run=run, status=store.DONE, now=NOON, score=0.8)

    await database.run(finished_run)
    [listing] = await tutor.on_command(turn(), "scenario", "")
    assert isinstance(listing, Message)
    labels = [b.label for row in listing.buttons for b in row]
    assert len(labels) == len(kb.scenarios)
    gym = kb.scenarios[GYM]
    assert any(
        lbl.startswith("Pulse Gym") and "B2C" in lbl and f"{len(gym.steps)} steps" in lbl
        for lbl in labels
    )
    assert any("B2B" in lbl for lbl in labels)
    assert [x for x in labels if "best" in x] == [next(x for x in labels if "Pulse Gym" in x)]
    assert next(x for x in labels if "Pulse Gym" in x).endswith("best 80%")
    # a list button starts the scenario
    outcome = await tutor.on_button(turn(), _button(listing, "Pulse Gym"))
    assert "Step 1/" in _texts(outcome.replies)
    assert (await _run(database)).scenario_id == GYM


async def test_start_shows_context_and_a_phone_sized_table(
    tutor: Tutor, turn: Turns, kb: KnowledgeBase
) -> None:
    replies = await _start(tutor, turn)
    intro, step = replies
    assert isinstance(intro, Message) and isinstance(step, Message)
    assert "Pulse Gym" in intro.html and "B2C" in intro.html
    table = intro.html.split("<pre>")[1].split("</pre>")[0]
    assert all(len(line) <= 40 for line in table.splitlines())
    assert "Amy" in table
    assert kb.scenarios[GYM].steps[0].prompt.split()[0] in step.html
    assert "Step 1/7" in step.html


async def test_scenario_by_number_and_unknown_id(tutor: Tutor, turn: Turns) -> None:
    unknown = await tutor.on_command(turn(), "scenario", "no_such_case")
    assert "I don't have a scenario called" in _texts(unknown)
    numbered = await tutor.on_command(turn(user=2), "scenario", "2")
    assert "Step 1/" in _texts(numbered)


async def test_multi_select_ticks_edit_the_keyboard_and_done_grades(
    tutor: Tutor, turn: Turns, database: Database, kb: KnowledgeBase
) -> None:
    step = kb.scenarios[GYM].steps[0]
    assert step.choices
    replies = await _start(tutor, turn)
    run = await _run(database)
    right = step.choices.index(step.correct_choices[0])
    wrong = next(i for i, c in enumerate(step.choices) if c not in step.correct_choices)
    outcome = await tutor.on_button(turn(), f"s:{run.id}:0:t:{right}")
    assert outcome.edit is not None
    assert _button(outcome.edit, "✅").endswith(f":t:{right}")
    await tutor.on_button(turn(), f"s:{run.id}:0:t:{wrong}")
    assert (await _run(database)).selected == [step.choices[right], step.choices[wrong]]
    # untick and tick again: still both, in tick order
    await tutor.on_button(turn(), f"s:{run.id}:0:t:{wrong}")
    await tutor.on_button(turn(), f"s:{run.id}:0:t:{wrong}")
    done = await tutor.on_button(turn(), _button(replies, "Done"))
    assert done.edit is not None and not done.edit.buttons  # ticking is over
    feedback = _texts(done.replies)
    assert "✅ In the data" in feedback and "⚠️ Not in the data" in feedback
    [attempt] = await _attempts(database, run.id)
    assert attempt.score == 0.0  # one right minus one wrong
    assert _button(done.replies, "Try again").endswith(":r")
    assert _button(done.replies, "Next step").endswith(":n")


async def test_done_with_nothing_ticked_asks_first(
    tutor: Tutor, turn: Turns, database: Database
) -> None:
    await _start(tutor, turn)
    run = await _run(database)
    outcome = await tutor.on_button(turn(), f"s:{run.id}:0:d")
    assert outcome.toast is not None and "Tick at least one" in outcome.toast
    assert await _attempts(database, run.id) == []


async def test_typed_names_answer_a_choice_step(
    tutor: Tutor, turn: Turns, database: Database, kb: KnowledgeBase
) -> None:
    step = kb.scenarios[GYM].steps[0]
    await _start(tutor, turn)
    names = ", ".join(kb.variables[c].name for c in step.correct_choices)
    replies = await tutor.on_text(turn(), names)
    assert "100%" in _texts(replies)


async def test_stale_foreign_and_forged_buttons_change_nothing(
    tutor: Tutor, turn: Turns, database: Database
) -> None:
    first = await _start(tutor, turn)
    run = await _run(database)
    await tutor.on_button(turn(), f"s:{run.id}:0:m")  # model answer: now on step 2
    before = await _run(database)
    stale = await tutor.on_button(turn(), _button(first, "Done"))
    assert stale.toast is not None and "earlier step" in stale.toast
    assert not stale.replies and stale.edit is None
    foreign = await tutor.on_button(turn(user=2), f"s:{run.id}:1:m")
    assert foreign.toast is not None and "someone else" in foreign.toast
    for forged in ("s:abc", f"s:{run.id}:1:zz", f"s:{run.id}:1:t", "s:999:0:n", "s:start:nope"):
        outcome = await tutor.on_button(turn(), forged)
        assert outcome.toast and not outcome.replies, forged
    after = await _run(database)
    assert (after.step_index, after.hints_used) == (before.step_index, before.hints_used)
    assert len(await _attempts(database, run.id)) == 1


async def test_free_text_feedback_names_points_made_and_missing(
    tutor: Tutor, turn: Turns, database: Database, kb: KnowledgeBase
) -> None:
    await _start(tutor, turn)
    await _skip_to(tutor, turn, database, _index(kb.scenarios[GYM], "motivations"))
    replies = await tutor.on_text(turn(), "They go with their mates for fun and it is cheap.")
    text = _texts(replies)
    assert "✅ Social fun" in text and "✅ Price led" in text
    assert "❌ Fitness image" in text and "❌ Link behaviour" in text
    assert "50%" in text and "2 of 4 key points" in text
    # Partly right: one question about a missing point comes before hints.
    step = kb.scenarios[GYM].steps[_index(kb.scenarios[GYM], "motivations")]
    ask = next(p.ask for p in step.key_points if p.id == "fitness_image")
    assert ask is not None and esc(ask) in text
    for label in ("Not sure", "Model answer", "Next step"):
        _button(replies, label)
    # The reply to it adds to the first answer, and the usual choices follow.
    more = await tutor.on_text(turn(), "they pick hiit because they want to look good")
    text = _texts(more)
    assert "✅ Social fun" in text and "✅ Fitness image" in text and "3 of 4 key points" in text
    for label in ("Try again", "Hint", "Model answer", "Next step"):
        _button(more, label)
    attempts = await _attempts(database, (await _run(database)).id)
    assert [a.score for a in attempts if a.step_id == step.id] == [0.5, 0.75]


async def test_saying_the_opposite_of_a_point_is_named_and_costs_a_mark(
    tutor: Tutor, turn: Turns, database: Database, kb: KnowledgeBase
) -> None:
    await _start(tutor, turn)
    await _skip_to(tutor, turn, database, _index(kb.scenarios[GYM], "motivations"))
    replies = await tutor.on_text(
        turn(), "they have fun with their mates. price doesnt matter to them"
    )
    text = _texts(replies)
    assert "✅ Social fun" in text and "⚠️ Price led: you said the opposite" in text
    assert "0%" in text  # one point made, one taken away


async def test_not_sure_to_a_follow_up_question_gives_the_first_hint(
    tutor: Tutor, turn: Turns, database: Database, kb: KnowledgeBase
) -> None:
    await _start(tutor, turn)
    await _skip_to(tutor, turn, database, _index(kb.scenarios[GYM], "motivations"))
    replies = await tutor.on_text(turn(), "They go with their mates for fun and it is cheap.")
    outcome = await tutor.on_button(turn(), _button(replies, "Not sure"))
    assert "Hint 1/" in _texts(outcome.replies)
    assert (await _run(database)).follow_up is None
    again = await tutor.on_button(turn(), _button(replies, "Not sure"))
    assert again.toast is not None and "moved on" in again.toast


async def test_hint_ladder_then_exhausted_and_recorded(
    tutor: Tutor, turn: Turns, database: Database, kb: KnowledgeBase
) -> None:
    step = kb.scenarios[GYM].steps[1]
    await _start(tutor, turn)
    await _skip_to(tutor, turn, database, 1)
    for number, hint in enumerate(step.hints, start=1):
        replies = await tutor.on_command(turn(), "hint", "")
        assert f"Hint {number}/{len(step.hints)}" in _texts(replies)
        assert hint.split()[0] in _texts(replies)
    more = await tutor.on_command(turn(), "hint", "")
    assert "seen all" in _texts(more)
    assert (await _run(database)).hints_used == len(step.hints)
    await tutor.on_text(turn(), "Young students, busy workers and retired yoga fans.")
    attempt = (await _attempts(database, (await _run(database)).id))[-1]
    assert attempt.hints_used == len(step.hints)


async def test_try_again_keeps_the_best_attempt(
    tutor: Tutor, turn: Turns, database: Database, kb: KnowledgeBase
) -> None:
    await _start(tutor, turn)
    index = _index(kb.scenarios[GYM], "motivations")
    await _skip_to(tutor, turn, database, index)
    run = await _run(database)
    await tutor.on_text(turn(), "They come for fun with their mates.")  # a question follows
    first = await tutor.on_text(turn(), "They like the music.")
    again = await tutor.on_button(turn(), _button(first, "Try again"))
    assert "Have another go" in _texts(again.replies)
    better = await tutor.on_text(
        turn(), "Fun with mates, it's cheap, they want results from HIIT, and they leave."
    )
    assert "Best so far: <b>100%</b>" in _texts(better)
    worse = await tutor.on_text(turn(), "They like the music.")
    assert "Best so far: <b>100%</b>" in _texts(worse)
    scores = await database.run(lambda s: store.step_scores(s, run_id=run.id or 0))
    assert scores["motivations"] == 1.0
    assert (await _run(database)).step_index == index  # trying again never moves on


async def test_model_answer_reveals_moves_on_and_freezes_the_score(
    tutor: Tutor, turn: Turns, database: Database, kb: KnowledgeBase
) -> None:
    await _start(tutor, turn)
    await _skip_to(tutor, turn, database, 1)
    run = await _run(database)
    await tutor.on_text(turn(), "The young ones come loads and the older ones all do yoga.")
    outcome = await tutor.on_button(turn(), f"s:{run.id}:1:m")
    text = _texts(outcome.replies)
    assert "Model answer" in text and "Step 3/7" in text
    assert kb.scenarios[GYM].steps[1].model_answer[:30] in text.replace("&amp;", "&")
    scores = await _attempts(database, run.id)
    assert scores[-1].revealed
    counted = (await database.run(lambda s: store.step_scores(s, run_id=run.id or 0)))["segments"]
    assert 0 < counted < 1
    assert (await _run(database)).step_index == 2


async def test_next_needs_an_attempt(tutor: Tutor, turn: Turns, database: Database) -> None:
    await _start(tutor, turn)
    run = await _run(database)
    outcome = await tutor.on_button(turn(), f"s:{run.id}:0:n")
    assert outcome.toast is not None and "Answer this step first" in outcome.toast
    assert (await _run(database)).step_index == 0


async def test_numeric_step_wrong_gets_method_right_gets_full_marks(
    tutor: Tutor, turn: Turns, database: Database, kb: KnowledgeBase
) -> None:
    scenario = kb.scenarios[GYM]
    index = _index(scenario, "quantitative")
    task = scenario.steps[index].numeric
    assert task is not None
    await _start(tutor, turn)
    await _skip_to(tutor, turn, database, index)
    words = await tutor.on_text(turn(), "quite a lot of money I think")
    assert "needs a number" in _texts(words)
    wrong = await tutor.on_text(turn(), str(round(task.answer * 2)))
    text = _texts(wrong)
    assert "Not quite" in text and "How to work it out" in text
    assert task.method.split()[0] in text
    assert "🔁 Try again" not in _labels(wrong)  # the method gave the answer away
    right = await tutor.on_text(turn(), f"£{task.answer:,.0f}")
    assert "is right" in _texts(right) and "Practice only" in _texts(right)

    def scores(s: Session) -> dict[str, float]:
        run = store.active_run(s, user_id=1)
        assert run is not None
        return store.step_scores(s, run_id=run.id or 0)

    step_id = scenario.steps[index].id
    assert (await database.run(scores))[step_id] < 1

    # a fresh student who gets it right first time earns full marks
    await _start(tutor, lambda: turn(user=5))
    while (r := await _run(database, 5)).step_index < index:
        await tutor.on_button(turn(user=5), f"s:{r.id}:{r.step_index}:m")
    ok = await tutor.on_text(turn(user=5), f"It comes to {task.answer:.0f}")
    assert "100%" in _texts(ok)


@pytest.mark.parametrize(
    ("kind", "payload", "expect"),
    [
        ("text", "   ", "looks empty"),
        ("text", "dunno", "say a bit more"),
        ("text", "x" * 4000, "under 1,500"),
        ("other", "photo", "only read text"),
        ("command", "help", "What I can do"),
        ("command", "nosuchcommand", "don't know the command"),
    ],
)
async def test_bad_input_gets_a_helpful_reply_and_the_step_stays(
    tutor: Tutor,
    turn: Turns,
    database: Database,
    kind: str,
    payload: str,
    expect: str,
) -> None:
    await _start(tutor, turn)
    await _skip_to(tutor, turn, database, 1)
    before = await _run(database)
    if kind == "text":
        replies = await tutor.on_text(turn(), payload)
    elif kind == "other":
        replies = await tutor.on_other(turn(), payload)
    else:
        replies = await tutor.on_command(turn(), payload, "")
    assert expect in _texts(replies)
    after = await _run(database)
    assert (after.id, after.step_index, after.status) == (before.id, 1, "active")
    assert len(await _attempts(database, after.id)) == 1  # only the skipped first step
    # and the step still takes an answer afterwards
    graded = await tutor.on_text(turn(), "Young students and retired yoga members.")
    assert "key points" in _texts(graded)


async def test_hint_word_in_free_text_gives_a_hint(
    tutor: Tutor, turn: Turns, database: Database
) -> None:
    await _start(tutor, turn)
    await _skip_to(tutor, turn, database, 1)
    assert "Hint 1/" in _texts(await tutor.on_text(turn(), "hint"))


async def test_misconception_in_an_answer_is_corrected_on_the_spot(
    tutor: Tutor, turn: Turns, database: Database
) -> None:
    await _start(tutor, turn)
    await _skip_to(tutor, turn, database, 1)
    replies = await tutor.on_text(
        turn(), "Young and old members. Demographics are all you need to segment a gym."
    )
    assert replies[0].html.startswith("💡 Common misconception")  # type: ignore[union-attr]
    assert "key points" in _texts(replies[-1:])
    hits = await database.run(lambda s: s.exec(select(MisconceptionHit)).all())
    assert [(h.misconception_id, h.context) for h in hits] == [("mc_demographics_only", "scenario")]
    attempt = (await _attempts(database, (await _run(database)).id))[-1]
    assert attempt.misconceptions == ["mc_demographics_only"]


async def test_cancel_asks_first_then_leaves_or_keeps_going(
    tutor: Tutor, turn: Turns, database: Database
) -> None:
    await _start(tutor, turn)
    ask = await tutor.on_command(turn(), "cancel", "")
    assert "Leave" in _texts(ask)
    assert (await _run(database)).status == "active"  # nothing ends without a yes
    keep = await tutor.on_button(turn(), _button(ask, "keep going"))
    assert "Step 1/" in _texts(keep.replies)
    leave = await tutor.on_button(turn(), _button(ask, "leave it"))
    assert leave.edit is not None and "left the scenario" in leave.edit.html
    assert await database.run(lambda s: store.active_run(s, user_id=1)) is None
    nothing = await tutor.on_command(turn(), "cancel", "")
    assert "nothing to cancel" in _texts(nothing)
    assert await tutor.on_text(turn(), "Some answer with words") != []


async def test_starting_another_asks_first(tutor: Tutor, turn: Turns, database: Database) -> None:
    await _start(tutor, turn)
    first = await _run(database)
    ask = await tutor.on_command(turn(), "scenario", "b2b_software")
    assert "Leave it and start" in _texts(ask)
    assert (await _run(database)).id == first.id
    same = await tutor.on_command(turn(), "scenario", GYM)
    assert "already on this one" in _texts(same)
    switched = await tutor.on_button(turn(), _button(ask, "Start"))
    assert "Step 1/" in _texts(switched.replies)
    now = await _run(database)
    assert now.scenario_id == "b2b_software" and now.id != first.id
    old = await database.run(lambda s: store.get_run(s, run_id=first.id or 0))
    assert old is not None and old.status == store.ABANDONED


async def test_resume_after_a_restart_the_next_day(
    tutor: Tutor, turn: Turns, database: Database
) -> None:
    await _start(tutor, turn)
    await _skip_to(tutor, turn, database, 2)
    run = await _run(database)
    await tutor.on_button(turn(), f"s:{run.id}:2:h")
    restarted = Tutor(tutor.services)  # a new process: nothing kept in memory
    tomorrow = turn(now=NOON + timedelta(days=1))
    replies = await restarted.on_command(tomorrow, "resume", "")
    text = _texts(replies)
    assert "Welcome back" in text and "Step 3/7" in text
    listing = await restarted.on_command(tomorrow, "scenario", "")
    assert _button(listing, "Resume") == "m:resume"
    graded = await restarted.on_text(tomorrow, "They come for fun with their mates.")
    assert "key points" in _texts(graded)
    attempt = (await _attempts(database, run.id))[-1]
    assert attempt.hints_used == 1 and attempt.at == NOON + timedelta(days=1)


async def test_resume_and_hint_with_nothing_running(tutor: Tutor, turn: Turns) -> None:
    assert "no scenario in progress" in _texts(await tutor.on_command(turn(), "resume", ""))
    assert "/scenario" in _texts(await tutor.on_command(turn(), "hint", ""))


async def test_group_chats_are_sent_to_a_private_chat(tutor: Tutor, turn: Turns) -> None:
    replies = await tutor.on_command(turn(chat_kind="group"), "scenario", "")
    assert "private chat" in _texts(replies)


async def test_data_button_shows_the_table_again(
    tutor: Tutor, turn: Turns, database: Database
) -> None:
    replies = await _start(tutor, turn)
    outcome = await tutor.on_button(turn(), _button(replies, "Data"))
    assert "<pre>" in _texts(outcome.replies)


async def test_whole_scenario_summary_and_weak_items_queued(
    tutor: Tutor, turn: Turns, database: Database, kb: KnowledgeBase
) -> None:
    scenario = kb.scenarios[GYM]
    await _start(tutor, turn)
    outcome = ButtonOutcome()
    for index, step in enumerate(scenario.steps):
        run = await _run(database)
        if index == 0:
            for choice in step.correct_choices:
                await tutor.on_button(turn(), f"s:{run.id}:0:t:{step.choices.index(choice)}")
            await tutor.on_button(turn(), f"s:{run.id}:0:d")
        elif step.kind == "motivations":
            await tutor.on_text(turn(), "They like the music.")  # weak on purpose
        else:
            await tutor.on_text(turn(), step.model_answer)
        outcome = await tutor.on_button(turn(), f"s:{run.id}:{index}:n")
        assert outcome.toast is None, outcome.toast
    summary = _texts(outcome.replies)
    assert "🏁 Done:" in summary and "Overall" in summary
    for point_id in {p for s in scenario.steps for p in s.marking_points}:
        assert kb.marking_points[point_id].label.replace("&", "&amp;") in summary
    assert "Revise next" in summary

    def stored(s: Session) -> tuple[ScenarioRun, Sequence[Card]]:
        return s.exec(select(ScenarioRun)).one(), s.exec(
            select(Card).where(Card.user_id == 1)
        ).all()

    finished, cards = await database.run(stored)
    assert finished.status == "done" and finished.score is not None
    motives = scenario.steps[_index(scenario, "motivations")]
    missed_vars = {v for p in motives.key_points for v in p.variables}
    assert {c.item_id for c in cards} & missed_vars
    assert all(c.due <= NOON for c in cards)
    listing = await tutor.on_command(turn(), "scenario", "")
    assert f"best {round(finished.score * 100)}%" in _texts(listing)


async def test_a_quiz_started_mid_step_gets_the_typed_answers_until_resume(
    tutor: Tutor, turn: Turns, database: Database
) -> None:
    await _start(tutor, turn)
    await _skip_to(tutor, turn, database, 1)
    run = await _run(database)
    quiz = await tutor.on_command(turn(now=NOON + timedelta(minutes=1)), "quiz", "")
    assert quiz
    typed = await tutor.on_text(turn(now=NOON + timedelta(minutes=2)), "brand loyalty")
    assert "key points" not in _texts(typed)
    assert "still waiting" in _texts(typed)  # the quiz answered it
    assert len(await _attempts(database, run.id)) == 1
    await tutor.on_command(turn(now=NOON + timedelta(minutes=3)), "resume", "")
    graded = await tutor.on_text(
        turn(now=NOON + timedelta(minutes=4)), "Young students and retired yoga members."
    )
    assert "key points" in _texts(graded)
