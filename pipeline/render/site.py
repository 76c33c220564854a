"""The static comparison site: ``index.html`` (every document, with search and filters) and one page
per document (``docs/<document>.html``: offers x editions, SLA matrix, offers x languages, history,
links to every diff and parity report).

Reads catalog documents (duck-typed: documents -> editions -> languages -> offers / sla) and renders
through the one autoescaping jinja2 environment. No external asset and no data in scripts: the
index's rows carry their filter values as attributes and one small inline script hides the rows that
do not match, so it works offline, from ``file://``. Filters can be set in the URL
(``index.html#q=exchange&lang=fr&sev=major&since=2021-04-09``).
"""

from __future__ import annotations

from typing import Any

from pipeline.render.html import render_page
from pipeline.textutil import slugify

LABELS = {
    "included": "✓ included",
    "additional": "+ add-on",
    "included_conditional": "✓ conditional",
    "additional_limited": "+ limited",
    "not_available": "✗ no",
    "unknown": "?",
}


def minutes_label(minutes: int | None, business: bool, text: str) -> str:
    if minutes is None:
        return text or "—"
    if minutes % 1440 == 0 and minutes >= 1440:
        label = f"{minutes // 1440} d"
    elif minutes % 60 == 0 and minutes >= 60:
        label = f"{minutes // 60} h"
    else:
        label = f"{minutes} min"
    return label + (" (business)" if business else "")


def sla_label(target: Any) -> str:
    """A target's value: "99.9 %" for a percentage, else the time; the coverage when said."""
    if target.percent is not None:
        label = f"{target.percent:g} %"
    else:
        label = minutes_label(target.minutes, target.business_hours, target.text)
    return f"{label} [{target.coverage}]" if target.coverage else label


def _offer_label(offer: Any) -> tuple[str, str, str]:
    """(css class, label, tooltip) of one offer in one edition."""
    av = offer.availability
    label = LABELS.get(av, av)
    if av == "unknown" and offer.plan_values:
        yes = sum(1 for p in offer.plan_values if p.availability in {"included", "included_conditional"})
        label = f"{yes}/{len(offer.plan_values)} plans"
    mark = offer.availability_mark
    if (
        mark and av != "unknown" and len(mark) <= 3
    ):  # a glyph (✓, +, ●) replaces ours; words go in the tooltip
        label = f"{mark} {label.split(' ', 1)[-1]}"
    title = "; ".join(f"{p.plan}: {p.text}" for p in offer.plan_values) or (f"{mark} ({av})" if mark else av)
    return av, label, title


def _matrix_lang(doc: Any) -> str:
    langs = {lang.lang for ed in doc.editions for lang in ed.languages}
    return "en" if "en" in langs else (sorted(langs)[0] if langs else "en")


def document_view(doc: Any) -> dict:
    editions = [ed.edition for ed in doc.editions]
    lang = _matrix_lang(doc)
    per_edition = {ed.edition: {lv.lang: lv for lv in ed.languages} for ed in doc.editions}

    # Offers x editions (in the matrix language).
    order: dict[str, str] = {}
    for ed in editions:
        if (lv := per_edition[ed].get(lang)) is not None:
            for offer in lv.offers:
                order.setdefault(offer.id, offer.name)
    offer_rows = []
    for oid, name in order.items():
        cells, previous = [], None
        for ed in editions:
            lv = per_edition[ed].get(lang)
            offer = next((o for o in lv.offers if o.id == oid), None) if lv else None
            if offer is None:
                cell = {
                    "cls": "absent",
                    "label": "—",
                    "title": "not in this edition",
                    "changed": previous not in (None, "—"),
                }
                previous = "—"
            else:
                cls, label, title = _offer_label(offer)
                cell = {
                    "cls": cls,
                    "label": label,
                    "title": title,
                    "changed": previous is not None and previous != label,
                }
                previous = label
            cells.append(cell)
        offer_rows.append({"id": oid, "name": name, "cells": cells})

    # SLA: metric x severity x scope (plan) x edition.
    sla_keys: dict[tuple[str, str, str], str] = {}
    for ed in editions:
        if (lv := per_edition[ed].get(lang)) is not None:
            for s in lv.sla:
                sla_keys.setdefault((s.metric, s.severity, s.scope_id), s.scope)
    sla_rows = []
    for (metric, severity, scope_id), scope in sorted(sla_keys.items()):
        cells, previous = [], None
        for ed in editions:
            lv = per_edition[ed].get(lang)
            hit = (
                next(
                    (s for s in lv.sla if (s.metric, s.severity, s.scope_id) == (metric, severity, scope_id)),
                    None,
                )
                if lv
                else None
            )
            label = sla_label(hit) if hit else "—"
            cells.append(
                {
                    "label": label,
                    "title": hit.text if hit else "",
                    "changed": previous is not None and label != previous,
                }
            )
            previous = label
        sla_rows.append(
            {
                "metric": metric.replace("_", " "),
                "severity": severity or "all",
                "scope": scope,
                "cells": cells,
            }
        )

    # Offers x languages (every edition, every language).
    lang_cols = [
        (ed, lv.lang) for ed in editions for lv in sorted(per_edition[ed].values(), key=lambda v: v.lang)
    ]
    ids: dict[str, None] = {}
    for ed, lg in lang_cols:
        for offer in per_edition[ed][lg].offers:
            ids.setdefault(offer.id, None)
    lang_rows = []
    for oid in ids:
        cells = []
        for ed, lg in lang_cols:
            offer = next((o for o in per_edition[ed][lg].offers if o.id == oid), None)
            if offer is None:
                cells.append({"cls": "absent", "label": "—", "title": "", "ed": ed, "mismatch": False})
            else:
                cls, label, title = _offer_label(offer)
                cells.append(
                    {"cls": cls, "label": label, "title": title, "ed": ed, "mismatch": False, "av": cls}
                )
        for ed in editions:  # flag an edition whose languages disagree about an offer
            group = [c for c in cells if c["ed"] == ed]
            if len({c.get("av", "absent") for c in group}) > 1:
                for c in group:
                    c["mismatch"] = True
        lang_rows.append({"id": oid, "cells": cells})

    title = doc.title
    return {
        "doc": doc,
        "id": doc.id,
        "title": title,
        "anchor": "doc-" + slugify(doc.id, max_len=120),
        "editions": editions,
        "langs": sorted({lv.lang for ed in doc.editions for lv in ed.languages}),
        "n_offers": len(ids),
        "n_sla": len(sla_keys),
        "matrix_lang": lang,
        "offer_rows": offer_rows,
        "sla_rows": sla_rows,
        "lang_cols": lang_cols,
        "lang_rows": lang_rows,
    }


def history(doc: Any) -> list[dict]:
    """Per edition: languages, offers and SLA rows (matrix language), findings, and the changes
    since the previous edition (diff counts summed over languages)."""
    lang = _matrix_lang(doc)
    rows = []
    for ed in doc.editions:
        lv = next((x for x in ed.languages if x.lang == lang), None)
        findings: dict[str, int] = {}
        for x in ed.languages:
            for c in x.findings:
                findings[c.name] = findings.get(c.name, 0) + c.count
        changes: dict[str, int] = {}
        for r in doc.diffs:
            if r.new == ed.edition:
                for c in r.counts:
                    changes[c.name] = changes.get(c.name, 0) + c.count
        rows.append(
            {
                "edition": ed.edition,
                "langs": [x.lang for x in ed.languages],
                "offers": len(lv.offers) if lv else 0,
                "sla": len(lv.sla) if lv else 0,
                "findings": [(k, v) for k, v in findings.items() if v],
                "changes": [(k, v) for k, v in changes.items() if v],
            }
        )
    return rows


def render_document_page(doc: Any, *, root: str = "", title: str = "Service descriptions") -> str:
    """The page of one document; ``root`` is the relative path back to OUT (``../`` per level)."""
    return render_page(
        "site_document.html.j2",
        title=f"{doc.title or doc.id} · {title}",
        lang="en",
        d=document_view(doc),
        history=history(doc),
        root=root,
    )


MATERIAL = {"breaking", "major", "minor"}


def index_row_of(doc: Any, href: str) -> dict:
    """What the index shows and filters on for one document (kept for every document: small)."""
    counts: dict[str, int] = {}
    offers: set[str] = set()
    n_sla = 0
    for ed in doc.editions:
        for lv in ed.languages:
            for c in lv.findings:
                counts[c.name] = counts.get(c.name, 0) + c.count
            offers.update(o.id for o in lv.offers)
    lang = _matrix_lang(doc)
    if doc.editions:
        lv = next((x for x in doc.editions[-1].languages if x.lang == lang), None)
        n_sla = len(lv.sla) if lv else 0
    changed: set[str] = set()
    for r in [*doc.diffs, *doc.parity]:
        present = {c.name for c in r.counts if c.count}
        for c in r.counts:
            counts[c.name] = counts.get(c.name, 0) + c.count
        if r.kind == "diff" and present & MATERIAL:
            changed.add(r.new)
    return {
        "id": doc.id,
        "title": doc.title or doc.id,
        "href": href,
        "editions": [ed.edition for ed in doc.editions],
        "langs": sorted({lv.lang for ed in doc.editions for lv in ed.languages}),
        "offers": len(offers),
        "sla": n_sla,
        "severities": sorted((k for k, v in counts.items() if v), key=_severity_rank),
        "counts": {k: v for k, v in counts.items() if v},
        "changed": sorted(changed),
        "diffs": len(doc.diffs),
        "parity": len(doc.parity),
    }


_SEVERITY_ORDER = ["error", "warning", "info", "breaking", "major", "minor", "cosmetic"]


def _severity_rank(name: str) -> tuple[int, str]:
    return (_SEVERITY_ORDER.index(name) if name in _SEVERITY_ORDER else len(_SEVERITY_ORDER), name)


def render_index(
    rows: list[dict],
    *,
    tool_version: str,
    build_date: str | None,
    problems: list,
    unknown: list[str],
    formats: set[str],
    title: str = "Service descriptions",
    corpus_parity: bool = False,
) -> str:
    """``index.html``: every document in one filterable table (search, language, severity, changed since).

    ``corpus_parity``: link the corpus-wide parity page (``parity/corpus.html``)."""
    langs = sorted({lang for r in rows for lang in r["langs"]})
    editions = sorted({e for r in rows for e in r["editions"]}, reverse=True)
    severities = sorted({s for r in rows for s in r["severities"]}, key=_severity_rank)
    return render_page(
        "site_index.html.j2",
        corpus_parity=corpus_parity,
        title=title,
        lang="en",
        rows=rows,
        langs=langs,
        editions=editions,
        severities=severities,
        tool_version=tool_version,
        build_date=build_date,
        problems=problems,
        unknown=unknown,
        n_editions=sum(len(r["editions"]) for r in rows),
        has_json="json" in formats,
        has_xml="xml" in formats,
        has_sqlite="sqlite" in formats,
        has_junit="junit" in formats,
        has_sarif="sarif" in formats,
    )


def render_site_index(catalog: Any, *, formats: set[str], title: str = "Service descriptions") -> str:
    """The index of a whole catalog held in memory (small catalogs, tests)."""
    rows = [index_row_of(d, f"docs/{d.id}.html") for d in catalog.documents]
    return render_index(
        rows,
        tool_version=catalog.tool_version,
        build_date=catalog.build_date,
        problems=catalog.problems,
        unknown=catalog.unknown_files,
        formats=set(formats) | {"json"},
        title=title,
    )
