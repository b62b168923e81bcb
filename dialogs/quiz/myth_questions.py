"""Questions about misconceptions: myth or fact, and spotting the myth among true statements."""

from __future__ import annotations

import random

from dialogs.quiz.questions import FACT, MYTH, MYTH_FACT_ACCEPT, OPTIONS, Question, pick_other
from dialogs.text import esc
from knowledge.base import KnowledgeBase
from knowledge.models import Misconception


def myth_or_fact(kb: KnowledgeBase, item: Misconception, rng: random.Random) -> Question:
    """Myth or fact: the wrong belief or the true statement, at random.

    The feedback fits the statement shown: the correction speaks to a student who believed
    the myth, so it is never what a student who rightly said "Fact" is told.
    """
    is_myth = rng.random() < 0.5
    if is_myth:
        statement = item.belief
        why = (f"It is a myth. {item.fact}", item.correction)
    else:
        statement = item.fact
        true = f"It is true. The myth is the opposite: “{item.belief}”"
        why = (true, true)
    return Question(
        item_id=item.id,
        kind="myth_fact",
        prompt=f"Myth or fact?\n\n<i>“{esc(statement)}”</i>",
        options=(MYTH, FACT),
        accept=MYTH_FACT_ACCEPT,
        correct=(0,) if is_myth else (1,),
        why=why,
        answer=f"{MYTH}. {item.fact}" if is_myth else FACT,
        explanation=f"Exam angle: {item.exam_angle}",
    )


def spot_myth(kb: KnowledgeBase, item: Misconception, rng: random.Random) -> Question:
    """Which of these statements is a myth? This belief among the facts of other myths."""
    others = pick_other(rng, list(kb.misconceptions.values()), {item.id}, OPTIONS - 1)
    statements = [item.belief, *(o.fact for o in others)]
    owners = [item, *others]
    order = list(range(len(statements)))
    rng.shuffle(order)
    return Question(
        item_id=item.id,
        kind="spot_myth",
        prompt="Which of these statements is a <b>myth</b>?",
        options=tuple(statements[i] for i in order),
        correct=(order.index(0),),
        why=tuple(
            item.correction if i == 0 else f"That one is true. {owners[i].exam_angle}"
            for i in order
        ),
        answer=item.belief,
        explanation=f"The truth: {item.fact}",
        hint=f"Think about {item.title.lower()}.",
    )
