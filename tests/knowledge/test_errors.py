"""Broken knowledge trees produce exact, located problem messages, all of them at once."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import knowledge
from knowledge import source
from tests.knowledge.conftest import VALID, Tree, edit

GYM = "scenarios/gym.yaml"
DEMOGRAPHIC = "variables/demographic.yaml"


def problems(root: Path) -> list[str]:
    """The problems loading ``root`` raises (fails the test if it loads)."""
    with pytest.raises(knowledge.KnowledgeError) as caught:
        knowledge.load(root)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def test_the_valid_tree_loads(tree: Tree) -> None:
    kb = knowledge.load(tree())
    assert list(kb.variables) == ["usage_rate", "age", "income"]
    assert kb.scenarios["gym"].steps[2].numeric is not None


def test_yaml_syntax_error_names_file_and_line(tree: Tree) -> None:
    root = tree({"broken.yaml": "concepts:\n  - id: x\n   name: bad\n"})
    assert problems(root) == ["broken.yaml: (line 3): did not find expected '-' indicator"]


def test_unclosed_flow_list(tree: Tree) -> None:
    root = tree({"broken.yaml": "concepts: [a, b\n"})
    assert problems(root) == ["broken.yaml: (line 2): did not find expected ',' or ']'"]


def test_a_term_cut_short_by_a_comment_is_reported(tree: Tree) -> None:
    # Unquoted, "in # go" (any number) would load as the bare word "in".
    root = tree({"extra.yaml": "lexicon:\n  - id: one_go\n    terms:\n      - in # go\n"})
    assert problems(root) == [
        "extra.yaml: (line 4): ' #' starts a YAML comment here: quote this item"
    ]


def test_missing_field_points_at_the_item(tree: Tree) -> None:
    root = tree(edit(DEMOGRAPHIC, "    definition: What a household earns.\n", ""))
    assert problems(root) == [
        "variables/demographic.yaml: variables.1.definition (line 10): field required"
    ]


def test_unknown_field(tree: Tree) -> None:
    root = tree(
        edit(DEMOGRAPHIC, "    aliases: [salary, earnings]", "    alias: [salary, earnings]")
    )
    assert problems(root) == [
        "variables/demographic.yaml: variables.1.alias (line 15): unknown field"
    ]


def test_empty_hint_list(tree: Tree) -> None:
    root = tree(edit(GYM, "hints: [Read the column headings.]", "hints: []"))
    assert problems(root) == [
        "scenarios/gym.yaml: steps.0.hints (line 24): at least 1 item required"
    ]


def test_blank_hint_is_empty(tree: Tree) -> None:
    root = tree(edit(GYM, "hints: [Read the column headings.]", "hints: ['  ']"))
    assert problems(root) == ["scenarios/gym.yaml: steps.0.hints.0 (line 24): must not be empty"]


def test_duplicate_hint(tree: Tree) -> None:
    root = tree(edit(GYM, "Add their spend and divide by three.", "only use the  premium rows."))
    assert problems(root) == ["scenarios/gym.yaml: steps.2.hints.1 (line 50): same hint as hints.0"]


def test_unknown_reference_suggests_the_closest_id(tree: Tree) -> None:
    root = tree(edit(GYM, "watch_for: [mc_demographics_only]", "watch_for: [mc_demographic_only]"))
    assert problems(root) == [
        "scenarios/gym.yaml: steps.0.watch_for.0 (line 27): unknown misconception "
        "'mc_demographic_only' (did you mean 'mc_demographics_only'?)"
    ]


def test_reference_to_the_wrong_kind(tree: Tree) -> None:
    old = "    marking_points: [mp_classification]\n    watch_for"
    root = tree(edit(GYM, old, "    marking_points: [cw_explain]\n    watch_for"))
    assert problems(root) == [
        "scenarios/gym.yaml: steps.0.marking_points.0 (line 26): "
        "'cw_explain' is a command word, not a marking point"
    ]


def test_other_unknown_references(tree: Tree) -> None:
    root = tree(
        {
            **edit("coverage.yaml", "taught_by: [mc_demographics_only]", "taught_by: [nothing]"),
            **edit(
                "misconceptions.yaml",
                "    outcomes: [LO2]",
                "    outcomes: [LO2]\n    related: [kpi_clv, ghost]",
            ),
            **edit(
                GYM, "        variables: [age, usage_rate]", "        variables: [age, kpi_clv]"
            ),
        }
    )
    assert problems(root) == [
        "misconceptions.yaml: misconceptions.0.related.1 (line 10): unknown id 'ghost'",
        "scenarios/gym.yaml: steps.1.key_points.0.variables.1 (line 34): "
        "'kpi_clv' is a concept, not a variable",
        "coverage.yaml: coverage.1.taught_by.0 (line 9): unknown item 'nothing'",
    ]


def test_correct_choices_must_be_choices(tree: Tree) -> None:
    root = tree(
        edit(GYM, "    choices: [age, income, usage_rate]\n", "    choices: [age, income]\n")
    )
    assert problems(root) == [
        "scenarios/gym.yaml: steps.0.correct_choices.1 (line 23): "
        "'usage_rate' is not among the choices"
    ]


def test_wrong_scenario_answer(tree: Tree) -> None:
    root = tree(edit(GYM, "answer: 42", "answer: 40"))
    assert problems(root) == [
        "scenarios/gym.yaml: steps.2.numeric.answer (line 47): stated 40 but the data gives 42"
    ]


def test_answer_within_tolerance_is_accepted(tree: Tree) -> None:
    knowledge.load(tree(edit(GYM, "answer: 42", "answer: 42.4")))
    root = tree(edit(GYM, "answer: 42", "answer: 42.6"))
    assert problems(root) == [
        "scenarios/gym.yaml: steps.2.numeric.answer (line 47): stated 42.6 but the data gives 42"
    ]


def test_wrong_worked_answer(tree: Tree) -> None:
    root = tree(edit("concepts.yaml", "answer: 720", "answer: 700"))
    assert problems(root) == [
        "concepts.yaml: concepts.0.worked.answer (line 12): stated 700 but the inputs give 720"
    ]


def test_worked_example_inputs_must_be_numbers(tree: Tree) -> None:
    old = "inputs: {monthly: 30, months: 12, years: 2}"
    new = "inputs: {monthly: {agg: mean, column: spend}, months: 12, years: 2}"
    assert problems(tree(edit("concepts.yaml", old, new))) == [
        "concepts.yaml: concepts.0.worked.inputs.monthly (line 10): "
        "a worked example has no data table: give a plain number"
    ]


SPEND = "premium_spend: {agg: sum, column: spend, where: {plan: premium}}"


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        (
            "premium_spend: {agg: sum, column: spent, where: {plan: premium}}",
            "steps.2.numeric.inputs.premium_spend.column (line 44): "
            "unknown column 'spent' (columns: name, age, plan, spend)",
        ),
        (
            "premium_spend: {agg: sum, column: spend, where: {tier: premium}}",
            "steps.2.numeric.inputs.premium_spend.where.tier (line 44): "
            "unknown column 'tier' (columns: name, age, plan, spend)",
        ),
        (
            "premium_spend: {agg: sum, column: name, where: {plan: premium}}",
            "steps.2.numeric.inputs.premium_spend.column (line 44): "
            "column 'name' holds a non-number 'Cal' in rows.2",
        ),
        (
            "premium_spend: {agg: sum, column: spend, where: {plan: Premium}}",
            "steps.2.numeric.inputs.premium_spend.where (line 44): matches no rows",
        ),
        (
            "premium_spend: {agg: sum, where: {plan: premium}}",
            "steps.2.numeric.inputs.premium_spend (line 44): sum needs a column",
        ),
        (
            "premium_spend: {agg: total, column: spend}",
            "steps.2.numeric.inputs.premium_spend.agg (line 44): "
            "must be one of 'sum', 'mean', 'count', 'min' or 'max', not 'total'",
        ),
        (
            "premium_spend: lots",
            "steps.2.numeric.inputs.premium_spend (line 44): "
            "must be a number or an aggregate (agg, column, where)",
        ),
    ],
)
def test_bad_aggregates(tree: Tree, new: str, expected: str) -> None:
    assert problems(tree(edit(GYM, SPEND, new))) == [f"scenarios/gym.yaml: {expected}"]


def test_expression_with_unknown_name(tree: Tree) -> None:
    old = "expression: premium_spend / premium_count"
    root = tree(edit(GYM, old, "expression: premium_spend / count"))
    assert problems(root) == [
        "scenarios/gym.yaml: steps.2.numeric.expression (line 46): "
        "unknown name 'count' (not one of the inputs)"
    ]


def test_unsafe_expression_is_rejected(tree: Tree) -> None:
    old = "expression: premium_spend / premium_count"
    root = tree(edit(GYM, old, "expression: __import__('os').getcwd()"))
    assert problems(root) == [
        "scenarios/gym.yaml: steps.2.numeric.expression (line 46): "
        "not allowed in an expression: \"__import__('os').getcwd()\""
    ]


def test_quantitative_step_needs_numeric(tree: Tree) -> None:
    root = tree(edit(GYM, "    kind: persona\n", "    kind: quantitative\n"))
    assert problems(root) == [
        "scenarios/gym.yaml: steps.3.numeric (line 53): a quantitative step needs a numeric task"
    ]


def test_duplicate_step_and_key_point_ids(tree: Tree) -> None:
    points = "      - id: young\n        text: Young frequent visitors.\n"
    changes = edit(GYM, "  - id: persona\n", "  - id: spend\n")
    changes[GYM] = changes[GYM].replace(points, points + points)
    assert problems(tree(changes)) == [
        "scenarios/gym.yaml: steps.3.id (line 55): duplicate step id 'spend' (also steps.2)",
        "scenarios/gym.yaml: steps.1.key_points.1.id (line 34): "
        "duplicate key point id 'young' (also key_points.0)",
    ]


def test_rows_must_match_columns(tree: Tree) -> None:
    old = "{name: Ben, age: 21, plan: basic, spend: 22}"
    root = tree(edit(GYM, old, "{name: Ben, age: 21, plan: basic, spent: 22}"))
    assert problems(root) == [
        "scenarios/gym.yaml: rows.1 (line 13): missing column(s) 'spend'",
        "scenarios/gym.yaml: rows.1.spent (line 13): "
        "'spent' is not a column (columns: name, age, plan, spend)",
    ]


def test_row_value_must_be_text_or_number(tree: Tree) -> None:
    old = "{name: Ben, age: 21, plan: basic, spend: 22}"
    root = tree(edit(GYM, old, "{name: Ben, age: 21, plan: basic, spend: [22]}"))
    assert problems(root) == [
        "scenarios/gym.yaml: rows.1.spend (line 13): must be text or a number"
    ]


def test_scenario_id_must_match_file_stem(tree: Tree) -> None:
    root = tree({GYM: VALID[GYM].replace("id: gym\n", "id: gym_club\n", 1)})
    assert problems(root) == [
        "scenarios/gym.yaml: id (line 1): id 'gym_club' does not match the file name gym.yaml: "
        "rename one"
    ]


def test_duplicate_id_across_files(tree: Tree) -> None:
    concept = """\
concepts:
  - id: income
    name: Income statement
    topic: kpi
    definition: A report of revenue and costs.
    example: A shop's yearly accounts.
    outcomes: [LO3]
"""
    assert problems(tree({"terms.yaml": concept})) == [
        "variables/demographic.yaml: variables.1.id (line 10): "
        "duplicate id 'income' (first defined in terms.yaml line 2)"
    ]


def test_duplicate_yaml_key(tree: Tree) -> None:
    root = tree(
        edit(
            "variables/behavioural.yaml",
            "    name: Usage rate\n",
            "    name: Usage rate\n    name: Use\n",
        )
    )
    assert problems(root) == [
        "variables/behavioural.yaml: variables.0.name (line 4): "
        "duplicate key (first on line 3): YAML keeps only the last"
    ]


PSYCHOGRAPHIC = """\
variables:
  - id: lifestyle
    name: Lifestyle
    base: psychographic
    definition: How someone lives and spends their time.
    example: An outdoor brand targets weekend hikers.
    aliases: [way of life, Salary ]
    links_to: Lifestyle drives what people value.
    outcomes: [LO2]
"""


def test_same_alias_under_two_bases_is_ambiguous(tree: Tree) -> None:
    assert problems(tree({"variables/psychographic.yaml": PSYCHOGRAPHIC})) == [
        "variables/psychographic.yaml: variables.0.aliases.1 (line 7): 'Salary' is also a name "
        "or alias of 'income' (demographic, variables/demographic.yaml line 15): ambiguous; "
        "list the other base in also_bases or drop the alias"
    ]


def test_alias_matching_another_variables_name_ignores_case_and_spaces(tree: Tree) -> None:
    text = PSYCHOGRAPHIC.replace("Salary ", "usage  Rate")
    assert problems(tree({"variables/psychographic.yaml": text})) == [
        "variables/psychographic.yaml: variables.0.aliases.1 (line 7): 'usage  Rate' is also a "
        "name or alias of 'usage_rate' (behavioural, variables/behavioural.yaml line 3): "
        "ambiguous; list the other base in also_bases or drop the alias"
    ]


def test_also_bases_with_ambiguity_allows_a_shared_alias(tree: Tree) -> None:
    text = PSYCHOGRAPHIC.replace(
        "    outcomes: [LO2]\n",
        "    outcomes: [LO2]\n"
        "    also_bases: [demographic]\n"
        "    ambiguity: Pay shapes how people live.\n",
    )
    kb = knowledge.load(tree({"variables/psychographic.yaml": text}))
    assert kb.variables["lifestyle"].accepted_bases == ("psychographic", "demographic")


def test_also_bases_and_ambiguity_go_together(tree: Tree) -> None:
    old = "    outcomes: [LO1, LO2]\n"
    changes = edit("variables/behavioural.yaml", old, old + "    also_bases: [psychographic]\n")
    changes[DEMOGRAPHIC] = VALID[DEMOGRAPHIC].replace(
        "    links_to: Age shapes media habits.\n",
        "    links_to: Age shapes media habits.\n    ambiguity: It is simply a number.\n",
    )
    assert problems(tree(changes)) == [
        "variables/behavioural.yaml: variables.0.also_bases (line 10): "
        "also_bases needs an 'ambiguity' saying why the variable fits several bases",
        "variables/demographic.yaml: variables.0.ambiguity (line 9): "
        "ambiguity given but also_bases is empty",
    ]


def test_variable_in_the_wrong_base_file(tree: Tree) -> None:
    root = tree(edit("variables/behavioural.yaml", "base: behavioural", "base: geographic"))
    first, *knock_on = problems(root)
    assert first == (
        "variables/behavioural.yaml: variables.0.base (line 4): "
        "a geographic variable in behavioural.yaml: move it to variables/geographic.yaml"
    )
    # The scenario's table no longer matches the bases of its right answers either.
    assert knock_on and all(p.startswith("scenarios/gym.yaml: steps.0.") for p in knock_on)


def test_invalid_values_are_explained(tree: Tree) -> None:
    changes = {
        **edit("variables/behavioural.yaml", "outcomes: [LO1, LO2]", "outcomes: [LO1, LO4]"),
        **edit(DEMOGRAPHIC, "aliases: [salary, earnings]", "aliases: [salary, no]"),
        **edit("concepts.yaml", "{monthly: 30,", "{Monthly: 30,"),
    }
    assert problems(tree(changes)) == [
        "concepts.yaml: concepts.0.worked.inputs.Monthly (line 10): "
        "'Monthly' is not a valid id (a-z, 0-9 and _, starting with a letter)",
        "variables/behavioural.yaml: variables.0.outcomes.1 (line 9): "
        "must be one of 'LO1', 'LO2' or 'LO3', not 'LO4'",
        "variables/demographic.yaml: variables.1.aliases.1 (line 15): "
        "must be text (put it in quotes: YAML reads yes/no/on/off as true/false)",
    ]


def test_file_level_problems(tree: Tree) -> None:
    root = tree(
        {
            "a_empty.yaml": "",
            "b_list.yaml": "- one\n- two\n",
            "c_unknown.yaml": "concept:\n  - id: x\n",
            "d_scenarios.yaml": "scenarios: []\n",
            "e_not_list.yaml": "concepts: {id: x}\n",
        }
    )
    assert problems(root) == [
        "a_empty.yaml: (line 1): the file is empty",
        "b_list.yaml: (line 1): expected a mapping of sections such as 'variables:', "
        "'groupings:', 'misconceptions:', 'topics:', 'concepts:', 'command_words:', "
        "'marking_points:', 'coverage:', 'lexicon:'",
        "c_unknown.yaml: concept (line 1): unknown section (expected one of variables, "
        "groupings, misconceptions, topics, concepts, command_words, marking_points, coverage, "
        "lexicon)",
        "d_scenarios.yaml: scenarios (line 1): scenarios go in scenarios/<id>.yaml, one per file",
        "e_not_list.yaml: concepts (line 1): must be a list",
    ]


def test_every_problem_is_reported_at_once(tree: Tree) -> None:
    changes = {
        "broken.yaml": "concepts: [a, b\n",
        **edit(DEMOGRAPHIC, "    definition: What a household earns.\n", ""),
        **edit(GYM, "answer: 42", "answer: 40"),
    }
    changes[GYM] = changes[GYM].replace("hints: [Read the column headings.]", "hints: []")
    assert problems(tree(changes)) == [
        "broken.yaml: (line 2): did not find expected ',' or ']'",
        "scenarios/gym.yaml: steps.0.hints (line 24): at least 1 item required",
        "variables/demographic.yaml: variables.1.definition (line 10): field required",
    ]


def test_item_that_fails_validation_still_counts_as_existing(tree: Tree) -> None:
    # A broken misconception must not also make every reference to it "unknown".
    root = tree(edit("misconceptions.yaml", "    exam_angle: Profiles need depth.\n", ""))
    assert problems(root) == [
        "misconceptions.yaml: misconceptions.0.exam_angle (line 2): field required"
    ]


def test_missing_directory(tmp_path: Path) -> None:
    assert problems(tmp_path / "nowhere") == [
        f"{tmp_path / 'nowhere'}: content directory not found"
    ]


def test_hidden_and_non_yaml_files_are_ignored(tree: Tree) -> None:
    root = tree({".backup/concepts.yaml": "not: [valid", "README.md": "notes"})
    assert len(knowledge.load(root).concepts) == 1


def test_pure_python_parser_gives_the_same_results(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without libyaml the loader falls back to PyYAML's own SafeLoader; only the wording of
    # syntax errors differs between the two parsers.
    changes = {"broken.yaml": "concepts: [a, b\n", **edit(GYM, "answer: 42", "answer: 40")}
    with_libyaml = problems(tree(changes))
    monkeypatch.setattr(source, "_Loader", yaml.SafeLoader)
    pure = problems(tree(changes, name="again"))
    assert pure[0] == "broken.yaml: (line 2): expected ',' or ']', but got '<stream end>'"
    assert (
        pure[1:]
        == with_libyaml[1:]
        == ["scenarios/gym.yaml: steps.2.numeric.answer (line 47): stated 40 but the data gives 42"]
    )


def test_anchors_and_merge_keys_work(tree: Tree) -> None:
    shared = """\
common: &common
  base: geographic
  outcomes: [LO1]
  links_to: Where people live shapes what they need.
variables:
  - <<: *common
    id: region
    name: Region
    definition: The part of the country a customer lives in.
    example: A brewer sells regional ales.
"""
    assert problems(tree({"variables/geographic.yaml": shared})) == [
        "variables/geographic.yaml: common (line 1): unknown section (expected one of "
        "variables, groupings, misconceptions, topics, concepts, command_words, marking_points, "
        "coverage, lexicon)"
    ]


def test_an_alias_inside_itself_is_reported(tree: Tree) -> None:
    assert problems(tree({"loop.yaml": "concepts: &loop [*loop]\n"})) == [
        "loop.yaml: (line 1): an alias refers to its own parent"
    ]
