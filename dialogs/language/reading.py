"""A reading of a student's text: sentences, what each one mentions, and how it is meant.

Every sentence (and each side of a "but") is a *part* with a stance: ``asserted``; a
``question`` ("is CLV just one purchase?"); or ``distanced``: a belief reported, called a
myth or given up ("people think...", "it's a myth that...", "I used to think..."). Only
asserted parts make claims.

A part may *join* the one before it, so a claim can use both: the answer to a student's own
question ("digital marketing? it's just social media"), or a sentence that points back
("age, gender and income. That's all you need."). Negations are resolved per clause (see
:mod:`dialogs.language.negation`); a negated mention reads as its concept's opposite. Cue
words for questions and distancing are lexicon concepts (``question_cue``, ``distance``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from dialogs.language.afterthoughts import look_back
from dialogs.language.figures import plain
from dialogs.language.lexicon import Lexicon
from dialogs.language.negation import clause_starts, negated_spans
from dialogs.language.parts import ASSERTED, DISTANCED, QUESTION, Mention, Part
from dialogs.language.questions import is_question
from dialogs.language.reporters import named_reporter
from dialogs.language.restated import RESTATED, restated_figures
from dialogs.language.sentences import pieces
from dialogs.language.words import Word, fold, tokens
from dialogs.language.yes_no import says_no, says_yes

# "yet" contrasts, but not as "not yet", "at all yet" or a clause's last word.
_CONTRAST = re.compile(
    r"\b(?:but|however|whereas|although|though|except)\b"
    r"|(?<!not )(?<!all )\byet\b(?! because)(?!\s*(?:[,.!?]|$))"
)
# "X only if Y, otherwise Z": Z is a side of its own, the rule that holds by default.
_OTHERWISE = re.compile(r",?\s+otherwise\b")
# A statement, then a question that backs it up: "..., why else would they come back?" (but
# "a customer buys every week, what does that tell you?" sets a case out and asks about it)
_ASKS_ABOUT_IT = re.compile(r"\b(?:does|do|did|is) (?:that|this|it|these)\b")
_BACKING = re.compile(
    r"^(?P<said>(?:\S+ ){3,}\S+?),\s*(?P<asked>(?:why|whats?|how|who)\b[^,]*\?+)\s*$"
)
# Commas (not "7,600"), brackets, colons and the "lol" that ends a thought like a full stop.
_PUNCTUATION = re.compile(r"(?<!\d),|,(?!\d{3}\b)|[:()\[\]\"]|\b(?:lol|lmao|haha)\b")
_POINTING_BACK = frozenset({"that", "this", "these", "those", "which", "it", "its", "they", "same"})
_DEMONSTRATIVES = frozenset({"that", "this", "those", "these"})
_EARLY = 5  # words: how soon a demonstrative must come to point back
_SETTLED = frozenset(
    {"done", "sorted", "and", "so", "yeah", "ok", "okay", "right", "job", "otherwise"}
)
_QUOTED = 100  # characters of a rewritten sentence quoted back
_REPLY_OPENING = 3  # opening words of a reply that answer the quote or view before it
_TOPIC = 3  # words: a sentence this short is a topic or a fragment, and joins its neighbour
_WH = frozenset({"what", "how", "why", "whatever"})
_VERDICT = re.compile(r"^\s*(?:true|false)\s*[,:-]\s*(?=\S)")
_CANNOT = "cannot"  # the concept an answer of "you can't" to "how do you...?" gives
_ANSWER = 12  # words: a sentence this short after a question answers it
# How a sentence after a question opens when it sets out where the question comes from.
_SETTING_OUT = frozenset({"in", "at", "for", "my", "our", "all", "when", "during", "on"})
_OWN_ANSWER = frozenset({"think", "reckon", "would", "guess", "mean", "say", "believe", "feel"})


@dataclass(frozen=True)
class Reading:
    """What a text says, ready for claims to be looked for in it."""

    tokens: tuple[Word, ...]
    parts: tuple[Part, ...]
    mentions: tuple[Mention, ...]
    predicates: frozenset[str] = frozenset()
    # Words read from a figure of speech's plain statement, and what the student wrote there.
    rewritten: tuple[tuple[int, int, str], ...] = ()

    def surface(self, start: int, end: int) -> str:
        """The words the student wrote for tokens ``start`` to ``end``."""
        shown: list[str] = []
        for word in self.tokens[start:end]:
            if not shown or shown[-1] != word.surface:  # "dont" became "do not"
                shown.append(word.surface)
        return " ".join(shown)

    def quote(self, mentions: Iterable[Mention]) -> str:
        """The student's words for some mentions, in text order, "…" where words are left out.

        Mentions read from a rhetorical question or an analogy quote what the student wrote,
        since the plain statement it was read as uses words they did not."""
        mentions = list(mentions)
        for start, end, said in self.rewritten:
            if mentions and all(start <= m.start < end for m in mentions):
                return said if len(said) <= _QUOTED else said[: _QUOTED - 1].rstrip() + "…"
        pieces: list[str] = []
        end = -1
        for mention in sorted(mentions, key=lambda m: (m.start, -m.end)):
            if mention.end <= end:
                continue  # inside a mention already quoted
            start = max(mention.start, end)
            if pieces and start > end:
                pieces.append("…")
            pieces.append(self.surface(start, mention.end))
            end = mention.end
        return " ".join(pieces)

    def in_part(self, part: int) -> list[Mention]:
        """The mentions of one part, in text order."""
        return [m for m in self.mentions if m.part == part]

    def pool(self, part: int) -> list[Mention]:
        """What a claim in ``part`` may use: its mentions, and those of the part it joins."""
        here = self.in_part(part)
        current = self.parts[part]
        if (
            part > 0
            and current.joined
            and not current.turn
            # "A, but B" sets A aside unless B speaks of it ("..., but that's the same thing")
            and (not current.contrast or current.refers_back)
            and self.parts[part - 1].stance != DISTANCED
        ):
            return [*self.in_part(part - 1), *here]
        return here

    @property
    def asserted(self) -> list[int]:
        """The indices of the parts that assert something."""
        return [i for i, part in enumerate(self.parts) if part.stance == ASSERTED]


class _Reader:
    """Builds one reading, part by part."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.words: list[Word] = []
        self.parts: list[Part] = []
        self.mentions: list[Mention] = []

    def add_part(
        self,
        text: str,
        question: bool,
        first_in_sentence: bool,
        turn: bool = False,
        quoted: bool = False,
    ) -> None:
        lexicon = self.lexicon
        first = len(self.words)
        chunks = [c for c in (tokens(t, lexicon.speller) for t in _PUNCTUATION.split(text)) if c]
        if not chunks:
            return
        starts = clause_starts(chunks, first)
        self.words.extend(w for chunk in chunks for w in chunk)
        index = len(self.parts)
        spans = lexicon.spans(self.words, first, len(self.words))
        negated = negated_spans(self.words, starts, spans, lexicon.predicates) if spans else set()
        for span in spans:
            flipped = span in negated
            self.mentions.append(Mention(span.concept, span.start, span.end, flipped, index))
            opposite = lexicon.opposites.get(span.concept)
            if flipped and opposite is not None:
                self.mentions.append(Mention(opposite, span.start, span.end, False, index))
        if first_in_sentence and named_reporter(self.words, first, spans):
            self.mentions.append(Mention("distance", first, first + 2, False, index))
        # Straight after a quote or a reported view, "nah, disagree, ..." answers it.
        replying = index > 0 and self.parts[-1].stance == DISTANCED
        concepts = {
            m.concept
            for m in self.mentions
            if m.part == index
            and not (
                m.concept == "distance"
                and (self._topic(m) or (replying and m.start < first + _REPLY_OPENING))
            )
        }
        stance = QUESTION if question or "question_cue" in concepts else ASSERTED
        if quoted or ("distance" in concepts and "endorsed" not in concepts):
            stance = DISTANCED  # "my boss says X" reports; "my boss says X and she's right" not
        refers_back = self._points_back(first, first_in_sentence)
        joined = index > 0 and (
            (
                first_in_sentence
                and self.parts[-1].stance == QUESTION
                and stance == ASSERTED
                and self._answers(first)
            )
            or not first_in_sentence  # the other side of a "but" talks about the same thing
            or refers_back
            # A topic on its own ("B2B buyers. Pure logic, just price.") heads what follows,
            # and a fragment after a sentence finishes it ("... to normal people. Not firms.").
            or (first_in_sentence and self.parts[-1].end - self.parts[-1].start <= _TOPIC)
            or (first_in_sentence and len(self.words) - first <= _TOPIC)
        )
        contrast = not first_in_sentence
        self.parts.append(Part(first, len(self.words), stance, joined, contrast, turn, refers_back))
        if joined and self.parts[index - 1].stance == QUESTION:
            opening = self.words[first : first + len(chunks[0])]
            if says_no(opening):
                self._deny_question(index)
            elif says_yes(opening):
                self.parts[index - 1] = replace(self.parts[index - 1], stance=ASSERTED)

    def _points_back(self, first: int, sentence: bool) -> bool:
        """Whether the part opening at ``first`` starts from the one before: "That's enough",
        "Done, that covers everything"."""
        words = self.words[first:]
        while words and words[0].lemma in _SETTLED:
            words = words[1:]
        # "You can't measure that": in a sentence, a demonstrative early on points back too.
        return bool(words) and (
            words[0].lemma in _POINTING_BACK
            or (sentence and any(w.surface in _DEMONSTRATIVES for w in words[1:_EARLY]))
        )

    def _answers(self, first: int) -> bool:
        """Whether the sentence opening at ``first`` answers the question before it. A long
        sentence that sets out where the question comes from does not ("in my placement the
        same person does both", "i'm not sure how it works for a plumber"); "i think..." does."""
        words = self.words[first:]
        if len(words) <= _ANSWER:
            return True
        if words[0].lemma == "i":
            return words[1].lemma in _OWN_ANSWER
        return words[0].lemma not in _SETTING_OUT

    def _topic(self, mention: Mention) -> bool:
        """ "Guessing *what people think*" names a topic; it reports nobody's belief."""
        return mention.start > 0 and self.words[mention.start - 1].lemma in _WH

    def _deny_question(self, index: int) -> None:
        """ "What's the difference between A and B? There isn't one (, both just sell).": an
        answer that opens by saying no denies the question's relation, so it is read as
        negated within the answer."""
        for mention in [m for m in self.mentions if m.part == index - 1]:
            if mention.concept in self.lexicon.predicates:
                flipped = Mention(mention.concept, mention.start, mention.end, True, index)
                self.mentions.append(flipped)
                opposite = self.lexicon.opposites.get(mention.concept)
                if opposite is not None:
                    self.mentions.append(
                        Mention(opposite, mention.start, mention.end, False, index)
                    )
        asked = self.parts[index - 1].start
        if self.words[asked].lemma == "how":
            # "how do you segment companies? you can't": what was asked cannot be done.
            self.mentions.append(Mention(_CANNOT, asked, asked + 1, False, index))


def read(text: str, lexicon: Lexicon) -> Reading:
    """Read ``text`` with ``lexicon``: parts with their stance, mentions with their polarity."""
    reader = _Reader(lexicon)
    rewritten: list[tuple[int, int, str]] = []
    for said, quoted in pieces(fold(text)):
        # "False, you can only segment consumers": the verdict on a quiz statement; what
        # follows is the student's own.
        said = _VERDICT.sub("", said)
        sentence = plain(said) or said  # a rhetorical question says something
        first = len(reader.words)
        question = is_question(sentence, tokens(sentence))
        backing = _BACKING.match(sentence) if question else None
        if (
            backing
            and not _ASKS_ABOUT_IT.search(backing["asked"])
            and not is_question(backing["said"], tokens(backing["said"]))
        ):
            # "they must like u, why else would they come back?": the question backs a claim.
            reader.add_part(backing["said"], False, first_in_sentence=True)
            sentence = backing["asked"]
        elif question and not sentence.rstrip().endswith("?"):
            # "why narrow it down, just advertise to everyone": only the first clause asks.
            asked, _, rest = sentence.partition(",")
            if rest.strip():
                reader.add_part(asked, True, first_in_sentence=True)
                # "what does CLV mean, is it one purchase or all of them": both ask.
                sentence, question = rest, is_question(rest.strip(), tokens(rest))
        sides = _CONTRAST.split(_OTHERWISE.sub(" but otherwise", sentence))
        for number, side in enumerate(sides):
            turn = number == 1 and not sides[0].strip(" ,")
            reader.add_part(side, question, first_in_sentence=number == 0, turn=turn, quoted=quoted)
        if sentence != said:
            rewritten.append((first, len(reader.words), said.strip()))
    look_back(reader.parts, reader.mentions, reader.words)
    spans = [(part.start, part.end) for part in reader.parts]
    for index, at in restated_figures(reader.words, spans):
        reader.mentions.append(Mention(RESTATED, at, at + 1, False, index))
    return Reading(
        tuple(reader.words),
        tuple(reader.parts),
        tuple(reader.mentions),
        lexicon.predicates,
        tuple(rewritten),
    )
