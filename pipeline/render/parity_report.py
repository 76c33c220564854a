"""Parity reports: JSON (canonical), Markdown summary, HTML side by side, XLIFF 2.1 / 1.2, TMX.

``render_parity(parity, fmt)`` returns ``str`` for text formats and ``bytes`` for XML ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.parity.model import Parity, ParityFinding, ParityKind
from pipeline.parity.text import find_numbers
from pipeline.render.canonical import canonical_json
from pipeline.render.html import render_page
from pipeline.render.tmx import to_tmx
from pipeline.render.xliff import findings_by_pair, locations, to_xliff12, to_xliff21

FORMATS = ["json", "md", "html", "xliff", "xliff12", "tmx"]


def render_parity(parity: Parity, fmt: str) -> str | bytes:
    if fmt == "json":
        return canonical_json(parity)
    if fmt == "md":
        return to_markdown(parity)
    if fmt == "html":
        return to_html(parity)
    if fmt == "xliff":
        return to_xliff21(parity)
    if fmt == "xliff12":
        return to_xliff12(parity)
    if fmt == "tmx":
        return to_tmx(parity)
    raise ValueError(f"unknown parity format {fmt!r} (expected one of {', '.join(FORMATS)})")


# --- Markdown ---------------------------------------------------------------------------------


def md_cell(text: str, limit: int = 160) -> str:
    """One table cell: pipes and backslashes escaped, newlines folded, long text cut."""
    text = " ".join((text or "").split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;") or " "


def to_markdown(parity: Parity) -> str:
    s = parity.summary
    lines = [
        "# Parity report",
        "",
        f"- Source: `{md_cell(parity.source.source)}` ({parity.source.language or '?'}, {parity.source.edition_date or 'undated'})",
        f"- Target: `{md_cell(parity.target.source)}` ({parity.target.language or '?'}, {parity.target.edition_date or 'undated'})",
        f"- Segments: {s.source_segments} source, {s.target_segments} target; {s.pairs} aligned pairs "
        + "("
        + ", ".join(f"{k}: {v}" for k, v in s.by_alignment.items())
        + ")",
        "",
        "## Findings by kind",
        "",
        "| kind | count |",
        "|---|---:|",
    ]
    lines += [f"| {k} | {v} |" for k, v in s.by_kind.items()] or ["| (none) | 0 |"]
    lines += ["", "| severity | count |", "|---|---:|"]
    lines += [f"| {k} | {v} |" for k, v in s.by_severity.items()] or ["| (none) | 0 |"]
    lines += ["", "## Findings", ""]
    if not parity.findings:
        lines.append("No findings.")
    else:
        lines += [
            "| # | severity | kind | code | message | count | where | source | target |",
            "|---:|---|---|---|---|---:|---|---|---|",
        ]
        for i, f in enumerate(parity.findings, 1):
            where = ", ".join(locations(f)[:5]) + (" …" if f.count > 5 else "")
            lines.append(
                f"| {i} | {f.severity.value} | {f.kind.value} | {f.code} | {md_cell(f.message)} | {f.count} | {md_cell(where)} "
                f"| {md_cell(f.source_text)} | {md_cell(f.target_text)} |"
            )
    return "\n".join(lines) + "\n"


# --- HTML -------------------------------------------------------------------------------------


@dataclass
class Chunk:
    text: str
    mark: bool = False


def _needles(f: ParityFinding, side: str) -> list[str]:
    """Substrings of one side's text a finding points at (highlighted inline)."""
    text = f.source_text if side == "source" else f.target_text
    out: list[str] = []
    d = f.detail
    if f.kind == ParityKind.number_mismatch:
        only = d.get("source_only" if side == "source" else "target_only", "")
        values = {float(v) for v in re.findall(r"[\d.]+", only) if re.fullmatch(r"\d+(?:\.\d+)?", v)}
        lang = "en" if side == "source" else "fr"
        out += [n.text for n in find_numbers(text, lang) if n.value in values and n.text in text]
    if side == "target":
        out += [d[k] for k in ("written", "run") if d.get(k)]
        if d.get("sup"):
            out.append(" ".join(re.sub(r"[\d,*]+", " ", d["sup"]).split()))  # the swallowed words
        if f.kind in (ParityKind.untranslated,) and not d.get("run"):
            out.append(text)
    if side == "source" and f.kind == ParityKind.name_mismatch and d.get("names"):
        out += [n.split(" -> ")[0] for n in d["names"].split(", ")]
    if side == "target" and f.kind == ParityKind.name_mismatch and d.get("names"):
        out += [n.split(" -> ")[-1] for n in d["names"].split(", ") if " -> " in n]
    return [n for n in out if n and n in text]


def chunks(text: str, needles: list[str]) -> list[Chunk]:
    needles = sorted({n for n in needles if n}, key=len, reverse=True)
    if not needles:
        return [Chunk(text)]
    pattern = re.compile("|".join(re.escape(n) for n in needles))
    out, pos = [], 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            out.append(Chunk(text[pos : m.start()]))
        out.append(Chunk(m.group(0), True))
        pos = m.end()
    if pos < len(text):
        out.append(Chunk(text[pos:]))
    return out


def to_html(parity: Parity) -> str:
    by_pair = findings_by_pair(parity)
    rows = []
    for i, p in enumerate(parity.alignment):
        fs = by_pair.get(i, [])
        src_needles = [n for f in fs for n in _needles(f, "source") if n in p.source_text]
        tgt_needles = [n for f in fs for n in _needles(f, "target") if n in p.target_text]
        rows.append(
            {
                "n": i + 1,
                "pair": p,
                "findings": fs,
                "kinds": " ".join(sorted({f.kind.value for f in fs})),
                "worst": next(
                    (s for s in ("error", "warning", "info") if any(f.severity.value == s for f in fs)), ""
                ),
                "src": chunks(p.source_text, src_needles),
                "tgt": chunks(p.target_text, tgt_needles),
            }
        )
    kinds = sorted({f.kind.value for f in parity.findings})
    title = f"Parity: {parity.source.title or parity.source.source} ({parity.source.language} → {parity.target.language})"
    return render_page(
        "parity.html.j2",
        title=title,
        lang=parity.source.language or "en",
        parity=parity,
        rows=rows,
        kinds=kinds,
        unattached=[f for f in parity.findings if not (f.source_ids or f.target_ids)],
    )
