"""Making questions: one maker per kind of question, and :func:`make` to pick a kind for an item.

Every question is generated from the knowledge base; nothing here is a hard-coded question.
"""

from __future__ import annotations

import random
import re
from collections.abc import Collection, Sequence
from typing import Any

from dialogs.quiz.myth_questions import myth_or_fact, spot_myth
from dialogs.quiz.questions import (
    OPTIONS,
    Question,
    names_of,
    option_accept,
    pick_other,
    shuffled_options,
)
from dialogs.quiz.variable_questions import (
    classify,
    classify_typed,
    pick,
    recall,
)
from dialogs.text import esc
from knowledge.base import KnowledgeBase
from knowledge.models import (
    CommandWord,
    Concept,
    Grouping,
    Misconception,
    Variable,
)
from knowledge.numeric import format_number


def _mask(text: str, name: str) -> str:
    return re.sub(rf"\b{re.escape(name)}(?:s|es)?\b", "…", text, flags=re.IGNORECASE)


def _masked(text: str, names: Sequence[str], aliases: Sequence[str] = ()) -> str:
    """``text`` with every name blanked out, and aliases too while one blank is all it takes.

    Aliases are often examples ("surveys, interviews or focus groups"); blanking all of them
    leaves a row of dots nobody can read, so they are blanked only while that does not happen.
    """
    for name in sorted(names, key=len, reverse=True):
        if len(name) >= 3:
            text = _mask(text, name)
    for alias in sorted(aliases, key=len, reverse=True):
        masked = _mask(text, alias) if len(alias) >= 3 else text
        if masked.count("…") <= 1:
            text = masked
    return text


def _own_names(item: Concept | Grouping | Variable) -> tuple[list[str], list[str]]:
    """(the item's names, its aliases) for :func:`_masked`."""
    every = names_of(item)
    return every[: len(every) - len(item.aliases)], list(item.aliases)


def define(
    kb: KnowledgeBase, item: Concept | Grouping | Variable, pool: list[Any], rng: random.Random
) -> Question:
    """Which term matches this definition? Distractors from the same topic where possible."""
    overlapping = set(getattr(item, "overlaps", ()))
    same = [
        p
        for p in pool
        if p.id != item.id and p.id not in overlapping and item.id not in getattr(p, "overlaps", ())
    ]
    others = pick_other(rng, same, {item.id}, OPTIONS - 1)
    items, _ = shuffled_options(rng, item, others)
    return Question(
        item_id=item.id,
        kind="define",
        prompt=(
            "Which term matches this description?\n\n"
            f"<i>{esc(_masked(item.clue or item.definition, *_own_names(item)))}</i>"
        ),
        options=tuple(i.name for i in items),
        accept=option_accept(items),
        correct=(items.index(item),),
        why=tuple(f"{i.name}: {i.definition}" for i in items),
        answer=item.name,
        explanation=f"Example: {item.example}",
        hint=f"Example: {_masked(item.example, *_own_names(item))}",
    )


def next_stage(kb: KnowledgeBase, item: Concept, rng: random.Random) -> Question:
    """What comes next? Only for topics the content marks ``ordered`` (the sales process).

    The stage named in the question is never one of the options.
    """
    stages = kb.concepts_on(item.topic)
    index = stages.index(item)
    anchor = stages[index - 1] if index > 0 else None
    skip = {item.id} | ({anchor.id} if anchor else set())
    others = pick_other(rng, stages, skip, OPTIONS - 1)
    items, _ = shuffled_options(rng, item, others)
    label = kb.topics[item.topic].name
    if anchor is None:
        prompt = f"Which stage comes <b>first</b> in {esc(label)}?"
    else:
        prompt = f"In {esc(label)}, which stage comes straight after <b>{esc(anchor.name)}</b>?"
    order = " → ".join(s.name for s in stages)
    return Question(
        item_id=item.id,
        kind="order",
        prompt=prompt,
        options=tuple(i.name for i in items),
        accept=option_accept(items),
        correct=(items.index(item),),
        why=tuple(f"{i.name}: {i.definition}" for i in items),
        answer=item.name,
        explanation=f"The order is {order}.",
        hint=f"The stage you want: {_masked(item.definition, *_own_names(item))}",
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


def formula_body(formula: str) -> str:
    """A formula without its left-hand side: "CAC (£) = cost ÷ customers" -> "cost ÷ customers".

    Options labelled with the KPI's own name would give the answer away.
    """
    return formula.split(" = ", 1)[-1].strip()


def formula(kb: KnowledgeBase, item: Concept, rng: random.Random) -> Question:
    """Which formula works out this KPI? Distractors are the other KPIs' formulas."""
    pool = [c for c in kb.concepts_on(item.topic) if c.formula and c.id != item.id]
    others = pick_other(rng, pool, {item.id}, OPTIONS - 1)
    items, _ = shuffled_options(rng, item, others)
    return Question(
        item_id=item.id,
        kind="formula",
        prompt=f"How do you work out <b>{esc(item.name)}</b>?",
        options=tuple(formula_body(i.formula or "") for i in items),
        correct=(items.index(item),),
        why=tuple(f"That is the formula for {i.name}." for i in items),
        answer=item.formula or "",
        explanation=item.definition,
        hint=_masked(item.definition, *_own_names(item)),
    )


def command_demand(kb: KnowledgeBase, item: CommandWord, rng: random.Random) -> Question:
    """What does this command word demand? The demands of others as distractors."""
    others = pick_other(rng, list(kb.command_words.values()), {item.id}, OPTIONS - 1)
    items, _ = shuffled_options(rng, item, others)
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
    others = pick_other(rng, list(kb.command_words.values()), {item.id}, OPTIONS - 1)
    items, _ = shuffled_options(rng, item, others)
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
        if not reviewed:
            return ["pick", "classify", "define"]
        return ["classify", "classify_typed", "recall", "define"]
    if isinstance(item, Misconception):
        return ["myth_fact", "spot_myth"] if len(kb.misconceptions) >= OPTIONS else ["myth_fact"]
    if isinstance(item, Grouping):
        return ["define"] if len(kb.groupings) >= 2 else []
    if isinstance(item, CommandWord):
        return ["command_word", "command_demand"]
    if isinstance(item, Concept):
        kinds: list[str] = []
        if kb.topics[item.topic].ordered:
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
    kb: KnowledgeBase,
    item_id: str,
    rng: random.Random,
    *,
    reviewed: bool = False,
    avoid: Collection[str] = (),
) -> Question | None:
    """A question about ``item_id`` (kind chosen with ``rng``), or None if it cannot be quizzed.

    Kinds in ``avoid`` (those just asked) are skipped when the item allows another, so a quiz
    on one topic mixes its questions instead of asking the same stem again and again.
    """
    kinds = kinds_for(kb, item_id, reviewed=reviewed)
    if not kinds:
        return None
    kind = rng.choice([k for k in kinds if k not in avoid] or kinds)
    item = kb.item(item_id)
    if isinstance(item, Variable):
        if kind == "define":
            return define(kb, item, list(kb.variables.values()), rng)
        makers = {"pick": pick, "classify": classify, "classify_typed": classify_typed}
        return makers.get(kind, recall)(kb, item, rng)
    if isinstance(item, Misconception):
        return (spot_myth if kind == "spot_myth" else myth_or_fact)(kb, item, rng)
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
