"""Rhetorical questions, read as the statements they make.

"Why would you pick a tiny niche when the big segment has more people?" asks nothing: it
says you would not, and why. A question is rhetorical here only when its form leaves no
doubt: "why would/bother/waste ... when/if/because ...", "how can you even ...", "what's the
point of ... when ...", "isn't X just Y?", or a statement with a tag ("..., isn't it?",
"..., what else would it be?"). A plain "why would a small firm segment?" stays a question.
"""

from __future__ import annotations

import re

from dialogs.language.rhetoric_asides import ASIDES
from dialogs.language.rhetoric_forms import QUESTIONS
from dialogs.language.rhetoric_sameness import SAMENESS

_CONDITION = re.compile(r"^(?:if|when|since|once) ")
_QUESTION_AFTER = re.compile(r",? (?:so )?(?=(?:what|how|why|where|who|is|isnt|surely)\b)")
_DENIED = re.compile(
    r"^how (?:is|can|would|could) (?:it|that|this) (?:be |even be )?(?P<what>.+?)[?!.]*$"
)
_OWN_CLAUSE = re.compile(r" (?=(?:they|it|he|she) (?:do|does|did|are|is|was|were) not\b)")
# A statement that runs on into its question: "they both sell so how are they any different?"
_RUN_ON = re.compile(r"(?:,| so) (?=(?:how|what|why)\b)")
_FORMS = (*SAMENESS, *QUESTIONS, *ASIDES)  # in order: the first form that fits wins


def rhetorical(text: str) -> str | None:
    """The statement a rhetorical question makes, or None. ``text`` is folded, with shorthand
    spelled out; a leading "if ...," clause is kept ("if marketing and sales both sell, how are
    they any different?" -> "if ..., they are the same")."""
    said = _statement(text)
    if said is None:
        condition = _CONDITION.match(text) is not None
        for turn in (_QUESTION_AFTER if condition else _RUN_ON).finditer(text):
            rest = text[turn.end() :]
            stated = _statement(rest)
            if stated is None and condition and (denied := _DENIED.match(rest)) is not None:
                stated = (
                    f"it is not {denied['what']}"  # "if it's not on socials, how is it digital?"
                )
            if stated is not None:
                return f"{text[: turn.start()].rstrip(' ,')}, {stated}"
    return said


def _statement(text: str) -> str | None:
    for pattern, statement in _FORMS:
        match = pattern.match(text)
        if match is not None:
            said = match.expand(statement).strip()  # a form's optional group may be empty
            if said.startswith("nobody "):
                # "nobody shop where they did not like it": that "not" has a clause of
                # its own, so it does not cancel "nobody".
                said = _OWN_CLAUSE.sub(", if ", said, count=1)
            return said
    return None
