"""Questions about segmentation variables: which base, pick the variable, name two of a base."""

from __future__ import annotations

import random

from dialogs.quiz.questions import (
    BASE_ABOUT,
    BASE_ALIASES,
    BASE_LABELS,
    OPTIONS,
    Question,
    names_of,
    option_accept,
    pick_other,
    shuffled_options,
)
from dialogs.text import esc
from knowledge.base import KnowledgeBase
from knowledge.models import (
    BASES,
    Base,
    Variable,
)


def bases_of(variable: Variable) -> str:
    """The base(s) a variable belongs to, as said in feedback: "behavioural or psychographic"."""
    return " or ".join(variable.accepted_bases)


def variable_line(variable: Variable) -> str:
    """One line of feedback about a variable: its base(s), what it is, and why either base
    is fine when it has more than one. Written so a plural name ("Values") reads well."""
    line = f"{variable.name} ({bases_of(variable)}): {variable.definition}"
    if variable.ambiguity:
        line += f" {variable.ambiguity}"
    return line


def classify(kb: KnowledgeBase, variable: Variable, rng: random.Random) -> Question:
    """Which base does this variable belong to? The bases as buttons."""
    consumer = variable.base != "firmographic" and "firmographic" not in variable.also_bases
    bases: list[Base] = [b for b in BASES if b != "firmographic" or not consumer]
    why = []
    for base in bases:
        if base in variable.accepted_bases:
            why.append(variable_line(variable))
        else:
            why.append(
                f"{BASE_LABELS[base]} variables describe {BASE_ABOUT[base]}. "
                + variable_line(variable)
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
        explanation=variable_line(variable),
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
        others += pick_other(rng, pool, {o.id for o in others}, 1)
    others = others[: OPTIONS - 1]
    items, _ = shuffled_options(rng, variable, others)
    return Question(
        item_id=variable.id,
        kind="pick",
        prompt=f"Which of these is a <b>{esc(base)}</b> variable?",
        options=tuple(v.name for v in items),
        accept=option_accept(items),
        correct=tuple(i for i, v in enumerate(items) if base in v.accepted_bases),
        why=tuple(variable_line(v) for v in items),
        answer=variable.name,
        explanation=f"Why {variable.name.lower()} matters: {variable.links_to}",
        hint=f"{BASE_LABELS[base]} variables describe {BASE_ABOUT[base]}.",
    )


def _brand(kb: KnowledgeBase, base: str, rng: random.Random) -> str:
    market = "B2B" if base == "firmographic" else "B2C"
    brands = [s.title.split(":")[0].strip() for s in kb.scenarios.values() if s.market == market]
    return rng.choice(brands) if brands else "a business"


def recall(
    kb: KnowledgeBase, variable: Variable, rng: random.Random, *, base: Base | None = None
) -> Question:
    """Typed free recall: name two variables of ``base`` (by default, this variable's base)."""
    base = base or variable.base
    members = [v for v in kb.variables.values() if base in v.accepted_bases]
    notes = {
        v.id: f"{v.name}: {bases_of(v)}, not {base}."
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
        accept={v.id: names_of(v) for v in kb.variables.values()},
        labels={v.id: v.name for v in kb.variables.values()},
        right=tuple(v.id for v in members),
        need=2,
        notes=notes,
    )
