"""Developer tool: regenerate the initial migration from the models (before the first release).

Run with ``make migration``. It autogenerates against an empty SQLite database, so the
migration always describes exactly what ``storage/models.py`` declares.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from storage.db import MIGRATIONS, alembic_config


def regenerate() -> Path:
    """Rewrite versions/0001_initial.py from the current models and return its path."""
    target = MIGRATIONS / "versions" / "0001_initial.py"
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{folder}/empty.db")
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.revision(config, message="initial schema", autogenerate=True, rev_id="0001")
    created = next((MIGRATIONS / "versions").glob("0001_*.py"))
    created.rename(target)
    return target


if __name__ == "__main__":
    print(regenerate())
