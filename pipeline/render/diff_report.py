"""Diff and history reports: canonical JSON, a Markdown PR comment, a self-contained HTML page.

Markdown cells are escaped (``|``, newlines, HTML, and a leading ``= + - @`` that a spreadsheet
would run as a formula); HTML goes through the one autoescaping jinja2 environment.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pipeline.diff.model import SEVERITY_ORDER, Change, Diff, EditionSummary, History, RedlineOp
from pipeline.errors import UsageError
from pipeline.extract.model import Provenance
from pipeline.render import escape
from pipeline.render.canonical import canonical_json
from pipeline.render.html import render_page

FORMATS = ("json", "md", "html")
MD_MAX_ROWS = 200
MD_MAX_CELL = 160


def md_cell(value: Any, limit: int = MD_MAX_CELL) -> str:
    """One Markdown table cell: single line and bounded, then the shared escaping (pipes, HTML,
    backslashes), and a leading ``= + - @`` neutralised so a spreadsheet paste is not a formula."""
    text = " ".join(str(value).split()) if value is not None else ""
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    text = escape.md_cell(text).replace("`", "\\`")
    if text.startswith(escape.FORMULA_LEADS):
        text = "\\" + text
    return text or " "


def prov_label(prov: list[Provenance]) -> str:
    """'p. 3' / 'p. 3–4' for PDF, 'l. 12–14' for text sources, '' when unknown."""
    pages = sorted({p.page for p in prov if p.page is not None})
    if pages:
        return f"p. {pages[0]}" + (f"–{pages[-1]}" if pages[-1] != pages[0] else "")
    lines = sorted(
        {p.line_start for p in prov if p.line_start is not None}
        | {p.line_end for p in prov if p.line_end is not None}
    )
    if lines:
        return f"l. {lines[0]}" + (f"–{lines[-1]}" if lines[-1] != lines[0] else "")
    return ""


def prov_anchor(source: str, prov: list[Provenance]) -> str | None:
    """A link target for the first place: ``file.pdf#page=3`` or ``file.md#L12`` (GitHub style)."""
    pages = sorted({p.page for p in prov if p.page is not None})
    if pages and source.lower().endswith(".pdf"):
        return f"{source}#page={pages[0]}"
    lines = sorted({p.line_start for p in prov if p.line_start is not None})
    if lines and not source.lower().endswith((".pdf", ".json")):
        return f"{source}#L{lines[0]}"
    return None


def _edition_line(e: EditionSummary) -> str:
    name = e.source.rsplit("/", 1)[-1] if e.source else "?"
    return f"{e.title or name} — {e.edition_date or 'undated'} ({e.format or '?'}, {name})"


# ---------------------------------------------------------------- diff


def render_diff(diff: Diff, fmt: str) -> str:
    if fmt == "json":
        return canonical_json(diff)
    if fmt == "md":
        return diff_markdown(diff)
    if fmt == "html":
        return diff_html(diff)
    raise UsageError(None, f"unknown diff format {fmt!r}; expected one of {', '.join(FORMATS)}")


def diff_markdown(diff: Diff) -> str:
    out = [
        "## svcdesc diff",
        "",
        f"- **old:** {md_cell(_edition_line(diff.old), 300)}",
        f"- **new:** {md_cell(_edition_line(diff.new), 300)}",
        "",
        "| " + " | ".join(s.value for s in SEVERITY_ORDER) + " |",
        "|" + "---:|" * len(SEVERITY_ORDER),
        "| " + " | ".join(str(diff.counts.get(s.value, 0)) for s in SEVERITY_ORDER) + " |",
        "",
    ]
    material = diff.material()
    if not diff.changes:
        out.append("No changes.")
    elif not material:
        out.append("No material change (breaking or major).")
    else:
        out += [
            f"### Material changes ({len(material)})",
            "",
            "| severity | kind | offer | subject | old | new | where (old → new) |",
            "|---|---|---|---|---|---|---|",
        ]
        for c in material[:MD_MAX_ROWS]:
            old = c.old if c.old is not None else c.old_text
            new = c.new if c.new is not None else c.new_text
            where = f"{prov_label(c.old_prov) or '–'} → {prov_label(c.new_prov) or '–'}"
            out.append(
                "| "
                + " | ".join(
                    md_cell(v)
                    for v in (
                        c.severity.value,
                        c.kind.value,
                        c.offer_id or "",
                        c.subject or "",
                        old,
                        new,
                        where,
                    )
                )
                + " |"
            )
        if len(material) > MD_MAX_ROWS:
            out.append(
                f"\n…and {len(material) - MD_MAX_ROWS} more material changes (see the JSON or HTML report)."
            )
    rest = [c for c in diff.changes if not c.material()]
    if rest:
        out += ["", f"<details><summary>{len(rest)} minor/cosmetic changes</summary>", ""]
        for c in rest[:MD_MAX_ROWS]:
            what = c.summary or c.kind.value
            detail = c.new_text or c.old_text or ""
            out.append(
                f"- {c.severity.value} · {c.kind.value}: {md_cell(what, 120)} — {md_cell(detail, 120)}"
            )
        if len(rest) > MD_MAX_ROWS:
            out.append(f"- …and {len(rest) - MD_MAX_ROWS} more")
        out += ["", "</details>"]
    return "\n".join(out) + "\n"


def _sides(c: Change) -> tuple[list[dict], list[dict]]:
    """Split a redline into the old column (kept + deleted) and the new column (kept + inserted)."""
    left, right = [], []
    for span in c.redline:
        if span.op is RedlineOp.equal:
            left.append({"op": "equal", "text": span.text})
            right.append({"op": "equal", "text": span.text})
        elif span.op is RedlineOp.delete:
            left.append({"op": "delete", "text": span.text})
        else:
            right.append({"op": "insert", "text": span.text})
    if not c.redline:
        if c.old_text or c.old:
            left.append(
                {"op": "delete" if not (c.new_text or c.new) else "equal", "text": c.old_text or c.old}
            )
        if c.new_text or c.new:
            right.append(
                {"op": "insert" if not (c.old_text or c.old) else "equal", "text": c.new_text or c.new}
            )
    return left, right


def _view(c: Change, i: int, diff: Diff) -> dict:
    left, right = _sides(c)
    return {
        "n": i,
        "c": c,
        "left": left,
        "right": right,
        "old_where": prov_label(c.old_prov),
        "new_where": prov_label(c.new_prov),
        "old_href": prov_anchor(diff.old.source, c.old_prov),
        "new_href": prov_anchor(diff.new.source, c.new_prov),
    }


def diff_html(diff: Diff) -> str:
    views = [_view(c, i, diff) for i, c in enumerate(diff.changes, 1)]
    by_offer: dict[str, list[dict]] = defaultdict(list)
    other: dict[str, list[dict]] = defaultdict(list)
    for v in views:
        c: Change = v["c"]
        if c.offer_id:
            by_offer[c.offer_id].append(v)
        else:
            other[c.section_id or "(document)"].append(v)
    return render_page(
        "diff.html.j2",
        title=f"Diff: {diff.old.title or 'old'} → {diff.new.title or 'new'}",
        lang=diff.new.language or "en",
        diff=diff,
        old_line=_edition_line(diff.old),
        new_line=_edition_line(diff.new),
        severities=[s.value for s in SEVERITY_ORDER],
        material=[v for v in views if v["c"].material()],
        offers=sorted(by_offer.items()),
        other=sorted(other.items()),
    )


# ---------------------------------------------------------------- history


def render_history(hist: History, fmt: str) -> str:
    if fmt == "json":
        return canonical_json(hist)
    if fmt == "md":
        return history_markdown(hist)
    if fmt == "html":
        labels = [e.edition_date or e.source.rsplit("/", 1)[-1] for e in hist.editions]
        return render_page(
            "diff_history.html.j2",
            title=f"History: {hist.editions[-1].title if hist.editions else ''}",
            lang=(hist.editions[-1].language if hist.editions else None) or "en",
            hist=hist,
            labels=labels,
        )
    raise UsageError(None, f"unknown history format {fmt!r}; expected one of {', '.join(FORMATS)}")


def history_markdown(hist: History) -> str:
    labels = [e.edition_date or e.source.rsplit("/", 1)[-1] for e in hist.editions]
    out = ["## svcdesc history", ""]
    for lab, e in zip(labels, hist.editions, strict=True):
        out.append(f"- **{md_cell(lab)}**: {md_cell(_edition_line(e), 300)}")
    out += ["", "### Offers", "", "| offer | " + " | ".join(md_cell(x) for x in labels) + " | changes |"]
    out.append("|---|" + "---|" * len(labels) + "---|")
    for tl in hist.offers:
        cells = [md_cell(tl.states.get(lab) or "—") for lab in labels]
        events = "; ".join(f"{e.edition}: {e.summary}" for e in tl.events)
        out.append(f"| {md_cell(tl.name)} | " + " | ".join(cells) + f" | {md_cell(events, 400)} |")
    if hist.document_events:
        out += ["", "### Document-level changes", "", "| edition | severity | kind | subject | old | new |"]
        out.append("|---|---|---|---|---|---|")
        for e in hist.document_events:
            out.append(
                "| "
                + " | ".join(
                    md_cell(v) for v in (e.edition, e.severity.value, e.kind.value, e.subject, e.old, e.new)
                )
                + " |"
            )
    return "\n".join(out) + "\n"
