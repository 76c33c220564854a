"""``svcdesc validate INPUT…``: intra-document findings (V1xx checks plus normalize's own findings).

Exit 0 when no finding reaches ``--fail-on``, 1 when one does. One input that cannot be read raises
its typed error (exit 2); in a batch, a bad input is reported on stderr, the others are still
validated, and the exit code is 2.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from pipeline.cli.common import (
    add_glossary,
    add_limits,
    add_output,
    emit,
    limits_from,
    load_glossary_arg,
    load_warned,
)
from pipeline.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, SvcdescError

if TYPE_CHECKING:  # the models import the whole normalize stage: not for `svcdesc --help` or other commands
    from pipeline.normalize.model import Finding

#: FindingSeverity values ((str, Enum): a member looks up as its value)
_RANK = {"info": 0, "warning": 1, "error": 2}
_FAIL_ON = {"info": 0, "warning": 1, "error": 2, "never": 99}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check one or more descriptions for internal inconsistencies")
    p.add_argument("inputs", metavar="INPUT", nargs="+", help="PDF, Markdown, text or saved description JSON")
    add_output(p, ["json", "md", "text"], "text")
    p.add_argument(
        "--fail-on",
        choices=list(_FAIL_ON),
        default="error",
        help="exit 1 when a finding has this severity or worse (default error; 'never' always exits 0)",
    )
    add_glossary(p)
    add_limits(p)
    p.set_defaults(func=run)


def findings_for(description) -> list[Finding]:  # noqa: ANN001 - a ServiceDescription
    """Normalize's findings, then the checks' (deduplicated, stable order)."""
    from pipeline.checks.document import validate_description

    out: list[Finding] = []
    seen: set[str] = set()
    for f in [*description.findings, *validate_description(description)]:
        key = f.model_dump_json()
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _where(f: Finding) -> str:
    parts = []
    if f.prov:
        p = f.prov[0]
        if p.page is not None:
            parts.append(f"p.{p.page}")
        elif p.line_start is not None:
            parts.append(f"l.{p.line_start}")
    if f.segment_id:
        parts.append(f.segment_id)
    elif f.offer_id:
        parts.append(f.offer_id)
    return " ".join(parts)


def render(results: list[dict], fmt: str) -> str:
    if fmt == "json":
        from pipeline.render.canonical import canonical_json

        return canonical_json({"inputs": results, "summary": _summary(results)})
    lines: list[str] = []
    if fmt == "md":
        lines.append("# Validation report\n")
        for r in results:
            lines.append(f"## {r['path']}\n")
            if not r["findings"]:
                lines.append("No findings.\n")
                continue
            lines.append("| severity | code | where | message |")
            lines.append("| --- | --- | --- | --- |")
            for f in r["findings"]:
                msg = f.message.replace("|", "\\|")
                lines.append(f"| {f.severity.value} | {f.code} | {_where(f)} | {msg} |")
            lines.append("")
        s = _summary(results)
        lines.append(f"**{s['error']} errors, {s['warning']} warnings, {s['info']} info**")
        return "\n".join(lines) + "\n"
    for r in results:
        for f in r["findings"]:
            where = _where(f)
            lines.append(
                f"{r['path']}: {f.severity.value} {f.code}{' [' + where + ']' if where else ''} {f.message}"
            )
    s = _summary(results)
    lines.append(
        f"{len(results)} input(s): {s['error']} error(s), {s['warning']} warning(s), {s['info']} info"
    )
    return "\n".join(lines) + "\n"


def _summary(results: list[dict]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for r in results:
        for f in r["findings"]:
            counts[f.severity.value] += 1
    return counts


def run(args: argparse.Namespace) -> int:

    glossary = load_glossary_arg(args)
    limits = limits_from(args)
    results: list[dict] = []
    bad = 0
    for path in args.inputs:
        try:
            description = load_warned(path, args, glossary, limits)
        except SvcdescError as exc:
            if len(args.inputs) == 1:
                raise
            print(f"svcdesc: {exc.message}", file=sys.stderr)
            bad += 1
            continue
        results.append(
            {
                "path": path,
                "title": description.document.title,
                "language": description.document.language,
                "edition_date": description.document.edition_date,
                "findings": findings_for(description),
            }
        )
    emit(render(results, args.format), args.output)
    if bad:
        return EXIT_INPUT
    threshold = _FAIL_ON[args.fail_on]
    worst = max((_RANK[f.severity] for r in results for f in r["findings"]), default=-1)
    return EXIT_FINDINGS if worst >= threshold else EXIT_OK
