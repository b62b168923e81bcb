"""Misconception detection by claims: beliefs however they are phrased, never a sentence that
rejects, questions or merely mentions one; and the correction side effects."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dialogs.corrections import HEADER, correct, fallback_text
from dialogs.language.misconceptions import detect, detections
from dialogs.replies import Message
from dialogs.tutor import Turn, Tutor
from knowledge.base import KnowledgeBase
from storage import Database
from storage.cards import get_card
from storage.misconceptions import hit_counts
from tests.conftest import NOON


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Segmentation is basically the same as targeting.", "mc_segmentation_vs_targeting"),
        ("I think segmenting and targeting are the same thing", "mc_segmentation_vs_targeting"),
        ("Targeting and segmentation mean the same", "mc_segmentation_vs_targeting"),
        ("segmentation means choosing who to target", "mc_segmentation_vs_targeting"),
        ("you only need demographic data", "mc_demographics_only"),
        ("Honestly demographics are all you need to know", "mc_demographics_only"),
        ("Sales and marketing are the same", "mc_sales_equals_marketing"),
        ("digital marketing is just social media really", "mc_digital_is_social"),
        ("the more features the easier it is to sell", "mc_features_sell"),
        ("once a profile is made it's finished", "mc_static_profiles"),
        ("Loyal customers are satisfied customers", "mc_loyal_means_satisfied"),
        ("more segments is always better", "mc_more_segments_better"),
        ("B2B buyers are purely rational", "mc_b2b_purely_rational"),
        ("I would treat all customers the same", "mc_mass_marketing_better"),
        ("Good point. But segmentation is the same as targeting", "mc_segmentation_vs_targeting"),
        # Plain rewordings that share few words with any stored phrasing.
        ("segmenting and targeting are really one step", "mc_segmentation_vs_targeting"),
        ("knowing someone's age and salary is all the insight you need", "mc_demographics_only"),
        ("write the profile once and reuse it for years", "mc_static_profiles"),
        ("there's no real difference between sales and marketing", "mc_sales_equals_marketing"),
        ("if they keep coming back they must be happy with us", "mc_loyal_means_satisfied"),
        ("you should always go for the biggest segment", "mc_biggest_segment_best"),
        (
            "psychographic and behavioural segmentation are the same thing",
            "mc_psycho_behavioural_same",
        ),
        ("you cant segment b2b markets, only normal consumers", "mc_b2b_cannot_segment"),
        ("clv is how much a customer spends in one go", "mc_clv_single_purchase"),
        # An answer that opens with "no" to its own question; symbols for "is".
        (
            "whats the difference between sales and marketing? there isnt one, both sell",
            "mc_sales_equals_marketing",
        ),
        ("behavioural segmentation = psychographic segmentation", "mc_psycho_behavioural_same"),
        ("clv = the price of there order", "mc_clv_single_purchase"),
        # Misspelt, and inside a longer answer.
        ("segmantation is basicly just chosing who to sell to", "mc_segmentation_vs_targeting"),
        (
            "For the gym I'd use their ages and classes. Lifestyle can't be measured anyway, "
            "it's just guessing, so I left it out.",
            "mc_psychographics_unmeasurable",
        ),
        # Not needing to know something is not being unable to know it.
        (
            "you dont need to know their lifestyle when you have their age and salary",
            "mc_demographics_only",
        ),
        # A rhetorical question about a named business, and one about "textbooks".
        (
            "Why would Monzo redo its customer profiles every year when it did a big survey "
            "when it launched?",
            "mc_static_profiles",
        ),
        (
            "why do textbooks split psychographic and behavioural when theyre the same",
            "mc_psycho_behavioural_same",
        ),
        ("i reckon biggest segment always wins, numbers dont lie", "mc_biggest_segment_best"),
        (
            "Why do companies have a sales team AND a marketing team when they do exactly the "
            "same thing?",
            "mc_sales_equals_marketing",
        ),
        # The second £30 restates the price; the £2 later in the sentence is not working.
        (
            "A customer who buys a £30 cake has a CLV of £30, so they're worth more to the bakery "
            "than someone buying a £2 croissant",
            "mc_clv_single_purchase",
        ),
        ("be to be buyers are purely rational, they pick the cheapest", "mc_b2b_purely_rational"),
        ("who cares bout benefits if the phone has 5 cameras?", "mc_features_sell"),
        ("how can u segment businesses, they dont have ages or hobbies?", "mc_b2b_cannot_segment"),
        (
            "why else would someone keep coming back if they weren't satisfied?",
            "mc_loyal_means_satisfied",
        ),
        (
            "whats even the point updating profiles every year, its the same customers??",
            "mc_static_profiles",
        ),
        (
            "What more could you possibly need to know about a customer than their age, job "
            "and salary?",
            "mc_demographics_only",
        ),
        (
            "Isn't segmentation literally just the bit where you choose who to sell to?",
            "mc_segmentation_vs_targeting",
        ),
        # "theyll" is "they will"; "why pay someone to redo X every year" says not to.
        (
            "if you know someones age and how much they earn you already know what theyll buy",
            "mc_demographics_only",
        ),
        (
            "Why pay someone to redo the profiles every year when it's the same customers "
            "walking through the door?",
            "mc_static_profiles",
        ),
        # "one job" is work, not an occupation: no "demographics are enough" here.
        (
            "sales and marketing are one job, so one person is enough for both",
            "mc_sales_equals_marketing",
        ),
        # "id" typed for "I'd"; a definition that names the business in passing.
        (
            "for the bakery id segment by just picking the office workers round the corner",
            "mc_segmentation_vs_targeting",
        ),
        (
            "segmenting for the plumber = deciding we only go after landlords",
            "mc_segmentation_vs_targeting",
        ),
        # "its" typed for "it's" before a doing defines; a price "for £200" restated is one
        # purchase.
        ("what is segmentation? its chosing ur target audiance", "mc_segmentation_vs_targeting"),
        (
            "The plumber fixed a boiler for £200, so that customer's lifetime value is £200.",
            "mc_clv_single_purchase",
        ),
        # "zero" denies as "no" does.
        (
            "the bakery does zero digital marketing cos they dont even have an instagram",
            "mc_digital_is_social",
        ),
        # "why redo X, Y?" says not to redo X, because Y.
        ("why redo personas, customers dont really change?", "mc_static_profiles"),
        # A student's own name for an idea: "the grouping thing" is segmenting.
        (
            "tbh targeting is just the other word for the grouping thing",
            "mc_segmentation_vs_targeting",
        ),
    ],
)
def test_true_hits(kb: KnowledgeBase, text: str, expected: str) -> None:
    assert [m.id for m in detect(kb, text)] == [expected]


def test_price_and_specs_is_one_thing_cared_about(kb: KnowledgeBase) -> None:
    """ "Only care about price and specs" is the B2B belief, not "features sell"; a product
    with the most features winning is both."""
    caring = "b2b buyers only care about price and specs, no feelings involved"
    assert [m.id for m in detect(kb, caring)] == ["mc_b2b_purely_rational"]
    winning = (
        "b2b buyers just compare specs and price so whichever product has the most features "
        "wins the contract"
    )
    assert {m.id for m in detect(kb, winning)} == {"mc_b2b_purely_rational", "mc_features_sell"}


@pytest.mark.parametrize(
    "text",
    [
        "Segmentation is NOT the same as targeting.",
        "Segmentation isn't the same as targeting",
        "After segmenting, targeting decides which segments to serve.",
        "Targeting means choosing which segments to serve.",
        "Segmentation splits the market; targeting picks the groups.",
        "It's a myth that sales and marketing are the same thing",
        "Is segmentation the same as targeting?",
        "We use demographic data plus lifestyle and usage rate",
        "Digital marketing includes SEO, email and social media",
        "You shouldn't treat all customers the same",
        "Profiles need updating because customers change",
        "the gym should target heavy users with loyalty rewards",
        "marketing and sales work together but are different",
        "Positioning is how we want the target segment to see us",
        "hello",
        "",
        # Rejections, past beliefs, beliefs called myths or reported as someone else's.
        "people think segmenting and targeting are the same but they're not",
        "I used to think profiles never change",
        "the idea that demographics alone are enough is a myth",
        "my uncle reckons sales and marketing are the same job, but that's wrong",
        # Questions, with and without a question mark.
        "is clv just one purchase",
        "does a product with loads of features sell itself or not",
        # Correct sentences that share words with a belief.
        "seo, ppc, email, content marketing and social media are all digital channels",
        "CLV = average order value x purchase frequency x customer lifespan",
        "loyal customers who keep buying are really valuable to a business",
        "the biggest segment can be a good choice if it is profitable",
        "repeat purchase can be a sign of satisfaction but it could also be habit",
        "psychographics are harder to measure than demographics",
        "customer lifetime value is not same as average order value",
        # A variable with a second base does not make its main base "the same" as that one.
        "psychographic is about attitudes and values, behavioural is about what people do",
        "Digital marketing covers all online channels, of which social media is only one.",
        "whats the difference between sales and marketing? no idea, can you explain",
        # Set phrases: stock that "didn't shift" did not change, a "profile pic" is not a
        # customer profile, an NHS trust is not trust.
        "we targeted the wrong segment last christmas and the stock didnt shift",
        "the profile pic on our staff app never changes lol",
        "For a supplier to NHS trusts, price matters a lot, but so do reliability and rapport.",
        # Analogies that make the correct point, and one comparing two ideas at once.
        "CLV is like a gym membership, its not the first month that counts, its all the months "
        "they stay",
        "splitting into too many segments is like a teacher writing a separate lesson plan for "
        "every single pupil, impossible to keep up",
        "features vs benefits is like baking, nobody wants 'contains baking powder', they want a "
        "light fluffy cake",
        # Odd input is never a misconception.
        "👍👍👍",
        "<b>segmentation</b> &amp; <i>targeting</i>",
        "Сегментация рынка",
        "segmentation " * 700,
    ],
)
def test_must_not_hit(kb: KnowledgeBase, text: str) -> None:
    assert detect(kb, text) == []


def test_every_belief_is_detected_and_its_fact_is_not(kb: KnowledgeBase) -> None:
    for misconception in kb.misconceptions.values():
        assert detect(kb, misconception.belief) == [misconception], misconception.id
        assert detect(kb, misconception.fact) == [], misconception.id


def test_the_words_that_stated_the_belief_are_reported(kb: KnowledgeBase) -> None:
    [found] = detections(kb, "Honestly, sales and marketing are the same thing.")
    assert found.misconception.id == "mc_sales_equals_marketing"
    assert found.words == "sales … marketing … the same thing"


def test_a_figure_of_speech_is_quoted_as_written(kb: KnowledgeBase) -> None:
    # Read as "there is no need for lifestyle, because...": the student is shown their words.
    [found] = detections(kb, "Why bother with lifestyle when age tells you who they are?")
    assert found.misconception.id == "mc_demographics_only"
    assert found.words == "why bother with lifestyle when age tells you who they are?"


async def test_correct_records_the_hit_and_brings_the_card_forward(
    tutor: Tutor, turn: Callable[..., Turn], database: Database
) -> None:
    await tutor.on_command(turn(), "start")
    ctx = await tutor._begin(turn())
    replies = await correct(ctx, "honestly sales and marketing are the same thing", where="quiz")
    assert len(replies) == 1
    message = replies[0]
    assert isinstance(message, Message)
    assert message.html.split("\n")[0] == HEADER
    assert "Exam angle" in message.html
    hits, card = await database.run(
        lambda s: (
            hit_counts(s, user_id=1),
            get_card(s, user_id=1, item_id="mc_sales_equals_marketing"),
        )
    )
    assert hits == {"mc_sales_equals_marketing": 1}
    assert card is not None and card.due <= NOON


async def test_correct_returns_nothing_for_a_correct_statement(
    tutor: Tutor, turn: Callable[..., Turn], database: Database
) -> None:
    ctx = await tutor._begin(turn())
    assert await correct(ctx, "Targeting comes after segmentation.", where="chat") == []
    assert await fallback_text(ctx, "Targeting comes after segmentation.") is None
    assert await database.run(lambda s: hit_counts(s, user_id=1)) == {}


async def test_fallback_text_corrects_out_of_the_blue(
    tutor: Tutor, turn: Callable[..., Turn], database: Database
) -> None:
    ctx = await tutor._begin(turn())
    replies = await fallback_text(ctx, "digital marketing is just social media")
    assert replies is not None
    assert isinstance(replies[0], Message) and replies[0].html.startswith(HEADER + "\n")
    hits = await database.run(lambda s: hit_counts(s, user_id=1))
    assert hits == {"mc_digital_is_social": 1}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("segmentation is when the sales manager decides which buyers we go after", True),
        ("segmentation is when you split customers into groups", False),
        ("my mate put CLV as one purchase in his assignment and lost marks", False),
        ("our old MD thought the personas would last forever", False),
        ("someone in class said b2b cant be segmented, which is wrong", False),
        ("the gym thought renewals meant happy members, but loads left", False),
        # A sentence opening with "However" sets the one before aside, hedges and all.
        (
            "Some people count the website as digital. However, digital marketing really means"
            " social media.",
            True,
        ),
        ("psychographics is basically mind reading, you're just guessing what people think", True),
        ("idk why the course splits them up, sales = marketing", True),
        ("we segmented our market by choosing students as our customers", True),
        # A belief taken back in the next breath is not the student's.
        ("segmentation is choosing who to sell to... wait no that's targeting", False),
        ("some people treat personas as set in stone but that's a mistake", False),
        # A quoted line ("> ...") is someone else's; the reply under it is the student's own.
        ("> sales and marketing are the same\nno, they overlap but they're different jobs", False),
        ("> sell the benefits\nnah, disagree, the feature list is what closes the sale", True),
    ],
)
def test_definitions_by_a_clause_and_beliefs_reported_of_others(
    kb: KnowledgeBase, text: str, expected: bool
) -> None:
    assert bool(detect(kb, text)) is expected
