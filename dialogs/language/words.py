"""Words as the tutor compares them: student shorthand expanded, spelling mended, lemmatised.

``words(text)`` turns "segmantation isnt the same as targetting cuz u pick 1st" into lemmas
(``segmentation be not the same as target because you pick 1st``), each with the surface
text it came from. Lemmas come from ``simplemma`` (a maintained, dictionary-based
lemmatiser); spelling is mended with ``rapidfuzz``, but only for words English does not
know, and only towards words the knowledge base uses, so a real word is never "corrected"
into another. Numbers stay whole tokens ("£1,200", "3.5%", "30.4k") for ``numbers``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

import jellyfish
import simplemma
from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from dialogs.language.shorthand import SHORTHAND, VARIANTS

# "benefits instead of features" says "not features".
_INSTEAD = re.compile(r"\b(?:instead of|rather than)\b")
_APOSTROPHE = re.compile(r"(?<=[a-z])['’‘`´](?=[a-z])")
_CONTRACTIONS = (
    (re.compile(r"\b(can|won)['’]t\b"), lambda m: "can not" if m[1] == "can" else "will not"),
    (re.compile(r"n['’]t\b"), lambda m: " not"),
    (re.compile(r"\b(it|that|there|what|he|she|who|where|here)['’]s\b"), lambda m: f"{m[1]} is"),
    (re.compile(r"['’]re\b"), lambda m: " are"),
    (re.compile(r"['’]m\b"), lambda m: " am"),
    (re.compile(r"['’]ve\b"), lambda m: " have"),
    (re.compile(r"['’]ll\b"), lambda m: " will"),
    (re.compile(r"['’]d\b"), lambda m: " would"),
    (re.compile(r"['’]s\b"), lambda m: ""),  # a possessive: "the gym's members"
)
NUMBER = (
    r"[£$€]?\d[\d,]*(?:\.\d+)?(?:s\b|\s?(?:%|k\b|m\b|bn\b))?"
    r"|[£$€]?\.\d+(?:\s?%)?"
)
_TOKEN = re.compile(rf"(?P<num>{NUMBER})|(?P<word>[a-z][a-z0-9]*)|(?P<sym>->|=>|[→=&+/×*x%£$€])")
# Lemmas simplemma would merge that the tutor must keep apart ("best" is not "good").
_KEEP = frozenset(
    {"better", "best", "worse", "worst", "more", "most", "less", "least", "left", "media"}
    | {"data", "people", "ones", "lots", "loads", "others", "marketing", "targeting"}
    | {"pricing", "branding", "advertising", "rating"}
    | {"segmenting", "positioning", "profiling", "thought", "assumed", "believed", "used"}
    | {"done", "fixed", "finished", "means", "values"}
)
_US_UK = (("ization", "isation"), ("ize", "ise"), ("yze", "yse"), ("behavior", "behaviour"))


@dataclass(frozen=True, slots=True)
class Word:
    """One token: its lemma (what is compared), the text it came from, and a number if any."""

    lemma: str
    surface: str
    number: bool = False
    value: float | None = None


def fold(text: str) -> str:
    """Lowercase, accents off, quotes straight, contractions expanded ("isn't" -> "is not")."""
    if not text.isascii():
        # Before decomposing: "≠" would lose its stroke and read as "=".
        text = text.replace("≠", " is not ")
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    plain = _INSTEAD.sub("not", text.casefold())
    if "'" in plain:
        for pattern, replace in _CONTRACTIONS:
            plain = pattern.sub(replace, plain)
        plain = _APOSTROPHE.sub("", plain)
    return plain


@lru_cache(maxsize=65536)
def lemma_of(word: str) -> str:
    """The lemma of one lowercase word (cached: students reuse words)."""
    for us, uk in _US_UK:
        if us in word:
            word = word.replace(us, uk)
    if word in _KEEP or len(word) == 1:
        return word
    lemma = str(simplemma.lemmatize(word, lang="en"))
    if word.endswith("est") and lemma != word and not lemma.endswith("est"):
        return word  # a superlative stays one: "the largest" is not "large"
    if lemma == word and word.endswith("ing") and len(word) > 5:
        # simplemma keeps some -ing forms whole ("splitting", "grouping"): try the verb.
        stem = word[:-3]
        for verb in (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else ""):
            if verb and simplemma.is_known(verb, lang="en"):
                return verb
    return lemma


@lru_cache(maxsize=65536)
def is_english(word: str) -> bool:
    """True when the dictionary knows ``word`` (so it is never "corrected" into another)."""
    return bool(simplemma.is_known(word, lang="en"))


def allowed_edits(length: int) -> int:
    """How many typing slips a word of ``length`` letters may carry and still be recognised."""
    if length <= 4:
        return 0
    if length <= 6:
        return 1
    if length <= 10:
        return 2
    return 3


_SOUNDED = 6  # letters: a word this long may be mended by its sound
_SOUNDED_LOOSELY = 9  # letters: and this long, by a sound one step off


def _sounded(word: str) -> str:
    """``word`` without a silent opening "p" ("psycho" sounds as "sycho")."""
    return word[1:] if word.startswith("ps") else word


def _sound(word: str) -> str:
    """A sound key for ``word``: its metaphone, silent opening "p" dropped."""
    return str(jellyfish.metaphone(_sounded(word)))


class Speller:
    """Mends misspelt words towards a vocabulary (the words the knowledge base uses)."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocabulary = frozenset(w for w in vocabulary if w.isalpha() and len(w) >= 5)
        self._choices = sorted(self.vocabulary)
        self._mend = lru_cache(maxsize=16384)(self._closest)

    @cached_property
    def _sounds(self) -> dict[str, list[str]]:
        """The vocabulary by sound key; built the first time a word needs it, since most
        spellers (one per scenario) never do."""
        sounds: dict[str, list[str]] = {}
        for choice in self._choices:
            sounds.setdefault(_sound(choice), []).append(choice)
        return sounds

    def _sounds_like(self, word: str) -> str:
        """The vocabulary word that ``word`` is spelt as it sounds ("segmentashun",
        "sykografik", "behavyeral"), or ``word``: the same sound key, or for a long word one
        sound off, and always the same first letter."""
        if len(word) < _SOUNDED:
            return word
        key = _sound(word)
        near = self._sounds.get(key, [])
        if not near and len(word) >= _SOUNDED_LOOSELY:
            keys = process.extract(
                key, list(self._sounds), scorer=Levenshtein.distance, score_cutoff=1
            )
            near = [c for k, _, _ in keys for c in self._sounds[k]]
        near = [c for c in near if word[:1] in (c[:1], _sounded(c)[:1])]
        if not near:
            return word
        return min(near, key=lambda c: (Levenshtein.distance(word, c), c))

    def _closest(self, word: str) -> str:
        limit = allowed_edits(len(word))
        if limit == 0:
            # A short word may only have lost its last letter ("valu" for "value").
            longer = [w for w in self._choices if len(w) == len(word) + 1 and w.startswith(word)]
            return longer[0] if len(longer) == 1 else word
        found = process.extract(
            word,
            self._choices,
            scorer=OSA.distance,
            processor=lambda w: w.replace("ph", "f"),
            score_cutoff=limit,
            limit=8,
        )
        # The first letter is rarely wrong; among the closest, a missing or extra letter is a
        # likelier slip than a wrong one ("chosing" is "choosing", not "chasing").
        same_start = [choice for choice, _, _ in found if choice[:1] == word[:1]]
        if not same_start:
            return self._sounds_like(word)
        return str(
            min(same_start, key=lambda c: (Levenshtein.distance(word, c, weights=(1, 1, 2)), c))
        )

    def mend(self, word: str) -> str:
        """``word``, or the vocabulary word it is a slip of ("segmantation" -> "segmentation")."""
        if word in self.vocabulary or len(word) < 4 or is_english(word):
            return word
        return str(self._mend(word))


_DECADE = re.compile(r"[1-9]0s")


def _value(token: str) -> float | None:
    cleaned = token.lstrip("£$€").replace(",", "").rstrip("%").strip().removesuffix("s")
    scale = 1.0
    for suffix, factor in (("bn", 1e9), ("k", 1e3), ("m", 1e6)):
        if cleaned.endswith(suffix):
            cleaned, scale = cleaned[: -len(suffix)].strip(), factor
            break
    try:
        return float(cleaned) * scale
    except ValueError:
        return None


def words(text: str, speller: Speller | None = None) -> list[Word]:
    """The tokens of ``text``: shorthand expanded, spelling mended, lemmatised."""
    return tokens(fold(text), speller)


def tokens(folded: str, speller: Speller | None = None) -> list[Word]:
    """The tokens of text already passed through :func:`fold`."""
    found: list[Word] = []
    for match in _TOKEN.finditer(folded):
        if match["num"]:
            value = _value(match["num"])
            lemma = "#" if value is None else f"#{value:g}"
            if value is not None and _DECADE.fullmatch(match["num"]):
                lemma += "s"  # "30s" is an age band, not £30
            found.append(Word(lemma, match["num"], number=True, value=value))
            continue
        raw = match["word"] or match["sym"]
        expanded = SHORTHAND.get(raw)
        if expanded is not None:
            found.extend(Word(lemma_of(w), raw) for w in expanded.split())
            continue
        if raw in ("x", "×", "*"):
            found.append(Word(lemma_of("times"), raw))  # read as the word "times"
            continue
        raw = VARIANTS.get(raw, raw)
        mended = speller.mend(raw) if speller is not None else raw
        found.append(Word(lemma_of(mended), raw))
    return found


def lemmas(text: str) -> list[str]:
    """Just the lemmas of ``text`` (no spelling mended): how terms in the lexicon are read."""
    return [w.lemma for w in words(text)]
