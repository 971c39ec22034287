"""What a database, encoding or OS error means to the user, in one line.

The front ends' error boundaries (`planner.cli.main`, the TUI's gateway) hand every exception
they did not expect to `explain_error`: a `PlannerError` comes back for bad input (exit 2: a
`--db` that is a folder or not a database, an unknown URL scheme, a number or text the
database cannot take), an `EnvironmentProblem` when the environment is in the way (exit 1:
the database is busy, the server is down or unreachable, the disk is full, permission is
denied), saying what to do; None for anything else, which is an internal error.
"""

import errno
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, StatementError

from planner.core.errors import ConnectionLost, EnvironmentProblem, PlannerError
from planner.i18n import msg
from planner.store.db import busy_timeout_ms, display_url

NOTHING_SAVED = msg("db_nothing_saved")
INPUT_OS_ERRORS = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG,
                             errno.EEXIST, errno.ELOOP, errno.EINVAL})
FULL_OS_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT})
DENIED_OS_ERRORS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})
PG_CONNECTION_STATES = ("08", "57P01", "57P02", "57P03")
#: The PostgreSQL checks' own messages (store/pg_access.py): `CODE: 中文 / English (…)`.
BILINGUAL_SERVER_TEXT = re.compile(
    r"(?P<head>(?:[^:/]*: )?)(?P<zh>[^/]*[\u4e00-\u9fff][^/]*) / (?P<en>[^\u4e00-\u9fff]*)")


@dataclass(frozen=True, slots=True)
class ServerText:
    """What the database server said, as shown to each reader: the PostgreSQL checks'
    bilingual messages in English without their Chinese half; other text as it is (not a
    tuple: a message parameter that is a tuple is shown as a list)."""

    zh: str
    en: str


def server_text(detail: str) -> ServerText:
    """`detail` for each language (see `ServerText`)."""
    match = BILINGUAL_SERVER_TEXT.fullmatch(detail)
    return ServerText(detail, match["head"] + match["en"] if match else detail)


def explain_error(exc: BaseException, url: str | URL | None = None) -> PlannerError | None:
    """`exc` as one line the user can act on; None when it is not a database, encoding or
    OS error (a bug: the caller reports it as an internal error)."""
    if isinstance(exc, PlannerError):
        return exc
    if isinstance(exc, StatementError) and not isinstance(exc, DBAPIError) \
            and isinstance(exc.orig, Exception):
        exc = exc.orig  # raised while binding a parameter, e.g. an integer too large
    driver_error = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    parsed = _parse(url)
    if isinstance(driver_error, sqlite3.Error):
        return _sqlite_problem(driver_error, parsed)
    if type(driver_error).__module__.startswith("psycopg"):
        return _postgres_problem(driver_error, parsed)
    if isinstance(exc, DBAPIError):
        return EnvironmentProblem("db_error", detail=_first_line(driver_error))
    if isinstance(exc, ArgumentError) or (isinstance(exc, ValueError) and url is not None
                                           and "://" in str(url) and _parse(url) is None):
        return _bad_url(exc, url)
    if isinstance(exc, OverflowError):
        return PlannerError("db_value_out_of_range", detail=str(exc))
    if isinstance(exc, UnicodeError):
        return PlannerError("db_not_utf8", detail=_first_line(exc))
    if isinstance(exc, MemoryError):
        return EnvironmentProblem("db_out_of_memory")
    if isinstance(exc, OSError):
        return _os_problem(exc)
    return None


def _parse(url: str | URL | None) -> URL | None:
    if url is None or isinstance(url, URL):
        return url
    try:
        return make_url(url)
    except (ArgumentError, ValueError):
        return None


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _bad_url(exc: Exception, url: str | URL | None) -> PlannerError:
    shown = display_url(str(url)) if url is not None else ""
    scheme = shown.split("://", 1)[0] if "://" in shown else shown
    hint = msg("db_url_hint")
    if "Can't load plugin" in str(exc):
        return PlannerError("db_unknown_scheme", scheme=scheme, hint=hint)
    return PlannerError("db_bad_url", url=shown, hint=hint)


def _busy(where: str) -> EnvironmentProblem:
    seconds = f"{busy_timeout_ms() / 1000:g}"
    return EnvironmentProblem("db_busy", database=where, seconds=seconds)


def _sqlite_problem(error: sqlite3.Error, url: URL | None) -> PlannerError:
    """SQLite's error codes: busy, not a database, cannot open, full, read-only, damaged."""
    name = getattr(error, "sqlite_errorname", "") or ""
    path = url.database if url is not None and url.database else "?"
    detail = _first_line(error)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in detail:
        return _busy(path)
    if name == "SQLITE_NOTADB" or "file is not a database" in detail:
        return PlannerError("db_not_sqlite", path=path)
    if name.startswith("SQLITE_CANTOPEN") or "unable to open database file" in detail:
        if Path(path).is_dir():
            return PlannerError("db_is_folder", path=path)
        return EnvironmentProblem("db_cannot_open", path=path)
    if name.startswith("SQLITE_FULL") or "disk is full" in detail:
        return EnvironmentProblem("db_disk_full", path=path, nothing_saved=NOTHING_SAVED)
    if name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH")):
        return EnvironmentProblem("db_read_only", path=path)
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_IOERR")):
        return EnvironmentProblem("db_damaged", path=path, detail=detail)
    if name.startswith(("SQLITE_TOOBIG", "SQLITE_MISMATCH", "SQLITE_RANGE",
                        "SQLITE_CONSTRAINT")):
        return PlannerError("db_value_refused", detail=server_text(detail))
    return EnvironmentProblem("db_error", detail=detail)


def _postgres_problem(error: BaseException, url: URL | None) -> PlannerError:
    """PostgreSQL's SQLSTATE classes; a connection failure has none."""
    state = getattr(error, "sqlstate", None) or ""
    where = f"{url.host or 'localhost'}:{url.port or 5432}" if url is not None else "?"
    detail = _first_line(error)
    text = str(error)
    if state.startswith("28") or "password authentication failed" in text \
            or "no password supplied" in text:
        return PlannerError("db_pg_login_refused", database=where)
    if state == "3D000" or ('database "' in text and "does not exist" in text):
        name = url.database if url is not None else "?"
        return PlannerError("db_pg_no_database", database=where, name=name)
    kind = type(error).__name__
    if "invalid connection option" in text or "invalid dsn" in text.lower():
        return PlannerError("db_pg_bad_option", detail=detail)
    if state.startswith(PG_CONNECTION_STATES) or (
            not state and kind in ("OperationalError", "InterfaceError")):
        return ConnectionLost("db_pg_unreachable", database=where, nothing_saved=NOTHING_SAVED)
    if state == "55P03":
        return _busy(where)
    if state.startswith("40"):
        return EnvironmentProblem("db_concurrent_change", nothing_saved=NOTHING_SAVED)
    if state == "53100":
        return EnvironmentProblem("db_pg_disk_full", database=where, nothing_saved=NOTHING_SAVED)
    if state == "42501":
        return EnvironmentProblem("db_permission_denied", detail=server_text(detail))
    if state.startswith(("22", "23")) or kind == "DataError":
        return PlannerError("db_value_refused", detail=server_text(detail))
    return EnvironmentProblem("db_error", detail=detail)


def _os_problem(error: OSError) -> PlannerError:
    """A file or folder problem: the path given (exit 2), or full disk and permissions (1)."""
    reason = error.strerror or _first_line(error)
    kind: type[PlannerError]
    if error.errno in FULL_OS_ERRORS:
        problem, kind = msg("os_disk_full", nothing_saved=NOTHING_SAVED), EnvironmentProblem
    elif error.errno in DENIED_OS_ERRORS:
        problem, kind = msg("os_denied", reason=reason), EnvironmentProblem
    elif error.errno in INPUT_OS_ERRORS:
        problem, kind = msg("os_reason", reason=reason), PlannerError
    else:
        problem, kind = msg("os_error", reason=reason), EnvironmentProblem
    if error.filename is None:
        return kind("message", message=problem)
    return kind("os_file", file=error.filename, problem=problem)
