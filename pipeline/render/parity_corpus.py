"""The corpus-wide parity page (``parity/corpus.html``): inconsistencies across editions, learned names.

Each issue shows its distinct (source, target) renderings once, each with the editions that use it
(linked to the row of the edition's report), so a long list stays readable and small.
"""

from __future__ import annotations

from typing import Any

from pipeline.render.html import render_page


def _variants(issue: dict[str, Any]) -> list[dict[str, Any]]:
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for o in issue["occurrences"]:
        v = out.setdefault(
            (o["source_text"], o["target_text"]),
            {"source": o["source_text"], "target": o["target_text"], "places": []},
        )
        where = o["source_loc"]
        v["places"].append(
            {
                "label": f"{o['document']} {o['edition']}",
                "href": f"{o['document']}/{o['edition']}.html" + (f"#p{o['row']}" if o.get("row") else ""),
                "loc": f"p. {where['page']}" if "page" in where else f"line {where.get('line_start', '?')}",
            }
        )
    return list(out.values())


def render_corpus_html(data: dict[str, Any]) -> str:
    issues = [{**i, "variants": _variants(i)} for i in data["inconsistencies"]]
    return render_page(
        "parity_corpus.html.j2",
        title="Parity across the corpus",
        issues=issues,
        terms=data["terms"],
        n_target=sum(1 for i in issues if i["code"] == "P150"),
        n_source=sum(1 for i in issues if i["code"] == "P151"),
    )
