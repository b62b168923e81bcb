"""``tutor chat``: the same tutor in a terminal. Buttons become numbered choices."""

from __future__ import annotations

import asyncio
import html
import re
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from dialogs.context import Person
from dialogs.replies import Button, ButtonOutcome, Document, Message, Photo, Poll, Reply
from dialogs.tutor import Turn, Tutor

_TAG = re.compile(r"<[^>]+>")


def plain(markup: str) -> str:
    """Telegram HTML as terminal text."""
    return html.unescape(_TAG.sub("", markup))


class TerminalChat:
    """Reads lines, sends them to the tutor, prints the replies with numbered buttons."""

    def __init__(self, tutor: Tutor, person: Person, out: TextIO = sys.stdout) -> None:
        self.tutor = tutor
        self.person = person
        self.out = out
        self.choices: list[Button] = []
        self.files = Path(tempfile.mkdtemp(prefix="tutor-chat-"))

    async def handle(self, line: str) -> None:
        """One line typed by the student."""
        line = line.strip()
        turn = Turn(self.person, self.person.id, datetime.now(UTC))
        if line.isdigit() and 1 <= int(line) <= len(self.choices):
            button = self.choices[int(line) - 1]
            if button.url:
                self._print(f"(opens {button.url} in Telegram)")
            else:
                self.show_outcome(await self.tutor.on_button(turn, button.data))
        elif line.startswith("/"):
            name, _, args = line[1:].partition(" ")
            self.show(await self.tutor.on_command(turn, name.partition("@")[0], args))
        else:
            self.show(await self.tutor.on_text(turn, line))

    def show_outcome(self, outcome: ButtonOutcome) -> None:
        """A button's effect: its toast, the edited message, then any new replies."""
        if outcome.toast:
            self._print(f"({outcome.toast})")
        self.show([outcome.edit, *outcome.replies] if outcome.edit else outcome.replies)

    def show(self, replies: list[Reply]) -> None:
        """Print replies; the buttons of the last one with buttons become the choices."""
        for reply in replies:
            buttons: tuple[tuple[Button, ...], ...] = ()
            if isinstance(reply, Message):
                self._print(plain(reply.html))
                buttons = reply.buttons
            elif isinstance(reply, Photo):
                path = self._save(reply.png, "chart.png")
                self._print(f"[picture saved to {path}]\n{plain(reply.caption_html)}")
                buttons = reply.buttons
            elif isinstance(reply, Document):
                path = self._save(reply.content, reply.filename)
                self._print(f"[file saved to {path}]\n{plain(reply.caption_html)}")
            elif isinstance(reply, Poll):
                options = "\n".join(f"  - {o}" for o in reply.options)
                self._print(f"[poll] {reply.question}\n{options}")
            if buttons:
                self.choices = [b for row in buttons for b in row]
                listing = "\n".join(f"  [{n}] {b.label}" for n, b in enumerate(self.choices, 1))
                self._print(listing)
        self.out.flush()

    def _print(self, text: str) -> None:
        self.out.write(text.rstrip() + "\n\n")

    def _save(self, content: bytes, name: str) -> Path:
        path = self.files / name
        path.write_bytes(content)
        return path


async def run_chat(tutor: Tutor, person: Person, lines: TextIO = sys.stdin) -> None:
    """Converse until end of input (Ctrl-D); a prompt is shown only on a real terminal."""
    chat = TerminalChat(tutor, person)
    interactive = lines.isatty()
    if interactive:
        print("Revision Tutor in your terminal. Type /start to begin, Ctrl-D to leave.\n")
    while True:
        if interactive:
            print("> ", end="", flush=True)
        line = await asyncio.to_thread(lines.readline)
        if not line:
            break
        if line.strip():
            await chat.handle(line)
    if interactive:
        print("\nBye! Good luck with your revision.")
