"""What a database, encoding or OS error means to the user, in one line.

The front ends' error boundaries (`planner.cli.main`, the TUI's gateway) hand every exception
they did not expect to `explain_error`: a `PlannerError` comes back for bad input (exit 2: a
`--db` that is a folder or not a database, an unknown URL scheme, a number or text the
database cannot take), an `EnvironmentProblem` when the environment is in the way (exit 1:
the database is busy, the server is down or unreachable, the disk is full, permission is
denied), saying what to do; None for anything else, which is an internal error.
"""

import errno
import sqlite3
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, StatementError

from planner.core.errors import ConnectionLost, EnvironmentProblem, PlannerError
from planner.store.db import busy_timeout_ms, display_url

NOTHING_SAVED = ("未完成的改动没有保存", "an unfinished change was not saved")
INPUT_OS_ERRORS = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG,
                             errno.EEXIST, errno.ELOOP, errno.EINVAL})
FULL_OS_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT})
DENIED_OS_ERRORS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})
PG_CONNECTION_STATES = ("08", "57P01", "57P02", "57P03")


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
        return EnvironmentProblem(f"数据库错误：{_first_line(driver_error)}",
                                  f"database error: {_first_line(driver_error)}")
    if isinstance(exc, ArgumentError) or (isinstance(exc, ValueError) and url is not None
                                           and "://" in str(url) and _parse(url) is None):
        return _bad_url(exc, url)
    if isinstance(exc, OverflowError):
        return PlannerError(f"数值超出数据库能存的范围：{exc}",
                            f"a number is out of the range the database can store: {exc}")
    if isinstance(exc, UnicodeError):
        return PlannerError(f"文本无法按 UTF-8 编码或解码（{_first_line(exc)}）：请使用 UTF-8 文本",
                            f"text that is not valid UTF-8 ({_first_line(exc)}): give UTF-8 "
                            "text")
    if isinstance(exc, MemoryError):
        return EnvironmentProblem("内存不足，操作未完成", "out of memory: the command did not "
                                  "finish")
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
    hint_zh = "请给出 SQLite 文件路径、sqlite:///文件 或 postgresql+psycopg://用户@主机/库"
    hint_en = "give a SQLite file path, sqlite:///FILE or postgresql+psycopg://USER@HOST/DB"
    if "Can't load plugin" in str(exc):
        return PlannerError(f"不认识的数据库类型\"{scheme}\"（--db/PLANNER_DB）：{hint_zh}",
                            f'unknown database type "{scheme}" (--db/PLANNER_DB): {hint_en}')
    return PlannerError(f"不是有效的数据库地址：{shown}（--db/PLANNER_DB）：{hint_zh}",
                        f"not a database URL: {shown} (--db/PLANNER_DB): {hint_en}")


def _busy(where: str) -> EnvironmentProblem:
    seconds = f"{busy_timeout_ms() / 1000:g}"
    return EnvironmentProblem(
        f"数据库正忙：另一个 planner 进程（导入、恢复或应用台账？）正持有 {where} 的写锁，"
        f"已等待 {seconds} 秒；请待其完成后重试（PLANNER_BUSY_TIMEOUT 可调整等待秒数）",
        f"the database is busy: another planner process (an import, a restore or a ledger "
        f"apply?) holds the write lock on {where}; waited {seconds} s; try again when it "
        "finishes (PLANNER_BUSY_TIMEOUT sets the wait in seconds)")


def _sqlite_problem(error: sqlite3.Error, url: URL | None) -> PlannerError:
    """SQLite's error codes: busy, not a database, cannot open, full, read-only, damaged."""
    name = getattr(error, "sqlite_errorname", "") or ""
    path = url.database if url is not None and url.database else "?"
    detail = _first_line(error)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in detail:
        return _busy(path)
    if name == "SQLITE_NOTADB" or "file is not a database" in detail:
        return PlannerError(f"{path} 不是 SQLite 数据库文件（请检查 --db/PLANNER_DB）",
                            f"{path} is not a SQLite database file (check --db/PLANNER_DB)")
    if name.startswith("SQLITE_CANTOPEN") or "unable to open database file" in detail:
        if Path(path).is_dir():
            return PlannerError(f"{path} 是文件夹，不是数据库文件（--db 应指向 .db 文件）",
                                f"{path} is a folder, not a database file (--db names a .db "
                                "file)")
        return EnvironmentProblem(f"无法打开数据库文件 {path}：请检查文件及其所在文件夹的权限",
                                  f"cannot open the database file {path}: check the "
                                  "permissions of the file and its folder")
    if name.startswith("SQLITE_FULL") or "disk is full" in detail:
        return EnvironmentProblem(f"磁盘已满，无法写入 {path}；{NOTHING_SAVED[0]}："
                                  "请腾出空间后重试",
                                  f"the disk holding {path} is full; {NOTHING_SAVED[1]}: free "
                                  "some space and try again")
    if name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH")):
        return EnvironmentProblem(f"没有写入 {path} 的权限：请检查文件及其所在文件夹的权限",
                                  f"permission denied writing {path}: check the permissions "
                                  "of the file and its folder")
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_IOERR")):
        return EnvironmentProblem(f"读写数据库文件 {path} 出错（{detail}）：请检查磁盘，必要时从"
                                  "备份恢复（planner restore）",
                                  f"error reading or writing {path} ({detail}): check the disk, "
                                  "restore from a backup if need be (planner restore)")
    if name.startswith(("SQLITE_TOOBIG", "SQLITE_MISMATCH", "SQLITE_RANGE",
                        "SQLITE_CONSTRAINT")):
        return PlannerError(f"数据库拒绝了这个值：{detail}", f"the database refused a value: "
                            f"{detail}")
    return EnvironmentProblem(f"数据库错误：{detail}", f"database error: {detail}")


def _postgres_problem(error: BaseException, url: URL | None) -> PlannerError:
    """PostgreSQL's SQLSTATE classes; a connection failure has none."""
    state = getattr(error, "sqlstate", None) or ""
    where = f"{url.host or 'localhost'}:{url.port or 5432}" if url is not None else "?"
    detail = _first_line(error)
    text = str(error)
    if state.startswith("28") or "password authentication failed" in text \
            or "no password supplied" in text:
        return PlannerError(f"PostgreSQL 服务器 {where} 拒绝登录：请检查 --db/PLANNER_DB "
                            "中的用户名和密码",
                            f"the PostgreSQL server at {where} refused the login: check the "
                            "user name and password in --db/PLANNER_DB")
    if state == "3D000" or ('database "' in text and "does not exist" in text):
        name = url.database if url is not None else "?"
        return PlannerError(f"PostgreSQL 服务器 {where} 上没有数据库 {name}"
                            "（请检查 --db/PLANNER_DB）",
                            f"no database {name} on the PostgreSQL server at {where} (check "
                            "--db/PLANNER_DB)")
    kind = type(error).__name__
    if "invalid connection option" in text or "invalid dsn" in text.lower():
        return PlannerError(f"PostgreSQL 连接参数有误：{detail}（请检查 --db/PLANNER_DB）",
                            f"a PostgreSQL connection option is wrong: {detail} (check "
                            "--db/PLANNER_DB)")
    if state.startswith(PG_CONNECTION_STATES) or (
            not state and kind in ("OperationalError", "InterfaceError")):
        return ConnectionLost(
            f"无法连接 PostgreSQL 服务器 {where}（服务器已停止、无法访问或连接中断），"
            f"{NOTHING_SAVED[0]}：请确认服务器在运行后重试",
            f"cannot reach the PostgreSQL server at {where} (stopped, unreachable, or the "
            f"connection was lost); {NOTHING_SAVED[1]}: check that the server is running and "
            "try again")
    if state == "55P03":
        return _busy(where)
    if state.startswith("40"):
        return EnvironmentProblem(f"与其他人的修改冲突，{NOTHING_SAVED[0]}：请重试",
                                  f"a concurrent change got in the way; {NOTHING_SAVED[1]}: "
                                  "try again")
    if state == "53100":
        return EnvironmentProblem(f"PostgreSQL 服务器 {where} 磁盘已满，{NOTHING_SAVED[0]}："
                                  "请联系其管理员", f"the disk of the PostgreSQL server at "
                                  f"{where} is full; {NOTHING_SAVED[1]}: tell its administrator")
    if state == "42501":
        return EnvironmentProblem(f"数据库拒绝操作（权限不足）：{detail}；请联系协调员或管理员",
                                  f"the database refused (permission denied): {detail}; ask a "
                                  "coordinator or the administrator")
    if state.startswith(("22", "23")) or kind == "DataError":
        return PlannerError(f"数据库拒绝了这个值：{detail}", f"the database refused a value: "
                            f"{detail}")
    return EnvironmentProblem(f"数据库错误：{detail}", f"database error: {detail}")


def _os_problem(error: OSError) -> PlannerError:
    """A file or folder problem: the path given (exit 2), or full disk and permissions (1)."""
    what = f"{error.filename}：" if error.filename is not None else ""
    what_en = f"{error.filename}: " if error.filename is not None else ""
    reason = error.strerror or _first_line(error)
    if error.errno in FULL_OS_ERRORS:
        return EnvironmentProblem(f"{what}磁盘已满，{NOTHING_SAVED[0]}：请腾出空间后重试",
                                  f"{what_en}the disk is full; {NOTHING_SAVED[1]}: free some "
                                  "space and try again")
    if error.errno in DENIED_OS_ERRORS:
        return EnvironmentProblem(f"{what}没有权限（{reason}）：请检查文件及文件夹的权限",
                                  f"{what_en}permission denied ({reason}): check the "
                                  "permissions of the file and its folder")
    if error.errno in INPUT_OS_ERRORS:
        return PlannerError(f"{what}{reason}", f"{what_en}{reason}")
    return EnvironmentProblem(f"{what}系统错误：{reason}", f"{what_en}system error: {reason}")
