"""Marking a scenario step: key points earned by claims about the case, never by keywords.

A key point is earned when an asserted sentence makes one of its claims (see
:mod:`dialogs.language.claims`): the right segment with the right trait, the right variable
with the right reason. Claims of the form ``3 of @a | @b | ...`` are earned by naming that
many of the alternatives anywhere in the answer ("a range of variables"). A point one of
whose ``contradicts`` claims is made is *contradicted*: not earned, named in the feedback,
and it costs a point (as a wrong tick does). The same words never earn two points. A bare
list of keywords earns nothing: the student is asked to explain in a sentence or two.
Multi-select steps score ticks; numeric steps are in :mod:`dialogs.language.step_numbers`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dialogs.language.answers import read_answer
from dialogs.language.checks import Check, persona_checks, point_for_check, recommendation_checks
from dialogs.language.claims import find, parse
from dialogs.language.grades import Grade, score_of
from dialogs.language.reading import Reading, read
from dialogs.language.step_numbers import grade_number
from dialogs.language.subjects import by_subject
from dialogs.language.vocabulary import scenario_vocabulary, variable_terms
from dialogs.language.words import fold, tokens
from knowledge.base import KnowledgeBase
from knowledge.models import KeyPoint, Scenario, Step

_COUNT = re.compile(r"^(\d+) of (.+)$")
_CLAUSES = re.compile(r"[.;:!?\n]+|\bbut\b|\bwhereas\b|\bexcept\b")
_ABSENT = frozenset({"not", "no", "missing", "absent", "without", "lacks", "lack", "unknown"})
_ABSENT |= {"nor", "none", "neither", "never"}
_ITEMS = re.compile(r"[,;\n•·|/]+|\s-\s|\band\b")
# Words (lemmas) that make a stretch of text a statement rather than a label.
_STATEMENT = frozenset(
    {"be", "have", "do", "will", "would", "can", "could", "should", "because", "so", "they"}
    | {"them", "their", "it", "this", "that", "i", "we", "you", "she", "he", "her", "his"}
    | {"want", "like", "love", "need", "go", "come", "get", "make", "use", "spend", "pay"}
    | {"stay", "leave", "visit", "buy", "care", "seem", "tend", "if", "which", "who", "enjoy"}
)


def keyword_list(text: str) -> bool:
    """True for a bare list of keywords: three or more short items, nearly all of them labels
    that say nothing about anyone, and not one sentence among them."""
    items = [[w.lemma for w in tokens(i)] for i in _ITEMS.split(fold(text)) if i.strip()]
    items = [i for i in items if i]
    if len(items) < 3 or any(len(i) >= 4 and _STATEMENT & set(i) for i in items):
        return False
    labels = [i for i in items if len(i) <= 3 and (len(i) == 1 or not _STATEMENT & set(i))]
    return len(labels) >= 0.8 * len(items)


def _count_claim(text: str, reading: Reading) -> tuple[str, ...] | None:
    """ "3 of @a | @b | @c": the mentions that name enough of the alternatives, or None."""
    found = _COUNT.match(text)
    if found is None:
        return None
    need = int(found.group(1))
    wanted = [a.strip().removeprefix("@") for a in found.group(2).split(" | ")]
    named: dict[str, str] = {}
    for part in reading.asserted:
        for mention in reading.in_part(part):
            if mention.concept in wanted and not mention.negated:
                named.setdefault(mention.concept, reading.surface(mention.start, mention.end))
    return tuple(named.values()) if len(named) >= need else ()


def _made_by(point: KeyPoint, reading: Reading, used: list[frozenset[int]]) -> str | None:
    """The words that make ``point``, unless the same words already made another point."""
    for text in point.claims:
        counted = _count_claim(text, reading)
        if counted is not None:
            if counted:
                return ", ".join(counted)
            continue
        found = find(parse(text), reading)
        if found is None:
            continue
        words = frozenset(i for m in found.mentions for i in range(m.start, m.end))
        if any(words <= earlier for earlier in used):
            continue
        used.append(words)
        return reading.quote(found.mentions)
    return None


def _about_others(reading: Reading, about: str, subjects: frozenset[str]) -> bool:
    """True when the answer talks about other customer groups and never about ``about``."""
    said = {
        m.concept
        for part in reading.asserted
        for m in reading.in_part(part)
        if m.concept in subjects and not m.negated
    }
    return bool(said) and about not in said


def _contradicts(point: KeyPoint, reading: Reading) -> bool:
    return any(find(parse(text), reading) is not None for text in point.contradicts)


def grade_free_text(kb: KnowledgeBase, scenario: Scenario, step: Step, text: str) -> Grade:
    """Mark a written answer to a step on its key points (plus the exam-tip checks)."""
    subjects = frozenset(c.id for c in scenario.concepts if c.subject)
    reading = by_subject(read(text, scenario_vocabulary(kb, scenario)), subjects)
    missed_all = tuple(p.id for p in step.key_points)
    if keyword_list(text):
        return Grade(0.0, {}, missed_all, listed=True)
    if step.about is not None and _about_others(reading, step.about, subjects):
        return Grade(0.0, {}, missed_all, off_subject=True)
    made: dict[str, str] = {}
    contradicted: list[str] = []
    used: list[frozenset[int]] = []
    for point in step.key_points:
        if _contradicts(point, reading):
            contradicted.append(point.id)
            continue
        words = _made_by(point, reading, used)
        if words is not None:
            made[point.id] = words
    checks: tuple[Check, ...] = ()
    if step.kind == "persona":
        checks = persona_checks(kb, step, reading, made)
    elif step.kind == "recommendation":
        checks = recommendation_checks(step, reading, text, made)
    for check in checks:
        # A check met in a sentence earns the key point of the same name.
        point_id = point_for_check(step, check.name)
        if check.ok and point_id is not None and point_id not in {*made, *contradicted}:
            made[point_id] = check.found
    ordered = {p.id: made[p.id] for p in step.key_points if p.id in made}
    missed = tuple(p.id for p in step.key_points if p.id not in ordered)
    # Saying the opposite of what the data shows costs a point, as a wrong tick does.
    score = score_of(max(0, len(ordered) - len(contradicted)), len(step.key_points))
    return Grade(score, ordered, missed, checks, contradicted=tuple(contradicted))


def grade_choices(step: Step, ticked: Sequence[str]) -> Grade:
    """Grade ticks on a multi-select step: (right - wrong) / right answers, floored at 0."""
    chosen = list(dict.fromkeys(t for t in ticked if t in step.choices))
    right = {c: c for c in step.correct_choices if c in chosen}
    wrong = tuple(c for c in chosen if c not in step.correct_choices)
    missed = tuple(c for c in step.correct_choices if c not in right)
    total = len(step.correct_choices)
    score = score_of(max(0, len(right) - len(wrong)), total) if total else float(not wrong)
    return Grade(score, right, missed, wrong=wrong)


def typed_choices(kb: KnowledgeBase, step: Step, text: str) -> list[str]:
    """The step's choices a typed answer names ("age, usage rate"); a choice said to be
    missing ("there is no income data") is not ticked."""
    options: dict[str, list[str]] = {}
    for choice in step.choices:
        variable = kb.variables.get(choice)
        names = [choice.replace("_", " ")]
        if variable is not None:
            names += variable_terms(variable.name, variable.id, variable.aliases)
        options[choice] = names
    chosen: list[str] = []
    for clause in _CLAUSES.split(fold(text)):
        if _ABSENT & set(clause.split()):
            continue  # "income and gender are not recorded" names what is missing
        chosen += [k for k in read_answer(clause, options).keys if k not in chosen]
    return chosen


def needs_more(step: Step, text: str) -> bool:
    """True when a written answer is too thin to grade (one word, or no words at all).

    A lone number is a full answer to a numeric step, and one name a fair start on a
    multi-select step, so those are never "too thin".
    """
    if step.kind == "quantitative" or step.choices:
        return not text.strip()
    return len([w for w in fold(text).split() if any(ch.isalpha() for ch in w)]) < 2


def grade_typed(kb: KnowledgeBase, scenario: Scenario, step: Step, text: str) -> Grade | str:
    """Grade typed text for ``step``, or say (as a reply text) why it cannot be graded."""
    if step.choices:
        ticked = typed_choices(kb, step, text)
        if not ticked:
            return (
                "I couldn't spot any of the listed variables in that. Tick them with the "
                "buttons on the step, or type their names (for example: age, usage rate)."
            )
        return grade_choices(step, ticked)
    if step.numeric is not None:
        graded = grade_number(kb, scenario, step, text)
        if graded is None:
            return (
                "This step needs a number, such as 42, £1,250 or 12.5% (working is welcome). "
                "Tap Hint if you're stuck."
            )
        return graded
    return grade_free_text(kb, scenario, step, text)
