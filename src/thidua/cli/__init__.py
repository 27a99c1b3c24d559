"""The `thidua` command. Exit codes (contract §3): 0 ok, 1 rule broken or infeasible, 2 bad input.

Each subcommand lives in its own module exposing `register(subparsers)`; the module's parser
sets `func`, which takes the parsed arguments and returns the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from thidua.errors import ThiduaError

__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "EXIT_VIOLATIONS", "main"]

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2

# Subcommand modules, in the order `thidua --help` lists them.
COMMANDS = (
    "validate",
    "solve",
    "show",
    "diff",
    "importing",  # the `import` command (a module cannot be called `import`)
    "export",
    "review",
    "recommend",
    "tui",
)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 2 (no usage dump)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="thidua",
        description="Plan emulation clusters and blocks (cụm, khối thi đua).",
    )
    subparsers = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )
    for name in COMMANDS:
        module = importlib.import_module(f"thidua.cli.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns (and, as a script, exits with) the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exited:  # usage errors and --help: a code, as for every command
        return exited.code if isinstance(exited.code, int) else EXIT_BAD_INPUT
    try:
        code: int = args.func(args)
    except ThiduaError as error:
        print(f"thidua: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("thidua: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    return code


if __name__ == "__main__":
    sys.exit(main())
