"""The command line builds the parser of the command it runs alone (`build_parser(command)`),
so that a command imports only its own module: that parser must read the command line as the
parser of every command does."""

from __future__ import annotations

import argparse

import pytest

from thidua.cli import COMMAND_NAMES, COMMANDS, build_parser, command_asked

NAMES = [COMMAND_NAMES.get(module, module) for module in COMMANDS]


def subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found = action.choices[name]
    assert isinstance(found, argparse.ArgumentParser)
    return found


@pytest.mark.parametrize("name", NAMES)
def test_a_command_alone_parses_as_among_all(name: str) -> None:
    alone, every = subparser(build_parser(name), name), subparser(build_parser(), name)
    assert alone.format_help() == every.format_help()  # every argument and option alike
    assert alone.get_default("func") is every.get_default("func")
    assert alone.get_default("func") is not None


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["tui", "plan.toml"], "tui"),
        (["--lang", "en", "tui", "plan.toml"], "tui"),
        (["--lang=vi", "new-map", "x"], "new-map"),
        (["import", "dispatch.docx"], "import"),
        (["--help"], None),  # the help lists every command
        (["-h", "tui"], None),
        (["tiu", "plan.toml"], None),  # a misspelt command: the error lists them all
        ([], None),
    ],
)
def test_the_command_asked_is_read_before_the_parser(argv: list[str], command: str | None) -> None:
    assert command_asked(argv) == command
