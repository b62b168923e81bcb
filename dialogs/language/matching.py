"""Forgiving text matching: find names, aliases and key points in what students type.

Everything works on whole words of the normalised text, so a short name never matches inside a
longer word ("age" is not found in "manage" or "usage"). Typos are tolerated by an edit
distance (optimal string alignment, so swapped letters count once) that grows with the length
of the phrase: none for words of five letters or fewer, where one slip usually makes another
real word. Phrases are also compared with their spaces removed, so "life style", "lifestyle"
and "life-style" are the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from dialogs.language.normalise import (
    NEGATIONS,
    STOPWORDS,
    normalise,
    stem,
)

# Real words one slip away from a name or alias: never read them as typos of it.
FALSE_FRIENDS = frozenset(
    {"carer", "dreads", "notion", "options", "personally", "valued", "interested", "related"}
)


@dataclass(frozen=True)
class Found:
    """One phrase found in a text: which key, which phrase, the span of words, the distance."""

    key: str
    phrase: str
    start: int
    end: int
    distance: int
    score: float
    option: str = ""


def allowed_edits(length: int) -> int:
    """How many typing slips a phrase of ``length`` letters may carry and still count."""
    if length <= 5:
        return 0
    if length <= 11:
        return 1
    if length <= 15:
        return 2
    return 3


def _fold(compact: str) -> str:
    # "ph" and "f" sound alike, so "psycografic" is one slip from "psychographic", not three.
    return compact.replace("ph", "f")


@dataclass(frozen=True)
class _Phrase:
    key: str
    text: str
    size: int
    compact: str


@lru_cache(maxsize=256)
def _compile(entries: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[_Phrase, ...]:
    phrases: dict[tuple[str, str], _Phrase] = {}
    for key, texts in entries:
        for raw in texts:
            words = normalise(raw).split()
            if not words:
                continue
            compact = _fold("".join(words))
            phrases.setdefault((key, compact), _Phrase(key, " ".join(words), len(words), compact))
    return tuple(phrases.values())


def _freeze(options: Mapping[str, Sequence[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((key, tuple(texts)) for key, texts in options.items())


def _acceptable(window: str, phrase: _Phrase, distance: int, *, resized: bool = False) -> bool:
    if distance == 0:
        return True
    if window in (phrase.compact + "s", phrase.compact + "es"):
        return True  # a plural of the phrase ("ages" for "age") is the same idea
    if distance > allowed_edits(len(phrase.compact)) or window[:1] != phrase.compact[:1]:
        return False
    if window in FALSE_FRIENDS or (resized and window[-1:] != phrase.compact[-1:]):
        return False
    # The singular of a plural name is often another word: "value" is not "values".
    return not (phrase.compact.endswith("s") and phrase.compact[:-1] == window)


def _windows(words: Sequence[str], sizes: Iterable[int]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for size in sizes:
        for start in range(0, len(words) - size + 1):
            spans.append((start, start + size, _fold("".join(words[start : start + size]))))
    return spans


def _candidates(words: Sequence[str], phrases: Sequence[_Phrase]) -> list[Found]:
    if not words or not phrases:
        return []
    found: list[Found] = []
    by_size: dict[int, list[_Phrase]] = {}
    for phrase in phrases:
        by_size.setdefault(phrase.size, []).append(phrase)
    for size, group in by_size.items():
        sizes = range(max(1, size - 1), min(len(words), size + 1) + 1)
        spans = _windows(words, sizes)
        if not spans:
            continue
        matrix = process.cdist(
            [s[2] for s in spans],
            [p.compact for p in group],
            scorer=OSA.distance,
            score_cutoff=3,
            dtype=np.int32,
        )
        for row, column in zip(*np.nonzero(matrix <= 3), strict=True):
            start, end, window = spans[row]
            phrase = group[column]
            distance = int(matrix[row, column])
            if window != phrase.compact and window in (phrase.compact + "s", phrase.compact + "es"):
                distance = 0
            if _acceptable(window, phrase, distance, resized=end - start != phrase.size):
                length = max(len(window), len(phrase.compact))
                score = 100.0 * (1 - distance / length)
                text = " ".join(words[start:end])
                found.append(Found(phrase.key, text, start, end, distance, score, phrase.text))
    return found


def _resolve(found: Iterable[Found]) -> list[Found]:
    """Keep non-overlapping matches: exact before fuzzy, then longer spans, then closer ones."""
    chosen: list[Found] = []
    taken: set[int] = set()
    ranked = sorted(found, key=lambda f: (f.distance > 0, -(f.end - f.start), f.distance, f.start))
    for hit in ranked:
        span = set(range(hit.start, hit.end))
        if span & taken:
            continue
        chosen.append(hit)
        taken |= span
    return sorted(chosen, key=lambda f: f.start)


def find_phrases(text: str, options: Mapping[str, Sequence[str]]) -> list[Found]:
    """Every place ``text`` mentions one of the phrases, in text order, overlaps resolved."""
    phrases = _compile(_freeze(options))
    return _resolve(_candidates(normalise(text).split(), phrases))


def _negated(words: Sequence[str], start: int, end: int, phrase_words: Sequence[str]) -> bool:
    """True when a negation just before or inside the match flips the phrase's meaning."""
    before = words[max(0, start - 2) : start]
    inside = words[start:end]
    said = sum(w in NEGATIONS for w in (*before, *inside))
    meant = sum(w in NEGATIONS for w in phrase_words)
    return said > meant


def _content(words: Iterable[str]) -> list[str]:
    return [stem(w) for w in words if w not in STOPWORDS]


def _stem_in(target: str, stems: Sequence[str]) -> int | None:
    """Index of the first stem within a typo of ``target``, or None."""
    limit = allowed_edits(len(target))
    for index, candidate in enumerate(stems):
        if candidate == target:
            return index
    if limit == 0:
        return None
    for index, candidate in enumerate(stems):
        if (
            candidate[:1] == target[:1]
            and OSA.distance(candidate, target, score_cutoff=limit) <= limit
        ):
            return index
    return None


def content_match(
    words: Sequence[str], phrase_words: Sequence[str], *, slack: int = 3, share: float = 1.0
) -> tuple[int, int] | None:
    """The shortest window holding the phrase's content words (any order), or None.

    A window may be ``slack`` words longer than the phrase; ``share`` is the fraction of the
    phrase's content words that must be present. Needs at least two content words, because one
    word alone ("often") says too little about what the student meant.
    """
    wanted = _content(phrase_words)
    if len(wanted) < 2:
        return None
    need = max(2, round(share * len(wanted) + 0.49))
    size = len(phrase_words) + slack
    stems = [stem(w) for w in words]
    best: tuple[int, int] | None = None
    for start in range(len(words)):
        window = stems[start : start + size]
        positions = [_stem_in(w, window) for w in wanted]
        hits = [p for p in positions if p is not None]
        if len(hits) >= need:
            span = (start + min(hits), start + max(hits) + 1)
            if best is None or span[1] - span[0] < best[1] - best[0]:
                best = span
    return best


def ordered_match(
    words: Sequence[str], phrase_words: Sequence[str], *, slack: int = 3
) -> tuple[int, int, list[int]] | None:
    """The shortest span holding all the phrase's content words in the phrase's order.

    Returns (start, end, positions of the content words) or None. The span may be at most
    ``slack`` words longer than the phrase. Needs at least two content words.
    """
    wanted = _content(phrase_words)
    if len(wanted) < 2:
        return None
    stems = [stem(w) for w in words]
    limit = len(phrase_words) + slack
    best: tuple[int, int, list[int]] | None = None
    for start in range(len(stems)):
        if _stem_in(wanted[0], [stems[start]]) is None:
            continue
        positions = [start]
        for target in wanted[1:]:
            window = stems[positions[-1] + 1 : start + limit]
            found = _stem_in(target, window)
            if found is None:
                break
            positions.append(positions[-1] + 1 + found)
        else:
            span = (start, positions[-1] + 1, positions)
            if best is None or span[1] - span[0] < best[1] - best[0]:
                best = span
    return best


def find_points(text: str, points: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Which key points ``text`` makes: point id -> the words that made it.

    A point is made by any of its phrases (text and synonyms), typed closely (typos allowed)
    or paraphrased with the same content words in a nearby window. A negation in front ("not
    price sensitive") cancels a point unless the phrase itself is negative.
    """
    words = normalise(text).split()
    made: dict[str, str] = {}
    for hit in _resolve(_candidates(words, _compile(_freeze(points)))):
        phrase_words = hit.option.split()
        if hit.key not in made and not _negated(words, hit.start, hit.end, phrase_words):
            made[hit.key] = hit.phrase
    for key, phrases in points.items():
        if key in made:
            continue
        for raw in phrases:
            phrase_words = normalise(raw).split()
            span = content_match(words, phrase_words, share=1.0 if len(phrase_words) <= 5 else 0.75)
            if span is not None and not _negated(words, span[0], span[1], phrase_words):
                made[key] = " ".join(words[span[0] : span[1]])
                break
    return made


def match_option(text: str, options: Mapping[str, Sequence[str]]) -> str | None:
    """The one option a typed answer picks ("psycografic" -> "psychographic"), or None.

    None when nothing matches or when the text names two different options.
    """
    compact = _fold("".join(normalise(text).split()))
    if not compact:
        return None
    whole: dict[str, int] = {}
    for phrase in _compile(_freeze(options)):
        distance = OSA.distance(compact, phrase.compact, score_cutoff=3)
        if distance <= 3 and _acceptable(compact, phrase, distance):
            whole[phrase.key] = min(distance, whole.get(phrase.key, distance))
    if whole:
        best = min(whole.values())
        closest = [k for k, d in whole.items() if d == best]
        return closest[0] if len(closest) == 1 else None
    named = {hit.key for hit in find_phrases(text, options)}
    return named.pop() if len(named) == 1 else None
