"""Reading questions: what is a question, an answer offered as one, and which cards it needs."""

from __future__ import annotations

import pytest

from dialogs.ask.understand import asks_explicitly, hedged, is_question, understand
from knowledge.base import KnowledgeBase


@pytest.mark.parametrize(
    ("text", "intent", "items"),
    [
        ("what is positioning?", "define", ("stp_positioning",)),
        ("niche vs segment", "compare", ("niche_market", "stp_segmentation")),
        ("how do I calculate customer acquisition cost", "calculate", ("kpi_cac",)),
        ("is marital status demographic?", "classify", ("marital_status",)),
        ("which base is usage rate", "classify", ("usage_rate",)),
        ("give me an example of a geographic variable", "example", ("geographic",)),
        ("explain RFM", "define", ("rfm",)),
        ("segmentation vs targeting", "compare", ("stp_segmentation", "stp_targeting")),
        ("what are the stages of the sales process", "define", ("sales_process",)),
        ("why do businesses segment their market", "define", ("why_segment",)),
        (
            "what is the difference between a feature and a benefit",
            "define",
            ("features_vs_benefits",),
        ),
        ("can you explain positioning", "define", ("stp_positioning",)),
    ],
)
def test_questions_find_their_cards(
    kb: KnowledgeBase, text: str, intent: str, items: tuple[str, ...]
) -> None:
    assert is_question(kb, text)
    understood = understand(kb, text)
    assert (understood.intent, understood.items) == (intent, items)


def test_nothing_fits_gives_no_card(kb: KnowledgeBase) -> None:
    understood = understand(kb, "what is the capital of france?")
    assert not understood.confident and understood.items == ()


@pytest.mark.parametrize("text", ["idk", "demographic", "they go with their mates"])
def test_statements_are_not_questions(kb: KnowledgeBase, text: str) -> None:
    assert not is_question(kb, text)


@pytest.mark.parametrize("text", ["is it demographic?", "maybe behavioural?", "behavioural?"])
def test_answers_offered_as_questions_are_not_asked_explicitly(text: str) -> None:
    assert not asks_explicitly(text)


def test_hedges() -> None:
    assert hedged("is it behavioural?") and not hedged("is usage rate behavioural?")
    assert asks_explicitly("so what is CLV?") and asks_explicitly("wait, niche vs segment?")
