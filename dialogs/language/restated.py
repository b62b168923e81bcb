"""A figure given again: "Sarah buys a £60 pair of trainers. Her CLV is therefore £60."

The second £60 restates what one purchase cost, so a claim can say that a measure equals a
single purchase (``@clv + @restated_figure``) without reading arithmetic. A figure counts as
restated only where no other figure stands near it, so working such as "£4.50 x 3 x 104"
restates nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from dialogs.language.words import Word

RESTATED = "restated_figure"
_SPENDING = frozenset(
    {"buy", "bought", "spend", "spent", "pay", "paid", "order", "price", "visit", "sell"}
    | {"purchase", "basket", "receipt", "till", "each", "per", "every", "charge", "fee"}
    | {"for", "at", "bill", "invoice", "quote"}  # "fixed a boiler for £200", "a repair at £250"
)
_NEAR = 4  # words either side of a figure that may say it is what someone pays
_WORKING = 8  # a different figure this close makes working ("£4.50 x 3 x 104"), not a restatement


def restated_figures(
    words: Sequence[Word], parts: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """(part index, word index) of each figure restating an amount paid that came before it."""
    paid: set[float] = set()
    found: list[tuple[int, int]] = []
    for index, (start, end) in enumerate(parts):
        figures = [i for i in range(start, end) if words[i].value is not None]
        for i in figures:
            value = words[i].value
            alone = all(words[j].value == value or abs(j - i) > _WORKING for j in figures)
            if alone and value in paid:
                found.append((index, i))
            nearby = words[max(start, i - _NEAR) : min(end, i + _NEAR + 1)]
            if value is not None and any(w.lemma in _SPENDING for w in nearby):
                paid.add(value)
    return found
