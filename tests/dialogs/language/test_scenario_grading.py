"""Step grading tables: key points found and missed (paraphrases, typos, negations), the
multi-select score, the numeric step, the persona rule and the recommendation checks."""

from __future__ import annotations

from typing import Any

import pytest

from dialogs.language.step_grading import (
    METHOD_CREDIT,
    grade_choices,
    grade_free_text,
    grade_number,
    needs_more,
    read_numbers,
    typed_choices,
)
from dialogs.scenarios.scores import marking_scores, overall, weak_items
from knowledge.base import KnowledgeBase
from knowledge.models import Scenario

MOTIVES: dict[str, Any] = {
    "id": "motives",
    "kind": "motivations",
    "prompt": "Why do the students join, and why do they leave?",
    "key_points": [
        {
            "id": "social",
            "text": "They come to see friends and have fun.",
            "synonyms": ["friends", "mates", "social", "fun"],
            "variables": ["lifestyle"],
        },
        {
            "id": "price",
            "text": "They are price-led and want the cheapest deal.",
            "synonyms": ["cheap", "low price", "budget", "price"],
            "variables": ["price_sensitivity"],
        },
        {
            "id": "loyalty",
            "text": "They leave as soon as a cheaper rival opens nearby.",
            "synonyms": ["switch gyms", "not loyal", "churn"],
            "variables": ["brand_loyalty"],
        },
    ],
    "hints": ["Think about friends and money."],
    "model_answer": "They come for fun with friends, want it cheap and leave for a cheaper rival.",
    "marking_points": ["mp_linkage"],
}

PERSONA: dict[str, Any] = {
    "id": "persona",
    "kind": "persona",
    "prompt": "Write a persona for the yoga regulars.",
    "key_points": [
        {"id": "psychographic", "text": "Wants to stay well.", "synonyms": ["stay well"]},
        {"id": "behavioural", "text": "Goes to yoga most days.", "synonyms": ["yoga"]},
        {"id": "quantitative", "text": "Spends £32 a month.", "synonyms": ["32"]},
    ],
    "hints": ["Give her a name."],
    "model_answer": "Rita, 66, stays well with yoga and pays £32 a month.",
    "marking_points": ["mp_quant_qual_actionable", "tip_psycho_behavioural_profile"],
}

RECOMMEND: dict[str, Any] = {
    "id": "recommend",
    "kind": "recommendation",
    "prompt": "How should the gym win more members like Rita?",
    "key_points": [
        {"id": "channel", "text": "Leaflets at the GP surgery.", "synonyms": ["leaflets", "GP"]},
        {"id": "message", "text": "Stay well and make friends.", "synonyms": ["stay well"]},
        {"id": "tactic", "text": "A free taster week.", "synonyms": ["taster", "free week"]},
        {"id": "link", "text": "They are the most loyal.", "synonyms": ["most loyal"]},
    ],
    "hints": ["Where do retired people look?"],
    "model_answer": "Leaflets at the GP offering a free taster week: stay well, make friends.",
    "marking_points": ["mp_quant_qual_actionable"],
}

VARIABLES: dict[str, Any] = {
    "id": "variables",
    "kind": "identify_variables",
    "prompt": "Tick the variables in the table.",
    "choices": ["age", "usage_rate", "brand_loyalty", "income", "gender"],
    "correct_choices": ["age", "usage_rate", "brand_loyalty"],
    "hints": ["Read the headings."],
    "model_answer": "Age, usage rate and loyalty are there; income and gender are not.",
    "marking_points": ["mp_classification", "tip_command_words"],
}

CLV: dict[str, Any] = {
    "id": "clv",
    "kind": "quantitative",
    "prompt": "What is the average CLV (customer lifetime value) of a yoga member?",
    "numeric": {
        "question": "Average monthly spend of yoga members x 12 x 6 years?",
        "inputs": {
            "spend": {"agg": "mean", "column": "spend", "where": {"plan": "Yoga"}},
            "months": 12,
            "years": 6,
        },
        "expression": "spend * months * years",
        "answer": 2304,
        "unit": "£",
        "tolerance": 5,
        "method": "Average spend (32+30+34)/3 = £32; 32 x 12 = £384 a year; x 6 = £2,304.",
    },
    "key_points": [
        {"id": "avg_spend", "text": "Average spend is £32.", "synonyms": ["32"]},
        {"id": "annual", "text": "A year is worth £384.", "synonyms": ["384"]},
    ],
    "hints": ["Average first."],
    "model_answer": "32 x 12 x 6 = £2,304.",
    "marking_points": ["mp_quant_qual_actionable"],
}


def _scenario() -> Scenario:
    rows = [
        {"name": n, "plan": p, "spend": s}
        for n, p, s in [
            ("Amy", "HIIT", 22),
            ("Ben", "HIIT", 20),
            ("Cal", "Gym", 48),
            ("Hal", "Yoga", 32),
            ("Ivy", "Yoga", 30),
            ("Jo", "Yoga", 34),
        ]
    ]
    return Scenario.model_validate(
        {
            "id": "test_gym",
            "outcomes": ["LO3"],
            "title": "Test Gym: who is worth most?",
            "market": "B2C",
            "context": "A small gym.",
            "columns": [
                {"key": "name", "label": "Name", "kind": "id"},
                {"key": "plan", "label": "Plan", "kind": "behavioural"},
                {"key": "spend", "label": "£/mo", "kind": "value"},
            ],
            "rows": rows,
            "steps": [VARIABLES, MOTIVES, CLV, PERSONA, RECOMMEND],
        }
    )


SCENARIO = _scenario()
STEPS = {s.id: s for s in SCENARIO.steps}


@pytest.mark.parametrize(
    ("answer", "found", "missed"),
    [
        # exact synonyms
        ("They go with their mates and it's cheap.", {"social", "price"}, {"loyalty"}),
        # typos within the allowed edit distance
        ("Its a socail thing and they are on a budjet", {"social", "price"}, {"loyalty"}),
        # a misspelt variable name; a negated variable is still an answer about it
        ("They have no brand loyallty", {"loyalty"}, {"social", "price"}),
        # five letters or fewer: one slip usually makes another word, so no typo allowed
        ("They love the prise and the fon", set(), None),
        # paraphrase of the key point's own text (content words, any order)
        (
            "Once a rival gym opens nearby and is cheaper they leave right away",
            {"loyalty"},
            {"social", "price"},
        ),
        # naming a variable of the point earns it
        (
            "It suits their lifestyle and they are price sensitive.",
            {"social", "price"},
            {"loyalty"},
        ),
        # negation cancels a point
        ("It is not about price at all, they just like the classes.", set(), None),
        # everything
        (
            "They come for fun with friends, want it cheap, and switch gyms "
            "the moment a cheaper rival opens.",
            {"social", "price", "loyalty"},
            set(),
        ),
        # nothing relevant
        ("The weather was nice on Tuesday.", set(), {"social", "price", "loyalty"}),
    ],
)
def test_free_text_points_found_and_missed(
    kb: KnowledgeBase, answer: str, found: set[str], missed: set[str] | None
) -> None:
    grade = grade_free_text(kb, STEPS["motives"], answer)
    assert set(grade.made) == found
    if missed is not None:
        assert set(grade.missed) == missed
    assert grade.score == pytest.approx(len(found) / 3, abs=1e-3)


def test_made_points_come_back_in_step_order_with_their_words(kb: KnowledgeBase) -> None:
    grade = grade_free_text(kb, STEPS["motives"], "cheap, and they're there for their mates")
    assert list(grade.made) == ["social", "price"]
    assert grade.made["social"] == "mates"
    assert grade.missed == ("loyalty",)


@pytest.mark.parametrize(
    ("ticked", "score", "wrong", "missed"),
    [
        (["age", "usage_rate", "brand_loyalty"], 1.0, (), ()),
        (["age", "usage_rate"], 2 / 3, (), ("brand_loyalty",)),
        (["age", "usage_rate", "income"], 1 / 3, ("income",), ("brand_loyalty",)),
        (["age", "income", "gender"], 0.0, ("income", "gender"), ("usage_rate", "brand_loyalty")),
        (["age", "age", "not_a_choice"], 1 / 3, (), ("usage_rate", "brand_loyalty")),
    ],
)
def test_multi_select_right_minus_wrong_floored(
    ticked: list[str], score: float, wrong: tuple[str, ...], missed: tuple[str, ...]
) -> None:
    grade = grade_choices(STEPS["variables"], ticked)
    assert grade.score == pytest.approx(score, abs=1e-3)
    assert grade.wrong == wrong
    assert grade.missed == missed


def test_typed_choices_skip_negated_clauses(kb: KnowledgeBase) -> None:
    text = "Age and usage rate are there. Income and gender are not recorded."
    assert typed_choices(kb, STEPS["variables"], text) == ["age", "usage_rate"]
    assert typed_choices(kb, STEPS["variables"], "age, brand loyalty") == ["age", "brand_loyalty"]
    assert typed_choices(kb, STEPS["variables"], "no idea") == []


@pytest.mark.parametrize(
    "answer",
    ["2304", "£2,304", "about £2,300", "32 x 12 x 6 = 2304", "CLV = £2,301.50", "It's 2308."],
)
def test_numeric_within_tolerance_earns_full_marks(answer: str) -> None:
    grade = grade_number(SCENARIO, STEPS["clv"], answer)
    assert grade is not None
    assert grade.correct is True
    assert grade.score == 1.0
    assert grade.expected == pytest.approx(2304)


def test_wrong_number_reads_the_final_figure_and_credits_the_method() -> None:
    grade = grade_number(SCENARIO, STEPS["clv"], "32 x 12 = 384, so the CLV is £384")
    assert grade is not None
    assert grade.correct is False
    assert grade.number == 384
    assert set(grade.made) == {"avg_spend", "annual"}
    assert grade.score == pytest.approx(METHOD_CREDIT)
    assert grade_number(SCENARIO, STEPS["clv"], "2,000").score == 0.0  # type: ignore[union-attr]


def test_no_number_is_not_graded() -> None:
    assert grade_number(SCENARIO, STEPS["clv"], "I'm not sure, quite a lot?") is None


def test_percentages_accept_a_fraction() -> None:
    step = STEPS["clv"].model_copy(
        update={
            "numeric": STEPS["clv"].numeric.model_copy(  # type: ignore[union-attr]
                update={"unit": "%", "expression": "months * 2 + 1", "tolerance": 0.5}
            )
        }
    )
    assert grade_number(SCENARIO, step, "25%").correct is True  # type: ignore[union-attr]
    assert grade_number(SCENARIO, step, "0.25").correct is True  # type: ignore[union-attr]
    assert grade_number(SCENARIO, step, "30%").correct is False  # type: ignore[union-attr]


def test_read_numbers() -> None:
    assert read_numbers("£1,234.50") == [1234.5]
    assert read_numbers("32 x 12 = 384") == [32, 12, 384]
    assert read_numbers("none") == []


def _checks(kb: KnowledgeBase, step: str, text: str) -> dict[str, bool]:
    grade = grade_free_text(kb, STEPS[step], text)
    return {c.name: c.ok for c in grade.checks}


@pytest.mark.parametrize(
    ("answer", "psycho", "behaviour", "number"),
    [
        # recognised through the knowledge base's variables, not the step's own words
        ("Rita values her health and is a loyal member who pays £32 a month.", True, True, True),
        ("Rita is health conscious and goes 11 times a month.", True, True, True),
        ("Rita has a busy lifestyle and a high usage rate.", True, True, False),
        ("Rita is 66 and retired, she pays £30 a month.", False, False, True),
        ("Rita, 66 years old, lives in Leeds.", False, False, False),
        # the step's own key points also count
        ("Rita wants to stay well and loves yoga.", True, True, False),
    ],
)
def test_persona_rule(
    kb: KnowledgeBase, answer: str, psycho: bool, behaviour: bool, number: bool
) -> None:
    assert _checks(kb, "persona", answer) == {
        "Psychographic element": psycho,
        "Behavioural element": behaviour,
        "Quantitative fact": number,
    }


def test_persona_rule_names_what_is_missing_and_earns_matching_points(kb: KnowledgeBase) -> None:
    grade = grade_free_text(kb, STEPS["persona"], "Rita values friendship and pays £30 a month.")
    missing = [c for c in grade.checks if not c.ok]
    assert [c.name for c in missing] == ["Behavioural element"]
    assert "what they do" in missing[0].advice
    # The psychographic check was met in other words, so its key point counts too.
    assert set(grade.made) == {"psychographic", "quantitative"}
    assert grade.missed == ("behavioural",)


def test_recommendation_checks(kb: KnowledgeBase) -> None:
    full = _checks(
        kb,
        "recommend",
        'Send an email with the message "feel great at any age" and a 20% discount, '
        "because they value their health.",
    )
    assert full == {"Channel": True, "Message": True, "Tactic": True, "Link to the profile": True}
    vague = _checks(kb, "recommend", "Do more marketing to get more people.")
    assert not any(vague.values())
    no_link = _checks(kb, "recommend", "Put leaflets in the GP surgery offering a taster week.")
    assert no_link == {
        "Channel": True,
        "Message": False,
        "Tactic": True,
        "Link to the profile": False,
    }


@pytest.mark.parametrize(
    ("step", "text", "thin"),
    [
        ("motives", "", True),
        ("motives", "fun", True),
        ("motives", "???", True),
        ("motives", "fun, cheap", False),
        ("clv", "2304", False),
        ("variables", "age", False),
    ],
)
def test_needs_more(step: str, text: str, thin: bool) -> None:
    assert needs_more(STEPS[step], text) is thin


def test_marking_scores_are_means_of_the_steps_that_earn_them() -> None:
    scores = {"variables": 1.0, "motives": 0.5, "clv": 0.0, "persona": 1.0, "recommend": 0.5}
    marks = marking_scores(scores, SCENARIO)
    assert marks["mp_classification"] == 1.0
    assert marks["mp_linkage"] == 0.5
    assert marks["mp_quant_qual_actionable"] == pytest.approx(0.5)
    assert marks["tip_psycho_behavioural_profile"] == 1.0
    assert overall(scores, SCENARIO) == pytest.approx(0.6)
    assert overall({}, SCENARIO) == 0.0


def test_weak_items(kb: KnowledgeBase) -> None:
    assert weak_items(kb, STEPS["variables"], ["age"], "age,income") == [
        "usage_rate",
        "brand_loyalty",
        "income",
    ]
    assert weak_items(kb, STEPS["motives"], ["social"]) == ["price_sensitivity", "brand_loyalty"]
    assert weak_items(kb, STEPS["clv"], [])[0] == "kpi_clv"


def test_every_shipped_model_answer_earns_marks_on_its_own_step(kb: KnowledgeBase) -> None:
    for scenario in kb.scenarios.values():
        for step in scenario.steps:
            if step.choices:
                continue
            if step.numeric is not None:
                grade = grade_number(scenario, step, step.model_answer)
                assert grade is not None and grade.correct, (scenario.id, step.id)
            else:
                grade = grade_free_text(kb, step, step.model_answer)
                assert grade.score >= 0.5, (scenario.id, step.id, grade.missed)
