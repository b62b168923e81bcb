"""Forgiving matching: names, aliases and typos found; short words and look-alikes not."""

from __future__ import annotations

import pytest

from dialogs.language.matching import (
    allowed_edits,
    find_phrases,
    find_points,
    match_option,
    ordered_match,
)
from dialogs.language.normalise import normalise
from dialogs.language.variables import find_variables
from knowledge.base import KnowledgeBase

BASES = {
    "demographic": ["demographic", "demographics"],
    "geographic": ["geographic", "geographical"],
    "psychographic": ["psychographic", "psychographics"],
    "behavioural": ["behavioural", "behavioral", "behaviour"],
}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Usage-Rate", "usage rate"),
        ("  Psychográphic!!  ", "psychographic"),
        ("don't   use\tage", "dont use age"),
        ("R&D — costs", "r and d costs"),
        ("snake_case_id", "snake case id"),
        ("", ""),
        ("😀 🎉", ""),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_allowed_edits_grow_with_length() -> None:
    assert [allowed_edits(n) for n in (3, 5, 6, 11, 12, 16)] == [0, 0, 1, 1, 2, 3]


def _ids(kb: KnowledgeBase, text: str) -> list[str]:
    return [hit.variable_id for hit in find_variables(kb, text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We could split them by age", ["age"]),
        ("segment by ages and regions", ["age", "region"]),
        ("usage-rate and how often they buy", ["usage_rate", "purchase_frequency"]),
        ("lifestlye, brand loyality and incom", ["lifestyle", "brand_loyalty", "income"]),
        ("their life style", ["lifestyle"]),
        ("average order value and customer lifetime value", ["average_order_value"]),
        ("the tender process takes months", ["purchasing_process"]),
        ("Postcode and climate", ["postcode_area", "climate"]),
    ],
)
def test_find_variables_by_name_alias_and_typo(
    kb: KnowledgeBase, text: str, expected: list[str]
) -> None:
    assert _ids(kb, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Managers manage the usage of the app",  # "age" inside manage/usage
        "they value quality",  # "value" is not the variable "values"
        "I personally think so",  # "personally" is not "personality"
        "a carer looks after them",  # not "career"
        "the stage of the image",
        "",
    ],
)
def test_find_variables_ignores_look_alikes(kb: KnowledgeBase, text: str) -> None:
    assert _ids(kb, text) == []


def test_variable_hit_reports_phrase_and_score(kb: KnowledgeBase) -> None:
    exact, typo = find_variables(kb, "age and lifestlye")
    assert (exact.variable_id, exact.phrase, exact.score) == ("age", "age", 100.0)
    assert typo.variable_id == "lifestyle"
    assert typo.phrase == "lifestlye"
    assert 80 <= typo.score <= 100


def test_longest_phrase_wins_overlaps() -> None:
    found = find_phrases("average order value", {"aov": ["average order value"], "v": ["value"]})
    assert [f.key for f in found] == ["aov"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("psycografic", "psychographic"),
        ("Psychographic!", "psychographic"),
        ("demografic", "demographic"),
        ("geografic", "geographic"),
        ("I think it's behavioral", "behavioural"),
        ("behaviour", "behavioural"),
        ("demographic or psychographic", None),
        ("no idea", None),
        ("", None),
    ],
)
def test_match_option(text: str, expected: str | None) -> None:
    assert match_option(text, BASES) == expected


POINTS = {
    "heavy": ["heavy users", "use it a lot"],
    "price": ["price sensitive", "look for discounts"],
    "often": ["how often they buy"],
    "family": ["young families with children"],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("they use the gym a lot", {"heavy"}),
        ("Heavy-users come daily", {"heavy"}),
        ("they are very price-sensitive", {"price"}),
        ("they are very prise sensitive", {"price"}),
        ("discounts are what they look for", {"price"}),
        ("how often do they buy", {"often"}),
        ("families, mostly young, with small children", {"family"}),
        ("not price sensitive at all", set()),
        ("they never look for discounts", set()),
        ("price matters to them", set()),
        ("they buy often", {"often"}),
        ("they buy online", set()),
        ("heavy rain", set()),
    ],
)
def test_find_points_paraphrases_and_near_misses(text: str, expected: set[str]) -> None:
    assert set(find_points(text, POINTS)) == expected


def test_find_points_echoes_the_words_matched() -> None:
    assert find_points("Heavy-users come daily", POINTS) == {"heavy": "heavy users"}


def test_ordered_match_needs_the_trigger_order() -> None:
    trigger = normalise("segmentation means choosing who to target").split()
    assert ordered_match(normalise("targeting means choosing segments").split(), trigger) is None
    found = ordered_match(normalise("segmenting means choosing who to target").split(), trigger)
    assert found is not None and found[:2] == (0, 6)
