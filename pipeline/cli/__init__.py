"""The ``svcdesc`` command: arguments -> stage calls -> exit code. Nothing else lives here.

Each sub-command is a small module with ``register(subparsers)``; it sets ``func(args) -> int``.
Typed errors are caught once, here: one line on stderr, exit 2 (input/usage) or 3 (internal).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import os
import sys
import traceback

from pipeline import __version__
from pipeline.errors import EXIT_INPUT, EXIT_INTERNAL, SvcdescError

COMMANDS = ["extract", "validate", "diff", "history", "parity", "glossary", "build"]


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="svcdesc",
        description="Turn vendor service descriptions (PDF, Markdown, text; FR/EN) into structured, comparable data.",
    )
    parser.add_argument("--version", action="version", version=f"svcdesc {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        module = importlib.import_module(f"pipeline.cli.{name}")
        module.register(sub)
    return parser


def settle(modules: list[str]) -> None:
    """Import what a one-document command will run, then freeze the heap it leaves (``gc.freeze``).

    pdfminer makes a score of short-lived objects per glyph; each collection they trigger would
    otherwise re-walk the objects that our imports leave for the rest of the process (pydantic
    schemas, compiled patterns, lexicons): 6 % of the CPU of ``svcdesc extract`` on an 8-page PDF.
    Frozen objects are never collected, so only a process's own command line does this (``main()``
    without ``argv``), never a library or test caller running many commands in one process.
    """
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional reader's library: the command itself says so, in its words
            continue
    gc.freeze()


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: usage error -> 2, --help -> 0
        return int(exc.code or 0)
    debug = args.debug or os.environ.get("SVCDESC_DEBUG") == "1"
    # pdfminer logs warnings about broken PDFs straight to stderr; our typed errors already say it in one line.
    logging.getLogger("pdfminer").setLevel(logging.DEBUG if debug else logging.CRITICAL)
    try:
        if argv is None and hasattr(args, "preload"):
            settle(args.preload(args))
        return int(args.func(args))
    except SvcdescError as exc:
        print(f"svcdesc: {exc.message}", file=sys.stderr)
        if debug:
            traceback.print_exc(file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("svcdesc: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_INPUT
    except Exception as exc:  # the one place an unexpected error becomes an exit code
        if debug:
            raise
        reason = " ".join(str(exc).split()) or type(exc).__name__
        print(
            f"svcdesc: [E900] internal error: {type(exc).__name__}: {reason} (re-run with --debug)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
