"""The `planner` command: parse, call one service or report, print.

A module per command group declares its arguments (`register`) next to its handlers; this
module builds the top-level parser with the global options and holds `main`, the error
boundary: exit 2 on bad input, 1 when the environment is in the way, with one line on
standard error (PLANNER_DEBUG=1 shows the traceback instead)."""

import argparse
import getpass
import os
import sys
from datetime import date
from typing import Any

from planner.cli import database, items, ledger, meetings, plans, reports, tui, users
from planner.cli.arguments import Parser, option_strings
from planner.cli.context import Context, machine_clock
from planner.core.dates import check_recorded_day, parse_start
from planner.core.errors import PlannerError
from planner.core.text import TextField, check_decodable, terminal_text

EXIT_BAD_INPUT = 2
#: Names for the command-line text checked by `_require_utf8` (others are shown as --option).
ARGUMENT_NAMES = {"note": ("进展说明", "note"), "reason": ("原因", "reason"),
                  "source": ("数据来源", "source"), "code": ("编码", "code")}
EXIT_ENVIRONMENT = 1  # busy, server down, disk full, permission denied; internal errors
EXIT_INTERRUPTED = 130
#: The command groups, in the order `planner --help` lists them.
COMMAND_GROUPS = (plans, items, reports, ledger, meetings, users, database, tui)

__all__ = ["Context", "build_parser", "main", "package_version"]


def _today(value: str | None) -> date:
    text = value or os.environ.get("PLANNER_TODAY")
    if not text:
        return date.today()
    try:
        return check_recorded_day(parse_start(text))
    except PlannerError as exc:
        raise PlannerError(f"--today/PLANNER_TODAY：{exc.zh}",
                           f"--today/PLANNER_TODAY: {exc.en}") from None


def _require_utf8(args: argparse.Namespace) -> None:
    """Refuse command-line text that was not UTF-8 (Python carries such bytes as lone
    surrogates) with one line naming the argument, before anything is read or written."""
    for name, value in vars(args).items():
        values = value if isinstance(value, list | tuple) else [value]
        for text in values:
            if isinstance(text, str):
                zh, en = ARGUMENT_NAMES.get(name, (name, name))
                option = "" if name == "code" else f"--{name.replace('_', '-')}"
                check_decodable(text, TextField(f"{zh}（{option}）" if option else zh,
                                                f"{en} ({option})" if option else en, 0))


def package_version() -> str:
    """The installed distribution's version, else the source tree's `__version__`."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("planner")
    except PackageNotFoundError:
        from planner import __version__

        return __version__


class _VersionAction(argparse.Action):
    """`--version`: print `planner X.Y.Z` and exit; the version is looked up only then, so
    every other run skips reading the package metadata."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS,
                 default: Any = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        print(f"planner {package_version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; global options work before or after the command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS,
                        help="SQLAlchemy URL or SQLite file (env PLANNER_DB)")
    common.add_argument("--today", default=argparse.SUPPRESS,
                        help="the date to compute as of (env PLANNER_TODAY)")
    common.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS,
                        help="language: zh (default) or en")
    common.add_argument("--as", dest="user", default=argparse.SUPPRESS,
                        help="acting user, recorded in history (default: OS user; on "
                        "PostgreSQL the login role)")
    parser = Parser(prog="planner", parents=[common],
                    description="十四五知识产权重点任务督办台账 / plan tracker")
    parser.add_argument("--version", action=_VersionAction,
                        help="print the program's version and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(commands, common)
    parser.known_options = option_strings(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point: exit 0 on success; otherwise one line on standard error and exit 2 on bad
    input, 1 when the environment is in the way (database busy, server down, disk full,
    permission denied) or on an internal error. PLANNER_DEBUG=1 re-raises instead, so a
    developer sees the traceback."""
    args = build_parser().parse_args(argv)
    lang = getattr(args, "lang", None) or os.environ.get("PLANNER_LANG", "zh")
    url: str | None = None
    ctx: Context | None = None
    try:
        _require_utf8(args)
        from planner.store.db import resolve_url

        url = resolve_url(getattr(args, "db", None))
        clock = machine_clock(_today(getattr(args, "today", None)))
        ctx = Context(url=url, clock=clock, lang=lang,
                      user=getattr(args, "user", None) or getpass.getuser())
        return args.handler(ctx, args)
    except BrokenPipeError:  # the reader went away (`planner tree | head`): nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ENVIRONMENT
    except (Exception, KeyboardInterrupt) as exc:
        if os.environ.get("PLANNER_DEBUG", "") not in ("", "0"):
            raise
        line, code = _failure(exc, lang, url)
        print(line, file=sys.stderr)
        return code
    finally:
        if ctx is not None:
            ctx.close()


def _failure(exc: BaseException, lang: str, url: str | None) -> tuple[str, int]:
    """The one line to print for `exc` (any password in it hidden) and the exit status."""
    from planner.core.errors import EnvironmentProblem

    if isinstance(exc, KeyboardInterrupt):
        return ("interrupted; an unfinished change was not saved" if lang == "en" else
                "已中断，未完成的改动没有保存"), EXIT_INTERRUPTED
    if isinstance(exc, PlannerError):
        problem: PlannerError | None = exc
    else:
        from planner.store.errors import explain_error

        problem = explain_error(exc, url)
    if problem is None:
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())
        line = (f"internal error: {detail} (PLANNER_DEBUG=1 for details)" if lang == "en" else
                f"内部错误：{detail}（设置 PLANNER_DEBUG=1 查看详情）")
        code = EXIT_ENVIRONMENT
    else:
        line = problem.message(lang)
        code = EXIT_ENVIRONMENT if isinstance(problem, EnvironmentProblem) else EXIT_BAD_INPUT
    if url is not None:
        from planner.store.db import hide_password

        line = hide_password(line, url)
    return terminal_text(line), code  # an echoed argument cannot drive the terminal
