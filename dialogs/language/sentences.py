"""Text into sentences: where each ends, which quote someone else, and note headings."""

from __future__ import annotations

import re
from collections.abc import Iterator

_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+|(?<=[.!?])(?=[a-z])")
# One to three words, not a comparison ("psycho vs behavioural:"), before a colon and a
# statement that is not itself a definition ("plan: X = Y").
_HEADING = re.compile(
    r"^\s*(?P<head>(?![^:]*\b(?:vs|versus|v)\b)[a-z][a-z0-9]*(?: [a-z0-9]+){0,2}) ?: +(?=[^=]+$)"
)
# Three words or more between matching quotation marks that are not apostrophes.
_QUOTE = re.compile(r"(?<![a-z0-9])(['\"])(?P<said>[^'\"\n]+? [^'\"\n]+? [^'\"\n]+?)\1(?![a-z0-9])")


def _defined(said: str) -> str:
    return _HEADING.sub(r"\g<head> is ", said, count=1)


def pieces(folded: str) -> Iterator[tuple[str, bool]]:
    """Each sentence of ``folded`` text, and whether it quotes someone else: a "> " line (a
    forum or chat reply), or three words or more in quotation marks opening it ("'it'll sell
    itself' - said every failed gadget"), which is a piece of its own. A note's heading
    defines: "segmentation: choosing who to sell to" is read as "segmentation is ..."."""
    for said in (s for s in _SENTENCE.split(folded) if s and s.strip()):
        if said.lstrip().startswith(">"):
            yield _defined(said.lstrip().lstrip(">")), True
            continue
        quote = _QUOTE.search(said)
        # Only a quote that opens the sentence ("omg 'benefits not features' again...") is
        # someone else's; "I profiled them as 'male, 18-30'" uses one in the student's own.
        if quote is not None and len(said[: quote.start()].split()) <= 1:
            if said[: quote.start()].strip():
                yield _defined(said[: quote.start()]), False
            yield _defined(quote["said"]), True
            said = said[quote.end() :]
        if said.strip():
            yield _defined(said), False
