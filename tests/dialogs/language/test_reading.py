"""Reading a text: stance (asserted, question, distanced), negation scope, and claims found
only in sentences that assert them."""

from __future__ import annotations

import pytest

from dialogs.language.answers import dont_know, read_answer
from dialogs.language.claims import ClaimError, find, parse
from dialogs.language.lexicon import Lexicon
from dialogs.language.parts import ASSERTED, DISTANCED, QUESTION
from dialogs.language.reading import read
from dialogs.language.terms import TermError, compile_terms, inline_id, split_phrase
from dialogs.language.words import words

LEXICON_CONCEPTS = {
    "seg": ["segmentation", "segmenting", "split ~3 market ~2 into groups"],
    "tgt": ["targeting", "choose|pick ~2 who|which ~3 sell|target"],
    "same": ["same", "one step", "identical"],
    "different": ["different", "difference", "separate"],
    "distance": ["myth", "used to think", "people ~2 think", "boss ~2 say"],
    "endorsed": ["and ~1 she ~1 be ~1 right"],
    "question_cue": ["or not"],
}
LEXICON = Lexicon(
    LEXICON_CONCEPTS,
    opposites={"same": "different", "different": "same"},
    predicates=["same", "different"],
)


def _stances(text: str) -> list[str]:
    return [part.stance for part in read(text, LEXICON).parts]


@pytest.mark.parametrize(
    ("text", "stances"),
    [
        ("segmentation is the same as targeting", [ASSERTED]),
        ("is segmentation the same as targeting?", [QUESTION]),
        ("is segmentation the same as targeting", [QUESTION]),
        ("does targeting come first or not", [QUESTION]),
        ("its a myth that segmentation is targeting", [DISTANCED]),
        ("I used to think segmentation was targeting", [DISTANCED]),
        ("people think they're the same but they're not", [DISTANCED, ASSERTED]),
        ("segmentation is targeting. That's a myth.", [DISTANCED, DISTANCED]),
        ("what is segmentation", [QUESTION]),
        ("how many segments should a firm have", [QUESTION]),
        ("what someone believes and what they buy are the same", [ASSERTED]),
        ("how often someone buys is behavioural", [ASSERTED]),
        ("doing your segmentation online means targeting", [ASSERTED]),
        # Unsure statements end with "?" but ask nothing; a reported belief can be endorsed.
        ("i think segmentation is targeting??", [ASSERTED]),
        ("pretty sure segmentation is targeting?", [ASSERTED]),
        ("surely segmentation is targeting?", [ASSERTED]),
        ("my boss says segmentation is targeting", [DISTANCED]),
        ("my boss says segmentation is targeting and she's right", [ASSERTED]),
        # "what people think" is a topic, not a report.
        ("segmentation is guessing what people think", [ASSERTED]),
        # "just do X" instructs; it does not ask "do X...?"
        ("just do segmentation by age", [ASSERTED]),
    ],
)
def test_stance(text: str, stances: list[str]) -> None:
    assert _stances(text) == stances


def _same(text: str) -> bool:
    return find(parse("@seg + @tgt + @same"), read(text, LEXICON)) is not None


@pytest.mark.parametrize(
    ("text", "same"),
    [
        ("segmentation and targeting are the same", True),
        ("there is no difference between segmenting and targeting", True),
        ("segmentation and targeting are not the same", False),
        ("segmentation isn't the same as targeting", False),
        ("segmentation and targeting aren't different", True),
        ("segmenting and targeting are really one step", True),
        ("is segmentation the same as targeting?", False),
        ("people think segmentation and targeting are the same but they are different", False),
    ],
)
def test_negation_and_stance_decide_a_claim(text: str, same: bool) -> None:
    assert _same(text) is same


def test_a_negation_in_an_inline_pattern_still_negates() -> None:
    """A claim's inline term ("not the same" in an 'unless' list) joins the lexicon, but it
    must not swallow the "not" that the real concepts need."""
    lexicon = Lexicon(
        {**LEXICON_CONCEPTS, inline_id("(not the same)"): ["(not the same)"]},
        opposites={"same": "different", "different": "same"},
        predicates=["same", "different"],
    )
    reading = read("segmentation and targeting are not the same", lexicon)
    assert find(parse("@seg + @tgt + @same"), reading) is None


def test_a_definition_needs_only_small_words_between() -> None:
    definition = parse("@seg = @tgt")
    assert find(definition, read("segmentation is basically choosing who to sell to", LEXICON))
    assert not find(definition, read("segmentation is done before targeting", LEXICON))
    assert not find(definition, read("segmentation is not targeting", LEXICON))


def test_one_phrase_never_fills_two_slots() -> None:
    claim = parse("@same + @different")
    assert find(claim, read("there is no difference", LEXICON)) is None


def test_claim_and_term_syntax_errors_are_reported() -> None:
    with pytest.raises(ClaimError):
        parse("@a + @b > @c")
    with pytest.raises(ClaimError):
        parse("@a = @b = @c")
    with pytest.raises(TermError):
        compile_terms("x", "~ starts with a gap")
    with pytest.raises(TermError):
        compile_terms("x", "a|b|(c d)")  # the group would silently swallow "b"
    assert len(compile_terms("x", "sell ~2 (its self|by itself)")) == 2


@pytest.mark.parametrize(
    ("term", "slip"),
    [
        ("what people buy|pay for|paying for", "pay"),  # "pay for" meant as one phrase
        ("not worth|is not worth ~1 bothering", "not"),
        ("(social app|social apps)", None),
        ("face to face", None),
        ("the higher|bigger the number|amount", None),
        ("seo|ppc or|and? seo|ppc", None),
    ],
)
def test_a_phrase_among_alternatives_unbracketed_is_noticed(term: str, slip: str | None) -> None:
    assert {split_phrase(t) for t in compile_terms("x", term)} == {slip}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("50 segments", True),
        ("50 different segments", True),
        ("50 small groups", True),  # the skipped "different" leaves its gap to "groups"
        ("50 very small local groups", False),
        ("the over 60s group", False),  # a decade is not an amount
    ],
)
def test_a_number_term_with_an_optional_word(text: str, found: bool) -> None:
    lexicon = Lexicon({"many": ["# ~2 different? segment|segments|group|groups"]})
    assert bool(lexicon.spans(words(text, lexicon.speller))) is found


def test_typed_answers_name_what_they_name() -> None:
    bases = {"demo": ["demographic"], "behav": ["behavioural", "behaviour"]}
    assert read_answer("demographic, no wait, behavioural", bases).keys == ["behav"]
    assert read_answer("not demographic, its behavioural", bases).keys == ["behav"]
    assert read_answer("behavoural", bases).keys == ["behav"]
    assert read_answer("banana", bases).keys == []
    assert dont_know("idk tbh") and dont_know("no idea") and not dont_know("no, demographic")
