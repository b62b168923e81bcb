"""A tutor's extra directory overrides items by id and adds new ones, validated the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

import knowledge
from tests.knowledge.conftest import VALID, Tree, write_tree

INCOME_OVERRIDE = """\
variables:
  - id: income
    name: Household income
    base: demographic
    definition: Total yearly earnings of everyone in the household.
    example: A bank offers a premium account above a set salary.
    links_to: Income sets the budget a customer can spend.
    outcomes: [LO1, LO3]
"""

NEW_CONCEPT = """\
concepts:
  - id: kpi_churn_rate
    name: Churn rate
    topic: kpi
    definition: The share of customers lost in a period.
    example: A gym loses 5 of its 100 members in a month.
    formula: customers lost / customers at the start x 100
    worked:
      question: 5 of 100 members leave this month. What is the churn rate?
      inputs: {lost: 5, start: 100}
      expression: lost / start * 100
      answer: 5
      unit: "%"
      method: 5 / 100 x 100 = 5%.
    outcomes: [LO3]
"""


def test_same_id_overrides_in_place_and_new_ids_add(tree: Tree, tmp_path: Path) -> None:
    extra = write_tree(
        tmp_path / "extra",
        {"variables/demographic.yaml": INCOME_OVERRIDE, "my_kpis.yaml": NEW_CONCEPT},
    )
    kb = knowledge.load(tree(), extra)
    assert kb.variables["income"].name == "Household income"
    assert kb.variables["income"].aliases == []
    assert list(kb.variables) == ["usage_rate", "age", "income"]
    assert list(kb.concepts) == ["kpi_clv", "kpi_churn_rate"]
    assert kb.item("kpi_churn_rate") is kb.concepts["kpi_churn_rate"]


def test_scenario_override_by_id(tree: Tree, tmp_path: Path) -> None:
    retitled = VALID["scenarios/gym.yaml"].replace("title: A small gym", "title: Our gym")
    extra = write_tree(tmp_path / "extra", {"scenarios/gym.yaml": retitled})
    assert knowledge.load(tree(), extra).scenarios["gym"].title == "Our gym"


def test_extra_is_validated_like_built_in(tree: Tree, tmp_path: Path) -> None:
    broken = NEW_CONCEPT.replace("answer: 5\n", "answer: 50\n")
    extra = write_tree(tmp_path / "extra", {"my_kpis.yaml": broken})
    with pytest.raises(knowledge.KnowledgeError) as caught:
        knowledge.load(tree(), extra)
    assert caught.value.problems == [
        "my_kpis.yaml: concepts.0.worked.answer (line 12): stated 50 but the inputs give 5"
    ]


def test_extra_cannot_reuse_an_id_for_another_kind(tree: Tree, tmp_path: Path) -> None:
    clash = NEW_CONCEPT.replace("id: kpi_churn_rate", "id: income")
    extra = write_tree(tmp_path / "extra", {"my_kpis.yaml": clash})
    with pytest.raises(knowledge.KnowledgeError) as caught:
        knowledge.load(tree(), extra)
    assert caught.value.problems == [
        "my_kpis.yaml: concepts.0.id (line 2): id 'income' is already used by built-in "
        "variables (variables/demographic.yaml line 10); an override must be the same kind of item"
    ]


def test_duplicate_within_extra_is_an_error(tree: Tree, tmp_path: Path) -> None:
    extra = write_tree(tmp_path / "extra", {"a.yaml": NEW_CONCEPT, "b.yaml": NEW_CONCEPT})
    with pytest.raises(knowledge.KnowledgeError) as caught:
        knowledge.load(tree(), extra)
    assert caught.value.problems == [
        "b.yaml: concepts.0.id (line 2): "
        "duplicate id 'kpi_churn_rate' (first defined in a.yaml line 2)"
    ]


def test_extra_may_reference_built_in_items(tree: Tree, tmp_path: Path) -> None:
    coverage = (
        "coverage:\n  - id: cov_kpis\n    kind: concept\n    seed: KPIs.\n"
        "    taught_by: [kpi_clv]\n"
    )
    extra = write_tree(tmp_path / "extra", {"coverage_more.yaml": coverage})
    assert knowledge.load(tree(), extra).coverage["cov_kpis"].taught_by == ["kpi_clv"]


def test_missing_extra_directory(tree: Tree, tmp_path: Path) -> None:
    with pytest.raises(knowledge.KnowledgeError) as caught:
        knowledge.load(tree(), tmp_path / "absent")
    assert caught.value.problems == [f"{tmp_path / 'absent'}: content directory not found"]


def test_default_content_dir_is_the_packaged_one() -> None:
    assert knowledge.default_content_dir() == Path(knowledge.__file__).parent / "content"
