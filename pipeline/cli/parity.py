"""``svcdesc parity SOURCE TARGET``: align two language editions and report every mismatch."""

from __future__ import annotations

import argparse

from pipeline.cli.common import add_inputs, add_output, emit, load_inputs

FAIL_ON = ["error", "warning", "info", "never"]
_RANK = {"error": 3, "warning": 2, "info": 1}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "parity",
        help="FR/EN parity: align two editions, find missing text, number/unit/mark/footnote/link/name mismatches",
    )
    p.add_argument(
        "source", metavar="SOURCE", help="source edition (usually English): PDF, Markdown, text or saved JSON"
    )
    p.add_argument("target", metavar="TARGET", help="target edition (usually French), any format")
    add_output(p, ["json", "md", "html", "xliff", "xliff12", "tmx"], "json")
    p.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="error",
        help="exit 1 when a finding has this severity or worse (default error; 'never' always exits 0)",
    )
    add_inputs(p)
    p.set_defaults(func=run)


def fails(severities: list[str], fail_on: str) -> bool:
    if fail_on == "never":
        return False
    return any(_RANK.get(s, 0) >= _RANK[fail_on] for s in severities)


def run(args: argparse.Namespace) -> int:
    from pipeline.parity.compare import check_parity
    from pipeline.render.parity_report import render_parity

    glossary, (source, target) = load_inputs(args, [args.source, args.target])
    parity = check_parity(source, target, glossary=glossary)
    emit(render_parity(parity, args.format), args.output)
    return 1 if fails([f.severity.value for f in parity.findings], args.fail_on) else 0
