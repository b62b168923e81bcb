"""A lifetime value that only restates what one purchase cost is the single-purchase
misconception; working that multiplies it out, or a figure paid for something else, is not."""

from __future__ import annotations

import pytest

from dialogs.language.misconceptions import detect
from knowledge.base import KnowledgeBase


@pytest.mark.parametrize(
    "text",
    [
        "Amir buys a £40 jacket from the shop. His CLV is therefore £40.",
        "A diner who orders a £12 meal has a customer lifetime value of £12.",
        "the member pays £25 a visit so their lifetime value is 25",
    ],
)
def test_a_lifetime_value_restating_one_purchase_is_caught(kb: KnowledgeBase, text: str) -> None:
    assert [m.id for m in detect(kb, text)] == ["mc_clv_single_purchase"]


@pytest.mark.parametrize(
    "text",
    [
        "She spends £4.50 a visit, 3 times a week for 2 years: CLV = £4.50 x 3 x 104 = £1,404.",
        "Average order value is £20. CLV is £20 x 12 x 3, which is £720.",
        "If the CLV is £500 and it costs £500 to win a customer, we only break even.",
        "He paid £30 for a haircut and said the service was worth £30.",
    ],
)
def test_working_or_another_figure_is_not(kb: KnowledgeBase, text: str) -> None:
    assert detect(kb, text) == []
