"""Negation scope: which mentions a "not", "never" or "no" reaches.

A negation reaches, in its own clause, the first *predicate* after it ("customers do not
really *change*", "there is no *difference* between A and B"), or, when there is none, the
next mention, passing through light cue words ("does not *prove* they are *happy*"). A
negation in a gap of a mention ("can *not* segment") negates that mention. Two negations on
one mention cancel out, but student negative concord ("don't need nothing", "isn't nothing
different") counts once.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from dialogs.language.lexicon import Span
from dialogs.language.terms import INLINE
from dialogs.language.words import Word

NEGATORS = frozenset({"not", "no", "never", "none", "nobody", "nothing", "neither", "nor"})
NEGATORS |= {"without", "hardly", "nowhere", "noone", "zero"}
# A second negation word soon after a first repeats it rather than cancelling it.
_CONCORD = frozenset({"nothing", "no", "none", "nobody", "noone", "neither", "nor", "nowhere"})
# Cue words a negation passes through to reach what they introduce.
PASS_THROUGH = frozenset({"cause", "should", "can", "only", "always", "hedge", "question_cue"})
CLAUSE_WORDS = frozenset({"because", "so", "since", "if", "when", "which", "who", "then"})
CLAUSE_WORDS |= {"unless", "while", "whereas"}
_DUTY = frozenset({("need", "to"), ("have", "to")})
# A clause of one of these words answers a question ("nothing, they both just sell").
_BARE_NO = frozenset({"no", "nothing", "none", "nope", "nah"})


def clause_starts(chunks: Sequence[Sequence[Word]], offset: int) -> list[int]:
    """Where each clause of a part starts: after punctuation, or at a word like "because".

    A clause that is only a negation joins the next ("not because they are happy").
    """
    starts: list[int] = []
    position = offset
    for chunk in chunks:
        for index, word in enumerate(chunk):
            if index == 0 or word.lemma in CLAUSE_WORDS:
                starts.append(position + index)
        position += len(chunk)
    flat = [w for chunk in chunks for w in chunk]
    merged: list[int] = []
    for start in starts:
        previous = flat[merged[-1] - offset : start - offset] if merged else []
        # "no, they aren't the same" answers no: that "no" negates nothing after it.
        answer = len(previous) == 1 and previous[0].surface in _BARE_NO
        if previous and all(w.lemma in NEGATORS for w in previous) and not answer:
            continue  # the previous clause was only "not": this one belongs to it
        merged.append(start)
    return merged


def _reached(
    index: int, clause_end: int, spans: Sequence[Span], predicates: Collection[str]
) -> list[Span]:
    after = sorted((s for s in spans if index < s.start < clause_end), key=lambda s: s.start)
    # A predicate inside a longer phrase ("treat everyone *the same*") is part of that phrase.
    firsts = [
        s
        for s in after
        if s.concept in predicates
        and not any(
            o.start <= s.start and s.end <= o.end and o.end - o.start > s.end - s.start
            for o in after
            if o.concept not in predicates
        )
    ]
    if firsts:
        first = firsts[0]
        # "not enough on their own": a second phrase for the same idea straight after it
        return [
            s
            for s in after
            if s.start == first.start or (s.concept == first.concept and s.start <= first.end + 2)
        ]
    reached: list[Span] = []
    while after:
        group = [s for s in after if s.start == after[0].start]
        reached += group
        # A claim's inline pattern ("do|does") is reached but does not stop the negation
        # short of the concept after it ("doesn't do segmentation").
        if not all(
            span.concept in PASS_THROUGH or span.concept.startswith(INLINE) for span in group
        ):
            break
        after = [s for s in after if s.start > group[0].start]
    return reached


def _obligation(words: Sequence[Word], index: int, spans: Sequence[Span]) -> list[Span]:
    """The spans of a "need to" or "have to" straight after the negation at ``index`` when
    knowing follows: "you don't need to know their lifestyle" denies a duty, not that it can
    be known. ("You never need to change it" still denies the change: that is the belief.)"""
    at = index + 1
    duty = at + 1 < len(words) and (words[at].lemma, words[at + 1].lemma) in _DUTY
    if duty and any(s.start == at + 2 and s.concept == "measure" for s in spans):
        return [s for s in spans if s.start == at]
    return []


def negated_spans(
    words: Sequence[Word], starts: Sequence[int], spans: Sequence[Span], predicates: Collection[str]
) -> set[Span]:
    """The spans of one part that an odd number of negations reach (see the module docstring).

    ``words`` holds every token read so far; ``starts`` are the part's clause starts.
    """
    # A negation written into a term ("not enough") belongs to it, unless the term is only
    # a claim's inline pattern: "(... not the same)" in an 'unless' list must not swallow it.
    inside = {
        i
        for s in spans
        if not s.concept.startswith(INLINE)
        for i in range(s.start, s.end)
        if i not in s.gaps
    }
    ends = [*starts[1:], len(words)]
    counts: dict[Span, int] = {}
    last_negation: int | None = None
    for index in range(starts[0], len(words)):
        lemma = words[index].lemma
        if lemma not in NEGATORS or index in inside:
            continue
        clause = next(
            i for i, (s, e) in enumerate(zip(starts, ends, strict=True)) if s <= index < e
        )
        concord = (
            lemma in _CONCORD
            and last_negation is not None
            and starts[clause] <= last_negation
            and index - last_negation <= 4
        )
        last_negation = index
        if concord:
            continue
        for span in spans:
            if index in span.gaps:
                counts[span] = counts.get(span, 0) + 1
        for span in _obligation(words, index, spans) or _reached(
            index, ends[clause], spans, predicates
        ):
            counts[span] = counts.get(span, 0) + 1
    return {span for span, count in counts.items() if count % 2 == 1}
