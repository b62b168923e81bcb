"""What marking one answer to a scenario step produces."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from dialogs.language.checks import Check


@dataclass(frozen=True)
class Grade:
    """The result of grading one answer to one step.

    ``made`` maps key point (or, on choice steps, variable) ids to the words that earned
    them; ``missed`` lists the rest in step order; ``contradicted`` the points the answer
    says the opposite of. ``wrong`` are choices ticked that are not in the data; ``listed``
    is true for a bare list of keywords, ``off_subject`` for an answer about another group
    than the one the step asks about. Numeric steps also carry the figure read
    (``number``), the right one (``expected``), whether it was within tolerance and, when it
    was not, whether it was close enough to be a ``slip`` in the arithmetic.
    """

    score: float
    made: Mapping[str, str] = field(default_factory=dict)
    missed: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    wrong: tuple[str, ...] = ()
    number: float | None = None
    expected: float | None = None
    correct: bool | None = None
    slip: bool = False
    contradicted: tuple[str, ...] = ()
    listed: bool = False
    off_subject: bool = False

    @property
    def points_made(self) -> list[str]:
        """The ids that earned credit, for storage."""
        return list(self.made)


def score_of(made: int, total: int) -> float:
    """The share of points made, rounded for storage."""
    return round(made / total, 4) if total else 1.0
