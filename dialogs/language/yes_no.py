"""Whether an answer to a question opens by saying no ("there isn't one", "nah") or yes
("yep", "pretty sure yeah"): the answer then denies or signs up to what was asked."""

from __future__ import annotations

from collections.abc import Sequence

from dialogs.language.negation import NEGATORS
from dialogs.language.words import Word

_BARE_NO = frozenset({"there", "be", "not", "no", "one", "none", "nothing", "really", "any"})
_BARE_NO |= {"tbh", "honestly", "lol", "mate", "it", "its", "at", "all", "nah", "nope"}
_BARE_NO |= {"you", "can", "we"}  # "how do you even measure an attitude? you can't"
# Words that finish a bare "no" when the student types on without a comma: "there isn't one
# its all flogging stuff", "nah not really they both sell".
_NO_ENDS = frozenset({"one", "none", "nothing", "really", "all", "nah", "nope"})
_YES = frozenset({"yes", "yeah", "yep", "yup", "true", "correct", "definitely", "obviously"})
_BARE_YES = _YES | {"pretty", "sure", "i", "mean", "basically", "say", "think", "so", "tbh"}
_BARE_YES |= {"honestly", "of", "course", "would", "id", "i'd", "lol", "mostly", "much"}


def says_no(opening: Sequence[Word]) -> bool:
    """Whether the opening words of an answer say no: only no ("there isn't one"), or a no
    the student typed on from without a comma ("there isnt one its all flogging stuff")."""
    lemmas = {w.lemma for w in opening}
    if lemmas <= _BARE_NO:
        return bool(lemmas & NEGATORS)
    run = 0
    while opening[run].lemma in _BARE_NO:
        run += 1
    lead = opening[:run]
    return bool(lead) and lead[-1].lemma in _NO_ENDS and any(w.lemma in NEGATORS for w in lead)


def says_yes(opening: Sequence[Word]) -> bool:
    """Whether the opening words of an answer only say yes."""
    lemmas = {w.lemma for w in opening}
    return lemmas <= _BARE_YES and bool(lemmas & _YES) and not lemmas & NEGATORS
