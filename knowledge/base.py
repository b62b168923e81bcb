"""The loaded, validated knowledge base: every item by id, plus the look-ups dialogs need."""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.models import (
    Base,
    CommandWord,
    Concept,
    ConceptTopic,
    CoverageEntry,
    Grouping,
    LexiconEntry,
    MarkingPoint,
    Misconception,
    Outcome,
    Scenario,
    Variable,
)

AnyItem = Variable | Grouping | Misconception | Concept | CommandWord | MarkingPoint | Scenario


@dataclass(frozen=True)
class KnowledgeBase:
    """All content, keyed by id. Built only by ``knowledge.load``, which validates it first."""

    variables: dict[str, Variable] = field(default_factory=dict)
    groupings: dict[str, Grouping] = field(default_factory=dict)
    misconceptions: dict[str, Misconception] = field(default_factory=dict)
    concepts: dict[str, Concept] = field(default_factory=dict)
    topics: dict[str, ConceptTopic] = field(default_factory=dict)
    command_words: dict[str, CommandWord] = field(default_factory=dict)
    marking_points: dict[str, MarkingPoint] = field(default_factory=dict)
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    coverage: dict[str, CoverageEntry] = field(default_factory=dict)
    lexicon: dict[str, LexiconEntry] = field(default_factory=dict)

    def item(self, item_id: str) -> AnyItem | None:
        """Return the item with this id, whatever its kind, or None."""
        for table in self._tables():
            found = table.get(item_id)
            if found is not None:
                return found
        return None

    def variables_in(self, base: Base) -> list[Variable]:
        """The variables whose main base is ``base``, in file order."""
        return [v for v in self.variables.values() if v.base == base]

    def serving(self, outcome: Outcome) -> list[AnyItem]:
        """Every item tagged with the learning outcome."""
        return [i for table in self._tables() for i in table.values() if outcome in i.outcomes]

    def concepts_on(self, topic: str) -> list[Concept]:
        """The concept cards of one topic, ordered by ``order`` where given."""
        cards = [c for c in self.concepts.values() if c.topic == topic]
        return sorted(cards, key=lambda c: (c.order is None, c.order or 0))

    def _tables(self) -> tuple[dict[str, AnyItem], ...]:
        return (
            self.variables,  # type: ignore[return-value]
            self.groupings,
            self.misconceptions,
            self.concepts,
            self.command_words,
            self.marking_points,
            self.scenarios,
        )
