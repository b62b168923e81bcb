"""Storage: SQLModel tables and query functions (run through ``Database.run``).

The only code that touches the database.
"""

from storage.db import Database

__all__ = ["Database"]
