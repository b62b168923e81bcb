"""Words as the tutor compares them: shorthand and contractions expanded, spelling mended only
towards the knowledge base's words, lemmas from simplemma, numbers kept whole."""

from __future__ import annotations

import pytest

from dialogs.language.numbers import read_amount
from dialogs.language.words import Speller, fold, lemma_of, words


def _lemmas(text: str, speller: Speller | None = None) -> list[str]:
    return [w.lemma for w in words(text, speller)]


def test_contractions_and_shorthand_are_expanded() -> None:
    assert fold("Segmentation isn't targeting, it's grouping") == (
        "segmentation is not targeting, it is grouping"
    )
    assert _lemmas("u dont need it cos ur sorted") == [
        "you",
        "do",
        "not",
        "need",
        "it",
        "because",
        "your",
        "sort",
    ]
    # An apostrophe inside a word is not a quotation mark.
    assert _lemmas("the gym's members") == ["the", "gym", "member"]


def test_lemmas_keep_apart_what_the_tutor_must_keep_apart() -> None:
    assert lemma_of("segmenting") == "segmenting"  # the process, not a segment
    assert lemma_of("segments") == "segment"
    assert lemma_of("best") != lemma_of("good")
    assert lemma_of("splitting") == "split"  # the dictionary keeps it whole; the verb is found
    assert lemma_of("behavior") == lemma_of("behaviour")
    assert lemma_of("largest") != lemma_of("large")  # "the largest segment" is a claim of its own
    [decade, money] = [w for w in words("over 60s pay £60") if w.number]
    assert decade.lemma != money.lemma and decade.value == money.value == 60


def test_numbers_stay_whole_with_their_value() -> None:
    [money, percent, thousands] = [w for w in words("£1,200 3.5% 30.4k") if w.number]
    assert (money.value, percent.value, thousands.value) == (1200, 3.5, 30400)


@pytest.mark.parametrize(
    ("typed", "mended"),
    [
        ("segmantation", "segmentation"),
        ("chosing", "choosing"),  # a missing letter, not a different word ("chasing")
        ("physcographic", "psychographic"),
        ("custmers", "customers"),
        ("valu", "value"),  # a short word only ever loses its last letter
    ],
)
def test_spelling_is_mended_towards_the_vocabulary(typed: str, mended: str) -> None:
    speller = Speller(
        ["segmentation", "choosing", "chasing", "psychographic", "customers", "value"]
    )
    assert speller.mend(typed) == mended


@pytest.mark.parametrize(
    ("typed", "mended"),
    [
        ("segmentashun", "segmentation"),  # spelt as it sounds
        ("sykografik", "psychographic"),  # the opening "p" is silent
        ("behavyeral", "behavioural"),  # a long word may be one sound off
        ("perchuss", "purchase"),  # a "p" that is sounded keeps its place
        ("monzo", "monzo"),  # a name with no word that sounds like it is left alone
        ("gesture", "gesture"),  # an English word is never "mended"
    ],
)
def test_a_word_spelt_as_it_sounds_is_mended(typed: str, mended: str) -> None:
    speller = Speller(
        ["segmentation", "psychographic", "behavioural", "guesswork", "money", "purchase"]
    )
    assert speller.mend(typed) == mended


def test_real_words_are_never_corrected_into_others() -> None:
    speller = Speller(["value", "values", "targeting"])
    assert speller.mend("valued") == "valued"
    assert speller.mend("carer") == "carer"


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("3.5%", 3.5, "%"),
        ("about 30.4k", 30400, ""),
        ("£1.2m", 1_200_000, "£"),
        ("twelve percent", 12, "%"),
        ("three and a half percent", 3.5, "%"),
        ("one thousand two hundred pounds", 1200, "£"),
        ("42/1200 x 100 = 3.5%", 3.5, "%"),
        ("18/600 = 0.03, so 3%", 3, "%"),
        ("350% wait no u take the cost off first so 250%", 250, "%"),
        ("32 x 12 = 384, so the CLV is £384", 384, "£"),
    ],
)
def test_the_final_stated_result_is_read(text: str, value: float, unit: str) -> None:
    amount = read_amount(text)
    assert amount is not None
    assert amount.value == pytest.approx(value) and amount.unit == unit


def test_no_number_reads_as_none() -> None:
    assert read_amount("no idea, quite a lot?") is None


def test_a_not_equals_sign_stays_a_negation() -> None:
    assert "is not" in fold("digital ≠ just socials")
