"""``svcdesc glossary suggest SOURCE TARGET``: propose term pairs from two aligned editions."""

from __future__ import annotations

import argparse
import json

from pipeline.cli.common import add_limits, emit, limits_from, load_warned


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("glossary", help="glossary tools (suggest term pairs from aligned FR/EN editions)")
    gsub = p.add_subparsers(dest="glossary_command", metavar="ACTION")
    gsub.required = True
    s = gsub.add_parser(
        "suggest", help="propose EN/FR term pairs (headings, table names, kept names) for review"
    )
    s.add_argument("source", metavar="SOURCE", help="English edition (PDF, Markdown, text or saved JSON)")
    s.add_argument("target", metavar="TARGET", help="French edition, any format")
    s.add_argument("--format", choices=["tbx", "json"], default="tbx", help="output format (default tbx)")
    s.add_argument("-o", "--output", metavar="OUT", help="write here (atomically) instead of stdout")
    s.add_argument(
        "--min-count", type=int, default=1, help="keep terms seen at least this many times (default 1)"
    )
    add_limits(s)
    s.set_defaults(func=run_suggest)


def run_suggest(args: argparse.Namespace) -> int:
    from pipeline.parity.glossary import suggest_terms
    from pipeline.render.tmx import to_tbx

    limits = limits_from(args)
    source = load_warned(args.source, args, None, limits)
    target = load_warned(args.target, args, None, limits)
    terms = [t for t in suggest_terms(source, target) if t.count >= args.min_count]
    if args.format == "json":
        emit(
            json.dumps([t.as_dict() for t in terms], ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            args.output,
        )
    else:
        note = f"svcdesc glossary suggest: {source.document.source} ({source.document.edition_date or 'undated'}) -> {target.document.source}"
        emit(to_tbx(terms, source_note=note), args.output)
    return 0
