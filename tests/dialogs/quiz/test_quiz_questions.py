"""Question generation from the knowledge base: every item, every kind, sound and storable."""

from __future__ import annotations

import json
import random

import pytest

from dialogs.quiz.makers import kinds_for, make
from dialogs.quiz.questions import Question, quizzable
from dialogs.quiz.topics import find_topic, topic_items, topics
from dialogs.quiz.variable_questions import classify, pick
from dialogs.quiz.view import question_message
from knowledge.base import KnowledgeBase


def _all_questions(kb: KnowledgeBase) -> list[Question]:
    found = []
    for item_id in quizzable(kb):
        for reviewed in (False, True):
            for seed in range(6):
                question = make(kb, item_id, random.Random(seed), reviewed=reviewed)
                assert question is not None, item_id
                found.append(question)
    return found


def test_every_quizzable_item_yields_sound_questions(kb: KnowledgeBase) -> None:
    questions = _all_questions(kb)
    assert {q.kind for q in questions} >= {
        "classify",
        "classify_typed",
        "pick",
        "recall",
        "myth_fact",
        "define",
        "order",
        "numeric",
        "formula",
        "command_word",
        "command_demand",
    }
    for question in questions:
        if question.options:
            assert len(set(question.options)) == len(question.options), question
            assert question.correct and len(question.why) == len(question.options)
        elif question.numeric:
            assert question.number["method"]
        else:
            assert question.accept and set(question.right) <= set(question.accept)
        assert question.answer


def test_questions_survive_json_storage(kb: KnowledgeBase) -> None:
    for question in _all_questions(kb):
        stored = json.loads(json.dumps(question.to_payload()))
        assert Question.from_payload(stored | {"review": True}) == question


def test_every_question_renders_with_valid_buttons(kb: KnowledgeBase) -> None:
    for question in _all_questions(kb):
        message = question_message(123456789, question, position=10, size=10, review=True)
        for row in message.buttons:
            assert 1 <= len(row) <= 4
            for button in row:
                assert len(button.data.encode()) <= 64


def test_pick_distractors_come_from_other_bases(kb: KnowledgeBase) -> None:
    for seed in range(20):
        question = pick(kb, kb.variables["values"], random.Random(seed))
        names = {v.name: v for v in kb.variables.values()}
        bases = [names[o].accepted_bases for o in question.options]
        assert sum("psychographic" in b for b in bases) == 1
        assert len({b[0] for b in bases}) == 4


def test_firmographic_is_offered_only_when_relevant(kb: KnowledgeBase) -> None:
    consumer = classify(kb, kb.variables["age"], random.Random(1))
    business = classify(kb, kb.variables["company_size"], random.Random(1))
    assert "Firmographic" not in consumer.options
    assert "Firmographic" in business.options


def test_definitions_do_not_give_the_answer_away(kb: KnowledgeBase) -> None:
    for concept in kb.concepts.values():
        question = make(kb, concept.id, random.Random(0))
        if question is not None and question.kind == "define":
            head = concept.name.split("(")[0].strip().lower()
            assert head not in question.prompt.lower(), concept.id


def test_new_variables_start_with_gentler_kinds(kb: KnowledgeBase) -> None:
    assert kinds_for(kb, "lifestyle", reviewed=False) == ["pick", "classify", "define"]
    assert "recall" in kinds_for(kb, "lifestyle", reviewed=True)
    assert kinds_for(kb, "no_such_item", reviewed=False) == []


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("kpis", "kpi"),
        ("psycografic", "psychographic"),
        ("LO2", "lo2"),
        ("7ps", "marketing_mix"),
        ("sales process", "sales_process"),
        ("myths", "misconceptions"),
        ("command words", "command_words"),
        ("banana", None),
    ],
)
def test_topics(kb: KnowledgeBase, typed: str, key: str | None) -> None:
    found = find_topic(kb, typed)
    assert (found.key if found else None) == key


def test_every_topic_has_items(kb: KnowledgeBase) -> None:
    every = set(quizzable(kb))
    for key in topics(kb):
        items = topic_items(kb, key)
        assert items and set(items) <= every, key
