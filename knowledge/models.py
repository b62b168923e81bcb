"""Typed models for every kind of knowledge-base item.

The YAML files under ``knowledge/content`` are validated against these models. Ids are stable
``snake_case`` strings, unique across the whole base, so progress data survives wording changes.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

ItemId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Outcome = Literal["LO1", "LO2", "LO3"]
Base = Literal["demographic", "geographic", "psychographic", "behavioural", "firmographic"]
Market = Literal["B2C", "B2B"]

BASES: tuple[Base, ...] = (
    "demographic",
    "geographic",
    "psychographic",
    "behavioural",
    "firmographic",
)
OUTCOMES: dict[Outcome, str] = {
    "LO1": "Identify customer groups",
    "LO2": "Understand motivations, attitudes and behaviours",
    "LO3": "Profile existing customer groups",
}


class Strict(BaseModel):
    """Base for content models: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Item(Strict):
    """Anything with a stable id that serves one or more learning outcomes."""

    id: ItemId
    outcomes: list[Outcome] = Field(min_length=1)


class Variable(Item):
    """A segmentation variable such as *age*, *lifestyle* or *usage rate*.

    ``clue`` (here, on groupings and on concepts) is the definition worded without the
    name's own words, for "which term matches?" questions: a definition of email marketing
    that says "sending emails" gives the answer away. A grouping's ``overlaps`` lists the
    groupings that a definition of it could also describe (funnel position and journey
    stage): they are never options of the same question.
    """

    name: Text
    base: Base
    also_bases: list[Base] = []
    ambiguity: Text | None = None
    definition: Text
    clue: Text | None = None
    example: Text
    aliases: list[Text] = []
    links_to: Text

    @property
    def accepted_bases(self) -> tuple[Base, ...]:
        """Every base a student may name for this variable."""
        return (self.base, *self.also_bases)


class Grouping(Item):
    """Another way to group customers: funnel position, journey stage, value tier, niche..."""

    name: Text
    definition: Text
    clue: Text | None = None
    overlaps: list[ItemId] = []
    example: Text
    aliases: list[Text] = []


class LexiconEntry(Strict):
    """A concept of the lexicon: every way students say it, so text is read by meaning.

    ``terms`` use the lexicon's small syntax (``a|b`` alternatives, ``~`` a short gap, ``#``
    a number); ``includes`` names concepts whose mentions count as this one too (age and
    income are demographic data); a negated mention reads as the ``opposite`` concept. A
    ``predicate`` (a relation such as *same* or *change*) is what a negation in its clause
    reaches first: "there is no *difference* between A and B". A mention of a ``greedy``
    concept hides the shorter mentions inside it ("order value" is not also *values*). A
    ``subject`` is a group of customers an answer talks about: a sentence that moves from one
    subject to another is read as two, so traits stay with the group they describe.
    """

    id: ItemId
    terms: list[Text] = Field(min_length=1)
    includes: list[ItemId] = []
    opposite: ItemId | None = None
    predicate: bool = False
    greedy: bool = False
    subject: bool = False


class Misconception(Item):
    """A wrong belief students hold, the claims that state it, and how to correct it.

    ``claims`` are patterns over lexicon concepts (see ``dialogs.language.claims``): a
    sentence that asserts one of them states the belief. ``unless`` lists terms that, in the
    same sentence, show the student means something else.
    """

    title: Text
    belief: Text
    fact: Text
    claims: list[Text] = Field(min_length=1)
    unless: list[Text] = []
    correction: Text
    exam_angle: Text
    related: list[ItemId] = []


class NumericTask(Strict):
    """A calculation with inputs, an exact answer and a worked method.

    ``inputs`` maps a name to a literal number or, inside a scenario, to an aggregate over the
    scenario's data table; ``expression`` combines the names with + - * / and brackets. The
    validator recomputes ``answer`` from them, so content cannot ship a wrong number.
    """

    question: Text
    inputs: dict[ItemId, float | Aggregate]
    expression: Text
    answer: float
    unit: Literal["%", "£", "points", "customers", "months", "years", ""] = ""
    tolerance: float = Field(default=0.5, ge=0)
    method: Text


class Aggregate(Strict):
    """An aggregate over a scenario's data table, optionally over matching rows only."""

    agg: Literal["sum", "mean", "count", "min", "max"]
    column: ItemId | None = None
    where: dict[ItemId, str | int | float] = {}


class Concept(Item):
    """A concept card: a sales stage, one of the 7Ps, a KPI, STP, RFM, a data source..."""

    name: Text
    topic: ItemId
    order: int | None = None
    definition: Text
    clue: Text | None = None
    example: Text
    aliases: list[Text] = []
    formula: Text | None = None
    worked: NumericTask | None = None


class ConceptTopic(Strict):
    """A topic that concept cards belong to: its name in a sentence, what students call it, and
    whether its cards are genuine stages of a sequence (only those yield "what comes next?")."""

    id: ItemId
    name: Text
    aliases: list[Text] = []
    ordered: bool = False


class CommandWord(Item):
    """An exam command word and what it demands from an answer."""

    word: Text
    demands: Text
    example_question: Text
    pitfall: Text


class MarkingPoint(Item):
    """An examiner's marking point or a piece of assessment guidance, in our own words."""

    kind: Literal["marking_point", "guidance", "exam_tip"]
    label: Text
    text: Text


class Column(Strict):
    """A column of a scenario's customer data table."""

    key: ItemId
    label: Text
    kind: Literal[
        "id", "demographic", "geographic", "psychographic", "behavioural", "firmographic", "value"
    ]


class KeyPoint(Strict):
    """Something a good answer to a step says about the case, as claims a sentence can make.

    ``claims`` earn the point; ``contradicts`` are claims that say the opposite (named in the
    feedback, and the point is then not earned); ``ask`` is the follow-up question the tutor
    asks when this point is missing from an otherwise promising answer.
    """

    id: ItemId
    text: Text
    claims: list[Text] = []
    contradicts: list[Text] = []
    ask: Text | None = None
    variables: list[ItemId] = []


StepKind = Literal[
    "identify_variables",
    "group_segments",
    "motivations",
    "quantitative",
    "persona",
    "recommendation",
    "dynamics",
]


class Step(Strict):
    """One step of a profiling scenario.

    ``about`` names the customer group the step asks about (a ``subject`` concept of the
    scenario): an answer that talks about another group instead earns nothing.
    """

    id: ItemId
    kind: StepKind
    prompt: Text
    key_points: list[KeyPoint] = []
    choices: list[ItemId] = []
    correct_choices: list[ItemId] = []
    numeric: NumericTask | None = None
    hints: list[Text] = Field(min_length=1, max_length=3)
    model_answer: Text
    marking_points: list[ItemId] = Field(min_length=1)
    watch_for: list[ItemId] = []
    about: ItemId | None = None


class Scenario(Item):
    """A customer-profiling case: context, a small data table and 5-8 steps in profiling order.

    ``concepts`` add lexicon concepts of this case only (its segments and its people), for the
    claims of its steps' key points.
    """

    title: Text
    market: Market
    context: Text
    columns: list[Column] = Field(min_length=3)
    rows: list[dict[ItemId, str | int | float]] = Field(min_length=6, max_length=12)
    steps: list[Step] = Field(min_length=5, max_length=8)
    concepts: list[LexiconEntry] = []


class CoverageEntry(Strict):
    """A point from the syllabus pages and the items that teach it."""

    id: ItemId
    kind: Literal["learning_outcome", "concept", "marking_point", "exam_tip", "misconception"]
    seed: Text
    taught_by: list[ItemId] = Field(min_length=1)


NumericTask.model_rebuild()
