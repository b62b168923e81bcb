"""Who reports a view: a sentence that opens with a name and a verb of saying."""

from __future__ import annotations

from collections.abc import Iterable

from dialogs.language.lexicon import Span
from dialogs.language.words import Word

_REPORTING = frozenset({"said", "says", "wrote", "writes", "put", "puts", "thinks", "thought"})
_PUT = frozenset({"put", "puts"})  # reports only as "Kai put it..." or "Kai put that..."
_REPORTING |= {"reckons", "reckoned", "claims", "claimed", "argued", "argues", "believes"}
_REPORTING |= {"believed", "insisted", "insists", "suggested", "suggests", "reckon", "stated"}
_NOT_REPORTERS = frozenset({"i", "we", "that", "this", "having", "it", "just", "also", "so"})


def named_reporter(words: list[Word], first: int, spans: Iterable[Span]) -> bool:
    """ "Hana wrote that...", "Kai said...": a sentence opening with someone named and a
    verb of saying reports their belief (a name is any word the lexicon does not know)."""
    return (
        len(words) > first + 2
        and words[first + 1].surface in _REPORTING
        and (words[first + 1].surface not in _PUT or words[first + 2].surface in {"it", "that"})
        and words[first].lemma not in _NOT_REPORTERS
        and not words[first].surface.endswith("ly")  # "simply put, ..."
        and not any(span.start == first for span in spans)
    )
