"""Ask the tutor: a question typed at any time is answered from the knowledge base.

The router offers text here first; a question the tutor has a card for is answered. Other
text goes on to the features as before, and a question none of them wanted gets an honest
"not sure" with the closest topics (:func:`not_sure`, the router's last resort).

In the middle of a quiz or a scenario only a question asked in so many words (one short
sentence), about a card the tutor knows, is answered, and the waiting question is shown
again, ungraded; anything else, "is it demographic?" included, is taken as the answer it
probably is. A question about the very item a waiting quiz question tests is not answered.

Every question is kept once per class of the asker, without who asked, for the tutor's
``/report``. Buttons: ``a:i:<item>`` shows a card, ``a:q:<item>`` starts a quiz on its topic.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from sqlmodel import Session

from dialogs.ask import cards, learn
from dialogs.ask.index import index_for
from dialogs.ask.understand import Understood, asks_explicitly, is_question, understand
from dialogs.context import Context
from dialogs.feature import Feature, Waiting
from dialogs.quiz.feature import quiz_on_topic
from dialogs.quiz.flow import is_stale
from dialogs.quiz.topics import topics
from dialogs.quiz.view import pending_message
from dialogs.replies import ButtonOutcome, Message, Reply, rows
from storage.asking import record_question
from storage.groups import groups_of_member
from storage.quizzes import waiting_question

WaitingCheck = Callable[[Context], Awaitable[Waiting | None]]
_ITEM = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_QUESTION_WORDS = 20
_SENTENCE_END = re.compile(r"[.!?]\s+\S")
_EXPIRED = ButtonOutcome(toast="That button has expired. Ask me again, or send /help.")


async def on_text(ctx: Context, text: str, waiting: WaitingCheck) -> list[Reply] | None:
    """The answer to a question about the unit (and what is still waiting), or None."""
    if not ctx.private or not is_question(ctx.kb, text):
        return None

    def pending(session: Session) -> Message | tuple[Message, str] | None:
        found = waiting_question(session, user_id=ctx.person.id)
        if found is None or is_stale(found[1], ctx.now):
            return None
        row, quiz = found
        return pending_message(row, size=quiz.size), row.item_id

    quiz = await ctx.db.run(pending)
    left_open = None if quiz is not None else await waiting(ctx)
    busy = quiz is not None or left_open is not None
    if busy and (not asks_explicitly(text) or _long(text)):
        return None
    understood = understand(ctx.kb, text)
    if not understood.confident:
        return None  # the features may want it; if none does, ``not_sure`` says so
    again: list[Reply] = []
    if isinstance(quiz, tuple):
        question, tested = quiz
        if tested in understood.items:
            return [_no_peeking(), question]
        again = [question]
    elif left_open is not None:
        again = [Message(f"↩️ {left_open.note}", rows(left_open.resume))]
    await _record(ctx, text, understood)
    return [cards.answer(index_for(ctx.kb), understood), *again]


async def not_sure(ctx: Context, text: str) -> list[Reply] | None:
    """For a question nothing else took: an honest "not sure" with the closest topics."""
    if not ctx.private or not is_question(ctx.kb, text):
        return None
    understood = understand(ctx.kb, text)
    await _record(ctx, text, understood)
    index = index_for(ctx.kb)
    if understood.confident:  # a feature passed on a question the tutor can answer
        return [cards.answer(index, understood)]
    return [cards.not_sure(index, understood)]


def _long(text: str) -> bool:
    """An answer, most likely: a question asked mid-quiz is one short sentence."""
    return len(text.split()) > MAX_QUESTION_WORDS or bool(_SENTENCE_END.search(text.rstrip()))


def _no_peeking() -> Message:
    return Message(
        "🙈 That's what the question below is testing, so I won't give it away. Have a go, "
        "or tap 🤷 I don't know to see the answer and the explanation."
    )


async def _record(ctx: Context, text: str, understood: Understood) -> None:
    def keep(session: Session) -> None:
        groups = [g.id for g in groups_of_member(session, user_id=ctx.person.id) if g.id]
        item = understood.items[0] if understood.items else None
        record_question(session, group_ids=groups, text=text, item_id=item, now=ctx.now)

    await ctx.db.run(keep)


async def on_button(ctx: Context, rest: str) -> ButtonOutcome:
    """``i:<item>`` a card, ``q:<item>`` a quiz on its topic; anything else has expired."""
    action, _, item_id = rest.partition(":")
    index = index_for(ctx.kb)
    card = index.cards.get(item_id) if _ITEM.match(item_id) else None
    if card is None or action not in ("i", "q"):
        return _EXPIRED
    if action == "i":
        return ButtonOutcome(replies=[cards.answer(index, Understood("define", (item_id,)))])
    topic = card.topic if card.topic in topics(ctx.kb) else None
    return ButtonOutcome(replies=await quiz_on_topic(ctx, topic))


FEATURE = Feature(
    name="ask",
    commands={"learn": learn.learn_command, "glossary": learn.glossary_command},
    buttons={"a": on_button, learn.PREFIX: learn.on_button},
)
