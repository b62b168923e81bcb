"""Developer tool: write the next migration from the models (``make migration MESSAGE=...``).

It upgrades an empty SQLite database to the newest migration, then autogenerates the
difference to what ``storage/models.py`` declares, as ``versions/<next number>_<message>.py``.
Read the file before committing it: autogenerate cannot see renames.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from storage.db import MIGRATIONS, alembic_config

VERSIONS = MIGRATIONS / "versions"


def next_number() -> str:
    """The revision id after the newest one: "0003" after "0002_follow_up.py"."""
    numbers = [int(p.name[:4]) for p in VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py")]
    return f"{max(numbers, default=0) + 1:04d}"


def new_revision(message: str) -> Path:
    """Write the next migration (models compared with the newest revision); its path."""
    number = next_number()
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{folder}/empty.db")
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            command.revision(config, message=message, autogenerate=True, rev_id=number)
    created = next(VERSIONS.glob(f"{number}_*.py"))
    slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:40] or "change"
    return created.rename(VERSIONS / f"{number}_{slug}.py")


if __name__ == "__main__":
    if len(sys.argv) != 2 or not sys.argv[1].strip():
        sys.exit('usage: python -m storage.migrate "what the change does"')
    print(new_revision(sys.argv[1]))
