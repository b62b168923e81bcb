"""A whole profiling scenario through the real Application and the loopback Bot API: the list,
ticks, hints, a retry, a photo mid-step, a restart with /resume, and the summary card."""

from __future__ import annotations

from collections.abc import Callable

from knowledge.base import KnowledgeBase
from tests.emulator import ChatMessage, Emulator, User, polling
from tests.emulator.polling import AnyApplication

GYM = "gym_membership"


async def _expect(emulator: Emulator, user: User, needle: str, *, within: int = 4) -> ChatMessage:
    """The next bot message to ``user`` containing ``needle`` (skipping up to ``within``)."""
    seen: list[str] = []
    for _ in range(within):
        message = await emulator.reply_to(user)
        if needle in (message.text or ""):
            return message
        seen.append((message.text or "")[:80])
    raise AssertionError(f"no message with {needle!r}; got {seen}")


async def _edited(emulator: Emulator, message: ChatMessage, times: int) -> ChatMessage:
    """``message`` once the bot has edited it ``times`` times."""

    def find() -> ChatMessage | None:
        found = emulator.find_message(message.chat_id, message.message_id)
        return found if found is not None and found.edit_count >= times else None

    return await emulator.wait_for(find, what=f"edit {times} of message {message.message_id}")


async def _press(emulator: Emulator, user: User, message: ChatMessage, label: str) -> None:
    query = emulator.press(user, message, label)
    answer = await emulator.answered(query)
    assert answer.status == 200


async def test_a_scenario_end_to_end_with_hints_a_retry_and_a_restart(
    emulator: Emulator, make_app: Callable[[], AnyApplication], kb: KnowledgeBase
) -> None:
    scenario = kb.scenarios[GYM]
    steps = scenario.steps
    ivy = emulator.user(first_name="Ivy")

    async with polling(make_app()):
        emulator.command(ivy, "scenario")
        listing = await _expect(emulator, ivy, "Profiling scenarios")
        gym_button = next(t for t in listing.button_texts if t.startswith("Pulse Gym"))
        await _press(emulator, ivy, listing, gym_button)
        intro = await _expect(emulator, ivy, "Pulse Gym")
        assert "Amy" in (intro.text or "")  # the data table
        first = await _expect(emulator, ivy, "Step 1/7")

        # step 1: tick the variables in the table, then Done
        for count, choice in enumerate(steps[0].correct_choices, start=1):
            await _press(emulator, ivy, first, f"⬜ {kb.variables[choice].name}")
            edited = await _edited(emulator, first, count)
            assert f"✅ {kb.variables[choice].name}" in edited.button_texts
        await _press(emulator, ivy, first, "✔️ Done")
        done = await _expect(emulator, ivy, "100%")
        await _press(emulator, ivy, done, "▶️ Next step")
        second = await _expect(emulator, ivy, "Step 2/7")

        # step 2: a photo, a hint, a thin answer, then a weak answer and a retry
        emulator.send_photo(ivy)
        assert "only read text" in ((await emulator.reply_to(ivy)).text or "")
        emulator.command(ivy, "hint")
        await _expect(emulator, ivy, "Hint 1/")
        await _press(emulator, ivy, second, "💡 Hint")
        await _expect(emulator, ivy, "Hint 2/")
        emulator.send_text(ivy, "students")
        await _expect(emulator, ivy, "say a bit more")
        emulator.send_text(ivy, "Young students and retired people.")
        weak = await _expect(emulator, ivy, "key points")
        await _press(emulator, ivy, weak, "🔁 Try again")
        await _expect(emulator, ivy, "Have another go")
        emulator.send_text(ivy, steps[1].model_answer)
        better = await _expect(emulator, ivy, "Best so far")
        assert "100%" in (better.text or "")

    # the bot restarts mid-scenario: nothing is lost
    async with polling(make_app()):
        emulator.command(ivy, "resume")
        resumed = await _expect(emulator, ivy, "Welcome back")
        assert "Step 2/7" in (resumed.text or "")
        await _press(emulator, ivy, better, "▶️ Next step")
        await _expect(emulator, ivy, "Step 3/7")
        for number, step in enumerate(steps[2:], start=3):
            if step.numeric is not None:
                emulator.send_text(ivy, f"£{step.numeric.answer:,.0f}")
                feedback = await _expect(emulator, ivy, "is right")
            else:
                emulator.send_text(ivy, step.model_answer)
                feedback = await _expect(emulator, ivy, "key points")
            await _press(emulator, ivy, feedback, "▶️ Next step")
            if number < len(steps):
                await _expect(emulator, ivy, f"Step {number + 1}/7")
        summary = await _expect(emulator, ivy, "🏁 Done:")
    text = summary.text or ""
    for point_id in {p for s in steps for p in s.marking_points}:
        assert kb.marking_points[point_id].label in text
    assert "Overall" in text
    assert "🧩 Another scenario" in summary.button_texts


async def test_a_partly_right_answer_gets_one_question_before_any_hint(
    emulator: Emulator, make_app: Callable[[], AnyApplication], kb: KnowledgeBase
) -> None:
    steps = kb.scenarios[GYM].steps
    motivations = next(s for s in steps if s.id == "motivations")
    fitness = next(p for p in motivations.key_points if p.id == "fitness_image")
    assert fitness.ask is not None
    rae = emulator.user(first_name="Rae")

    async with polling(make_app()):
        emulator.command(rae, f"scenario {GYM}")
        step = await _expect(emulator, rae, "Step 1/7")
        for number in range(1, 3):  # the first steps are not the point here: see the answer
            await _press(emulator, rae, step, "📖 Model answer")
            step = await _expect(emulator, rae, f"Step {number + 1}/7")
        emulator.send_text(rae, "they go cos its a laugh with their mates and its cheap")
        feedback = await _expect(emulator, rae, "key points")
        text = feedback.text or ""
        assert "✅ Social fun: I read “" in text and "laugh" in text
        assert "🤔" in text and fitness.ask.split()[0] in text
        assert "🔁 Try again" not in feedback.button_texts
        await _press(emulator, rae, feedback, "🤷 Not sure")
        await _expect(emulator, rae, "Hint 1/")
        emulator.send_text(rae, "they love hiit because they want to look good and get strong")
        more = await _expect(emulator, rae, "key points")
        assert "✅ Fitness image" in (more.text or "")
