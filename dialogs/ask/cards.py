"""How the tutor's answers look: a card (what, an example, why it matters, the exam angle),
two sides and their difference, a base and why, or an honest "not sure" with the closest
topics. Buttons: ``a:q:<item>`` quiz me on this, ``a:i:<item>`` show that card.
"""

from __future__ import annotations

from dialogs.ask.index import Card, Index
from dialogs.ask.understand import Understood
from dialogs.quiz.questions import BASE_ABOUT, BASE_LABELS
from dialogs.replies import Button, Keyboard, Message, rows
from dialogs.text import bold, esc, italic

_LABEL = 28


def _short(name: str) -> str:
    return name if len(name) <= _LABEL else name[: _LABEL - 1].rstrip() + "…"


def related(index: Index, card: Card, limit: int = 2) -> list[str]:
    """Cards worth reading next: named as related, then neighbours in the same topic."""
    kb = index.kb
    found: list[str] = []
    myth = kb.misconceptions.get(card.item_id)
    if myth is not None:
        found += myth.related
    found += [m.id for m in kb.misconceptions.values() if card.item_id in m.related]
    if card.kind == "segmentation base":
        found += [v.id for v in kb.variables_in(card.item_id)]  # type: ignore[arg-type]
    elif card.topic is not None:
        same = [c.item_id for c in index.cards.values() if c.topic == card.topic]
        if card.item_id in same:
            at = same.index(card.item_id)
            found += same[at + 1 :] + same[:at]
    return [i for i in dict.fromkeys(found) if i != card.item_id and i in index.cards][:limit]


def exam_angle(index: Index, card: Card) -> str:
    """What the examiner rewards about this card."""
    if card.exam_angle:
        return card.exam_angle
    for myth in index.kb.misconceptions.values():
        if card.item_id in myth.related:
            return myth.exam_angle
    if card.bases:
        return (
            f"Name it as {BASE_LABELS[card.bases[0]].lower()}, then link it to what customers "
            "do or buy: the marks are for the link, not the label."
        )
    return "Define it in one sentence, then apply it to the business in the question."


def buttons(index: Index, card: Card, *, extra: tuple[str, ...] = ()) -> Keyboard:
    """Quiz me on this, and the related cards."""
    quiz = Button("📝 Quiz me on this", f"a:q:{card.item_id}")
    if card.kind == "topic":  # a whole (the 7Ps...): read its parts one by one
        read = Button("📚 Read them one by one", f"l:t:{card.item_id}:0")
        return rows(quiz, read, width=1)
    links = [
        Button(f"📖 {_short(index.cards[i].name)}", f"a:i:{i}")
        for i in (*extra, *related(index, card))
        if i in index.cards
    ][:2]
    return rows(quiz, *links, width=1)


def card_text(index: Index, card: Card, *, example_first: bool = False) -> str:
    """The whole card: definition, example, why it matters (or the formula), the exam angle."""
    if card.kind == "topic":
        return f"📚 {bold(card.name)}\n\n{esc(card.definition)}"
    head = f"📖 {bold(card.name)} · {italic(card.kind)}"
    lines = [head, esc(card.definition)]
    example = f"💬 {bold('Example:')} {esc(card.example)}" if card.example else ""
    if example and example_first:
        lines.insert(1, example)
    elif example:
        lines.append(example)
    if card.formula:
        lines.append(f"🧮 {bold('How to work it out:')} {esc(card.formula)}")
    if card.matters:
        lines.append(f"🔗 {bold('Why it matters:')} {esc(card.matters)}")
    lines.append(f"🎯 {bold('Exam angle:')} {esc(exam_angle(index, card))}")
    return "\n\n".join(lines)


def _gist(card: Card) -> str:
    return card.definition.split(". ")[0].rstrip(".")


def compare_text(index: Index, first: Card, second: Card) -> str:
    """Both sides, briefly, and the difference between them."""
    lines = [f"⚖️ {bold(first.name)} vs {bold(second.name)}"]
    for card in (first, second):
        example = f"\n{italic('e.g.')} {esc(card.example)}" if card.example else ""
        lines.append(f"{bold(card.name)} ({esc(card.kind)}): {esc(card.definition)}{example}")
    if first.bases and second.bases and first.bases[0] != second.bases[0]:
        difference = (
            f"{esc(first.name)} is {esc(BASE_LABELS[first.bases[0]].lower())} "
            f"({esc(BASE_ABOUT[first.bases[0]])}); {esc(second.name)} is "
            f"{esc(BASE_LABELS[second.bases[0]].lower())} ({esc(BASE_ABOUT[second.bases[0]])})."
        )
    else:
        difference = (
            f"{esc(first.name)} is about {esc(_gist(first)[:1].lower() + _gist(first)[1:])}; "
            f"{esc(second.name)} is about {esc(_gist(second)[:1].lower() + _gist(second)[1:])}."
        )
    lines.append(f"🔍 {bold('The difference:')} {difference}")
    lines.append(f"🎯 {bold('Exam angle:')} {esc(exam_angle(index, first))}")
    return "\n\n".join(lines)


def classify_text(index: Index, card: Card, guessed: str | None) -> str:
    """Which base(s) a variable belongs to and why; a wrong guess is named gently."""
    bases = [BASE_LABELS[b].lower() for b in card.bases]
    named = " or ".join(bold(b) for b in bases)
    lines = [f"🏷️ {bold(card.name)} is {named}."]
    if guessed is not None and guessed not in card.bases:
        about = esc(BASE_ABOUT[guessed])
        lines.append(f"Not {esc(BASE_LABELS[guessed].lower())}: that base is about {about}.")
    lines.append(f"Why: {esc(BASE_LABELS[card.bases[0]])} means {esc(BASE_ABOUT[card.bases[0]])}.")
    lines.append(f"{esc(card.definition)}\n💬 {bold('Example:')} {esc(card.example)}")
    if card.matters:
        lines.append(f"🔗 {bold('Why it matters:')} {esc(card.matters)}")
    lines.append(f"🎯 {bold('Exam angle:')} {esc(exam_angle(index, card))}")
    return "\n\n".join(lines)


def base_examples_text(index: Index, card: Card) -> str:
    """A base with examples of its variables (name: example), for "give me an example of..."."""
    variables = index.kb.variables_in(card.item_id)  # type: ignore[arg-type]
    shown = [f"• {bold(v.name)}: {esc(v.example)}" for v in variables[:4]]
    return (
        f"📖 {bold(card.name)} · {italic(card.kind)}\n\n{esc(card.definition)}\n\n"
        f"💬 {bold('Examples:')}\n" + "\n".join(shown) + "\n\n"
        f"🎯 {bold('Exam angle:')} pick the variable that fits the business in the question "
        "and say how it changes what those customers buy."
    )


def answer(index: Index, understood: Understood) -> Message:
    """The reply to a question the tutor understood."""
    cards = [index.cards[i] for i in understood.items]
    first = cards[0]
    if understood.intent == "compare" and len(cards) == 2:
        return Message(
            compare_text(index, first, cards[1]), buttons(index, first, extra=(cards[1].item_id,))
        )
    if understood.intent == "classify" and first.bases:
        return Message(classify_text(index, first, understood.base_named), buttons(index, first))
    if understood.intent == "example" and first.kind == "segmentation base":
        return Message(base_examples_text(index, first), buttons(index, first))
    return Message(
        card_text(index, first, example_first=understood.intent == "example"), buttons(index, first)
    )


def not_sure(index: Index, understood: Understood) -> Message:
    """An honest "I'm not sure", with the closest cards as buttons (never a made-up answer)."""
    closest = [index.cards[i] for i in understood.suggestions if i in index.cards]
    text = "🤔 I'm not sure I can answer that from this unit's notes, and I'd rather not guess."
    if closest:
        text += " These are the closest topics I know:"
    else:
        text += (
            " I can explain segmentation bases and variables, the 7Ps, the sales process, "
            "KPIs, STP, personas and exam command words."
        )
    links = [Button(f"📖 {_short(c.name)}", f"a:i:{c.item_id}") for c in closest]
    return Message(text, rows(*links, Button("📚 Browse topics", "m:learn"), width=1))
