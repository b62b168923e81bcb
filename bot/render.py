"""Turn plain dialog replies into Bot API calls: messages, edits, photos, documents, polls."""

from __future__ import annotations

import re

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
from telegram.error import BadRequest

from dialogs.replies import Document, Keyboard, Message, Photo, Reply

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_TAG = re.compile(r"<[^>]+>")


def keyboard(buttons: Keyboard) -> InlineKeyboardMarkup | None:
    """Inline keyboard markup for rows of buttons, or None when there are none."""
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in buttons]
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
            sent = await bot.send_message(
                chat_id,
                piece,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(reply.buttons) if number == len(pieces) else None,
                link_preview_options=NO_PREVIEW,
                message_thread_id=thread_id,
            )
        assert sent is not None
        return sent
    if isinstance(reply, Photo):
        return await bot.send_photo(
            chat_id,
            InputFile(reply.png, filename="chart.png"),
            caption=reply.caption_html or None,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(reply.buttons),
            message_thread_id=thread_id,
        )
    if isinstance(reply, Document):
        return await bot.send_document(
            chat_id,
            InputFile(reply.content, filename=reply.filename),
            caption=reply.caption_html or None,
            parse_mode=ParseMode.HTML,
            message_thread_id=thread_id,
        )
    return await bot.send_poll(
        chat_id,
        reply.question,
        list(reply.options),
        type=PollType.QUIZ,
        is_anonymous=False,
        explanation=reply.explanation or None,
        explanation_parse_mode=ParseMode.HTML,
        open_period=reply.open_period,
        message_thread_id=thread_id,
        # Bot API 10 takes a list of correct options; PTB 22.8 only knows the older single id.
        api_kwargs={"correct_option_ids": [reply.correct_option_id]},
    )


async def edit(bot: Bot, chat_id: int, message_id: int, message: Message) -> None:
    """Replace a message's text and buttons; an unchanged message is not an error."""
    try:
        await bot.edit_message_text(
            split_html(message.html)[0],
            chat_id=chat_id,
            message_id=message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(message.buttons),
            link_preview_options=NO_PREVIEW,
        )
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            raise
