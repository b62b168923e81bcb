"""Storage: SQLModel tables and the async query functions; the only code that touches the DB."""

from storage.db import Database

__all__ = ["Database"]
