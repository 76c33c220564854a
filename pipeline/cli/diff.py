"""``svcdesc diff OLD NEW``: material changes between two editions; exit 1 at/above --fail-on.

``--format pdf`` (NEW a PDF) writes the new edition's pages annotated at each change; ``--format docx``
writes the new edition as Word with the differences as tracked changes. Both need ``-o``.
"""

from __future__ import annotations

import argparse

from pipeline.cli.common import add_inputs, add_output, emit, load_inputs
from pipeline.errors import UsageError

FAIL_ON = ["breaking", "major", "minor", "cosmetic", "never"]
BINARY = ("pdf", "docx")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "diff",
        help="compare two editions (PDF, Word, Markdown or saved JSON, any mix)",
        description="Compare two editions of a service description: offers added/removed/renamed, "
        "availability, response times, facts, conditions, and a word-level redline of the text. "
        "--format pdf: the new PDF with every change annotated at its words; --format docx: the new "
        "edition as Word with tracked changes and a comment per material change (both need -o).",
    )
    p.add_argument(
        "old", metavar="OLD", help="older edition: PDF, Word, Markdown, text or saved ServiceDescription JSON"
    )
    p.add_argument("new", metavar="NEW", help="newer edition, same forms (a PDF for --format pdf)")
    add_output(p, ["json", "md", "html", *BINARY], "json")
    p.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="never",
        help="exit 1 when a change is at least this severe (default never)",
    )
    p.add_argument(
        "--source-old",
        metavar="SRC_OLD",
        help="the source-language edition OLD was translated from (with --source-new): a change "
        "the source did not make is reported as translation_changed (minor)",
    )
    p.add_argument("--source-new", metavar="SRC_NEW", help="the source-language edition of NEW")
    add_inputs(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pipeline.diff.compare import diff_descriptions

    if args.format in BINARY and not args.output:
        raise UsageError(None, f"--format {args.format} writes a binary file: give it with -o FILE")
    if args.format == "pdf":
        from pathlib import Path

        from pipeline.extract import sniff_format
        from pipeline.extract.model import SourceFormat

        new = Path(args.new)
        head = new.read_bytes()[:2048] if new.is_file() else b""
        if not head or sniff_format(new, head) is not SourceFormat.pdf:
            raise UsageError(new, "--format pdf annotates the new edition's own pages: NEW must be a PDF")
    if (args.source_old is None) != (args.source_new is None):
        raise UsageError(None, "--source-old and --source-new go together")
    paths = [args.old, args.new] + ([args.source_old, args.source_new] if args.source_old else [])
    _glossary, loaded = load_inputs(args, paths)
    old, new_sd = loaded[0], loaded[1]
    diff = diff_descriptions(*loaded)
    if args.format == "pdf":
        from pipeline.cli.common import limits_from
        from pipeline.extract import extract
        from pipeline.render.redline_pdf import render_redline_pdf

        payload: bytes | str = render_redline_pdf(diff, new, extract(new, limits=limits_from(args)))
    elif args.format == "docx":
        from pipeline.render.redline_docx import render_redline_docx

        payload = render_redline_docx(diff, old, new_sd)
    else:
        from pipeline.render.diff_report import render_diff

        payload = render_diff(diff, args.format)
    emit(payload, args.output)
    return 1 if diff.reaches(args.fail_on) else 0
