"""The cards the tutor answers from, and finding them for a question.

A card is a knowledge-base item with a name and a definition (a variable, another grouping,
a concept, a misconception, a command word) or one of the five segmentation bases. Names and
aliases are compiled into a :class:`~dialogs.language.lexicon.Lexicon`, so "segmantation",
"CAC" or "marital status" are found the way the rest of the tutor reads students; BM25
(``bm25s``) over each card's lemmatised words ranks cards when no name is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import bm25s
import numpy as np

from dialogs.language.lexicon import Lexicon
from dialogs.language.vocabulary import variable_terms
from dialogs.language.words import fold, lemma_of, words
from dialogs.quiz.questions import BASE_ABOUT, BASE_ALIASES, BASE_LABELS
from knowledge.base import KnowledgeBase
from knowledge.models import BASES, Concept, Variable

# Words too common in this unit to say what a question is about.
_STOP = frozenset(
    """a an the of to and or in on for is be are what how why which who do does can could
    should would i me my you your it its this that these those with by as at from about give
    tell explain example examples mean meaning difference between vs versus calculate work
    out define definition please help whats""".split()  # noqa: SIM905 - a word list reads best
)


# Everyday words for a few cards that their content does not list as aliases (in the
# lexicon's term syntax: ``~3`` up to three words between).
_EXTRA_NAMES: dict[str, list[str]] = {
    "stp_segmentation": ["segment", "segments", "segmenting", "a segment"],
    "stp_targeting": ["target market", "targeting"],
    "why_segment": ["why ~3 segment", "(purpose|point|benefit|benefits) of segmentation"],
    "segment_criteria": ["good segment", "(makes|make) ~3 segment ~2 (good|useful|work)"],
    "data_ethics": ["gdpr", "data protection"],
    "buyer_persona": ["persona", "personas"],
}
# Topics whose cards make one whole (the stages of the sales process, the 7Ps...): a card
# each, listing its parts, for "what are the 7Ps?".
_WHOLES: dict[str, list[str]] = {
    "sales_process": ["sales process", "stages of the sales process", "selling process"],
    "marketing_mix": ["marketing mix", "7ps", "7 ps", "seven ps", "the 7ps"],
    "kpi": ["kpis", "kpi", "key performance indicators"],
    "stp": ["stp", "segmentation targeting and positioning"],
}


@dataclass(frozen=True)
class Card:
    """One thing the tutor can explain: what it is, an example, and how it is used."""

    item_id: str
    kind: str
    name: str
    definition: str
    example: str = ""
    matters: str = ""
    formula: str = ""
    exam_angle: str = ""
    bases: tuple[str, ...] = ()
    topic: str | None = None


def _variable_card(variable: Variable) -> Card:
    label = BASE_LABELS[variable.base]
    return Card(
        variable.id,
        f"{label} variable",
        variable.name,
        variable.definition,
        variable.example,
        variable.links_to,
        exam_angle=variable.ambiguity or "",
        bases=variable.accepted_bases,
        topic=variable.base,
    )


def _topic_name(kb: KnowledgeBase, topic: str) -> str:
    found = kb.topics.get(topic)
    return found.name if found is not None else topic.replace("_", " ")


def _concept_card(kb: KnowledgeBase, concept: Concept) -> Card:
    formula = concept.formula or ""
    if concept.worked is not None:
        formula += f"\nWorked: {concept.worked.question} {concept.worked.method}"
    return Card(
        concept.id,
        _topic_name(kb, concept.topic),
        concept.name,
        concept.definition,
        concept.example,
        formula=formula.strip(),
        topic=concept.topic,
    )


def build_cards(kb: KnowledgeBase) -> dict[str, Card]:
    """Every card, keyed by item id (bases by their own name)."""
    cards: dict[str, Card] = {}
    for base in BASES:
        examples = ", ".join(v.name for v in kb.variables_in(base)[:6])
        cards[base] = Card(
            base,
            "segmentation base",
            f"{BASE_LABELS[base]} segmentation",
            f"Grouping customers by {BASE_ABOUT[base]}.",
            f"{BASE_LABELS[base]} variables include {examples}.",
            topic=base,
        )
    cards |= {v.id: _variable_card(v) for v in kb.variables.values()}
    for grouping in kb.groupings.values():
        cards[grouping.id] = Card(
            grouping.id,
            "way to group customers",
            grouping.name,
            grouping.definition,
            grouping.example,
            topic="groupings",
        )
    cards |= {c.id: _concept_card(kb, c) for c in kb.concepts.values()}
    for topic in _WHOLES:
        parts = kb.concepts_on(topic)
        if parts and topic not in cards:
            label = _topic_name(kb, topic)
            listed = ", ".join(c.name for c in parts)
            cards[topic] = Card(
                topic,
                "topic",
                label[:1].upper() + label[1:],
                f"{len(parts)} parts, in order: {listed}.",
                "Tap one below, or /learn it card by card.",
                topic=topic,
            )
    for myth in kb.misconceptions.values():
        cards[myth.id] = Card(
            myth.id,
            "common misconception",
            myth.title,
            f"Myth: {myth.belief} Fact: {myth.fact}",
            matters=myth.correction,
            exam_angle=myth.exam_angle,
            topic="misconceptions",
        )
    for word in kb.command_words.values():
        cards[word.id] = Card(
            word.id,
            "exam command word",
            word.word.capitalize(),
            word.demands,
            word.example_question,
            exam_angle=word.pitfall,
            topic="command_words",
        )
    return cards


def _names(kb: KnowledgeBase, card: Card) -> list[str]:
    item = kb.item(card.item_id)
    aliases = list(getattr(item, "aliases", []) or [])
    if card.kind == "segmentation base":
        aliases += BASE_ALIASES[card.item_id]
    if card.kind == "topic":  # its label is a list ("segmentation, targeting and ..."): not halves
        return [fold(card.name).replace(",", ""), *_WHOLES[card.item_id]]
    if card.kind == "exam command word":
        aliases.append(f"command word {card.name}")
    terms = variable_terms(card.name, card.item_id, aliases)
    if " vs " in card.name:  # "features vs benefits" is also "a feature and a benefit"
        left, right = (fold(half).strip() for half in card.name.split(" vs ", 1))
        terms += [f"{left} ~3 {right}", f"{right} ~3 {left}"]
    return terms + _EXTRA_NAMES.get(card.item_id, [])


def content_lemmas(text: str, lexicon: Lexicon | None = None) -> list[str]:
    """The lemmas of ``text`` that carry meaning (spelling mended when a lexicon is given)."""
    found = words(text, lexicon.speller if lexicon is not None else None)
    return [w.lemma for w in found if w.lemma not in _STOP and not w.number and len(w.lemma) > 1]


@dataclass(frozen=True)
class Hit:
    """A card a question is about, and where in the question its name was written."""

    item_id: str
    start: int
    end: int


class Index:
    """Names (for exact mentions) and BM25 (for everything else) over every card."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.cards = build_cards(kb)
        self.ids = list(self.cards)
        names = {c.item_id: _names(kb, c) for c in self.cards.values()}
        # A misconception's title is a sentence, not a name: BM25 finds those.
        named = {k: v for k, v in names.items() if self.cards[k].kind != "common misconception"}
        self.lexicon = Lexicon(named, greedy=self.ids)
        self._names = names

    @cached_property
    def _bm25(self) -> bm25s.BM25:
        corpus = []
        for item_id in self.ids:
            card = self.cards[item_id]
            text = " ".join([*self._names[item_id], card.name, card.name, card.definition])
            corpus.append(content_lemmas(f"{text} {card.example}"))
        retriever = bm25s.BM25()
        retriever.index(corpus, show_progress=False)
        return retriever

    def named(self, text: str) -> list[Hit]:
        """Cards whose name or alias the text uses, in the order written, each once."""
        tokens = words(text, self.lexicon.speller)
        spans = self.lexicon.spans(tokens)
        hits: dict[str, Hit] = {}
        for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
            if span.concept not in hits:
                hits[span.concept] = Hit(span.concept, span.start, span.end)
        return list(hits.values())

    def ranked(self, text: str, top: int = 3) -> list[tuple[str, float]]:
        """The cards whose words best match the text (BM25), best first, with their scores."""
        query = [w for w in content_lemmas(text, self.lexicon) if w]
        if not query:
            return []
        scores = np.asarray(self._bm25.get_scores(query))
        order = np.argsort(-scores)[:top]
        return [(self.ids[i], float(scores[i])) for i in order if scores[i] > 0]


_INDEXES: dict[int, tuple[KnowledgeBase, Index]] = {}


def index_for(kb: KnowledgeBase) -> Index:
    """The index for ``kb``, built on first use and kept (a few bases' worth)."""
    cached = _INDEXES.get(id(kb))
    if cached is None or cached[0] is not kb:
        if len(_INDEXES) >= 16:
            _INDEXES.pop(next(iter(_INDEXES)))
        cached = (kb, Index(kb))
        _INDEXES[id(kb)] = cached
    return cached[1]


__all__ = ["Card", "Hit", "Index", "build_cards", "content_lemmas", "index_for", "lemma_of"]
