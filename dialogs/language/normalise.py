"""Normalised words: lowercase, accents and punctuation folded, crude stems, and the small
word lists (negations, stop words) the matchers share."""

from __future__ import annotations

import re
import unicodedata

NEGATIONS = frozenset(
    {
        "not",
        "no",
        "never",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "dont",
        "doesnt",
        "didnt",
        "cant",
        "cannot",
        "wont",
        "shouldnt",
        "neither",
        "nor",
        "nothing",
    }
)


STOPWORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "to",
        "of",
        "and",
        "or",
        "in",
        "on",
        "at",
        "for",
        "it",
        "its",
        "itself",
        "that",
        "this",
        "these",
        "those",
        "as",
        "by",
        "with",
        "i",
        "im",
        "we",
        "you",
        "youre",
        "they",
        "their",
        "theyre",
        "them",
        "our",
        "your",
        "my",
        "me",
        "so",
        "do",
        "does",
        "did",
        "just",
        "really",
        "basically",
        "actually",
        "very",
        "quite",
        "thing",
        "things",
        "think",
        "then",
        "which",
        "who",
        "what",
        "how",
        "some",
        "can",
        "could",
        "would",
        "should",
        "will",
        "has",
        "have",
        "had",
        "there",
        "also",
        "about",
        "from",
        "into",
        "if",
        "up",
        "out",
        "all",
        "any",
    }
)


_APOSTROPHES = str.maketrans("", "", "'’‘`´")


_NON_WORD = re.compile(r"[^\w]+|_+")


_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ness", "ers", "ed", "es", "s")


def normalise(text: str) -> str:
    """Lowercase, accents and punctuation stripped, hyphens and runs of whitespace folded."""
    decomposed = unicodedata.normalize("NFKD", text.replace("&", " and "))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.casefold().translate(_APOSTROPHES)
    return " ".join(_NON_WORD.sub(" ", plain).split())


def tokens(text: str) -> list[str]:
    """The words of ``text`` after normalising."""
    return normalise(text).split()


def stem(word: str) -> str:
    """A crude stem so "segmenting", "segmentation" and "segments" compare equal."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word
