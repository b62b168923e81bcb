"""What a scenario shows a student must make sense on its own: headings, names, bases."""

from __future__ import annotations

import pytest

import knowledge
from tests.knowledge.conftest import Tree, edit

GYM = "scenarios/gym.yaml"


def _problems(tree: Tree, old: str, new: str) -> list[str]:
    with pytest.raises(knowledge.KnowledgeError) as caught:
        knowledge.load(tree(edit(GYM, old, new)))
    return caught.value.problems


def test_a_heading_must_be_explained_above_the_table(tree: Tree) -> None:
    assert _problems(tree, "label: Plan,", "label: Pln,") == [
        "scenarios/gym.yaml: columns.2.label (line 9): "
        "heading 'Pln' is not explained in the context above the table"
    ]


def test_a_table_must_fit_a_phone_with_whole_headings(tree: Tree) -> None:
    found = _problems(
        tree, "plan: basic, spend: 20}", "plan: basic-with-extras-and-more, spend: 20}"
    )
    assert found == [
        "scenarios/gym.yaml: columns (line 6): the table is 49 characters wide with whole "
        "headings; a phone shows 40: shorten a heading or a value"
    ]


def test_a_prompt_names_only_people_the_student_has_seen(tree: Tree) -> None:
    found = _problems(tree, "prompt: Group the members.", "prompt: Group members like Rita.")
    assert found == [
        "scenarios/gym.yaml: steps.1.prompt (line 30): "
        "names 'Rita', which the student has not been shown"
    ]
    shown = edit(GYM, "prompt: Group the members.", "prompt: Group members like Amy.")
    assert knowledge.load(tree(shown)).scenarios["gym"]


def test_right_answers_must_match_the_kinds_of_column(tree: Tree) -> None:
    found = _problems(tree, "correct_choices: [age, usage_rate]", "correct_choices: [age]")
    assert found == [
        "scenarios/gym.yaml: steps.0.correct_choices (line 23): "
        "the table has a behavioural column but no behavioural variable is a right answer"
    ]
