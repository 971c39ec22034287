"""Argument helpers shared by the command modules: sub-command registration, list values,
report formats, and the parser that lets a free-text option's value begin with "-"."""

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar, overload

from planner.core.errors import PlannerError

if TYPE_CHECKING:
    from planner.cli.context import Context

Handler = Callable[["Context", argparse.Namespace], int]
# what add_subparsers returns; argparse names no other (and it is generic only in typeshed)
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
T = TypeVar("T")

#: Options whose value is free text, which may begin with "-": `--note -x` is the note "-x".
TEXT_OPTIONS = frozenset({"--note", "--reason", "--source", "--title", "--text", "--action",
                          "--add"})
#: What separates the entries of a list value besides ",": the full-width comma and 、.
LIST_SEPARATORS = ("，", "、")
REPORT_FORMATS = ("txt", "md", "html", "xlsx")
OFFICE_FORMATS = ("docx", "pdf")
"""Formats written through LibreOffice-compatible office documents (need -o)."""


def add_command(commands: Commands, common: argparse.ArgumentParser, name: str,
                handler: Handler, help_text: str) -> argparse.ArgumentParser:
    """A sub-command `name` run by `handler`, taking the global options too."""
    sub: argparse.ArgumentParser = commands.add_parser(name, parents=[common], help=help_text,
                                                       description=help_text)
    sub.set_defaults(handler=handler)
    return sub


def add_group(commands: Commands, common: argparse.ArgumentParser, name: str, help_text: str,
              dest: str, metavar: str = "ACTION") -> Commands:
    """A sub-command `name` whose own sub-commands (`planner meeting new`) are added to the
    returned object with `add_command`; the one chosen is stored as `dest`."""
    group: argparse.ArgumentParser = commands.add_parser(name, help=help_text,
                                                         parents=[common])
    return group.add_subparsers(dest=dest, required=True, metavar=metavar)


@overload
def split_list(values: str | Sequence[str] | None, option: str) -> tuple[str, ...]: ...


@overload
def split_list(values: str | Sequence[str] | None, option: str,
               item: Callable[[str], T]) -> tuple[T, ...]: ...


def split_list(values: str | Sequence[str] | None, option: str,
               item: Callable[[str], Any] = str) -> tuple[Any, ...]:
    """The entries of a list option (`--units a,b`, or repeated: `--exclude 2 --exclude 3`),
    separated by "," "，" or "、", stripped, empty ones and repeats dropped, in order, each
    converted by `item`; an entry `item` refuses (ValueError) is a PlannerError naming
    `option`."""
    texts = [values] if isinstance(values, str) else list(values or ())
    entries: dict[Any, None] = {}
    for text in texts:
        for separator in LIST_SEPARATORS:
            text = text.replace(separator, ",")
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            try:
                entries[item(part)] = None
            except ValueError:
                raise PlannerError("cli_bad_list_entry", option=option, entry=part) from None
    return tuple(entries)


def report_format(args: argparse.Namespace, formats: tuple[str, ...] = REPORT_FORMATS) -> str:
    """--format, else the extension of the -o file (one of `formats`), else txt."""
    if args.format:
        return str(args.format)
    suffix = Path(args.output).suffix.lstrip(".").lower() if args.output else ""
    return {"markdown": "md", "htm": "html", "text": "txt"}.get(suffix, suffix) \
        if suffix in (*formats, "markdown", "htm", "text") else "txt"


class Parser(argparse.ArgumentParser):
    """argparse, except that a text option's value may begin with "-" (TEXT_OPTIONS).

    argparse takes any word starting with "-" for an option, so `--note -x` was refused;
    the top-level parser rewrites it as `--note=-x` before parsing. A value that is itself
    one of planner's options (`--note --status done`) is left alone, so a forgotten value
    is still reported; such a note is written `--note=--status`.
    """

    known_options: frozenset[str] = frozenset()

    def parse_known_args(self, args: Any = None,
                         namespace: Any = None) -> tuple[Any, list[str]]:
        if self.known_options:
            args = join_dash_values(sys.argv[1:] if args is None else list(args),
                                    self.known_options)
        return super().parse_known_args(args, namespace)


def option_strings(parser: argparse.ArgumentParser) -> frozenset[str]:
    """Every option string of `parser` and of its sub-commands."""
    found: set[str] = set()
    for action in parser._actions:
        found.update(action.option_strings)
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= option_strings(sub)
    return frozenset(found)


def join_dash_values(argv: list[str], known_options: frozenset[str]) -> list[str]:
    """`argv` with each `TEXT_OPTION VALUE` whose value starts with "-" (and is not one of
    `known_options`) joined into `TEXT_OPTION=VALUE`; nothing after "--" is touched."""
    joined: list[str] = []
    index = 0
    while index < len(argv):
        word = argv[index]
        if word == "--":
            joined += argv[index:]
            break
        value = argv[index + 1] if index + 1 < len(argv) else None
        if (word in TEXT_OPTIONS and value is not None and value.startswith("-")
                and value != "--" and value.split("=", 1)[0] not in known_options):
            joined.append(f"{word}={value}")
            index += 2
        else:
            joined.append(word)
            index += 1
    return joined
