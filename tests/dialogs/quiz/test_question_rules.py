"""Rules every generated question obeys, checked over the whole shipped knowledge base."""

from __future__ import annotations

import random
import re

from dialogs.quiz.grading import grade_option
from dialogs.quiz.makers import define, kinds_for, make
from dialogs.quiz.myth_questions import myth_or_fact
from dialogs.quiz.questions import Question, quizzable
from dialogs.quiz.topics import find_topic
from knowledge.base import KnowledgeBase


def _every_question(kb: KnowledgeBase, seeds: int = 8) -> list[Question]:
    return [
        question
        for item_id in quizzable(kb)
        for reviewed in (False, True)
        for seed in range(seeds)
        if (question := make(kb, item_id, random.Random(seed), reviewed=reviewed)) is not None
    ]


def test_only_ordered_topics_ask_what_comes_next(kb: KnowledgeBase) -> None:
    ordered = {t.id for t in kb.topics.values() if t.ordered}
    assert ordered == {"sales_process"}
    for concept in kb.concepts.values():
        assert ("order" in kinds_for(kb, concept.id, reviewed=True)) == (
            concept.topic in ordered
        ), concept.id
    assert not any("7Ps" in q.prompt and q.kind == "order" for q in _every_question(kb))


def test_an_ordering_question_never_offers_its_own_anchor(kb: KnowledgeBase) -> None:
    for question in _every_question(kb):
        if question.kind == "order" and "after <b>" in question.prompt:
            anchor = question.prompt.split("after <b>")[1].split("</b>")[0]
            assert anchor not in question.options, question.prompt


def test_formula_options_do_not_name_the_kpi(kb: KnowledgeBase) -> None:
    formulas = [q for q in _every_question(kb) if q.kind == "formula"]
    assert formulas
    for question in formulas:
        item = kb.concepts[question.item_id]
        names = [item.name.split("(")[0].strip(), *item.aliases]
        for option in question.options:
            assert "=" not in option
            for name in names:
                assert name.lower() not in option.lower(), (name, option)


def test_myth_or_fact_feedback_fits_the_side_shown(kb: KnowledgeBase) -> None:
    item = kb.misconceptions["mc_segmentation_vs_targeting"]
    for seed in range(20):
        question = myth_or_fact(kb, item, random.Random(seed))
        right = grade_option(question, question.correct[0])
        if question.correct == (1,):  # a true statement: the correction is never shown
            assert item.correction not in right.feedback
            assert "It is true" in right.feedback
        else:
            assert "It is a myth" in right.feedback


def test_misconceptions_are_asked_in_more_than_one_way(kb: KnowledgeBase) -> None:
    kinds = {q.kind for q in _every_question(kb) if q.item_id in kb.misconceptions}
    assert kinds == {"myth_fact", "spot_myth"}
    spot = next(
        q for q in _every_question(kb) if q.kind == "spot_myth" and q.item_id in kb.misconceptions
    )
    beliefs = {m.belief for m in kb.misconceptions.values()}
    assert [o in beliefs for o in spot.options].count(True) == 1


def test_a_quiz_does_not_repeat_the_kind_it_just_asked(kb: KnowledgeBase) -> None:
    for item_id in [v.id for v in kb.variables_in("psychographic")]:
        for seed in range(5):
            question = make(kb, item_id, random.Random(seed), avoid=("pick",))
            assert question is not None and question.kind != "pick"


def test_topic_names_and_aliases_students_type(kb: KnowledgeBase) -> None:
    for typed, key in [
        ("b2b", "firmographic"),
        ("firmographics", "firmographic"),
        ("kpi", "kpi"),
        ("stp", "stp"),
        ("7p", "marketing_mix"),
        ("crm", "crm"),
    ]:
        found = find_topic(kb, typed)
        assert found is not None and found.key == key, typed


_GENERIC = frozenset(
    {"customer", "customers", "business", "market", "marketing", "sales", "data", "rate"}
    | {"value", "process", "level", "type", "stage", "channel", "channels", "analysis", "cost"}
    | {"product", "products", "segment", "segments", "good", "what", "makes", "used"}
)


def _name_stems(name: str) -> list[str]:
    words = re.findall(r"[a-z]+", re.sub(r"\([^)]*\)", "", name).lower())
    return [w[: max(4, len(w) - 2)] for w in words if len(w) >= 4 and w not in _GENERIC]


def test_a_definition_never_gives_its_own_name_away(kb: KnowledgeBase) -> None:
    """'Sending planned emails' for Email marketing, 'clicks' for pay-per-click: a clue in the
    content words the definition without the name's own words."""
    for table in (kb.variables, kb.groupings, kb.concepts):
        for item in table.values():
            question = define(kb, item, list(table.values()), random.Random(0))
            stem = question.prompt.split("\n\n", 1)[1].lower()
            stems = _name_stems(item.name)
            found = [w for w in re.findall(r"[a-z]+", stem) if w.startswith(tuple(stems))]
            assert not stems or not found, (item.id, found)
            assert stem.count("…") <= 1, (item.id, stem)


def test_no_option_question_shows_its_answer_in_the_stem(kb: KnowledgeBase) -> None:
    for question in _every_question(kb):
        if not question.options or question.kind in ("classify", "myth_fact"):
            continue
        right = question.options[question.correct[0]].lower()
        assert not re.search(rf"\b{re.escape(right)}\b", question.prompt.lower()), question


def test_overlapping_groupings_are_never_options_together(kb: KnowledgeBase) -> None:
    for seed in range(30):
        for item_id in ("funnel_position", "journey_stage"):
            question = define(
                kb, kb.groupings[item_id], list(kb.groupings.values()), random.Random(seed)
            )
            names = set(question.options)
            assert not {"Position in the sales funnel", "Customer journey stage"} <= names
