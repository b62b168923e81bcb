"""Quiz questions generated from the knowledge base: nothing here is a hard-coded question.

Every quizzable item (variable, grouping, misconception, concept, command word) can yield one
or more kinds of question; a card is per item, whichever kind is asked. A :class:`Question`
holds everything needed to grade it and explain every option, and round-trips through JSON
(``to_payload``/``from_payload``) so it can wait in the database across a restart.
"""

from __future__ import annotations

import random
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from dialogs.text import esc
from knowledge.base import KnowledgeBase
from knowledge.models import (
    BASES,
    Base,
    CommandWord,
    Concept,
    Grouping,
    Misconception,
    Variable,
)
from knowledge.numeric import format_number

OPTIONS = 4

BASE_LABELS: dict[str, str] = {
    "demographic": "Demographic",
    "geographic": "Geographic",
    "psychographic": "Psychographic",
    "behavioural": "Behavioural",
    "firmographic": "Firmographic",
}
BASE_ABOUT: dict[str, str] = {
    "demographic": "who the customer is, in measurable facts such as age, income or job",
    "geographic": "where the customer is: country, region, town or how far from a store",
    "psychographic": "what goes on inside the customer's head: lifestyle, values, personality",
    "behavioural": "what the customer does: how often and how much they buy, loyalty, benefits",
    "firmographic": "what kind of organisation a business customer is: sector, size, location",
}
BASE_ALIASES: dict[str, list[str]] = {
    "demographic": ["demographic", "demographics", "demographic segmentation"],
    "geographic": ["geographic", "geographical", "geography", "geographic segmentation"],
    "psychographic": ["psychographic", "psychographics", "psychological", "psychographic seg"],
    "behavioural": ["behavioural", "behavioral", "behaviour", "behavior", "behaviourial"],
    "firmographic": ["firmographic", "firmographics", "firmographic segmentation"],
}
TOPIC_LABELS: dict[str, str] = {
    "sales_process": "the sales process",
    "marketing_mix": "the marketing mix (7Ps)",
    "crm": "CRM",
    "digital_channel": "digital marketing channels",
    "kpi": "KPIs",
    "stp": "segmentation, targeting and positioning",
    "persona": "customer profiles and personas",
    "rfm": "RFM analysis",
    "value_proposition": "the value proposition canvas",
    "analysis": "analysing customer data",
    "data_source": "sources of customer data",
    "data_caveat": "using customer data responsibly",
    "segmentation": "segmentation in general",
    "sales_marketing": "sales and marketing",
}
MYTH, FACT = "Myth", "Fact"


@dataclass(frozen=True)
class Question:
    """One question with everything needed to grade and explain it.

    ``prompt`` is HTML; every other text is plain and escaped when shown. Option questions have
    ``options`` (button labels) and the indices in ``correct``, with ``why[i]`` explaining
    option ``i``. Typed questions have no options: ``accept`` maps each recognisable answer key
    to its phrases, ``right`` lists the keys that score and ``need`` how many are wanted;
    numeric questions carry ``number`` (answer, tolerance, unit, method).
    """

    item_id: str
    kind: str
    prompt: str
    options: tuple[str, ...] = ()
    correct: tuple[int, ...] = ()
    why: tuple[str, ...] = ()
    answer: str = ""
    explanation: str = ""
    hint: str = ""
    accept: dict[str, list[str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    right: tuple[str, ...] = ()
    need: int = 1
    notes: dict[str, str] = field(default_factory=dict)
    number: dict[str, Any] = field(default_factory=dict)

    @property
    def typed(self) -> bool:
        """True when the student types the answer instead of tapping a button."""
        return not self.options

    @property
    def numeric(self) -> bool:
        """True when the answer is a number."""
        return bool(self.number)

    def to_payload(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Question:
        """Rebuild a question stored with ``to_payload``."""
        data = dict(payload)
        for name in ("options", "correct", "why", "right"):
            data[name] = tuple(data.get(name, ()))
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


def quizzable(kb: KnowledgeBase) -> list[str]:
    """Every item id that can be quizzed, in a sensible learning order."""
    return [
        *kb.variables,
        *kb.groupings,
        *kb.concepts,
        *kb.misconceptions,
        *kb.command_words,
    ]


def _names(item: Variable | Grouping | Concept) -> list[str]:
    head = item.name.split("(")[0].strip()
    extra = [head] if head != item.name else []
    bracket = re.findall(r"\(([^)]+)\)", item.name)
    return [item.name, *extra, *bracket, *item.aliases]


def _pick_other(rng: random.Random, pool: list[Any], exclude: set[str], count: int) -> list[Any]:
    choices = [p for p in pool if p.id not in exclude]
    rng.shuffle(choices)
    return choices[:count]


def _options(rng: random.Random, right: Any, others: list[Any]) -> tuple[list[Any], int]:
    items = [right, *others]
    rng.shuffle(items)
    return items, items.index(right)


def _variable_line(variable: Variable) -> str:
    line = f"{variable.name} is {variable.base}: {variable.definition}"
    if variable.ambiguity:
        line += f" ({variable.ambiguity})"
    return line


def classify(kb: KnowledgeBase, variable: Variable, rng: random.Random) -> Question:
    """Which base does this variable belong to? The bases as buttons."""
    consumer = variable.base != "firmographic" and "firmographic" not in variable.also_bases
    bases: list[Base] = [b for b in BASES if b != "firmographic" or not consumer]
    why = []
    for base in bases:
        if base in variable.accepted_bases:
            why.append(_variable_line(variable))
        else:
            why.append(
                f"{BASE_LABELS[base]} variables describe {BASE_ABOUT[base]}. "
                + _variable_line(variable)
            )
    return Question(
        item_id=variable.id,
        kind="classify",
        prompt=f"Which segmentation base does <b>{esc(variable.name)}</b> belong to?",
        options=tuple(BASE_LABELS[b] for b in bases),
        correct=tuple(i for i, b in enumerate(bases) if b in variable.accepted_bases),
        why=tuple(why),
        answer=" or ".join(BASE_LABELS[b] for b in variable.accepted_bases),
        explanation=f"Example: {variable.example}",
        hint=f"What it describes: {variable.definition}",
    )


def classify_typed(kb: KnowledgeBase, variable: Variable, rng: random.Random) -> Question:
    """The same as :func:`classify`, but typed: "psycografic" still counts."""
    notes: dict[str, str] = {
        b: f"{BASE_LABELS[b]} variables describe {BASE_ABOUT[b]}." for b in BASES
    }
    return Question(
        item_id=variable.id,
        kind="classify_typed",
        prompt=(
            f"Type the segmentation base that <b>{esc(variable.name)}</b> belongs to "
            "(one word is enough)."
        ),
        answer=" or ".join(BASE_LABELS[b] for b in variable.accepted_bases),
        explanation=_variable_line(variable),
        hint=f"What it describes: {variable.definition}",
        accept={b: list(BASE_ALIASES[b]) for b in BASES},
        labels=dict(BASE_LABELS),
        right=tuple(variable.accepted_bases),
        notes=notes,
    )


def pick(kb: KnowledgeBase, variable: Variable, rng: random.Random) -> Question:
    """Pick the variable of one base from four; distractors come from other bases."""
    base = variable.base
    others: list[Variable] = []
    other_bases = [b for b in BASES if b != base and (b != "firmographic" or base == b)]
    rng.shuffle(other_bases)
    for other_base in other_bases:
        pool = [v for v in kb.variables_in(other_base) if base not in v.accepted_bases]
        others += _pick_other(rng, pool, {o.id for o in others}, 1)
    others = others[: OPTIONS - 1]
    items, _ = _options(rng, variable, others)
    return Question(
        item_id=variable.id,
        kind="pick",
        prompt=f"Which of these is a <b>{esc(base)}</b> variable?",
        options=tuple(v.name for v in items),
        correct=tuple(i for i, v in enumerate(items) if base in v.accepted_bases),
        why=tuple(_variable_line(v) for v in items),
        answer=variable.name,
        explanation=f"{BASE_LABELS[base]} variables describe {BASE_ABOUT[base]}.",
        hint=f"{BASE_LABELS[base]} variables describe {BASE_ABOUT[base]}.",
    )


def _brand(kb: KnowledgeBase, base: str, rng: random.Random) -> str:
    market = "B2B" if base == "firmographic" else "B2C"
    brands = [s.title.split(":")[0].strip() for s in kb.scenarios.values() if s.market == market]
    return rng.choice(brands) if brands else "a business"


def recall(kb: KnowledgeBase, variable: Variable, rng: random.Random) -> Question:
    """Typed free recall: name two variables of this variable's base."""
    base = variable.base
    members = [v for v in kb.variables.values() if base in v.accepted_bases]
    notes = {
        v.id: f"{v.name} is {v.base}, not {base}."
        for v in kb.variables.values()
        if base not in v.accepted_bases
    }
    examples = [v.name for v in members if v.id != variable.id][:3]
    return Question(
        item_id=variable.id,
        kind="recall",
        prompt=(
            f"Name two <b>{esc(base)}</b> variables {esc(_brand(kb, base, rng))} "
            "could use to segment its customers. Type them in one message."
        ),
        answer=", ".join([variable.name, *examples]),
        explanation=f"{BASE_LABELS[base]} variables describe {BASE_ABOUT[base]}.",
        hint=f"{BASE_LABELS[base]} variables describe {BASE_ABOUT[base]}.",
        accept={v.id: _names(v) for v in kb.variables.values()},
        labels={v.id: v.name for v in kb.variables.values()},
        right=tuple(v.id for v in members),
        need=2,
        notes=notes,
    )


def myth_or_fact(kb: KnowledgeBase, item: Misconception, rng: random.Random) -> Question:
    """Myth or fact: the wrong belief or the true statement, at random."""
    is_myth = rng.random() < 0.5
    statement = item.belief if is_myth else item.fact
    reason = f"{item.correction}"
    return Question(
        item_id=item.id,
        kind="myth_fact",
        prompt=f"Myth or fact?\n\n<i>“{esc(statement)}”</i>",
        options=(MYTH, FACT),
        correct=(0,) if is_myth else (1,),
        why=(reason, reason),
        answer=f"{MYTH if is_myth else FACT}. {item.fact}",
        explanation=f"Exam angle: {item.exam_angle}",
    )


def _masked(text: str, names: list[str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        if len(name) >= 3:
            text = re.sub(rf"\b{re.escape(name)}(?:s|es)?\b", "…", text, flags=re.IGNORECASE)
    return text


def define(
    kb: KnowledgeBase, item: Concept | Grouping, pool: list[Any], rng: random.Random
) -> Question:
    """Which term matches this definition? Distractors from the same topic where possible."""
    same = [p for p in pool if p.id != item.id]
    others = _pick_other(rng, same, {item.id}, OPTIONS - 1)
    items, _ = _options(rng, item, others)
    return Question(
        item_id=item.id,
        kind="define",
        prompt=(
            "Which term matches this description?\n\n"
            f"<i>{esc(_masked(item.definition, _names(item)))}</i>"
        ),
        options=tuple(i.name for i in items),
        correct=(items.index(item),),
        why=tuple(f"{i.name}: {i.definition}" for i in items),
        answer=item.name,
        explanation=f"Example: {item.example}",
        hint=f"Example: {_masked(item.example, _names(item))}",
    )


def next_stage(kb: KnowledgeBase, item: Concept, rng: random.Random) -> Question:
    """Order questions for ordered topics such as the sales process."""
    stages = kb.concepts_on(item.topic)
    index = stages.index(item)
    others = _pick_other(rng, stages, {item.id}, OPTIONS - 1)
    items, _ = _options(rng, item, others)
    label = TOPIC_LABELS.get(item.topic, item.topic)
    if index == 0:
        prompt = f"Which stage comes <b>first</b> in {esc(label)}?"
    else:
        before = stages[index - 1].name
        prompt = f"In {esc(label)}, which stage comes straight after <b>{esc(before)}</b>?"
    order = " → ".join(s.name for s in stages)
    return Question(
        item_id=item.id,
        kind="order",
        prompt=prompt,
        options=tuple(i.name for i in items),
        correct=(items.index(item),),
        why=tuple(f"{i.name}: {i.definition} The order: {order}." for i in items),
        answer=item.name,
        explanation=f"The order is {order}.",
        hint=f"The stage you want: {_masked(item.definition, _names(item))}",
    )


def numeric(kb: KnowledgeBase, item: Concept, rng: random.Random) -> Question:
    """A calculation from the concept's worked example, typed, with a tolerance."""
    task = item.worked
    assert task is not None
    unit = task.unit
    return Question(
        item_id=item.id,
        kind="numeric",
        prompt=f"🧮 {esc(task.question)}\n\nType the number{' (' + unit + ')' if unit else ''}.",
        answer=_with_unit(task.answer, unit),
        explanation=task.method,
        hint=f"Formula: {item.formula}" if item.formula else "",
        number={
            "answer": task.answer,
            "tolerance": task.tolerance,
            "unit": unit,
            "method": task.method,
        },
    )


def formula(kb: KnowledgeBase, item: Concept, rng: random.Random) -> Question:
    """Which formula works out this KPI? Distractors are the other KPIs' formulas."""
    pool = [c for c in kb.concepts_on(item.topic) if c.formula and c.id != item.id]
    others = _pick_other(rng, pool, {item.id}, OPTIONS - 1)
    items, _ = _options(rng, item, others)
    return Question(
        item_id=item.id,
        kind="formula",
        prompt=f"How do you work out <b>{esc(item.name)}</b>?",
        options=tuple(i.formula or "" for i in items),
        correct=(items.index(item),),
        why=tuple(f"That is the formula for {i.name}." for i in items),
        answer=item.formula or "",
        explanation=item.definition,
        hint=item.definition,
    )


def command_demand(kb: KnowledgeBase, item: CommandWord, rng: random.Random) -> Question:
    """What does this command word demand? The demands of others as distractors."""
    others = _pick_other(rng, list(kb.command_words.values()), {item.id}, OPTIONS - 1)
    items, _ = _options(rng, item, others)
    return Question(
        item_id=item.id,
        kind="command_demand",
        prompt=f"What does the command word <b>{esc(item.word)}</b> ask you to do?",
        options=tuple(i.demands for i in items),
        correct=(items.index(item),),
        why=tuple(f"That is what “{i.word}” asks for." for i in items),
        answer=item.demands,
        explanation=f"Watch out: {item.pitfall}\nExample: {item.example_question}",
        hint=f"A typical question: {item.example_question}",
    )


def command_word(kb: KnowledgeBase, item: CommandWord, rng: random.Random) -> Question:
    """Which command word asks for this? The words as buttons."""
    others = _pick_other(rng, list(kb.command_words.values()), {item.id}, OPTIONS - 1)
    items, _ = _options(rng, item, others)
    return Question(
        item_id=item.id,
        kind="command_word",
        prompt=f"Which command word asks you to do this?\n\n<i>{esc(item.demands)}</i>",
        options=tuple(i.word for i in items),
        correct=(items.index(item),),
        why=tuple(f"“{i.word}” asks you to: {i.demands}" for i in items),
        answer=item.word,
        explanation=f"Watch out: {item.pitfall}",
        hint=f"A typical question: {_masked(item.example_question, [item.word])}",
    )


def _with_unit(value: float, unit: str) -> str:
    shown = format_number(value)
    if unit == "£":
        return f"£{shown}"
    return f"{shown}{unit}" if unit == "%" else f"{shown} {unit}".strip()


def kinds_for(kb: KnowledgeBase, item_id: str, *, reviewed: bool) -> list[str]:
    """The question kinds this item can yield; new items get the gentler ones first."""
    item = kb.item(item_id)
    if isinstance(item, Variable):
        return ["pick", "classify"] if not reviewed else ["classify", "classify_typed", "recall"]
    if isinstance(item, Misconception):
        return ["myth_fact"]
    if isinstance(item, Grouping):
        return ["define"] if len(kb.groupings) >= 2 else []
    if isinstance(item, CommandWord):
        return ["command_word", "command_demand"]
    if isinstance(item, Concept):
        kinds: list[str] = []
        if item.order is not None and len(kb.concepts_on(item.topic)) >= 3:
            kinds.append("order")
        if len([c for c in kb.concepts.values() if c.id != item.id]) >= OPTIONS - 1:
            kinds.append("define")
        if item.worked is not None:
            kinds.append("numeric")
        if item.formula and len([c for c in kb.concepts_on(item.topic) if c.formula]) >= 3:
            kinds.append("formula")
        return kinds
    return []


def make(
    kb: KnowledgeBase, item_id: str, rng: random.Random, *, reviewed: bool = False
) -> Question | None:
    """A question about ``item_id`` (kind chosen with ``rng``), or None if it cannot be quizzed."""
    kinds = kinds_for(kb, item_id, reviewed=reviewed)
    if not kinds:
        return None
    kind = rng.choice(kinds)
    item = kb.item(item_id)
    if isinstance(item, Variable):
        makers = {"pick": pick, "classify": classify, "classify_typed": classify_typed}
        return makers.get(kind, recall)(kb, item, rng)
    if isinstance(item, Misconception):
        return myth_or_fact(kb, item, rng)
    if isinstance(item, Grouping):
        return define(kb, item, list(kb.groupings.values()), rng)
    if isinstance(item, CommandWord):
        return (command_word if kind == "command_word" else command_demand)(kb, item, rng)
    if isinstance(item, Concept):
        if kind == "order":
            return next_stage(kb, item, rng)
        if kind == "numeric":
            return numeric(kb, item, rng)
        if kind == "formula":
            return formula(kb, item, rng)
        pool = kb.concepts_on(item.topic)
        if len(pool) < OPTIONS:
            pool = list(kb.concepts.values())
        return define(kb, item, pool, rng)
    return None
