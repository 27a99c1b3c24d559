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

from thidua.cli.argparse_words import localise_argparse
from thidua.errors import ThiduaError
from thidua.i18n import LANGUAGES, _, set_language
from thidua.text import terminal_safe

__all__ = [
    "COMMANDS",
    "EXIT_BAD_INPUT",
    "EXIT_OK",
    "EXIT_VIOLATIONS",
    "add_lang",
    "build_parser",
    "command_asked",
    "language_asked",
    "main",
]

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2

# Subcommand modules by the command each registers, in the order `thidua --help` lists them.
COMMANDS = {
    "validate": "validate",
    "solve": "solve",
    "show": "show",
    "diff": "diff",
    "import": "importing",  # a module cannot be called `import`
    "export": "export",
    "review": "review",
    "ballot": "ballot",
    "history": "history",
    "document": "document",
    "recommend": "recommend",
    "tui": "tui",
    "new-map": "newmap",
    "map": "map",
}


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 2 (no usage dump)."""

    def error(self, message: str) -> NoReturn:
        line = _("{prog}: error: {message}").format(prog=self.prog, message=message)
        self.exit(EXIT_BAD_INPUT, line + "\n")


def add_lang(parser: argparse.ArgumentParser) -> None:
    """`--lang vi|en`, accepted before the command and after it (`thidua solve P --lang en`)."""
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        # SUPPRESS: a subcommand's absent option must not overwrite one given before it.
        default=argparse.SUPPRESS,
        help=_("language of the output: vi or en (default: THIDUA_LANG, else the locale)"),
    )


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with `command`, that subcommand's alone.

    Each subcommand's module imports what it runs on (documents, Office files, maps): a
    command that registers only its own imports only that, and starts sooner.
    """
    parser = _Parser(
        prog="thidua",
        description=_("Plan emulation clusters and blocks (cụm, khối thi đua)."),
    )
    add_lang(parser)
    subparsers = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )
    names = [COMMANDS[command]] if command in COMMANDS else list(COMMANDS.values())
    for name in names:
        module = importlib.import_module(f"thidua.cli.{name}")
        module.register(subparsers)
    # Every subcommand takes --lang, whoever registered it.
    for subparser in {id(p): p for p in subparsers.choices.values()}.values():
        add_lang(subparser)
    return parser


def language_asked(argv: Sequence[str]) -> str | None:
    """The `--lang` of a command line, read before the parser exists (its help is translated).

    An unknown value is left to the parser, which reports it.
    """
    for index, token in enumerate(argv):
        if token == "--":
            break
        if token == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        elif token.startswith("--lang="):
            value = token.partition("=")[2]
        else:
            continue
        if value in LANGUAGES:
            return value
    return None


def command_asked(argv: Sequence[str]) -> str | None:
    """The subcommand a command line runs, when nothing but `--lang` comes before it.

    None for anything else (`--help`, an unknown command): the whole parser answers those.
    """
    index = 0
    while index < len(argv):
        token = argv[index]
        if token == "--lang":
            index += 2
        elif token.startswith("--lang="):
            index += 1
        else:
            return token if token in COMMANDS else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns (and, as a script, exits with) the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    set_language(language_asked(arguments))  # before anything, help included, is written
    localise_argparse()
    parser = build_parser(command_asked(arguments))
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exited:  # usage errors and --help: a code, as for every command
        return exited.code if isinstance(exited.code, int) else EXIT_BAD_INPUT
    # Run as the command (no argv given), the process started with it: time limits count
    # from there. Called with arguments (tests, scripts), from now.
    args.whole_process = argv is None
    try:
        code: int = args.func(args)
    except ThiduaError as error:
        print(f"thidua: {terminal_safe(str(error))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("thidua: " + _("interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    return code


if __name__ == "__main__":
    sys.exit(main())
