"""A small valid knowledge tree written into tmp_path, which tests then break one way at a time.

Line numbers in the tests' expected messages refer to the texts below, so edit them with care.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

VALID: dict[str, str] = {
    "variables/demographic.yaml": """\
variables:
  - id: age
    name: Age
    base: demographic
    definition: How old the customer is.
    example: A gym runs a student offer.
    aliases: [age group, how old]
    links_to: Age shapes media habits.
    outcomes: [LO1]
  - id: income
    name: Income
    base: demographic
    definition: What a household earns.
    example: A car dealer shows premium models to high earners.
    aliases: [salary, earnings]
    links_to: Income limits what people can afford.
    outcomes: [LO1]
""",
    "variables/behavioural.yaml": """\
variables:
  - id: usage_rate
    name: Usage rate
    base: behavioural
    definition: How often the customer uses the product.
    example: Heavy users get a loyalty tier.
    aliases: [how often, frequency of use]
    links_to: Heavy users bring most revenue.
    outcomes: [LO1, LO2]
""",
    "misconceptions.yaml": """\
misconceptions:
  - id: mc_demographics_only
    title: Demographics are enough
    belief: Age and income tell you everything.
    fact: Motives and behaviour explain buying.
    claims: ["@demographic + @enough", "@only >> @demographic"]
    correction: Add a psychographic and a behavioural variable.
    exam_angle: Profiles need depth.
    outcomes: [LO2]
""",
    "exam.yaml": """\
command_words:
  - id: cw_explain
    word: Explain
    demands: Give reasons.
    example_question: Explain why a gym segments members.
    pitfall: Describing without saying why.
    outcomes: [LO2]
marking_points:
  - id: mp_classification
    kind: marking_point
    label: Classification
    text: Classify customers with a range of variables.
    outcomes: [LO1]
""",
    "concepts.yaml": """\
concepts:
  - id: kpi_clv
    name: Customer lifetime value
    topic: kpi
    definition: What a customer is worth over the whole relationship.
    example: A gym member paying 30 a month for 2 years.
    formula: average spend x purchases per year x years
    worked:
      question: A member pays 30 a month for 2 years. What is the CLV?
      inputs: {monthly: 30, months: 12, years: 2}
      expression: monthly * months * years
      answer: 720
      unit: "£"
      method: 30 x 12 x 2 = 720.
    outcomes: [LO3]
topics:
  - id: kpi
    name: KPIs
""",
    "coverage.yaml": """\
coverage:
  - id: cov_lo1
    kind: learning_outcome
    seed: Identify customer groups.
    taught_by: [age, income, usage_rate]
  - id: cov_mc_demographics
    kind: misconception
    seed: Relying on demographics alone.
    taught_by: [mc_demographics_only]
""",
    "scenarios/gym.yaml": """\
id: gym
outcomes: [LO1, LO3]
title: A small gym
market: B2C
context: Six members of a town gym; "Plan" is their membership, "Spend a month" what they pay.
columns:
  - {key: name, label: Name, kind: id}
  - {key: age, label: Age, kind: demographic}
  - {key: plan, label: Plan, kind: behavioural}
  - {key: spend, label: Spend a month, kind: value}
rows:
  - {name: Amy, age: 19, plan: basic, spend: 20}
  - {name: Ben, age: 21, plan: basic, spend: 22}
  - {name: Cal, age: 40, plan: premium, spend: 45}
  - {name: Dee, age: 44, plan: premium, spend: 50}
  - {name: Eve, age: 66, plan: premium, spend: 31}
  - {name: Fay, age: 70, plan: basic, spend: 34}
steps:
  - id: variables
    kind: identify_variables
    prompt: Which variables are in the table?
    choices: [age, income, usage_rate]
    correct_choices: [age, usage_rate]
    hints: [Read the column headings.]
    model_answer: Age and usage rate.
    marking_points: [mp_classification]
    watch_for: [mc_demographics_only]
  - id: segments
    kind: group_segments
    prompt: Group the members.
    key_points:
      - id: young
        text: Young frequent visitors.
        variables: [age, usage_rate]
    hints: [Look at age and visits together.]
    model_answer: Young regulars, busy workers and over-60s.
    marking_points: [mp_classification]
  - id: spend
    kind: quantitative
    prompt: What do premium members spend a month on average?
    numeric:
      question: Mean monthly spend of premium members?
      inputs:
        premium_spend: {agg: sum, column: spend, where: {plan: premium}}
        premium_count: {agg: count, where: {plan: premium}}
      expression: premium_spend / premium_count
      answer: 42
      unit: "£"
      method: (45 + 50 + 31) / 3 = 42.
    hints: [Only use the premium rows., Add their spend and divide by three.]
    model_answer: £42 a month on average.
    marking_points: [mp_classification]
  - id: persona
    kind: persona
    prompt: Write a persona for a premium member.
    hints: [Give them a name and a reason to pay more.]
    model_answer: Busy Cal pays for convenience.
    marking_points: [mp_classification]
  - id: recommend
    kind: recommendation
    prompt: How should the gym win more premium members?
    hints: [Think about channel and message.]
    model_answer: A referral offer for premium members.
    marking_points: [mp_classification]
""",
}

Tree = Callable[..., Path]


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path -> text) under ``root`` and return ``root``."""
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def edit(rel: str, old: str, new: str) -> dict[str, str]:
    """The valid tree's ``rel`` with ``old`` (which must occur exactly once) replaced by ``new``."""
    text = VALID[rel]
    assert text.count(old) == 1, f"{old!r} must occur once in {rel}"
    return {rel: text.replace(old, new)}


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    """``tree(changes)`` writes the valid tree with ``changes`` (path -> text) applied over it."""

    def make(changes: dict[str, str] | None = None, name: str = "content") -> Path:
        return write_tree(tmp_path / name, {**VALID, **(changes or {})})

    return make
