"""The ``tutor`` command line: run the bot, chat in the terminal, migrate, check content."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.settings import ConfigError, Settings, load_settings

if TYPE_CHECKING:
    from knowledge.base import KnowledgeBase


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen subcommand; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        return int(args.action(args, settings))
    except ConfigError as error:
        print(f"tutor: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tutor",
        description="Revision Tutor: a Telegram tutor for customer segmentation and profiling.",
    )
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    run = sub.add_parser(
        "run",
        help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)",
        description="Run the bot with long polling, or a webhook server when WEBHOOK_URL is set.",
    )
    run.set_defaults(action=_run)

    chat = sub.add_parser(
        "chat",
        help="talk to the tutor in this terminal (no token needed)",
        description="A terminal conversation with the tutor. Buttons show as numbers: type one "
        "to press it. Reads standard input, so `printf '/start\\n' | tutor chat` works.",
    )
    chat.add_argument("--user", type=int, default=1, metavar="ID", help="student id (default 1)")
    chat.add_argument("--name", default="Student", help="first name to greet (default Student)")
    chat.set_defaults(action=_chat)

    db = sub.add_parser("db", help="database tasks", description="Database tasks.")
    db_sub = db.add_subparsers(required=True, metavar="TASK")
    upgrade = db_sub.add_parser("upgrade", help="apply pending migrations to DATABASE_URL")
    upgrade.set_defaults(action=_db_upgrade)

    kb = sub.add_parser("kb", help="knowledge-base tasks", description="Knowledge-base tasks.")
    kb_sub = kb.add_subparsers(required=True, metavar="TASK")
    check = kb_sub.add_parser(
        "check",
        help="validate the knowledge base and show counts and coverage",
        description="Validate the built-in knowledge base, or DIR merged over it. "
        "Exits 0 only when everything is valid and every syllabus point is covered.",
    )
    check.add_argument("dir", nargs="?", type=Path, help="a folder of extra YAML (optional)")
    check.set_defaults(action=_kb_check)

    mark = sub.add_parser(
        "mark",
        help="show how the tutor reads student text (JSON lines in, JSON lines out)",
        description="Read one JSON request per line from FILE (or - for standard input) and "
        "write one JSON answer per line: misconceptions found, a typed answer's verdict, or a "
        "scenario step's marks. See README (Authoring) for the format.",
    )
    mark.add_argument("file", help="a .jsonl file, or - for standard input")
    mark.set_defaults(action=_mark)
    return parser


def _logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines carry the token


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from telegram import Update

    import knowledge
    from bot.app import build_application, webhook_options
    from bot.jobs.sender import SecondPoller, refuse_second_poller

    settings.bot_token()
    _logging(settings)
    try:
        application = build_application(settings)
    except knowledge.KnowledgeError as error:
        print(f"tutor: the knowledge base is invalid:\n{error}", file=sys.stderr)
        return 1
    if settings.webhook_url:
        from bot.webhook import serve_webhook

        asyncio.run(serve_webhook(application, **webhook_options(settings)))
        return 0
    refuse_second_poller(application)
    try:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    except SecondPoller as error:
        print(f"tutor: not starting: {error}", file=sys.stderr)
        return 2
    return 0


def _knowledge(settings: Settings) -> KnowledgeBase | None:
    """The checked knowledge base, or None after saying on stderr why it cannot be used."""
    import knowledge
    from dialogs.language.check import load_readable

    try:
        return load_readable(settings.knowledge_dir)
    except knowledge.KnowledgeError as error:
        print(f"tutor: the knowledge base is invalid:\n{error}", file=sys.stderr)
        return None


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.terminal import run_chat
    from dialogs.context import Person, Services, TutorConfig
    from dialogs.tutor import Tutor
    from storage import Database

    kb = _knowledge(settings)
    if kb is None:
        return 1

    async def converse() -> None:
        database = await Database.open(settings.database_url)
        config = TutorConfig(
            settings.default_timezone,
            settings.tutor_ids,
            answer_retention_days=settings.answer_retention_days,
        )
        try:
            await run_chat(Tutor(Services(database, kb, config)), Person(args.user, args.name))
        finally:
            await database.close()

    asyncio.run(converse())
    return 0


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from storage import Database

    async def upgrade() -> None:
        database = await Database.open(settings.database_url)
        await database.close()

    asyncio.run(upgrade())
    print("The database is up to date.")
    return 0


def _kb_check(args: argparse.Namespace, settings: Settings) -> int:
    from dialogs.language.check import problems
    from knowledge.report import check

    code, report = check(None, extra=args.dir, reading=problems)
    print(report)
    return code


def _mark(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from dialogs.marking import mark_line

    kb = _knowledge(settings)
    if kb is None:
        return 1
    try:
        if args.file == "-":
            sys.stdin.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
            source = sys.stdin
        else:
            source = open(args.file, encoding="utf-8", errors="replace")  # noqa: SIM115
    except OSError as error:
        print(f"tutor: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 1
    with source:
        for line in source:
            if line.strip():
                print(json.dumps(mark_line(kb, line), ensure_ascii=False), flush=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
