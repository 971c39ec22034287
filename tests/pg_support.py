"""A throwaway PostgreSQL server for the tests: initdb in a temporary folder, loopback only.

The server refuses to run as root, so as root the binaries run as a system user
(`planner-pg`, created on first use; `nobody` when it cannot be created) through `runuser`;
as anyone else they run directly. It listens on a free port of 127.0.0.1 with its socket in
its own folder, trusts local connections, and is stopped and removed by `stop()`. Each test
gets its own database, copied from a template that already holds the schema (CREATE
DATABASE … TEMPLATE), and dropped afterwards.

No binaries (or no psycopg): `Unavailable`, and the PostgreSQL tests skip saying so.
Binaries that fail to start: `StartError`, and the tests error. PLANNER_PG_BIN=DIR picks
the binaries (set it to an empty folder to skip the PostgreSQL tests on purpose).
"""

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

PG_USER = "planner-pg"
SUPERUSER = "postgres"
TEMPLATE = "planner_template"
BIN_GLOBS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/*/bin",
             "/usr/local/pgsql/bin")


class Unavailable(Exception):
    """No PostgreSQL server binaries or no driver here: the PostgreSQL tests skip."""


class StartError(RuntimeError):
    """The binaries are there but the server would not start: the tests error, loudly."""


def find_bin_dir() -> Path:
    """The folder holding initdb and pg_ctl: $PLANNER_PG_BIN when set (and only it), else
    the Debian layout (15 first), else the one of `initdb` on PATH."""
    chosen = os.environ.get("PLANNER_PG_BIN")
    candidates = [chosen] if chosen else [
        *(folder for pattern in BIN_GLOBS for folder in sorted(glob.glob(pattern), reverse=True)),
        str(Path(shutil.which("initdb") or "/nonexistent").parent),
    ]
    for folder in candidates:
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    where = f"in PLANNER_PG_BIN={chosen}" if chosen else "(/usr/lib/postgresql/*/bin, PATH)"
    raise Unavailable(f"PostgreSQL server binaries (initdb, pg_ctl) not found {where}: "
                      "install postgresql-15")


def _run_as_user() -> str | None:
    """The user to run the server as: None when not root, else planner-pg (or nobody)."""
    if os.geteuid() != 0:
        return None
    with contextlib.suppress(KeyError):
        pwd.getpwnam(PG_USER)
        return PG_USER
    made = subprocess.run(["useradd", "--system", "--no-create-home", "--shell",
                           "/usr/sbin/nologin", PG_USER], capture_output=True, check=False)
    if made.returncode == 0:
        return PG_USER
    return "nobody"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    """A running server: its folder, port and the user that owns it."""

    bin_dir: Path
    folder: Path
    port: int
    user: str | None
    databases: list[str] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of one database on this server."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER,
                             dbname="postgres", autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)  # type: ignore[arg-type]

    def create_database(self, template: str = TEMPLATE) -> str:
        """A fresh database copied from `template` (the schema, no rows); returns its URL."""
        name = f"t_{uuid.uuid4().hex[:16]}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        self.databases.append(name)
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by `create_database`, closing any connection left open."""
        name = url.rsplit("/", 1)[-1]
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.databases:
            self.databases.remove(name)

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        if self.data_dir.is_dir():
            _run(self.user, [str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir),
                             "-m", "immediate", "-w", "stop"], check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def _run(user: str | None, argv: list[str], *, check: bool = True,
         timeout: float = 60) -> subprocess.CompletedProcess[str]:
    program = Path(argv[0]).name
    if user is not None:
        argv = ["runuser", "-u", user, "--", *argv]
    result = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=timeout,
                            env={**os.environ, "LC_ALL": "C.UTF-8"}, cwd="/")
    if check and result.returncode != 0:
        raise StartError(f"{program} failed: {(result.stderr or result.stdout).strip()[-800:]}")
    return result


def start() -> PostgresServer:
    """initdb + pg_ctl start in a new temporary folder; a schema-only template database.

    Durability is switched off (fsync, synchronous_commit, full_page_writes): the data is
    thrown away at the end anyway, and this keeps thousands of tiny transactions fast.
    """
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise Unavailable(f"psycopg is not installed ({exc})") from None
    bin_dir = find_bin_dir()
    user = _run_as_user()
    # /tmp when the server runs as another user: $TMPDIR may be private to root.
    folder = Path(tempfile.mkdtemp(prefix="planner-pg-", dir="/tmp" if user else None))
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    folder.chmod(0o700)
    server = PostgresServer(bin_dir, folder, 0, user)
    try:
        _run(user, [str(bin_dir / "initdb"), "-D", str(server.data_dir), "-U", SUPERUSER,
                    "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"])
        for _attempt in range(3):
            server.port = free_port()
            options = (f"-c listen_addresses=127.0.0.1 -c port={server.port} "
                       f"-c unix_socket_directories={folder} -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off "
                       "-c max_connections=200")
            started = _run(user, [str(bin_dir / "pg_ctl"), "-D", str(server.data_dir), "-l",
                                  str(folder / "server.log"), "-o", options, "-w", "-t", "30",
                                  "start"], check=False)
            if started.returncode == 0:
                break
        else:
            log = (folder / "server.log").read_text(errors="replace")[-800:]
            raise StartError(f"pg_ctl start failed: {started.stderr.strip()} {log}")
        server._admin(f'CREATE DATABASE "{TEMPLATE}"')
        _create_schema(server.url(TEMPLATE))
    except BaseException:
        server.stop()
        raise
    return server


def _create_schema(url: str) -> None:
    from planner.store.db import create_schema, make_engine

    engine = make_engine(url)
    try:
        create_schema(engine)
    finally:
        engine.dispose()
