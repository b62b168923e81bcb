"""Terms: how a concept is written in the lexicon, compiled, and matched against words.

A *term* is written as plain words with a little syntax, all of it lemmatised when compiled,
so "segmenting the market" matches the term ``segment ~ market``:

- ``a|b`` one of several words at this place; ``word?`` an optional word;
- ``(its self|by itself)`` one of several phrases at this place;
- ``~`` up to three other words in between (``~5`` up to five);
- ``#`` any number but a decade; a number written out (``45``, ``£45``) only that number; a
  decade (``60s``) only that decade, so "over 60s" is not "£60".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from dialogs.language.words import Word, fold, tokens

MAX_GAP = 3


INLINE = "'"
"""How the concept id of a term written inline in a claim starts (``'sell ~ itself'``)."""


def inline_id(term: str) -> str:
    """The concept id under which a term written inline in a claim joins the lexicon."""
    return f"{INLINE}{term}{INLINE}"


class TermError(ValueError):
    """A term that cannot be compiled (empty, or starting with a gap)."""


@dataclass(frozen=True, slots=True)
class Place:
    """One place in a term: the words allowed there, the gap allowed before it, optional."""

    words: frozenset[str]
    gap: int = 0
    optional: bool = False
    number: bool = False
    values: frozenset[float] = frozenset()

    def fits(self, word: Word) -> bool:
        """True when ``word`` may stand at this place (a number written in a term must match;
        ``#`` is any amount, not a decade: "the over 60s segment" is not "60 segments")."""
        if not self.number:
            return word.lemma in self.words
        if self.values:
            return word.number and word.value in self.values
        return word.number and not word.lemma.endswith("s")


@dataclass(frozen=True, slots=True)
class Term:
    """A compiled term of one concept."""

    concept: str
    places: tuple[Place, ...]
    text: str


@lru_cache(maxsize=16384)
def _lemmas(option: str) -> tuple[str, ...]:
    return tuple(w.lemma for w in tokens(fold(option)))


def _place_words(part: str) -> list[list[str]]:
    """The lemmas of each alternative at one place (an alternative may be a run of words)."""
    options = []
    for option in part.split("|"):
        found = list(_lemmas(option))
        if not found:
            raise TermError(f"{part!r} has an empty alternative")
        options.append(found)
    if len(options) > 1 and any(len(o) > 1 for o in options):
        raise TermError(f"{part!r} mixes one-word and several-word alternatives")
    return options


@lru_cache(maxsize=16384)
def _places(part: str, gap: int, optional: bool) -> tuple[Place, ...]:
    """The places one written part of a term stands for (usually one; "don't" is two).
    Cached: the lexicon writes the same parts again and again ("segment|segments")."""
    written = tokens(fold(part)) if _DIGIT.search(part) else []
    if part == "#":
        return (Place(frozenset(), gap, optional, number=True),)
    if (
        len(written) == 1
        and written[0].number
        and "|" not in part
        and not written[0].lemma.endswith("s")
    ):
        value = written[0].value
        values = frozenset({value}) if value is not None else frozenset()
        return (Place(frozenset(), gap, optional, number=True, values=values),)
    options = _place_words(part)
    if len(options) == 1 and len(options[0]) > 1:  # "don't" is "do not": a run
        return tuple(
            Place(frozenset({w}), gap if i == 0 else 0, optional) for i, w in enumerate(options[0])
        )
    return (Place(frozenset(o[0] for o in options), gap, optional),)


_GROUP = re.compile(r"\(([^()]*)\)")
_DIGIT = re.compile(r"\d")


def expand(text: str) -> list[str]:
    """A term with phrase groups as plain terms: "a (b c|d)" -> ["a b c", "a d"]."""
    found = _GROUP.search(text)
    if found is None:
        return [text]
    before, after = text[: found.start()], text[found.end() :]
    if before.endswith("|") or after.startswith("|"):
        raise TermError(f"term {text!r}: put every alternative inside the brackets")
    options = [o.strip() for o in found.group(1).split("|")]
    if not all(options):
        raise TermError(f"term {text!r} has an empty phrase in a group")
    # The one-word options share one place ("a|b"); only phrases need terms of their own.
    words = [o for o in options if " " not in o and len(_lemmas(o)) == 1]
    variants = (["|".join(words)] if words else []) + [o for o in options if o not in words]
    return [t for v in variants for t in expand(before + v + after)]


@lru_cache(maxsize=16384)
def compile_terms(concept: str, text: str) -> tuple[Term, ...]:
    """Compile one term, phrase groups and all; raises :class:`TermError`. Cached: the
    start-up check and the vocabularies compile the same terms."""
    return tuple(compile_term(concept, plain) for plain in expand(text))


def compile_term(concept: str, text: str) -> Term:
    """Compile one term without phrase groups; raises :class:`TermError`."""
    places: list[Place] = []
    gap = 0
    for part in text.split():
        if part.startswith("~"):
            gap += int(part[1:]) if part[1:].isdigit() else MAX_GAP
            continue
        if not places and gap:
            raise TermError(f"term {text!r} starts with a gap")
        optional = part.endswith("?") and len(part) > 1
        try:
            places += _places(part.rstrip("?") if optional else part, gap, optional)
        except TermError as error:
            raise TermError(f"term {text!r}: {error}") from None
        gap = 0
    if not places or all(p.optional for p in places):
        raise TermError(f"term {text!r} has no words")
    return Term(concept, tuple(places), text)


def split_phrase(term: Term) -> str | None:
    """The word that shows a phrase was probably written among alternatives without brackets,
    or None. "pay|pay for" reads as two places, {pay} then {pay, for}: a word that stands at
    two neighbouring places, one of them a choice, is almost always such a slip (as is
    "not worth|is not worth", where "not worth" comes back one place later)."""
    places = term.places
    for i in range(1, len(places)):
        before, here = places[i - 1], places[i]
        shared = before.words & here.words
        if not here.gap and shared and max(len(before.words), len(here.words)) > 1:
            return min(shared)
    for i in range(3, len(places)):
        first, middle, last, after = places[i - 3 : i + 1]
        if any(p.gap for p in (middle, last, after)) or len(first.words) != 1:
            continue
        if first.words == last.words and middle.words & after.words:
            return min(first.words)
    return None


def match_from(
    term: Term, tokens: Sequence[Word], start: int, limit: int
) -> tuple[int, ...] | None:
    """The positions of the first match of ``term`` beginning at ``start``, or None."""

    def walk(
        place: int, position: int, taken: tuple[int, ...], carried: int = 0
    ) -> tuple[int, ...] | None:
        if place == len(term.places):
            return taken
        spec = term.places[place]
        gap = (spec.gap if place else 0) + carried
        for offset in range(gap + 1):
            at = position + offset
            if at >= limit:
                break
            if spec.fits(tokens[at]):
                found = walk(place + 1, at + 1, (*taken, at))
                if found is not None:
                    return found
        # A skipped optional word leaves its gap to the next place: "# ~2 different? groups"
        # still allows two words between the number and "groups".
        return walk(place + 1, position, taken, gap) if spec.optional else None

    return walk(0, start, ())
