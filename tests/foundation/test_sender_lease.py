"""A crashed predecessor on this host gives its lease up at once (and the new holder is told
whose it was); a live instance never."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from bot.jobs.sender import SenderLease, died_here, instance_name
from storage import Database


def test_this_process_and_live_processes_are_not_dead() -> None:
    assert not died_here(instance_name())
    parent = os.getppid()
    born = instance_name().split(":")[2]
    assert not died_here(f"{socket.gethostname()}:{parent}:{born}:abc")


def test_a_gone_pid_or_an_earlier_start_of_our_pid_is_dead() -> None:
    gone = _gone_pid()
    assert died_here(f"{socket.gethostname()}:{gone}:1:abc")
    assert died_here(f"{socket.gethostname()}:{os.getpid()}:1:abc")  # a restarted container


def test_other_hosts_and_odd_names_are_left_alone() -> None:
    assert not died_here("another-host:1:1:abc")
    assert not died_here(None) and not died_here("") and not died_here("x:y:z")


async def test_taking_over_from_a_dead_holder_names_it_to_the_callbacks(database: Database) -> None:
    dead = f"{socket.gethostname()}:{_gone_pid()}:1:abc"
    assert await SenderLease(database, holder=dead).renew()  # it held the lease, then died
    survivor = SenderLease(database)
    told: list[str | None] = []

    async def taken(previous: str | None) -> None:
        told.append(previous)

    survivor.on_taken(taken)
    assert await survivor.renew()  # at once: no need to wait for the lease to run out
    assert await survivor.renew()  # still ours: not taken again
    assert told == [dead]


async def test_the_first_holder_is_told_there_was_no_one_before(database: Database) -> None:
    first = SenderLease(database)
    told: list[str | None] = []

    async def taken(previous: str | None) -> None:
        told.append(previous)

    first.on_taken(taken)
    assert await first.renew()
    assert told == [None]


def _gone_pid() -> int:
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(finished.stdout)
