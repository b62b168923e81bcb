"""Step marking by claims on the shipped gym case: plain-word answers earn their points, keyword
lists earn nothing, a contradicted or negated point is not earned, one phrase earns one point,
an answer about the wrong group earns nothing; plus ticks, numbers and the exam-tip checks."""

from __future__ import annotations

import pytest

from dialogs.language.step_grading import (
    grade_choices,
    grade_free_text,
    keyword_list,
    needs_more,
    typed_choices,
)
from dialogs.language.step_numbers import METHOD_CREDIT, grade_number
from dialogs.scenarios.scores import marking_scores, overall, weak_items
from knowledge.base import KnowledgeBase
from knowledge.models import Scenario, Step


@pytest.fixture
def gym(kb: KnowledgeBase) -> Scenario:
    return kb.scenarios["gym_membership"]


def _step(scenario: Scenario, step_id: str) -> Step:
    return next(s for s in scenario.steps if s.id == step_id)


def _made(kb: KnowledgeBase, scenario: Scenario, step_id: str, text: str) -> set[str]:
    return set(grade_free_text(kb, scenario, _step(scenario, step_id), text).made)


@pytest.mark.parametrize(
    ("answer", "made"),
    [
        # plain words, no key-point wording
        ("they go cos its a laugh and their mates go too", {"social_fun"}),
        ("they're skint students so they go wherever is cheapest", {"price_led"}),
        ("they want to look fit quick which is why they do hiit", {"fitness_image"}),
        # leaving for a cheaper gym shows the motive as well as the behaviour
        (
            "they're in all the time but leave after a year when a cheaper gym opens",
            {"link_behaviour", "price_led"},
        ),
        # the point said with a negation that keeps its meaning
        ("they don't stay long once their friends quit", {"link_behaviour", "social_fun"}),
        ("The weather was nice on Tuesday.", set()),
    ],
)
def test_plain_answers_earn_their_points(
    kb: KnowledgeBase, gym: Scenario, answer: str, made: set[str]
) -> None:
    assert _made(kb, gym, "motivations", answer) == made


def test_a_keyword_list_earns_nothing_and_is_flagged(kb: KnowledgeBase, gym: Scenario) -> None:
    text = "fun, mates, cheap, hiit, leave, price, social, results"
    grade = grade_free_text(kb, gym, _step(gym, "motivations"), text)
    assert grade.listed and grade.score == 0 and not grade.made
    assert keyword_list("young, visits, spend, loyalty")
    assert not keyword_list("they are young and they come a lot")


def test_single_generic_words_earn_no_point(kb: KnowledgeBase, gym: Scenario) -> None:
    assert _made(kb, gym, "motivations", "link. cheap.") == set()
    assert _made(kb, gym, "recommend", "link") == set()


def test_a_contradicted_point_is_not_earned_and_is_named(kb: KnowledgeBase, gym: Scenario) -> None:
    text = "Money isn't an issue for them, they'll pay whatever it costs, and they go with friends."
    grade = grade_free_text(kb, gym, _step(gym, "motivations"), text)
    assert "price_led" in grade.contradicted and "price_led" not in grade.made
    assert "social_fun" in grade.made


def test_traits_stay_with_the_group_they_describe(kb: KnowledgeBase, gym: Scenario) -> None:
    segments = "segments"
    right = "Amy, Ben, Cal and Dev visit loads but the yoga lot have stayed the longest."
    assert _made(kb, gym, segments, right) >= {"young_regulars", "active_over_60s"}
    swapped = "The young ones have stayed for years and spend the most."
    grade = grade_free_text(kb, gym, _step(gym, segments), swapped)
    assert "young_regulars" in grade.contradicted


def test_reversed_definitions_earn_nothing(kb: KnowledgeBase, gym: Scenario) -> None:
    right = "Segmentation is splitting the members into groups; targeting is picking one to chase."
    assert "segmentation_vs_targeting" in _made(kb, gym, "dynamics", right)
    reversed_ = (
        "Segmenting is choosing which customers to go after and targeting is splitting them."
    )
    grade = grade_free_text(kb, gym, _step(gym, "dynamics"), reversed_)
    assert "segmentation_vs_targeting" in grade.contradicted


def test_a_range_of_variables_in_any_words(kb: KnowledgeBase, gym: Scenario) -> None:
    text = "I didn't just use age: how often they come, how long they've stayed and what class."
    assert "mixed_bases" in _made(kb, gym, "segments", text)


def test_an_answer_about_another_group_earns_nothing(kb: KnowledgeBase, gym: Scenario) -> None:
    about_amy = "Amy, 19, loves HIIT, comes 16 times a month with her mates and pays £22."
    grade = grade_free_text(kb, gym, _step(gym, "persona"), about_amy)
    assert grade.off_subject and grade.score == 0


def test_persona_checks(kb: KnowledgeBase, gym: Scenario) -> None:
    text = "Rita is 66 and retired. She wants to stay healthy and goes to yoga 11 times a month."
    grade = grade_free_text(kb, gym, _step(gym, "persona"), text)
    checks = {c.name: c.ok for c in grade.checks}
    assert checks == {
        "Psychographic element": True,
        "Behavioural element": True,
        "Quantitative fact": True,
    }
    assert {"psychographic", "behavioural", "demographic", "quantitative"} <= set(grade.made)


def test_recommendation_checks(kb: KnowledgeBase, gym: Scenario) -> None:
    text = (
        "Put leaflets in the GP surgery offering a free taster week of daytime yoga. The "
        "message: stay well and make friends. They stay for years, so each one is worth a lot."
    )
    grade = grade_free_text(kb, gym, _step(gym, "recommend"), text)
    assert all(c.ok for c in grade.checks), grade.checks
    vague = grade_free_text(kb, gym, _step(gym, "recommend"), "Do more marketing to get people in.")
    assert not any(c.ok for c in vague.checks)


@pytest.mark.parametrize(
    ("ticked", "score", "wrong"),
    [
        (["age", "usage_rate", "brand_loyalty", "benefits_sought"], 1.0, ()),
        (["age", "usage_rate"], 0.5, ()),
        (["age", "usage_rate", "income"], 0.25, ("income",)),
        (["age", "age", "not_a_choice"], 0.25, ()),
    ],
)
def test_multi_select_right_minus_wrong_floored(
    gym: Scenario, ticked: list[str], score: float, wrong: tuple[str, ...]
) -> None:
    grade = grade_choices(_step(gym, "variables"), ticked)
    assert grade.score == pytest.approx(score, abs=1e-3)
    assert grade.wrong == wrong


def test_typed_choices_skip_what_is_said_to_be_missing(kb: KnowledgeBase, gym: Scenario) -> None:
    step = _step(gym, "variables")
    text = "Age and usage rate are there. Income and gender are not recorded."
    assert typed_choices(kb, step, text) == ["age", "usage_rate"]
    assert typed_choices(kb, step, "age, brand loyalty") == ["age", "brand_loyalty"]
    assert typed_choices(kb, step, "no idea") == []


@pytest.mark.parametrize(
    "answer", ["2304", "£2,304", "about £2,300", "32 x 12 x 6 = 2304", "it comes to 2308"]
)
def test_numeric_within_tolerance_earns_full_marks(
    kb: KnowledgeBase, gym: Scenario, answer: str
) -> None:
    grade = grade_number(kb, gym, _step(gym, "clv"), answer)
    assert grade is not None and grade.correct is True and grade.score == 1.0


def test_a_wrong_number_reads_the_final_figure_and_credits_the_method(
    kb: KnowledgeBase, gym: Scenario
) -> None:
    step = _step(gym, "clv")
    grade = grade_number(kb, gym, step, "32 x 12 = 384, so the CLV is £384")
    assert grade is not None and grade.correct is False and grade.number == 384
    assert 0 < grade.score <= METHOD_CREDIT
    assert grade_number(kb, gym, step, "I'm not sure, quite a lot?") is None


@pytest.mark.parametrize(
    ("text", "thin"), [("", True), ("fun", True), ("???", True), ("fun and cheap", False)]
)
def test_needs_more(gym: Scenario, text: str, thin: bool) -> None:
    assert needs_more(_step(gym, "motivations"), text) is thin


def test_marking_scores_are_means_of_the_steps_that_earn_them(gym: Scenario) -> None:
    scores = {"variables": 1.0, "segments": 0.5}
    marks = marking_scores(scores, gym)
    assert marks["mp_classification"] == pytest.approx(0.75)
    assert overall(scores, gym) == pytest.approx(1.5 / len(gym.steps), abs=1e-4)


def test_weak_items(kb: KnowledgeBase, gym: Scenario) -> None:
    assert weak_items(kb, _step(gym, "variables"), ["age"], "age,income")[:2] == [
        "usage_rate",
        "brand_loyalty",
    ]
    assert weak_items(kb, _step(gym, "clv"), [])[0] == "kpi_clv"


def test_every_shipped_model_answer_earns_full_marks_on_its_own_step(kb: KnowledgeBase) -> None:
    for scenario in kb.scenarios.values():
        for step in scenario.steps:
            if step.choices:
                continue
            if step.numeric is not None:
                graded = grade_number(kb, scenario, step, step.model_answer)
                assert graded is not None and graded.correct, (scenario.id, step.id)
            else:
                grade = grade_free_text(kb, scenario, step, step.model_answer)
                assert grade.score >= 0.75, (scenario.id, step.id, grade.missed)
