"""A crashed predecessor on this host gives its lease up at once; a live instance never."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from bot.jobs.sender import died_here, instance_name


def test_this_process_and_live_processes_are_not_dead() -> None:
    assert not died_here(instance_name())
    parent = os.getppid()
    born = instance_name().split(":")[2]
    assert not died_here(f"{socket.gethostname()}:{parent}:{born}:abc")


def test_a_gone_pid_or_an_earlier_start_of_our_pid_is_dead() -> None:
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    gone = int(finished.stdout)
    assert died_here(f"{socket.gethostname()}:{gone}:1:abc")
    assert died_here(f"{socket.gethostname()}:{os.getpid()}:1:abc")  # a restarted container


def test_other_hosts_and_odd_names_are_left_alone() -> None:
    assert not died_here("another-host:1:1:abc")
    assert not died_here(None) and not died_here("") and not died_here("x:y:z")
