"""The corpus-wide parity page (``parity/corpus.html``): inconsistencies across editions, learned names."""

from __future__ import annotations

from typing import Any

from pipeline.render.html import render_page


def render_corpus_html(data: dict[str, Any]) -> str:
    issues = data["inconsistencies"]
    return render_page(
        "parity_corpus.html.j2",
        title="Parity across the corpus",
        issues=issues,
        terms=data["terms"],
        n_target=sum(1 for i in issues if i["code"] == "P150"),
        n_source=sum(1 for i in issues if i["code"] == "P151"),
    )
