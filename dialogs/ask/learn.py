"""``/learn [topic]``: read a topic's cards one at a time before being tested, and the glossary.

One message is edited as the student pages (Next / Previous), so the chat is not flooded.
With no topic, the topics come as buttons. ``/glossary`` (or ``/learn a-z``) lists every term
alphabetically, a page at a time. Callback data: ``l:t:<topic>:<n>`` card n of a topic,
``l:p`` the topic picker, ``l:g:<page>`` a glossary page, ``l:zp`` the picker for a quiz and
``l:z:<topic>`` a new quiz on that topic (replacing the one just started); ``a:q:<item>``
(the ask feature) quizzes the topic of a card.
"""

from __future__ import annotations

from dialogs.ask.cards import card_text
from dialogs.ask.index import Card, index_for
from dialogs.context import Context
from dialogs.quiz.feature import start_on_topic
from dialogs.quiz.topics import find_topic, topics
from dialogs.replies import Button, ButtonOutcome, Keyboard, Message, Reply, rows
from dialogs.text import bold, esc
from knowledge.base import KnowledgeBase
from knowledge.models import BASES

PREFIX = "l"
GLOSSARY_PAGE = 12
_GLOSSARY_WORDS = frozenset({"a-z", "az", "a z", "glossary", "terms", "all terms"})
_EXPIRED = ButtonOutcome(toast="That button has expired. Send /learn for a fresh one.")


def topic_cards(kb: KnowledgeBase, topic: str) -> list[Card]:
    """The cards of a topic in learning order (a base's variables, a topic's concepts...)."""
    index = index_for(kb)
    if topic in BASES:
        ids = [topic, *(v.id for v in kb.variables.values() if topic in v.accepted_bases)]
    elif topic in ("lo1", "lo2", "lo3"):
        ids = [i.id for i in kb.serving(topic.upper())]  # type: ignore[arg-type]
    elif topic == "variables":
        ids = [*BASES, *kb.variables]
    else:
        ids = [c.item_id for c in index.cards.values() if c.topic == topic]
        if topic in {c.topic for c in kb.concepts.values()}:
            ids = [c.id for c in kb.concepts_on(topic)]
    return [index.cards[i] for i in dict.fromkeys(ids) if i in index.cards]


def picker(ctx: Context, intro: str = "", *, quiz: bool = False) -> Message:
    """Every topic with cards, as buttons: to read (``l:t``) or to be quizzed on (``l:z``)."""
    shown = [(key, t.label) for key, t in topics(ctx.kb).items() if topic_cards(ctx.kb, key)]
    if quiz:
        buttons = [Button(_label(label), f"{PREFIX}:z:{key}") for key, label in shown]
        text = intro + f"📝 {bold('Which topic shall I quiz you on?')}"
        return Message(text, rows(*buttons, width=2))
    buttons = [Button(_label(label), f"{PREFIX}:t:{key}:0") for key, label in shown]
    text = intro + f"📚 {bold('What would you like to read?')} Pick a topic:"
    return Message(text, rows(*buttons, Button("🔤 Glossary A-Z", f"{PREFIX}:g:0"), width=2))


def _label(text: str) -> str:
    return text if len(text) <= 32 else text[:31].rstrip() + "…"


def page(ctx: Context, topic: str, number: int) -> Message | None:
    """Card ``number`` of a topic with its paging buttons; None when there is no such card."""
    found = topic_cards(ctx.kb, topic)
    if not 0 <= number < len(found):
        return None
    card = found[number]
    label = topics(ctx.kb)[topic].label
    head = f"📚 {esc(label)} · card {number + 1} of {len(found)}"
    moves = []
    if number > 0:
        moves.append(Button("◀️ Previous", f"{PREFIX}:t:{topic}:{number - 1}"))
    if number + 1 < len(found):
        moves.append(Button("Next ▶️", f"{PREFIX}:t:{topic}:{number + 1}"))
    keyboard: Keyboard = (
        tuple(moves),
        (Button("📝 Quiz me on this", f"a:q:{card.item_id}"),),
        (Button("🗂 Topics", f"{PREFIX}:p"),),
    )
    return Message(f"{head}\n\n{card_text(index_for(ctx.kb), card)}", keyboard)


def glossary_terms(kb: KnowledgeBase) -> list[Card]:
    """Every named term (not the myths), alphabetically."""
    cards = [c for c in index_for(kb).cards.values() if c.kind != "common misconception"]
    return sorted(cards, key=lambda c: c.name.casefold())


def glossary(ctx: Context, number: int) -> Message | None:
    """One page of the glossary; None past its end."""
    terms = glossary_terms(ctx.kb)
    pages = max(1, -(-len(terms) // GLOSSARY_PAGE))
    if not 0 <= number < pages:
        return None
    shown = terms[number * GLOSSARY_PAGE : (number + 1) * GLOSSARY_PAGE]
    span = f"{shown[0].name[:1].upper()}–{shown[-1].name[:1].upper()}"
    lines = [f"🔤 {bold('Glossary')} {esc(span)} · page {number + 1} of {pages}", ""]
    for card in shown:
        gist = card.definition if len(card.definition) <= 110 else card.definition[:108] + "…"
        lines.append(f"• {bold(card.name)}: {esc(gist)}")
    moves = []
    if number > 0:
        moves.append(Button("◀️ Previous", f"{PREFIX}:g:{number - 1}"))
    if number + 1 < pages:
        moves.append(Button("Next ▶️", f"{PREFIX}:g:{number + 1}"))
    return Message("\n".join(lines), (tuple(moves), (Button("🗂 Topics", f"{PREFIX}:p"),)))


async def learn_command(ctx: Context, args: str) -> list[Reply]:
    """``/learn [topic]``: a topic's first card, the glossary, or the topic picker."""
    wanted = args.strip().casefold()
    if not wanted:
        return [picker(ctx)]
    if wanted in _GLOSSARY_WORDS:
        return await glossary_command(ctx, "")
    found = find_topic(ctx.kb, args)
    first = page(ctx, found.key, 0) if found is not None else None
    if first is None:
        return [picker(ctx, f"I don't have cards on {bold(args[:60])}. ")]
    return [first]


async def glossary_command(ctx: Context, args: str) -> list[Reply]:
    """``/glossary``: the first page of terms A-Z."""
    first = glossary(ctx, 0)
    assert first is not None
    return [first]


async def on_button(ctx: Context, rest: str) -> ButtonOutcome:
    """Paging edits the one message; stale or forged data is refused."""
    parts = rest.split(":")
    shown: Message | None = None
    if parts == ["p"]:
        shown = picker(ctx)
    elif parts == ["zp"]:
        return ButtonOutcome(replies=[picker(ctx, quiz=True)])
    elif len(parts) == 2 and parts[0] == "z" and parts[1] in topics(ctx.kb):
        return ButtonOutcome(
            edit=Message(f"📝 Quiz on {esc(topics(ctx.kb)[parts[1]].label)}."),
            replies=await start_on_topic(ctx, parts[1]),
        )
    elif len(parts) == 2 and parts[0] == "g" and parts[1].isdigit() and len(parts[1]) < 4:
        shown = glossary(ctx, int(parts[1]))
    elif len(parts) == 3 and parts[0] == "t" and parts[2].isdigit() and len(parts[2]) < 4:
        shown = page(ctx, parts[1], int(parts[2])) if parts[1] in topics(ctx.kb) else None
    return _EXPIRED if shown is None else ButtonOutcome(edit=shown)
