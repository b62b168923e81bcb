"""Claims: what a sentence must say, written over concepts, and found in a reading.

A claim is a pattern of *slots*; each slot is one or more alternatives separated by `` | ``
(with spaces; a ``|`` without spaces belongs to a term), each either a concept (``@same``)
or a term written inline (``sell ~ itself``). A slot
starting with ``!`` must be negated ("emotions do *not* matter": ``@emotion + !@matter``).
Slots are joined in one of three ways, and all must be found in one asserted sentence:

- ``A + B + C``: in any order;
- ``A > B > C``: in this order; ``A >> B``: B straight after A (at most three words between);
- ``A = B``: a definition, "A is B" or "A means B", with nothing but small words between.

One stretch of words fills at most one slot, so a single phrase never makes a claim alone
(a relation may contain a topic: "make *the persona* once" is *persona* and *once*).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from dialogs.language.negation import NEGATORS
from dialogs.language.parts import ASSERTED, Mention
from dialogs.language.reading import Reading
from dialogs.language.terms import inline_id
from dialogs.language.words import Word

COPULAS = frozenset(
    {"be", "mean", "means", "equal", "know", "call", "refer", "stand", "define", "consist", "come"}
)
# The only words that may stand between the two sides of "A is B" besides the copula: small
# words, so "A is unreliable because B" or "A is the step before B" is not a definition.
_DEFINITION_WORDS = COPULAS | frozenset(
    {"basically", "just", "really", "simply", "literally", "essentially", "actually", "only"}
    | {"the", "a", "an", "same", "as", "also", "to", "like", "when", "where", "about", "all"}
    | {"another", "word", "name", "for", "what", "how", "pretty", "much", "thing", "just"}
    | {"term", "label", "bit", "part", "stage", "step"}
    | {"you", "we", "they", "i", "it", "that", "this", "your", "their", "our", "its"}
    | {"he", "she", "u", "ur", "someone", "somebody"}
    | {"business", "company", "firm", "people", "someone", "brand", "shop", "customer"}
    | {"process", "of", "act", "practice", "which", "that", "where", "basically", "simply"}
    | {"stage", "step", "part", "bit", "phase", "idea", "point", "down", "strategy", "side"}
    | {"market", "markets", "here", "therefore", "then", "so", "use", "using"}
    | {"cafe", "gym", "bakery", "bank", "salon", "site", "store", "client", "your"}
    | {"plumber", "hairdresser", "garage", "hotel", "restaurant", "agency", "retailer"}
    | {"overall", "itself", "whole", "through", "via", "advertising", "posting"}
    | {"probably", "definitely", "always", "obviously", "surely", "clearly", "usually"}
)
_DEFINITION_GAP = 6
_CLAUSE_GAP = 6  # words a defining clause may take before it reaches B ("when the boss decides")
_DOER = 3  # words naming who does B in "A was them deciding B"
_NOT_A_DOER = frozenset({"than", "better", "worse", "more", "less", "by", "from", "for", "of"})
_CHOOSING = frozenset({"choose", "pick", "decide", "select", "aim", "focus", "target", "go"})
_NAMES_IN_ING = frozenset({"targeting", "segmenting", "marketing", "selling", "positioning"})
_NEAR = 3


class ClaimError(ValueError):
    """A claim pattern that cannot be read."""


@dataclass(frozen=True, slots=True)
class Slot:
    """One slot: the concepts that may fill it, and whether it must be negated."""

    concepts: frozenset[str]
    negated: bool = False

    def takes(self, mention: Mention) -> bool:
        """True when ``mention`` may fill this slot."""
        return mention.concept in self.concepts and mention.negated == self.negated


@dataclass(frozen=True, slots=True)
class Claim:
    """A compiled claim: its slots, how they are joined, and the text it was written as."""

    slots: tuple[Slot, ...]
    join: str
    text: str


@dataclass(frozen=True, slots=True)
class Found:
    """A claim found in a reading: the mentions that filled its slots, and the part."""

    claim: Claim
    mentions: tuple[Mention, ...]
    part: int


@lru_cache(maxsize=8192)
def parse(text: str) -> Claim:
    """Compile a claim written as in the module docstring (cached: claims are few and fixed);
    raises :class:`ClaimError`."""
    joins = [j for j in ("=", ">>", ">", "+") if f" {j} " in f" {text} "]
    if len(joins) > 1:
        raise ClaimError(f"claim {text!r} mixes {' and '.join(joins)}")
    join = joins[0] if joins else "+"
    slots: list[Slot] = []
    for raw in (s.strip() for s in f" {text} ".split(f" {join} ")):
        if not raw:
            raise ClaimError(f"claim {text!r} has an empty slot")
        negated = raw.startswith("!")
        options = [o.strip() for o in raw.removeprefix("!").split(" | ")]
        concepts = frozenset(o[1:] if o.startswith("@") else inline_id(o) for o in options if o)
        if not concepts:
            raise ClaimError(f"claim {text!r} has an empty slot")
        slots.append(Slot(concepts, negated))
    if join == "=" and len(slots) != 2:
        raise ClaimError(f"a definition needs two sides: {text!r}")
    return Claim(tuple(slots), join, text)


def inline_terms(claims: Iterable[str]) -> dict[str, list[str]]:
    """The inline terms of ``claims`` as concepts for the lexicon: id -> [term]."""
    terms: dict[str, list[str]] = {}
    for text in claims:
        for raw in (
            text.replace(" = ", " + ").replace(" >> ", " + ").replace(" > ", " + ").split(" + ")
        ):
            for option in raw.strip().removeprefix("!").split(" | "):
                option = option.strip()
                if option and not option.startswith("@"):
                    terms[inline_id(option)] = [option]
    return terms


def concepts_of(claim: Claim) -> set[str]:
    """Every concept a claim refers to (inline terms included, under their ids)."""
    return {c for slot in claim.slots for c in slot.concepts}


def _fill(
    slots: Sequence[Slot],
    pool: Sequence[Mention],
    ordered: bool,
    near: bool = False,
    predicates: frozenset[str] = frozenset(),
) -> tuple[Mention, ...] | None:
    """Mentions for every slot, none sharing a word (in order if ``ordered``, and close
    together if ``near``), or None. A relation may contain a topic ("make *the persona*
    once"); two topics may not share words ("the yoga lot" is not also *yoga*)."""

    def clash(one: Mention, other: Mention) -> bool:
        if one.end <= other.start or other.end <= one.start:
            return False
        if (one.start, one.end) == (other.start, other.end):
            return True
        outer, inner = (
            (one, other) if one.end - one.start > other.end - other.start else (other, one)
        )
        inside = outer.start <= inner.start and inner.end <= outer.end
        return not (inside and outer.concept in predicates)

    def walk(index: int, used: tuple[Mention, ...]) -> tuple[Mention, ...] | None:
        if index == len(slots):
            return used
        for mention in pool:
            if not slots[index].takes(mention):
                continue
            if any(clash(mention, u) for u in used):
                continue  # one stretch of words fills one slot
            if ordered and used and mention.start < used[-1].end:
                continue
            if near and used and mention.start - used[-1].end > _NEAR:
                continue
            found = walk(index + 1, (*used, mention))
            if found is not None:
                return found
        return None

    return walk(0, ())


def _definition(
    claim: Claim, reading: Reading, pool: Sequence[Mention]
) -> tuple[Mention, ...] | None:
    """ "A is B": A, then a copula, then B, with only small words between and no negation."""
    left, right = claim.slots
    for a in (m for m in pool if left.takes(m)):
        for b in (m for m in pool if right.takes(m) and m.start >= a.end):
            words = [w.lemma for w in reading.tokens[a.end : b.start]]
            between = set(words)
            # Students write "it's" as "its": "segmentation its basically picking..."; right
            # before B only when B is a doing ("its choosing"), not a thing ("its targeting").
            opening = reading.tokens[b.start].surface
            doing = opening.endswith("ing") and opening not in _NAMES_IN_ING
            copula = COPULAS & between or "its" in words[:-1] or (words[-1:] == ["its"] and doing)
            if not copula or NEGATORS & between:
                continue
            if b.start - a.end <= _DEFINITION_GAP and between <= _DEFINITION_WORDS:
                return (a, b)
            if _defined_by_clause(words) or _defined_by_doer(words, reading.tokens[b.start]):
                return (a, b)
    return None


def _defined_by_doer(words: Sequence[str], first_of_b: Word) -> bool:
    """ "A was them deciding B", "A means the gym chooses B": after the copula, who does
    it (a few words of any kind), then B opening with what they do."""
    last = max((i for i, word in enumerate(words) if word in COPULAS), default=-1)
    doer = words[last + 1 :]
    doing = first_of_b.surface
    return (
        (doing.endswith("ing") or (doing.endswith("s") and first_of_b.lemma in _CHOOSING))
        and doing not in _NAMES_IN_ING
        and 0 < len(doer) <= _DOER
        and not any(word.endswith("ing") for word in doer)  # "A is dividing, B is choosing"
        and not _NOT_A_DOER & set(doer)  # "A is better than tailoring B"
        and set(words[:last]) <= _DEFINITION_WORDS
    )


def _defined_by_clause(words: Sequence[str]) -> bool:
    """ "A is when the manager decides B", "A is just the bit where you B": after the copula
    and small words, "when" (or "where") and a short clause of its own words lead to B."""
    for index, word in enumerate(words[1:], start=1):
        if word in ("when", "where") and COPULAS & set(words[:index]):
            return set(words[:index]) <= _DEFINITION_WORDS and len(words) - index <= _CLAUSE_GAP
    return False


def find(claim: Claim, reading: Reading, parts: Iterable[int] | None = None) -> Found | None:
    """The first asserted part of ``reading`` that makes ``claim``, or None."""
    for index in reading.asserted if parts is None else parts:
        if reading.parts[index].stance != ASSERTED:
            continue
        # The part's own words first: "Q: why update profiles? A: they stay the same" is
        # made by the answer alone, though the question's words come first in the pool.
        own, pool = reading.in_part(index), reading.pool(index)
        for mentions in (own, pool) if len(pool) > len(own) else (own,):
            filled = _place(claim, reading, mentions)
            # A sentence that joins the one before must add something of its own to the claim.
            if filled is not None and any(m.part == index for m in filled):
                return Found(claim, filled, index)
    return None


def _place(claim: Claim, reading: Reading, pool: Sequence[Mention]) -> tuple[Mention, ...] | None:
    """Mentions from ``pool`` for every slot of ``claim``, or None."""
    if claim.join == "=":
        return _definition(claim, reading, pool)
    ordered = claim.join in (">", ">>")
    return _fill(claim.slots, pool, ordered, claim.join == ">>", reading.predicates)
