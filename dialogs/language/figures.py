"""Figures of speech, read as the statements they make: rhetorical questions (see
:mod:`dialogs.language.rhetoric`) and analogies.

"Segmenting is like slicing a pizza, more slices is always better" says that segmenting is
slicing, and that more *segments* are better: in an analogy's conclusion, the words borrowed
from the picture ("slices" from "slicing") and the pronouns standing for the subject ("do it
once") are read as the subject itself.
"""

from __future__ import annotations

import re

from dialogs.language.rhetoric import rhetorical
from dialogs.language.shorthand import spelled_out

_ANALOGY = re.compile(
    # "it sounds like", "looks like" seem; they make no analogy.
    r"^(?P<subject>.+?)(?<!\bsound)(?<!\bseem)(?<!\blook)(?<!\bfeel)"
    r"(?: is| are| s|s| be| was| were)(?: just| basically| kind of| kinda| a bit|"
    r" literally| exactly| pretty much)? like (?P<picture>[^,;:.]+?)"
    r"(?:(?:[,;:.]| - | so )\s*(?P<point>.+)|[.!]*)$"
)
_SMALL = frozenset(
    {"your", "their", "with", "from", "that", "this", "into", "onto", "over", "have"}
)
_SUBJECTLESS = frozenset({"it", "it s", "that", "that s", "this", "i", "you", "u", "its", "thats"})
_POINTING = {"it": "{}", "its": "{} is", "they": "{}", "them": "{}", "thats": "{} is"}
_BORROWED = 4  # letters a word must share with the picture's word to be borrowed from it
_SOMEONE = frozenset({"you", "u", "we"})
_COMPARED = re.compile(r"\b(?:vs|versus|against)\b")
_DOING = re.compile(r"^(?:an? |the )?\w+ (?P<action>\w+ing\b.*)$")


def _analogy(text: str) -> str | None:
    match = _ANALOGY.match(text)
    if match is None:
        return None
    subject, picture, point = match.group("subject", "picture", "point")
    if _COMPARED.search(subject):
        return None  # "features vs benefits is like baking": the picture stands for neither
    if point is None:
        return f"{subject} is {_action(picture)}" if subject not in _SUBJECTLESS else None
    if subject in _SUBJECTLESS:
        # "it's like fishing with a massive net, you catch more": the picture and its point
        return f"{picture}, {point}"
    head = subject.split()[-1]
    own = {w[:_BORROWED] for w in subject.split()}
    pictured = {
        w[:_BORROWED] for w in picture.split() if len(w) >= _BORROWED and w not in _SMALL
    } - own
    words = []
    for word in point.split():
        if word in _POINTING:
            words.append(_POINTING[word].format(subject))
        elif len(word) >= _BORROWED and word[:_BORROWED] in pictured:
            words.append(head)
        else:
            words.append(word)
    said = " ".join(words)
    if words[0] in _SOMEONE:
        said = f"{subject} is when {said}"  # "..., you pick one group": what the subject is
    return f"{subject} is {_action(picture)}, {said}"


def _action(picture: str) -> str:
    """What the picture does: "a sniper picking one target" is "picking one target"."""
    doing = _DOING.match(picture)
    return doing["action"] if doing is not None else picture


def plain(sentence: str) -> str | None:
    """The statement a rhetorical question or an analogy makes, or None if ``sentence`` is
    neither. ``sentence`` is folded text (lower case, plain apostrophes)."""
    text = spelled_out(sentence.strip())
    said = rhetorical(text)
    return said if said is not None else _analogy(text)
