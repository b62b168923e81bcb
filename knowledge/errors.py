"""The single exception the knowledge loader raises, carrying every problem it found."""

from __future__ import annotations


class KnowledgeError(Exception):
    """The content is unusable; ``problems`` lists every problem, one readable line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
