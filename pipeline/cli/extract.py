"""``svcdesc extract INPUT``: the ServiceDescription (default) or the raw document model."""

from __future__ import annotations

import argparse

from pipeline.cli.common import (
    add_glossary,
    add_limits,
    add_output,
    emit,
    limits_from,
    load_glossary_arg,
    load_warned,
    warn_damaged,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="extract one file to the offer schema (or the document model)")
    p.add_argument("input", metavar="INPUT", help="PDF, Markdown or text file")
    p.add_argument(
        "--stage",
        choices=["description", "document"],
        default="description",
        help="'description': offers, SLA tables, facts, segments (default); 'document': layout blocks",
    )
    add_output(p, ["json", "xml"], "json")
    add_glossary(p)
    add_limits(p)
    p.set_defaults(func=run, preload=preload)


def preload(args: argparse.Namespace) -> list[str]:
    """The modules :func:`run` imports for this input (see :func:`pipeline.cli.settle`)."""
    from pathlib import Path

    from pipeline.extract import READERS

    suffix = Path(args.input).suffix.lower()
    readers = [r.module for r in READERS.values() if suffix in r.suffixes]
    stages = ["pipeline.normalize", "pipeline.catalog.loader"] if args.stage == "description" else []
    return ["pipeline.extract", *readers, *stages, "pipeline.render.canonical"]


def run(args: argparse.Namespace) -> int:
    from pipeline.render.canonical import canonical_json

    limits = limits_from(args)
    if args.stage == "document":
        from pipeline.extract import extract

        document = extract(args.input, limits=limits)
        if document.damaged_pages:
            from pipeline.normalize import damage_findings

            warn_damaged(args.input, damage_findings(document))
        if args.format == "xml":
            from pipeline.errors import UsageError

            raise UsageError(None, "--format xml is for --stage description; the document model is JSON only")
        emit(canonical_json(document), args.output)
        return 0
    description = load_warned(args.input, args, load_glossary_arg(args), limits)
    if args.format == "xml":
        from pipeline.render.xml import description_to_xml

        emit(description_to_xml(description), args.output)
    else:
        emit(canonical_json(description), args.output)
    return 0
