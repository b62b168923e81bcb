"""A throwaway PostgreSQL server for tests: ``initdb`` + ``pg_ctl`` in a temporary folder.

``python -m tests.postgres_server COMMAND...`` starts a server on a free port on 127.0.0.1,
runs COMMAND with ``TEST_DATABASE_URL`` pointing at it, then stops the server and deletes its
folder, whatever COMMAND did. ``make test-postgres`` runs the suite this way. Needs the server
binaries (Debian: ``apt-get install postgresql``; found under /usr/lib/postgresql/*/bin or on
PATH, or set ``PG_BIN``); nothing is installed or left behind. As root (containers, CI) the
server runs as the ``postgres`` system user, since PostgreSQL refuses to run as root.

Durability is switched off (fsync, synchronous commit): the data is thrown away anyway.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

SUPERUSER = "tutor"
FAST_AND_FORGETFUL = (
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
    "-c max_connections=300 -c shared_buffers=64MB"
)


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries are not installed here (or not runnable)."""


def server_binaries() -> Path:
    """The folder holding ``initdb`` and ``pg_ctl`` (``PG_BIN``, Debian's layout, or PATH)."""
    if configured := os.environ.get("PG_BIN"):
        return Path(configured)
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
    )
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    if found is None:
        raise PostgresUnavailable(
            "initdb not found: install PostgreSQL (Debian: apt-get install postgresql) "
            "or set PG_BIN to the folder holding initdb and pg_ctl"
        )
    return Path(found).parent


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """A running throwaway server: its URL, and how to stop and restart it (fault tests)."""

    def __init__(self, folder: Path, port: int, run_as: str | None) -> None:
        self.folder = folder
        self.port = port
        self._run_as = run_as
        self._bin = server_binaries()

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of ``database`` on this server (asyncpg driver)."""
        return f"postgresql+asyncpg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _call(self, tool: str, *args: str) -> None:
        command = [str(self._bin / tool), *args]
        if self._run_as is not None:
            command = ["runuser", "-u", self._run_as, "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=self.folder)

    def init(self) -> None:
        """Create the cluster (trust authentication, on 127.0.0.1 only)."""
        self._call(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
            "--no-sync",
        )  # fmt: skip

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 {FAST_AND_FORGETFUL}"
        )
        log = str(self.folder / "server.log")
        self._call("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``fast``: disconnect clients; ``immediate``: like a crash)."""
        self._call("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")


def _run_as() -> str | None:
    """The system user to run the server as: ``postgres`` when we are root, else ourselves."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable("running as root needs a 'postgres' system user") from None
    return "postgres"


@contextmanager
def throwaway_server() -> Iterator[Server]:
    """A fresh server for the duration of the block; stopped and deleted afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="tutor-pg-"))
    run_as = _run_as()
    if run_as is not None:
        shutil.chown(folder, user=run_as)
    server = Server(folder, free_port(), run_as)
    try:
        server.init()
        server.start()
        yield server
    finally:
        # It may never have started, or be down already: then there is nothing to stop.
        with contextlib.suppress(subprocess.CalledProcessError):
            server.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


def main(command: Sequence[str]) -> int:
    """Run ``command`` with ``TEST_DATABASE_URL`` set to a fresh server; its exit code."""
    if not command:
        print("usage: python -m tests.postgres_server COMMAND [ARGS...]", file=sys.stderr)
        return 2
    try:
        with throwaway_server() as server:
            environment = os.environ | {"TEST_DATABASE_URL": server.url()}
            print(f"PostgreSQL on port {server.port} (data in {server.folder})", flush=True)
            return subprocess.run(list(command), env=environment, check=False).returncode
    except PostgresUnavailable as error:
        print(f"postgres_server: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
