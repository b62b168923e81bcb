"""A new item's card shown with its first question, so nothing is tested before it is taught.

Students who would rather be tested cold turn it off in /settings (``User.introduce_new``).
"""

from __future__ import annotations

from dialogs.ask.index import index_for
from dialogs.replies import Message
from dialogs.text import bold, esc, italic
from knowledge.base import KnowledgeBase


def with_intro(kb: KnowledgeBase, item_id: str, question: Message) -> Message:
    """``question`` with the item's card above it ("🆕 New: ..."); unchanged if it has none."""
    card = index_for(kb).cards.get(item_id)
    if card is None:
        return question
    lines = [f"🆕 {bold('New: ' + card.name)} · {italic(card.kind)}", esc(card.definition)]
    if card.example:
        lines.append(f"💬 {esc(card.example)}")
    intro = "\n".join(lines)
    return Message(f"{intro}\n\n{question.html}", question.buttons)
