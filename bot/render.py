"""Turn plain dialog replies into Bot API calls: messages, edits, photos, documents, polls."""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
)
from telegram import (
    Message as TgMessage,
)
from telegram.constants import MessageLimit, ParseMode, PollType
from telegram.error import BadRequest, NetworkError

from dialogs.replies import Document, Keyboard, Message, Photo, Reply

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
RETRY_PAUSES = (0.5, 1.5)
_TAG = re.compile(r"<[^>]+>")
T = TypeVar("T")
log = logging.getLogger(__name__)


async def retrying(call: Callable[[], Awaitable[T]]) -> T:
    """Run a Bot API call, retrying Telegram's transient failures (5xx, timeouts).

    Flood limits (429) are waited out by PTB's rate limiter; refusals such as BadRequest or
    Forbidden are final and raised at once.
    """
    for pause in RETRY_PAUSES:
        try:
            return await call()
        except BadRequest:
            raise
        except NetworkError as error:
            log.warning("Telegram hiccup (%s); retrying in %.1fs", error, pause)
            await asyncio.sleep(pause)
    return await call()


def keyboard(buttons: Keyboard) -> InlineKeyboardMarkup | None:
    """Inline keyboard markup for rows of buttons, or None when there are none."""
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b.label, url=b.url)
                if b.url
                else InlineKeyboardButton(b.label, callback_data=b.data)
                for b in row
            ]
            for row in buttons
        ]
    )


def split_html(html: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Split a long HTML text at paragraph breaks so no piece exceeds Telegram's limit.

    Dialogs keep messages short; this is the safety net. Tags never span paragraphs in our
    replies, so cutting between paragraphs keeps every piece well-formed.
    """
    if len(_TAG.sub("", html)) <= limit:
        return [html]
    pieces: list[str] = []
    current = ""
    for paragraph in html.split("\n\n"):
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if len(_TAG.sub("", candidate)) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        while len(_TAG.sub("", paragraph)) > limit:  # one huge paragraph: fall back to plain
            plain = _TAG.sub("", paragraph)
            pieces.append(plain[:limit])
            paragraph = plain[limit:]
        current = paragraph
    if current:
        pieces.append(current)
    return pieces


async def send(bot: Bot, chat_id: int, reply: Reply, *, thread_id: int | None = None) -> TgMessage:
    """Send one reply; returns the (last) message Telegram created."""
    if isinstance(reply, Message):
        pieces = split_html(reply.html)
        sent: TgMessage | None = None
        for number, piece in enumerate(pieces, start=1):
            markup = keyboard(reply.buttons) if number == len(pieces) else None
            sent = await retrying(
                lambda piece=piece, markup=markup: bot.send_message(  # type: ignore[misc]
                    chat_id,
                    piece,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                    link_preview_options=NO_PREVIEW,
                    message_thread_id=thread_id,
                )
            )
        assert sent is not None
        return sent
    if isinstance(reply, Photo):
        photo = reply
        return await retrying(
            lambda: bot.send_photo(
                chat_id,
                InputFile(photo.png, filename="chart.png"),
                caption=photo.caption_html or None,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(photo.buttons),
                message_thread_id=thread_id,
            )
        )
    if isinstance(reply, Document):
        document = reply
        return await retrying(
            lambda: bot.send_document(
                chat_id,
                InputFile(document.content, filename=document.filename),
                caption=document.caption_html or None,
                parse_mode=ParseMode.HTML,
                message_thread_id=thread_id,
            )
        )
    poll = reply
    return await retrying(
        lambda: bot.send_poll(
            chat_id,
            poll.question,
            list(poll.options),
            type=PollType.QUIZ,
            is_anonymous=False,
            explanation=poll.explanation or None,
            explanation_parse_mode=ParseMode.HTML,
            open_period=poll.open_period,
            message_thread_id=thread_id,
            # Bot API 10 takes a list of correct options; PTB 22.8 only knows the older single id.
            api_kwargs={"correct_option_ids": [poll.correct_option_id]},
        )
    )


def unchanged(current: TgMessage, message: Message) -> bool:
    """Whether editing ``current`` into ``message`` would change nothing a person sees (the
    same words and the same buttons): Telegram refuses such an edit, so it is skipped."""
    if current.text is None:
        return False
    words = html.unescape(_TAG.sub("", split_html(message.html)[0]))
    return words == current.text and keyboard(message.buttons) == current.reply_markup


async def edit(bot: Bot, chat_id: int, message_id: int, message: Message) -> None:
    """Replace a message's text and buttons; an unchanged message is not an error."""
    try:
        await retrying(
            lambda: bot.edit_message_text(
                split_html(message.html)[0],
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(message.buttons),
                link_preview_options=NO_PREVIEW,
            )
        )
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            raise
