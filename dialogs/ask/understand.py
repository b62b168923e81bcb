"""What a student's question asks: whether it is a question at all, its kind, and its cards.

Kinds: ``define`` ("what is positioning?"), ``compare`` ("niche vs segment"), ``classify``
("is marital status demographic?"), ``calculate`` ("how do I work out CAC?") and ``example``
("give me an example of a geographic variable"). Cards named in the question win; otherwise
BM25 must rank one card clearly first, or the tutor says it is not sure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dialogs.ask.index import index_for
from dialogs.language.answers import dont_know
from dialogs.language.parts import QUESTION
from dialogs.language.reading import read
from dialogs.language.vocabulary import vocabulary
from dialogs.language.words import fold
from knowledge.base import KnowledgeBase
from knowledge.models import BASES

_ASKS = re.compile(
    r"^\W*(?:please\s+|can you\s+|could you\s+)?(?:explain|define|describe|tell me|give me|"
    r"show me|what about|meaning of|help me with|help with|compare|difference|examples? of|"
    r"what (?:counts|makes|goes|comes|happens))\b"
    r"|\b(?:vs|versus)\b"
)
_HEDGE = re.compile(
    r"^\W*(?:is it|it is|its|it s|maybe|could it be|would it be|i think|i guess|probably|"
    r"perhaps|isn t it|surely)\b"
)
_COMPARE = re.compile(
    r"\b(?:vs|versus|difference|differences|differ|different|compare|compared|distinguish)\b"
)
_CLASSIFY = re.compile(
    r"\b(?:which|what|whats)\s+(?:base|type|kind|sort|category)\b|\bis\s+\w+.*\b(?:"
    + "|".join(BASES)
    + r"|behavioral|demographics|geographical)\b"
)
_CALCULATE = re.compile(
    r"\b(?:calculate|calculation|calc|work out|formula|compute|how do (?:i|you|we) "
    r"(?:find|get|measure))\b"
)
_EXAMPLE = re.compile(r"\bexamples?\b")
# BM25 alone is trusted only with a clear winner.
MIN_SCORE = 3.0
LEAD = 1.3


@dataclass(frozen=True)
class Understood:
    """A question's kind, the cards it is about (most relevant first), or the closest ones."""

    intent: str
    items: tuple[str, ...]
    suggestions: tuple[str, ...] = ()
    base_named: str | None = None

    @property
    def confident(self) -> bool:
        """True when the tutor knows which card(s) answer it."""
        return bool(self.items)


def is_question(kb: KnowledgeBase, text: str) -> bool:
    """True for text that asks something ("what is CLV", "niche vs segment", "explain RFM")."""
    folded = fold(text)
    if dont_know(text):
        return False
    if _ASKS.search(folded):
        return True
    if "?" not in text and not _EXPLICIT.search(folded):
        return False  # most quiz answers: no need to read them twice
    return any(part.stance == QUESTION for part in read(text, vocabulary(kb)).parts)


_EXPLICIT = re.compile(
    r"^\W*(?:(?:so|ok|okay|wait|hey|sorry|um|hmm|actually|but|and|also|quick question)\W+)*"
    r"(?:what|whats|how|why|which|who|"
    r"where|when|does|do|can|could|should|is|are|explain|define|describe|tell me|give me|"
    r"show me|meaning of|compare|difference)\b"
)


def asks_explicitly(text: str) -> bool:
    """A question in so many words, not an answer with a question mark ("behavioural?")."""
    folded = fold(text)
    return bool(_EXPLICIT.search(folded) or re.search(r"\b(?:vs|versus)\b", folded)) and not (
        hedged(text)
    )


def hedged(text: str) -> bool:
    """True for an answer offered as a question ("is it demographic?", "maybe behavioural?")."""
    return bool(_HEDGE.search(fold(text)))


def _intent(folded: str, items: list[str], kinds: dict[str, str]) -> str:
    variables = [i for i in items if kinds[i] != "segmentation base"]
    bases = [i for i in items if kinds[i] == "segmentation base"]
    if _COMPARE.search(folded) and len(items) >= 2:
        return "compare"
    if variables and (bases or _CLASSIFY.search(folded)) and "variable" in kinds[variables[0]]:
        return "classify"
    if _CALCULATE.search(folded):
        return "calculate"
    if _EXAMPLE.search(folded):
        return "example"
    return "define"


def understand(kb: KnowledgeBase, text: str) -> Understood:
    """The kind of question and its cards; with no clear card, the closest two or three."""
    index = index_for(kb)
    folded = fold(text)
    hits = index.named(text)
    kinds = {item_id: card.kind for item_id, card in index.cards.items()}
    items = [h.item_id for h in hits]
    # "(can you) explain RFM": the command word is how the question is asked, not its subject.
    if len(items) > 1 and kinds[items[0]] == "exam command word":
        items = items[1:]
    if not items:
        ranked = index.ranked(text)
        clear = ranked and ranked[0][1] >= MIN_SCORE
        if clear and (len(ranked) == 1 or ranked[0][1] >= LEAD * ranked[1][1]):
            items = [ranked[0][0]]
        else:
            return Understood("define", (), tuple(i for i, _ in ranked[:3]))
    intent = _intent(folded, items, kinds)
    base = next((i for i in items if kinds[i] == "segmentation base"), None)
    if intent == "classify":
        items = [i for i in items if kinds[i] != "segmentation base"]
    if intent != "compare":
        items = items[:1]
    return Understood(intent, tuple(items[:2]), base_named=base)
