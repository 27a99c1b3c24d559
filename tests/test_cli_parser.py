"""The command line builds the parser of the command it runs alone (`build_parser(command)`),
so that a command imports only its own module: that parser must read the command line as the
parser of every command does."""

from __future__ import annotations

import argparse

import pytest

from thidua.cli import COMMANDS, build_parser


def subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found = action.choices[name]
    assert isinstance(found, argparse.ArgumentParser)
    return found


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_command_alone_parses_as_among_all(name: str) -> None:
    alone, every = subparser(build_parser(name), name), subparser(build_parser(), name)
    assert alone.format_help() == every.format_help()  # every argument and option alike
    assert alone.get_default("func") is every.get_default("func")
    assert alone.get_default("func") is not None
