"""Building large long-lived structures without the cyclic garbage collector interrupting."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building.

    Loading the knowledge base and compiling its lexicon allocate hundreds of thousands of
    objects, nearly all acyclic (freed by reference counting) or kept for the process's life;
    the collector would otherwise run many full passes over them for nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
