"""``tutor kb check``: problems one per line, or counts, the coverage map and coverage gaps."""

from __future__ import annotations

from pathlib import Path

import knowledge
from knowledge.report import check, gaps, summary
from tests.knowledge.conftest import VALID, Tree, edit, write_tree

CLEAN_BODY = """
Items
  variables             3
  groupings             0
  misconceptions        1
  concepts              1
  command words         1
  marking points        1
  scenarios             1
  coverage entries      2

Variables per base (main base; +n more accept it as an also-base)
  demographic           2
  geographic            0
  psychographic         0
  behavioural           1
  firmographic          0

Items per learning outcome
  LO1 Identify customer groups: 5 (3 variables, 1 marking points, 1 scenarios)
  LO2 Understand motivations, attitudes and behaviours: 3 (1 variables, 1 misconceptions, \
1 command words)
  LO3 Profile existing customer groups: 2 (1 concepts, 1 scenarios)

Coverage (syllabus point -> what teaches it)
  cov_lo1 [learning_outcome] Identify customer groups.
    variables: age, income, usage_rate
  cov_mc_demographics [misconception] Relying on demographics alone.
    misconceptions: mc_demographics_only

Gaps
  none

OK: no problems, no gaps."""


def test_clean_tree_reports_counts_and_coverage(tree: Tree) -> None:
    root = tree()
    assert check(root) == (0, f"Knowledge base: {root}\n{CLEAN_BODY}")


def test_report_names_the_extra_directory(tree: Tree, tmp_path: Path) -> None:
    extra = write_tree(tmp_path / "extra", {"more.yaml": "concepts: []\n"})
    code, text = check(tree(), extra)
    assert (code, text.splitlines()[0]) == (0, f"Knowledge base: {tmp_path / 'content'} + {extra}")


def test_problems_are_listed_one_per_line_with_exit_1(tree: Tree) -> None:
    changes = {
        **edit("scenarios/gym.yaml", "answer: 42", "answer: 40"),
        **edit("concepts.yaml", "answer: 720", "answer: 700"),
    }
    assert check(tree(changes)) == (
        1,
        "concepts.yaml: concepts.0.worked.answer (line 12): stated 700 but the inputs give 720\n"
        "scenarios/gym.yaml: steps.2.numeric.answer (line 47): stated 40 but the data gives 42\n"
        "\n"
        "2 problems: the knowledge base cannot be used.",
    )


def test_uncovered_misconception_and_unearned_marking_point_are_gaps(tree: Tree) -> None:
    coverage = VALID["coverage.yaml"].split("  - id: cov_mc_demographics")[0]
    exam = VALID["exam.yaml"] + (
        "  - id: mp_linkage\n    kind: marking_point\n    label: Linkage\n"
        "    text: Link motives to the segmentation.\n    outcomes: [LO2]\n"
        "  - id: tip_command_words\n    kind: exam_tip\n    label: Command words\n"
        "    text: Answer what the command word asks.\n    outcomes: [LO2]\n"
    )
    code, text = check(tree({"coverage.yaml": coverage, "exam.yaml": exam}))
    assert code == 1
    assert text.endswith(
        "Gaps\n"
        "  misconception 'mc_demographics_only' is in no coverage entry\n"
        "  marking point 'mp_linkage' is earned by no scenario step\n"
        "\n"
        "NOT CLEAN: 2 gap(s)."
    )


def test_reading_problems_found_by_the_caller_make_it_not_clean(tree: Tree) -> None:
    code, text = check(tree(), reading=lambda kb: ["lexicon.yaml: x: a bad term"])
    assert code == 1
    assert text.endswith(
        "Reading\n  lexicon.yaml: x: a bad term\n\nNOT CLEAN: 1 reading problem(s)."
    )


def test_gaps_is_empty_for_the_clean_tree(tree: Tree) -> None:
    assert gaps(knowledge.load(tree())) == []


def test_summary_is_one_line(tree: Tree) -> None:
    assert summary(knowledge.load(tree())) == (
        "knowledge base: 3 variables, 0 groupings, 1 misconceptions, 1 concepts, "
        "1 command words, 1 marking points, 1 scenarios (5 steps), 2 coverage entries"
    )
