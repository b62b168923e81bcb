"""Text into sentences: where each ends, which quote someone else, and note headings."""

from __future__ import annotations

import re
from collections.abc import Iterator

_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+|(?<=[.!?])(?=[a-z])")
# One to three words, not a comparison ("psycho vs behavioural:"), before a colon or a dash
# and a statement that is not itself a definition ("plan: X = Y").
_HEADING = re.compile(
    r"^\s*(?P<head>(?![^:]*\b(?:vs|versus|v)\b)[a-z][a-z0-9]*(?: [a-z0-9]+){0,2})(?: ?:| [-–]) +"
    r"(?=[^=]+$)"
)
# Three words or more between matching quotation marks that are not apostrophes.
_QUOTE = re.compile(r"(?<![a-z0-9])(['\"])(?P<said>[^'\"\n]+? [^'\"\n]+? [^'\"\n]+?)\1(?![a-z0-9])")

# A self-test: "t/f: <statement> -> false, <reason>". The statement is the card's, not the
# student's, unless their verdict is "true"; the reason after the verdict is their own.
_SELF_TEST = re.compile(
    r"(?s)^\s*(?:t/f|t or f|true or false|true/false|myth or fact|fact or myth)\s*[:?-]?\s*"
    r"(?P<statement>.+?)\s*(?:->|=>|→|\?|:| - |\.)\s*(?P<verdict>true|false|t|f|myth|fact)\b"
    r"[\s,.!:;-]*(?P<reason>.*)$"
)
# A gap filled: "fill the gap: ___ is choosing who to sell to -> segmentation".
_GAP = re.compile(
    r"(?s)^\s*(?:fill (?:in )?the (?:gap|blank)s?)\s*[:?-]?\s*(?P<before>[^_]*)_{2,}(?P<after>.+?)"
    r"\s*(?:->|=>|→|:| - )\s*(?P<answer>[^,.!?]+)(?P<reason>.*)$"
)


def _self_test(text: str) -> tuple[tuple[str, bool], tuple[str, bool]] | None:
    """A self-test's statement (and whether it is the card's rather than the student's), and
    the reason the student gave."""
    test = _SELF_TEST.match(text)
    if test is not None:
        endorsed = test["verdict"] in ("true", "t", "fact")
        return (test["statement"], not endorsed), (test["reason"], False)
    gap = _GAP.match(text)
    if gap is not None:
        filled = f"{gap['before']}{gap['answer'].strip()} {gap['after'].strip()}"
        return (filled, False), (gap["reason"], False)
    return None


# A question with its answer: "Q: is CLV one purchase? A: yep". The question is read as a
# question (the answer may then sign up to it); the answer is the student's.
_ASKED = re.compile(
    r"(?s)^\s*(?:q|question|quiz q|quiz question|question for (?:u|you|the gc)|front)\s*[:.-]\s*"
    r"(?P<question>.+?)\s*\b(?:a|ans|answer|my answer|back)\s*:\s*(?P<answer>.+)$"
)
_TERM = re.compile(
    r"^(?!(?:what|how|why|which|who|name|list|is|are|do|does)\b)(?!.*\b(?:vs|versus|v|and|or)\b)"
    r"(?P<term>[a-z]+(?: [a-z]+){0,2})$"
)
_DEFINE = re.compile(r"^(?:what|wat|whats)(?: is| are| does)? (?P<term>[a-z ]{2,40}?)(?: mean)?$")
# A bulleted or numbered line continues the one before it: "profile:\n- age\n- income" is
# one list, so "that's all you need" on the next line points back to all of it.
_BULLET = re.compile(r"\n[ \t]*(?:[-•*]|\d{1,2}[.)])[ \t]+")
_ADDRESSED = re.compile(r"^\s*(?:@\w+[,:]?\s+)+")  # "@Tom why would u..." speaks to Tom
# A pasted exchange, "me: X / jay: Y" or "Jo: what's CLV? Me: ...": each turn opens with a name.
_TURN = re.compile(r"(?:^\s*|\s+/\s+|\s*\n\s*|(?<=[.?!])\s+)(?P<who>[a-z]{2,10})\s*:\s+")
_ME = frozenset({"me", "myself"})


def _defined(said: str) -> str:
    return _HEADING.sub(r"\g<head> is ", said, count=1)


def _exchange(folded: str, turns: list[re.Match[str]]) -> Iterator[tuple[str, bool]]:
    """The sentences of a pasted exchange: the student's own turns as they are; another
    speaker's statements quoted, their questions still asked (the student may answer)."""
    for turn, after in zip(turns, [*turns[1:], None], strict=True):
        said = folded[turn.end() : after.start() if after else len(folded)]
        for sentence, quoted in pieces(said):
            own = turn["who"] in _ME or sentence.rstrip().endswith("?")
            yield sentence, quoted or not own


def pieces(folded: str) -> Iterator[tuple[str, bool]]:
    """Each sentence of ``folded`` text, and whether it quotes someone else: a "> " line (a
    forum or chat reply), or three words or more in quotation marks opening it ("'it'll sell
    itself' - said every failed gadget"), which is a piece of its own. A note's heading
    defines: "segmentation: choosing who to sell to" is read as "segmentation is ..."."""
    folded = _BULLET.sub(", ", _ADDRESSED.sub("", folded)).replace(":, ", ": ")
    asked = _ASKED.match(folded)
    if asked is not None:
        question = asked["question"].rstrip(" ?./")
        # A flashcard's front may be only the term: "front: segmentation / back: ..." defines it.
        defined = _DEFINE.match(question) or _TERM.match(question)
        if defined is not None:  # "Q: what is CLV? A: one purchase" defines CLV
            yield from pieces(f"{defined['term']} is {asked['answer']}")
            return
        yield f"{question}?", False
        yield from pieces(asked["answer"])
        return
    turns = list(_TURN.finditer(folded))
    if turns and turns[0].start() == 0 and any(turn["who"] in _ME for turn in turns):
        yield from _exchange(folded, turns)
        return
    tested = _self_test(folded)
    if tested is not None:
        (statement, quoted), (reason, _) = tested
        yield statement.rstrip(" .!?"), quoted
        yield from pieces(reason)
        return
    for said in (_ADDRESSED.sub("", s) for s in _SENTENCE.split(folded) if s and s.strip()):
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
