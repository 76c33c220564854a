"""``svcdesc history EDITION…``: a timeline per offer over N editions of one document."""

from __future__ import annotations

import argparse

from pipeline.cli.common import add_inputs, add_output, emit, load_inputs


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "history",
        help="timeline of offer availability, SLA and fact changes over several editions",
        description="Sort editions by date and show, per offer, which edition introduced each "
        "availability, response-time and fact change.",
    )
    p.add_argument("editions", metavar="EDITION", nargs="+", help="editions of one document (any format mix)")
    add_output(p, ["json", "md", "html"], "json")
    p.add_argument(
        "--sources",
        metavar="SOURCE",
        nargs="+",
        help="source-language editions the EDITIONs were translated from (paired by edition date): "
        "a change the source did not make is not a service change",
    )
    add_inputs(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pipeline.diff.history import history
    from pipeline.render.diff_report import render_history

    _glossary, descriptions = load_inputs(args, [*args.editions, *(args.sources or [])])
    editions, sources = descriptions[: len(args.editions)], descriptions[len(args.editions) :]
    emit(render_history(history(editions, sources or None), args.format), args.output)
    return 0
