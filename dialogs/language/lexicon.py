"""The concept lexicon: every concept's terms (see :mod:`dialogs.language.terms`), found
in a list of words.

A concept may *include* others: a mention of "age" is also a mention of "demographic data".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from dialogs.language.terms import Term, compile_terms, match_from
from dialogs.language.words import Speller, Word, fold


@dataclass(frozen=True, slots=True)
class Span:
    """Where a concept is mentioned: token positions ``start`` to ``end`` (exclusive).

    ``gaps`` are the positions inside the span that the term skipped over ("can *not*
    segment"): a negation there negates the mention.
    """

    concept: str
    start: int
    end: int
    gaps: frozenset[int] = frozenset()


def _inside_another(span: Span, spans: Sequence[Span], greedy: frozenset[str]) -> bool:
    """True when a longer mention of a *greedy* concept covers ``span``: "value" in "average
    order value" is not also the variable *values*."""
    return any(
        other.concept != span.concept
        and other.concept in greedy
        and other.start <= span.start
        and span.end <= other.end
        and other.end - other.start > span.end - span.start
        for other in spans
    )


class Lexicon:
    """Concepts and their terms, ready to find in a list of words.

    ``concepts`` maps a concept id to its terms; ``includes`` maps a concept to the concepts
    whose mentions also count as it; ``opposites`` pairs a concept with its opposite (a
    negated mention of one reads as the other). A longer mention of a ``greedy`` concept hides
    the mentions inside it ("average order value" is not also *values*). A negation reaches
    ``predicates`` first (see :mod:`dialogs.language.negation`).
    """

    def __init__(
        self,
        concepts: Mapping[str, Iterable[str]],
        includes: Mapping[str, Iterable[str]] | None = None,
        opposites: Mapping[str, str] | None = None,
        speller: Speller | None = None,
        greedy: Iterable[str] = (),
        predicates: Iterable[str] = (),
        base: Lexicon | None = None,
    ) -> None:
        new_terms = [x for c, texts in concepts.items() for t in texts for x in compile_terms(c, t)]
        self.terms: list[Term] = [*(base.terms if base else ()), *new_terms]
        self.known: frozenset[str] = frozenset(concepts) | (base.known if base else frozenset())
        self.opposites: dict[str, str] = {**(base.opposites if base else {}), **(opposites or {})}
        self.greedy: frozenset[str] = frozenset(greedy) | (base.greedy if base else frozenset())
        self.predicates: frozenset[str] = frozenset(predicates) | (
            base.predicates if base else frozenset()
        )
        self._includes: dict[str, list[str]] = {k: list(v) for k, v in (includes or {}).items()}
        self._by_first: dict[str, list[Term]] = defaultdict(list)
        self._numeric: list[Term] = []
        if base is not None:
            for parent, children in base._includes.items():
                self._includes.setdefault(parent, []).extend(children)
            self._by_first.update({k: list(v) for k, v in base._by_first.items()})
            self._numeric = list(base._numeric)
        for term in new_terms:
            heads = self._heads(term)
            if heads is None:
                self._numeric.append(term)
            for head in heads or ():
                self._by_first[head].append(term)
        self.parents = self._closure(self._includes)
        words = {w for term in new_terms for place in term.places for w in place.words}
        written = {
            w
            for texts in concepts.values()
            for t in texts
            for w in re.sub(r"[|()]", " ", fold(t)).split()
        }
        words |= {w for w in written if w.isalpha()}
        if base is not None:
            words |= base.speller.vocabulary
        self.speller: Speller = speller or Speller(words)

    @staticmethod
    def _heads(term: Term) -> frozenset[str] | None:
        """The words a match can start with (None: it can start with a number)."""
        heads: set[str] = set()
        for place in term.places:
            if place.number:
                return None
            heads |= place.words
            if not place.optional:
                break
        return frozenset(heads)

    def _closure(self, includes: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
        """Concept -> every concept that includes it, directly or through others."""
        direct: dict[str, set[str]] = defaultdict(set)
        for parent, children in includes.items():
            for child in children:
                direct[child].add(parent)
        closure: dict[str, frozenset[str]] = {}
        for concept in set(direct) | set(self.known):
            seen: set[str] = set()
            stack = list(direct.get(concept, ()))
            while stack:
                parent = stack.pop()
                if parent not in seen:
                    seen.add(parent)
                    stack.extend(direct.get(parent, ()))
            closure[concept] = frozenset(seen)
        return closure

    def _beaten(self, span: Span, spans: Sequence[Span]) -> bool:
        """True when a mention of the opposite concept overlaps ``span`` and starts first, or
        covers it and is longer: "no need to check it again" is *unchanging*, so its "check it
        again" is not also *change*."""
        opposite = self.opposites.get(span.concept)
        return opposite is not None and any(
            other.concept == opposite
            and other.start < span.end
            and span.start < other.end
            and (
                other.start < span.start
                or (other.end - other.start > span.end - span.start and span.end <= other.end)
            )
            for other in spans
        )

    def spans(self, tokens: Sequence[Word], start: int = 0, end: int | None = None) -> list[Span]:
        """Every concept mentioned in ``tokens[start:end]``, longest match per concept and place.

        A mention of a concept is also a mention of every concept that includes it.
        """
        limit = len(tokens) if end is None else end
        found: dict[tuple[str, int], tuple[int, ...]] = {}
        for index in range(start, limit):
            token = tokens[index]
            candidates = self._by_first.get(token.lemma, [])
            if token.number:
                candidates = [*self._numeric, *candidates]
            for term in candidates:
                taken = match_from(term, tokens, index, limit)
                if taken and taken[-1] > found.get((term.concept, index), (index - 1,))[-1]:
                    found[(term.concept, index)] = taken
        spans = [
            Span(
                concept, taken[0], taken[-1] + 1, frozenset(range(taken[0], taken[-1])) - set(taken)
            )
            for (concept, _), taken in found.items()
        ]
        # Of two mentions of one concept that overlap, keep the longer.
        spans.sort(key=lambda s: (s.concept, s.start, -(s.end - s.start)))
        kept: list[Span] = []
        for span in spans:
            last = kept[-1] if kept and kept[-1].concept == span.concept else None
            if last is not None and span.start < last.end:
                continue
            kept.append(span)
        kept = [
            s
            for s in kept
            if not self._beaten(s, kept) and not _inside_another(s, kept, self.greedy)
        ]
        extra = [
            Span(parent, span.start, span.end, span.gaps)
            for span in kept
            for parent in self.parents.get(span.concept, ())
        ]
        return sorted({*kept, *extra}, key=lambda s: (s.start, s.end, s.concept))
