"""Grading: a table of student answers (typos, near-misses, bad input) and their verdicts."""

from __future__ import annotations

import random

import pytest

from dialogs.quiz.grading import Unreadable, Verdict, grade_option, lettered, reveal
from dialogs.quiz.makers import command_demand, define, numeric
from dialogs.quiz.myth_questions import myth_or_fact
from dialogs.quiz.questions import Question
from dialogs.quiz.typed_grading import grade_text
from dialogs.quiz.variable_questions import classify, classify_typed, pick, recall
from knowledge.base import KnowledgeBase


def _rng() -> random.Random:
    return random.Random(7)


def _verdict(result: Verdict | Unreadable) -> str:
    if isinstance(result, Unreadable):
        return "unreadable"
    return "right" if result.correct else ("partial" if result.partial else "wrong")


@pytest.fixture
def recall_behavioural(kb: KnowledgeBase) -> Question:
    return recall(kb, kb.variables["usage_rate"], _rng())


@pytest.mark.parametrize(
    ("answer", "verdict"),
    [
        ("usage-rate, how often they buy", "right"),
        ("brand loyality and usage rate", "right"),
        ("loyalty, benefits sought, recency", "right"),
        ("usage rate and age", "partial"),
        ("just brand loyalty", "partial"),
        ("age and income", "wrong"),
        ("lifestyle, values", "wrong"),
        ("no idea, sorry", "unreadable"),
        # wrong extras make a right pair partly right
        ("usage rate, brand loyalty, lifestyle, age", "partial"),
        ("42", "unreadable"),
        ("🤷🤷", "unreadable"),
        ("частота покупок", "unreadable"),
    ],
)
def test_recall_table(recall_behavioural: Question, answer: str, verdict: str) -> None:
    assert _verdict(grade_text(recall_behavioural, answer)) == verdict


def test_recall_echoes_what_it_read(recall_behavioural: Question) -> None:
    result = grade_text(recall_behavioural, "usage rate and age")
    assert isinstance(result, Verdict)
    assert "✅ Usage rate" in result.feedback
    assert "Age: demographic, not behavioural" in result.feedback
    assert result.chosen == "Usage rate, Age"


@pytest.mark.parametrize(
    ("answer", "verdict"),
    [
        ("psychographic", "right"),
        ("psycografic", "right"),
        ("Psychographics!", "right"),
        ("it's psychological", "right"),
        ("demographic", "wrong"),
        ("demografic", "wrong"),
        ("behavioural", "wrong"),
        ("banana", "unreadable"),
        ("demographic or psychographic", "partial"),
        ("demographic, no wait, psychographic", "right"),
        ("not demographic, psychographic", "right"),
        ("3", "unreadable"),
    ],
)
def test_typed_base_table(kb: KnowledgeBase, answer: str, verdict: str) -> None:
    question = classify_typed(kb, kb.variables["lifestyle"], _rng())
    assert _verdict(grade_text(question, answer)) == verdict


def test_ambiguous_variable_accepts_both_bases(kb: KnowledgeBase) -> None:
    question = classify_typed(kb, kb.variables["price_sensitivity"], _rng())
    assert _verdict(grade_text(question, "behavioral")) == "right"
    assert _verdict(grade_text(question, "psychographic")) == "right"
    assert _verdict(grade_text(question, "geographic")) == "wrong"


@pytest.mark.parametrize(
    ("answer", "verdict"),
    [
        ("3.5", "right"),
        ("3.5%", "right"),
        ("about 3.5 %", "right"),
        ("3.52", "right"),
        ("0.035", "partial"),
        ("42/1200 x 100 = 3.5%", "right"),
        ("1200/42 = 28.6%", "wrong"),
        ("35", "wrong"),
        ("3.6", "wrong"),
        ("three point five", "right"),
        ("three and a half percent", "right"),
        ("3.5 or 4", "unreadable"),
        ("", "unreadable"),
    ],
)
def test_numeric_table(kb: KnowledgeBase, answer: str, verdict: str) -> None:
    question = numeric(kb, kb.concepts["kpi_conversion_rate"], _rng())
    assert _verdict(grade_text(question, answer)) == verdict


def test_wrong_number_shows_the_worked_method(kb: KnowledgeBase) -> None:
    question = numeric(kb, kb.concepts["kpi_conversion_rate"], _rng())
    result = grade_text(question, "35")
    assert isinstance(result, Verdict)
    assert "How to work it out" in result.feedback
    assert "1,200" in result.feedback


def test_feedback_is_specific_to_the_option_chosen(kb: KnowledgeBase) -> None:
    question = classify(kb, kb.variables["lifestyle"], _rng())
    demographic = question.options.index("Demographic")
    result = grade_option(question, demographic)
    assert not result.correct
    assert "Demographic variables describe who the customer is" in result.feedback
    assert "Lifestyle (psychographic)" in result.feedback
    right = grade_option(question, question.options.index("Psychographic"))
    assert right.correct and "Right" in right.feedback


def test_pick_explains_the_distractor(kb: KnowledgeBase) -> None:
    question = pick(kb, kb.variables["lifestyle"], _rng())
    wrong = next(i for i in range(len(question.options)) if i not in question.correct)
    result = grade_option(question, wrong)
    chosen = kb.variables[
        next(v.id for v in kb.variables.values() if v.name == question.options[wrong])
    ]
    assert f"{chosen.name} ({chosen.base}" in result.feedback
    assert "The answer: <b>Lifestyle</b>" in result.feedback


def test_typed_text_on_a_button_question(kb: KnowledgeBase) -> None:
    question = classify(kb, kb.variables["lifestyle"], _rng())
    assert _verdict(grade_text(question, "psycografic")) == "right"
    assert _verdict(grade_text(question, "demographic")) == "wrong"
    reminder = grade_text(question, "what?")
    assert isinstance(reminder, Unreadable) and "Tap one of the buttons" in reminder.message


def test_letters_pick_long_options(kb: KnowledgeBase) -> None:
    question = command_demand(kb, kb.command_words["cw_evaluate"], _rng())
    assert lettered(question)
    letter = "abcd"[question.correct[0]]
    assert _verdict(grade_text(question, letter.upper())) == "right"


def test_myth_or_fact_by_name(kb: KnowledgeBase) -> None:
    question = myth_or_fact(kb, kb.misconceptions["mc_segmentation_vs_targeting"], _rng())
    right = question.options[question.correct[0]]
    wrong = next(o for o in question.options if o != right)
    assert _verdict(grade_text(question, right.lower())) == "right"
    assert _verdict(grade_text(question, wrong)) == "wrong"


def test_reveal_counts_as_not_known(kb: KnowledgeBase) -> None:
    question = define(kb, kb.concepts["crm"], list(kb.concepts.values()), _rng())
    shown = reveal(question)
    assert not shown.correct and "Customer relationship management" in shown.feedback


def test_feedback_escapes_html(kb: KnowledgeBase) -> None:
    question = classify_typed(kb, kb.variables["lifestyle"], _rng())
    result = grade_text(question, "<b>demographic</b>")
    assert isinstance(result, Verdict) and "<b>demographic</b>" not in result.feedback
