"""Figures of speech: a rhetorical question or an analogy states a belief as plainly as a
sentence does; a real question stays a question."""

from __future__ import annotations

import pytest

from dialogs.language.figures import plain
from dialogs.language.misconceptions import detect
from dialogs.language.words import fold
from knowledge.base import KnowledgeBase


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        (
            "why would you ever go for a little niche if the large segment has more shoppers?",
            "you would not go for a little niche, because the large segment has more shoppers",
        ),
        ("how could you even segment firms", "you cannot segment firms"),
        ("isn't marketing really just selling?", "marketing is really just selling"),
        ("mass market > segments", "mass market is better than segments"),
        (
            "why would u need anything more than age and income?",
            "you would not need anything more than age and income",
        ),
        ("how is segmenting any different from targeting?", "segmenting is the same as targeting"),
        ("how can CLV be more than what they paid?", "clv is just what they paid"),
        (
            "why would the book have segmentation and targeting as two headings?",
            "segmentation and targeting are the same thing",
        ),
        (
            "why would you bother dividing a market up if not to pick who to sell to?",
            "dividing a market up is pick who to sell to",
        ),
        (
            "whats the point of a separate sales team and marketing team when they do the same job",
            "sales team and marketing team are not separate, because they do the same job",
        ),
        ("digital is just socials, what else would it be?", "digital is just socials"),
        (
            "a persona is like a photo, take it once and it stays true forever",
            "a persona is a photo, take a persona once and a persona stays true forever",
        ),
        (
            "segmenting is like slicing a cake, more slices is always better",
            "segmenting is slicing a cake, more segmenting is always better",
        ),
        (
            "why narrow your audience by segmenting when you could reach everyone?",
            "there is no point in narrow your audience by segmenting, because you could reach"
            " everyone",
        ),
        (
            "why would a trade buyer care about the rep?",
            "a trade buyer would not care about the rep",
        ),
        (
            "why would you ever pick a niche over a big one?",
            "you would never pick a niche over a big one",
        ),
        (
            "what else would digital even be apart from socials lol",
            "digital is only socials",
        ),
        (
            "if you've got a good insta, what else is there to digital?",
            "if you have got a good insta, there is nothing else to digital",
        ),
        ("how are they any different?", "they are the same"),
        ("how are you meant to measure a value?", "you cannot measure a value"),
        ("surely more segments are better?", "more segments are better"),
        ("no but surely more segments are better?", "more segments are better"),
        ("why stop at 5 segments?", "no point stopping at 5 segments"),
        (
            "what even is digital marketing if its not social media?",
            "digital marketing is only social media",
        ),
        (
            "who needs to explain benefits when the spec sheet is right there?",
            "nobody needs to explain benefits, because the spec sheet is right there",
        ),
        (
            "whats even the difference between sales and marketing lol",
            "there is no difference between sales and marketing lol",
        ),
        (
            "wouldn't a boiler with 20 settings just sell itself?",
            "a boiler with 20 settings just sell itself",
        ),
        (
            "why would anyone keep buying from a shop they didn't like?",
            "nobody keep buying from a shop, if they did not like",
        ),
        ("you can't have too many segments can you?", "you can not have too many segments"),
        (
            "if you know their age whats left to know really?",
            "if you know their age, there is nothing left to know really",
        ),
        (
            "if it's not on social media how is it digital marketing?",
            "if it is not on social media, it is not digital marketing",
        ),
        (
            "whats the point of segmenting if it isnt choosing who to sell to?",
            "segmenting is choosing who to sell to",
        ),
        (
            "they both sell stuff so how are sales and marketing even different?",
            "they both sell stuff, sales and marketing are the same",
        ),
        ("i dont think b2b firms can really segment", "b2b firms can not segment"),
        (
            "isn't it better to talk to everyone the same way?",
            "it is better to talk to everyone the same way",
        ),
        (
            "if you know her age and income what else do you need to know about her?",
            "if you know her age and income, you need to know nothing else about her",
        ),
        (
            "so segmenting is picking who to sell to, right?",
            "so segmenting is picking who to sell to",
        ),
        ("segmenting is like a sniper picking one target", "segmenting is picking one target"),
        (
            "segmenting is like a sniper lining up a shot, you pick one group",
            "segmenting is lining up a shot, segmenting is when you pick one group",
        ),
        (
            "why does my teacher make us learn them apart when they are the same?",
            "my teacher would not make us learn them apart, because they are the same",
        ),
        (
            "why would u redo a profile thats already been made??",
            "you would not redo a profile that is already been made",
        ),
        (
            "how can having more segments ever be a bad thing?",
            "having more segments is never a bad thing",
        ),
        (
            "if marketing and sales both bring in money, why would they count as different jobs?",
            "if marketing and sales both bring in money, they are not different jobs",
        ),
        (
            "whats the point of having both psychographic and behavioural, theyre identical",
            "there is no point having both psychographic and behavioural, because they are "
            "identical",
        ),
        (
            "why do they even have two different words for it, segmenting is picking customers",
            "they are the same thing, segmenting is picking customers",
        ),
        (
            "i dont even get why its called sales and marketing when its the same job",
            "there is no point in its called sales and marketing, because its the same job",
        ),
    ],
)
def test_a_figure_is_read_as_the_statement_it_makes(text: str, statement: str) -> None:
    assert plain(fold(text)) == statement


@pytest.mark.parametrize(
    "text",
    [
        "why would a small bakery segment its market?",
        "how can you segment businesses?",
        "how do you even measure values?",
        "how is segmenting different from targeting?",
        "why would a business need a website?",
        "why do customers leave when prices go up?",
        "what else is in a profile?",
        "how are sales and marketing different?",
        "what is the difference between sales and marketing?",
        "is it digital marketing?",
        "how is it digital marketing?",
        "i like it, how do you segment a market?",
        "what is the point of a persona?",
        "isn't CLV about the whole relationship?",
        "sales and marketing work like a relay team",
    ],
)
def test_a_real_question_or_a_plain_sentence_is_left_alone(text: str) -> None:
    assert plain(fold(text)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "why would you ever go for a little niche if the large segment has more shoppers?",
            "mc_biggest_segment_best",
        ),
        ("how could you even segment firms, they are all different", "mc_b2b_cannot_segment"),
        ("isn't marketing really just selling?", "mc_sales_equals_marketing"),
        ("a persona is like a photo, take it once and it stays true forever", "mc_static_profiles"),
        (
            "what's the point of splitting customers up when one advert reaches everyone?",
            "mc_mass_marketing_better",
        ),
        (
            "why would anyone keep shopping somewhere they are unhappy with?",
            "mc_loyal_means_satisfied",
        ),
        ("why segment? just sell to everyone", "mc_mass_marketing_better"),
    ],
)
def test_a_belief_put_as_a_figure_is_caught(kb: KnowledgeBase, text: str, expected: str) -> None:
    assert [m.id for m in detect(kb, text)] == [expected]


def test_a_real_question_about_a_belief_is_not_corrected(kb: KnowledgeBase) -> None:
    assert detect(kb, "why would a small bakery segment its market?") == []
    assert detect(kb, "how can you segment businesses?") == []
