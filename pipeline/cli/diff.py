"""``svcdesc diff OLD NEW``: material changes between two editions; exit 1 at/above --fail-on."""

from __future__ import annotations

import argparse

from pipeline.cli.common import add_inputs, add_output, emit, load_inputs

FAIL_ON = ["breaking", "major", "minor", "cosmetic", "never"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "diff",
        help="compare two editions (PDF, Markdown or saved JSON, any mix)",
        description="Compare two editions of a service description: offers added/removed/renamed, "
        "availability, response times, facts, conditions, and a word-level redline of the text.",
    )
    p.add_argument(
        "old", metavar="OLD", help="older edition: PDF, Markdown, text or saved ServiceDescription JSON"
    )
    p.add_argument("new", metavar="NEW", help="newer edition, same forms")
    add_output(p, ["json", "md", "html"], "json")
    p.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="never",
        help="exit 1 when a change is at least this severe (default never)",
    )
    add_inputs(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pipeline.diff.compare import diff_descriptions
    from pipeline.render.diff_report import render_diff

    _glossary, (old, new) = load_inputs(args, [args.old, args.new])
    diff = diff_descriptions(old, new)
    emit(render_diff(diff, args.format), args.output)
    return 1 if diff.reaches(args.fail_on) else 0
