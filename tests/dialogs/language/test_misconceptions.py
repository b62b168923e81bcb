"""Misconception detection: true hits, must-not-hit sentences, and the correction side effects."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dialogs.corrections import HEADER, correct, fallback_text
from dialogs.language.misconceptions import detect
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
    ],
)
def test_true_hits(kb: KnowledgeBase, text: str, expected: str) -> None:
    assert [m.id for m in detect(kb, text)] == [expected]


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
    ],
)
def test_must_not_hit(kb: KnowledgeBase, text: str) -> None:
    assert detect(kb, text) == []


def test_every_trigger_of_the_shipped_base_is_detected(kb: KnowledgeBase) -> None:
    for misconception in kb.misconceptions.values():
        for trigger in misconception.triggers:
            assert misconception in detect(kb, trigger), trigger


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
