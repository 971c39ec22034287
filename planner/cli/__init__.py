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
from importlib import import_module
from typing import Any, cast

from planner.cli.arguments import Handler, Parser, option_strings
from planner.cli.context import Context, machine_clock
from planner.core.dates import check_recorded_day, parse_start
from planner.core.errors import PlannerError
from planner.core.text import TextField, check_decodable, terminal_text
from planner.i18n import Msg, label, msg

EXIT_BAD_INPUT = 2
#: Catalogue keys naming the command-line text checked by `_require_utf8` (others are shown
#: as --option).
ARGUMENT_NAMES = {"note": "cli_arg_note", "reason": "cli_arg_reason", "source": "cli_arg_source",
                  "code": "cli_arg_code"}
EXIT_ENVIRONMENT = 1  # busy, server down, disk full, permission denied; internal errors
EXIT_INTERRUPTED = 130
#: The command groups (modules of planner.cli), in the order `planner --help` lists them.
COMMAND_GROUPS = ("plans", "intake", "items", "cycle", "reports", "assess", "ledger", "meetings",
                  "users", "database", "tui", "notice")
#: The group registering each command, so that a run builds and imports only its command's
#: group (the whole parser costs more than `planner show` itself); tests/cli/test_parser.py
#: checks it against what the groups register.
GROUP_OF_COMMAND = {
    "init": "plans", "validate": "plans", "import": "plans", "export": "plans", "plans": "plans",
    "intake": "intake",
    "tree": "items", "show": "items", "update": "items", "reading": "items",
    "indicators": "items", "flag": "items", "unflag": "items",
    "ack": "cycle", "return": "cycle", "extend": "cycle", "assign": "cycle", "urge": "cycle",
    "inbox": "cycle", "approve": "cycle", "reject": "cycle",
    "report": "reports", "assess": "assess", "ledger": "ledger", "meeting": "meetings",
    "agenda": "meetings", "user": "users", "db": "database", "backup": "database",
    "restore": "database", "tui": "tui", "notice": "notice",
}
#: Global options that take a value, skipped when looking for the command word.
GLOBAL_VALUE_OPTIONS = frozenset({"--db", "--today", "--lang", "--plan", "--as"})

__all__ = ["Context", "build_parser", "main", "package_version"]


def _today(value: str | None, lang: str) -> date:
    """--today, else PLANNER_TODAY, else the machine's date; a bad one is refused in `lang`."""
    text = value or os.environ.get("PLANNER_TODAY")
    if not text:
        return date.today()
    try:
        return check_recorded_day(parse_start(text))
    except PlannerError as exc:
        raise PlannerError("cli_bad_today", problem=exc.message(lang)) from None


def _require_utf8(args: argparse.Namespace) -> None:
    """Refuse command-line text that was not UTF-8 (Python carries such bytes as lone
    surrogates) with one line naming the argument, before anything is read or written."""
    for name, value in vars(args).items():
        values = value if isinstance(value, list | tuple) else [value]
        for text in values:
            if isinstance(text, str):
                check_decodable(text, TextField(_argument_name(name), 0))


def _argument_name(name: str) -> Msg | str:
    """How `_require_utf8` names the argument `name`: 进展说明（--note） / note (--note)."""
    shown = msg(ARGUMENT_NAMES[name]) if name in ARGUMENT_NAMES else name
    if name == "code":
        return shown
    return msg("cli_arg_option", name=shown, option=f"--{name.replace('_', '-')}")


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


def help_language(argv: list[str] | None = None) -> str:
    """The language of `--help`, chosen before parsing: the last `--lang zh|en` (or
    `--lang=…`) in `argv`, else PLANNER_LANG, else Chinese."""
    words = sys.argv[1:] if argv is None else argv
    lang = os.environ.get("PLANNER_LANG", "zh")
    for index, word in enumerate(words):
        if word == "--":
            break
        if word == "--lang" and index + 1 < len(words):
            lang = words[index + 1]
        elif word.startswith("--lang="):
            lang = word.split("=", 1)[1]
    return "en" if lang == "en" else "zh"


def command_word(argv: list[str] | None = None) -> str | None:
    """The command `argv` names (`update` in `planner --today 2026-01-05 update 1.1`), or
    None when it names none or one that does not exist."""
    words = sys.argv[1:] if argv is None else argv
    skip_value = False
    for word in words:
        if skip_value:
            skip_value = False
        elif word.startswith("-"):
            skip_value = word in GLOBAL_VALUE_OPTIONS
        else:
            return word if word in GROUP_OF_COMMAND else None
    return None


def build_parser(lang: str = "zh", command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser, its help in `lang`; global options work before or after the
    command. Given the `command` to run, only its group is registered."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS,
                        help="SQLAlchemy URL or SQLite file (env PLANNER_DB)")
    common.add_argument("--today", default=argparse.SUPPRESS,
                        help="the date to compute as of (env PLANNER_TODAY)")
    common.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS,
                        help="language: zh (default) or en")
    common.add_argument("--plan", dest="plan", default=argparse.SUPPRESS,
                        help="the plan to work on, by its id (env PLANNER_PLAN; default: "
                        "the current plan, see `planner plans use`)")
    common.add_argument("--as", dest="user", default=argparse.SUPPRESS,
                        help="acting user, recorded in history (default: OS user; on "
                        "PostgreSQL the login role)")
    parser = Parser(prog="planner", parents=[common],
                    description=label("cli_help_description", lang))
    parser.add_argument("--version", action=_VersionAction,
                        help="print the program's version and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    groups = COMMAND_GROUPS if command is None else (GROUP_OF_COMMAND[command],)
    for group in groups:
        import_module(f"planner.cli.{group}").register(commands, common, lang)
    parser.known_options = option_strings(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point: exit 0 on success; otherwise one line on standard error and exit 2 on bad
    input, 1 when the environment is in the way (database busy, server down, disk full,
    permission denied) or on an internal error. PLANNER_DEBUG=1 re-raises instead, so a
    developer sees the traceback."""
    args = build_parser(help_language(argv), command_word(argv)).parse_args(argv)
    lang = getattr(args, "lang", None) or os.environ.get("PLANNER_LANG", "zh")
    url: str | None = None
    ctx: Context | None = None
    try:
        _require_utf8(args)
        from planner.store.db import resolve_url

        url = resolve_url(getattr(args, "db", None))
        clock = machine_clock(_today(getattr(args, "today", None), lang))
        ctx = Context(url=url, clock=clock, lang=lang,
                      user=getattr(args, "user", None) or getpass.getuser(),
                      plan=getattr(args, "plan", None) or os.environ.get("PLANNER_PLAN") or None)
        return cast(Handler, args.handler)(ctx, args)
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
        return label("cli_interrupted", lang), EXIT_INTERRUPTED
    if isinstance(exc, PlannerError):
        problem: PlannerError | None = exc
    else:
        from planner.store.errors import explain_error

        problem = explain_error(exc, url)
    if problem is None:
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())
        line = label("cli_internal_error", lang, detail=detail)
        code = EXIT_ENVIRONMENT
    else:
        line = problem.message(lang)
        code = EXIT_ENVIRONMENT if isinstance(problem, EnvironmentProblem) else EXIT_BAD_INPUT
    if url is not None:
        from planner.store.db import hide_password

        line = hide_password(line, url)
    return terminal_text(line), code  # an echoed argument cannot drive the terminal
