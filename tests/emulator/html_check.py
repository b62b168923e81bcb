"""A strict parser for Telegram's HTML parse mode.

It accepts exactly the tags Telegram documents (b, strong, i, em, u, ins, s, strike, del,
span class="tg-spoiler", tg-spoiler, a, code, pre, blockquote [expandable], tg-emoji,
tg-time), requires balanced nesting and HTML-escaped text, and yields the plain text with
Bot API ``MessageEntity`` dicts (UTF-16 offsets), as Telegram returns them.

It is stricter than Telegram in one deliberate way: a bare ``&`` (or an unsupported named
entity such as ``&nbsp;``) is reported, because it means text was not escaped before being
interpolated into HTML. A bare ``>`` is tolerated, as Telegram does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_ENTITY_TYPES: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]*);")
_TAG_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_ATTR_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_UNQUOTED_VALUE_RE = re.compile(r"[^\s>]+")
_DIGITS_RE = re.compile(r"\d+")


class HtmlError(ValueError):
    """A Telegram HTML parse error; the message mirrors Telegram's 'can't parse entities'."""


@dataclass(frozen=True)
class HtmlParseResult:
    """Outcome of parsing: visible text, entities, and the first error (None when valid)."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None


@dataclass
class _Open:
    name: str
    attrs: dict[str, str]
    offset: int
    language: str | None = None


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Bot API entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def html_errors(source: str) -> list[str]:
    """Return the parse errors of ``source`` (empty when it is valid Telegram HTML)."""
    error = parse_html(source).error
    return [error] if error else []


def parse_html(source: str) -> HtmlParseResult:
    """Parse Telegram HTML into plain text and entities, stopping at the first error."""
    parser = _Parser(source)
    try:
        parser.run()
    except HtmlError as exc:
        return HtmlParseResult(text="".join(parser.out), error=str(exc))
    entities = sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))
    return HtmlParseResult(text="".join(parser.out), entities=entities)


class _Parser:
    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.out: list[str] = []
        self.out_len = 0  # UTF-16 units emitted so far
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def byte_offset(self, pos: int) -> int:
        return len(self.src[:pos].encode("utf-8"))

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.out_len += utf16_len(text)

    def run(self) -> None:
        src = self.src
        while self.pos < len(src):
            char = src[self.pos]
            if char == "&":
                self.emit(self.read_entity())
            elif char == "<":
                if src.startswith("</", self.pos):
                    self.read_end_tag()
                else:
                    self.read_start_tag()
            else:
                nxt = min(
                    (i for i in (src.find("<", self.pos), src.find("&", self.pos)) if i != -1),
                    default=len(src),
                )
                self.emit(src[self.pos : nxt])
                self.pos = nxt
        if self.stack:
            raise HtmlError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )

    def read_entity(self) -> str:
        start = self.pos
        match = _ENTITY_RE.match(self.src, start)
        at = self.byte_offset(start)
        if not match:
            raise HtmlError(f'Unescaped "&" at byte offset {at}; escape it as "&amp;"')
        body = match.group(1)
        if body.startswith("#"):
            code = int(body[2:], 16) if body[1:2] in ("x", "X") else int(body[1:])
            if not (0 < code <= 0x10FFFF) or 0xD800 <= code <= 0xDFFF:
                raise HtmlError(f"Invalid numeric HTML entity at byte offset {at}")
            decoded = chr(code)
        elif body in _NAMED_ENTITIES:
            decoded = _NAMED_ENTITIES[body]
        else:
            raise HtmlError(
                f'Unsupported HTML entity "&{body};" at byte offset {at}; only &lt; &gt; '
                "&amp; &quot; and numeric entities are supported"
            )
        self.pos = match.end()
        return decoded

    def read_start_tag(self) -> None:
        start = self.pos
        at = self.byte_offset(start)
        name_match = _TAG_NAME_RE.match(self.src, start + 1)
        if not name_match:
            raise HtmlError(f'Unexpected "<" at byte offset {at}; escape it as "&lt;"')
        name = name_match.group().lower()
        if name not in _ENTITY_TYPES:
            raise HtmlError(f'Unsupported start tag "{name}" at byte offset {at}')
        self.pos = name_match.end()
        attrs = self.read_attributes(name, at)
        self.check_attributes(name, attrs, at)
        self.stack.append(_Open(name, attrs, self.out_len))

    def read_attributes(self, tag: str, at: int) -> dict[str, str]:
        src = self.src
        attrs: dict[str, str] = {}
        while True:
            while self.pos < len(src) and src[self.pos].isspace():
                self.pos += 1
            if self.pos >= len(src):
                raise HtmlError(f"Unclosed start tag at byte offset {at}")
            if src[self.pos] == ">":
                self.pos += 1
                return attrs
            if src.startswith("/>", self.pos):
                raise HtmlError(f'Self-closing tag "{tag}" at byte offset {at} is unsupported')
            name_match = _ATTR_NAME_RE.match(src, self.pos)
            if not name_match:
                raise HtmlError(f'Invalid attribute in tag "{tag}" at byte offset {at}')
            attr = name_match.group().lower()
            self.pos = name_match.end()
            while self.pos < len(src) and src[self.pos].isspace():
                self.pos += 1
            value = ""
            if src.startswith("=", self.pos):
                self.pos += 1
                while self.pos < len(src) and src[self.pos].isspace():
                    self.pos += 1
                value = self.read_attribute_value(at)
            attrs[attr] = value

    def read_attribute_value(self, at: int) -> str:
        src = self.src
        if self.pos < len(src) and src[self.pos] in "\"'":
            quote = src[self.pos]
            end = src.find(quote, self.pos + 1)
            if end == -1:
                raise HtmlError(f"Unclosed start tag at byte offset {at}")
            raw = src[self.pos + 1 : end]
            self.pos = end + 1
        else:
            match = _UNQUOTED_VALUE_RE.match(src, self.pos)
            if not match:
                raise HtmlError(f"Unclosed start tag at byte offset {at}")
            raw = match.group()
            self.pos = match.end()
        return _decode_attribute(raw, at)

    @staticmethod
    def check_attributes(tag: str, attrs: dict[str, str], at: int) -> None:
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise HtmlError(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
        if tag == "tg-emoji" and not _DIGITS_RE.fullmatch(attrs.get("emoji-id", "")):
            raise HtmlError(f'Tag "tg-emoji" must have a numeric "emoji-id" at byte offset {at}')
        if tag == "tg-time" and not _DIGITS_RE.fullmatch(attrs.get("unix", "")):
            raise HtmlError(f'Tag "tg-time" must have a numeric "unix" at byte offset {at}')

    def read_end_tag(self) -> None:
        start = self.pos
        at = self.byte_offset(start)
        name_match = _TAG_NAME_RE.match(self.src, start + 2)
        close = self.src.find(">", start)
        if not name_match or close == -1 or self.src[name_match.end() : close].strip():
            raise HtmlError(f"Unclosed end tag at byte offset {at}")
        name = name_match.group().lower()
        if not self.stack:
            raise HtmlError(f'Unexpected end tag "</{name}>" at byte offset {at}')
        top = self.stack[-1]
        if name != top.name:
            raise HtmlError(
                f'Unmatched end tag at byte offset {at}, expected "</{top.name}>", '
                f'found "</{name}>"'
            )
        self.pos = close + 1
        self.stack.pop()
        self.close_entity(top)

    def close_entity(self, tag: _Open) -> None:
        length = self.out_len - tag.offset
        parent = self.stack[-1] if self.stack else None
        language = tag.attrs.get("class", "")
        if tag.name == "code" and parent is not None and parent.name == "pre":
            if language.startswith("language-"):
                parent.language = language.removeprefix("language-")
            return
        if length == 0:
            return  # Telegram silently drops empty entities
        entity: dict[str, Any] = {
            "type": _ENTITY_TYPES[tag.name],
            "offset": tag.offset,
            "length": length,
        }
        if tag.name == "a":
            href = tag.attrs.get("href", "")
            if not href:
                return
            entity["url"] = href
        elif tag.name == "pre" and tag.language:
            entity["language"] = tag.language
        elif tag.name == "blockquote" and "expandable" in tag.attrs:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = tag.attrs["emoji-id"]
        elif tag.name == "tg-time":
            entity["unix_time"] = int(tag.attrs["unix"])
            if tag.attrs.get("format"):
                entity["date_time_format"] = tag.attrs["format"]
        self.entities.append(entity)


def _decode_attribute(raw: str, at: int) -> str:
    parts: list[str] = []
    pos = 0
    while (amp := raw.find("&", pos)) != -1:
        parts.append(raw[pos:amp])
        match = _ENTITY_RE.match(raw, amp)
        if match is None:
            raise HtmlError(f'Unescaped "&" in an attribute value of the tag at byte offset {at}')
        body = match.group(1)
        if body in _NAMED_ENTITIES:
            parts.append(_NAMED_ENTITIES[body])
        elif body.startswith("#"):
            code = int(body[2:], 16) if body[1:2] in ("x", "X") else int(body[1:])
            parts.append(chr(code) if 0 < code <= 0x10FFFF else "")
        else:
            raise HtmlError(f'Unsupported HTML entity "&{body};" in a tag at byte offset {at}')
        pos = match.end()
    parts.append(raw[pos:])
    return "".join(parts)
