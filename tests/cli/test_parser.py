"""The parser built for one command registers only that command's group, and the table
saying which group owns which command matches what the groups register."""

import argparse
from importlib import import_module

import pytest

from planner.cli import COMMAND_GROUPS, GROUP_OF_COMMAND, build_parser, command_word, main


def _top_commands(parser: argparse.ArgumentParser) -> set[str]:
    """The sub-command names of `parser`'s top level."""
    actions = [action for action in parser._actions
               if isinstance(action, argparse._SubParsersAction)]
    return set(actions[0].choices)


def test_every_group_registers_exactly_the_commands_the_table_gives_it() -> None:
    for group in COMMAND_GROUPS:
        parser = argparse.ArgumentParser()
        commands = parser.add_subparsers()
        import_module(f"planner.cli.{group}").register(commands, argparse.ArgumentParser(
            add_help=False), "zh")
        owned = {name for name, owner in GROUP_OF_COMMAND.items() if owner == group}
        assert set(commands.choices) == owned, group


def test_a_named_command_builds_only_its_group() -> None:
    assert _top_commands(build_parser("zh", "show")) == {
        name for name, owner in GROUP_OF_COMMAND.items() if owner == "items"}
    assert _top_commands(build_parser("zh")) == set(GROUP_OF_COMMAND)


@pytest.mark.parametrize(("argv", "expected"), [
    (["show", "1.1"], "show"),
    (["--today", "2026-01-05", "update", "1.1", "--progress", "5"], "update"),
    (["--db", "tree", "show", "1"], "show"),  # a global option's value is not the command
    (["--lang=en", "report", "weekly"], "report"),
    (["--plan", "show", "show", "1"], "show"),
    (["--help"], None),
    (["nonsense"], None),
    ([], None),
])
def test_command_word(argv: list[str], expected: str | None) -> None:
    assert command_word(argv) == expected


def test_an_unknown_command_is_refused_listing_every_command(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["nonsense"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert all(name in error for name in GROUP_OF_COMMAND)
