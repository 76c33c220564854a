"""Options and output plumbing shared by the sub-commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.fsutil import atomic_write_bytes
from pipeline.limits import Limits

if TYPE_CHECKING:
    from pipeline.normalize.glossary import Glossary
    from pipeline.normalize.model import ServiceDescription


def add_output(parser: argparse.ArgumentParser, formats: list[str], default: str) -> None:
    parser.add_argument(
        "--format", choices=formats, default=default, help=f"output format (default {default})"
    )
    parser.add_argument("-o", "--output", metavar="OUT", help="write here (atomically) instead of stdout")


def add_limits(parser: argparse.ArgumentParser) -> None:
    d = Limits()
    parser.add_argument(
        "--max-bytes", type=int, default=d.max_bytes, help=f"largest input file (default {d.max_bytes})"
    )
    parser.add_argument(
        "--max-pages", type=int, default=d.max_pages, help=f"most PDF pages (default {d.max_pages})"
    )
    parser.add_argument(
        "--timeout", type=float, default=d.timeout_s, help=f"seconds per document (default {d.timeout_s:g})"
    )
    parser.add_argument("--cache-dir", metavar="DIR", help="content-hash cache folder (off by default)")


def limits_from(args: argparse.Namespace) -> Limits:
    return Limits(max_bytes=args.max_bytes, max_pages=args.max_pages, timeout_s=args.timeout)


def add_glossary(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--glossary", metavar="FILE", help="TBX glossary (FR<->EN terms, do-not-translate names)"
    )


def load_glossary_arg(args: argparse.Namespace):
    if not getattr(args, "glossary", None):
        return None
    from pipeline.normalize.glossary import Glossary

    return Glossary.load(args.glossary)


def add_inputs(parser: argparse.ArgumentParser) -> None:
    """The glossary, limit and cache options of a sub-command that loads descriptions."""
    add_glossary(parser)
    add_limits(parser)


def warn_damaged(path: str | Path, findings) -> None:  # noqa: ANN001 - Finding list
    """One stderr line per unreadable PDF page (W104), naming the file and the page: the output is
    still written from the sound pages, so the reader must hear about the rest."""
    from pipeline.normalize import DAMAGED_PAGE

    for f in findings:
        if f.code == DAMAGED_PAGE:
            print(f"svcdesc: [{f.code}] {Path(path).name}: {f.message}", file=sys.stderr)


def load_warned(path: str, args: argparse.Namespace, glossary=None, limits: Limits | None = None):  # noqa: ANN001, ANN201
    """:func:`~pipeline.catalog.loader.load_description` with the W104 warnings on stderr."""
    from pipeline.catalog.loader import load_description

    sd = load_description(
        path, glossary=glossary, cache_dir=args.cache_dir, limits=limits or limits_from(args)
    )
    warn_damaged(path, sd.findings)
    return sd


def load_inputs(
    args: argparse.Namespace, paths: list[str]
) -> tuple[Glossary | None, list[ServiceDescription]]:
    """The ``--glossary`` (or None) and each path loaded with it, the limits and the cache
    folder (PDF, Markdown, text or saved JSON), in the order given."""
    glossary = load_glossary_arg(args)
    limits = limits_from(args)
    return glossary, [load_warned(path, args, glossary, limits) for path in paths]


def emit(data: bytes | str, output: str | None) -> None:
    """Write the result to ``output`` atomically, or to stdout."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if output:
        atomic_write_bytes(Path(output), payload)
    else:
        sys.stdout.buffer.write(payload)
        if not payload.endswith(b"\n"):
            sys.stdout.buffer.write(b"\n")
        sys.stdout.flush()
