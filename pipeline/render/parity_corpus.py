"""The corpus-wide parity page (``parity/corpus.html``): inconsistencies across editions, learned names.

Each issue shows its distinct (source, target) renderings once, each with the editions that use it
(linked to the row of the edition's report), so a long list stays readable and small. The page is
made in pages of at most about 1 MB, one issue at a time (:func:`corpus_pages`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from markupsafe import Markup

from pipeline.render.html import environment, render_page
from pipeline.render.paginate import page_name


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
    """The whole page in one (its issues and learned names in ``data``, as ``parity/corpus.json``)."""
    return "".join(corpus_pages(lambda: iter(data["inconsistencies"]), data["terms"], limit=None))


def corpus_pages(
    issues: Callable[[], Iterator[dict[str, Any]]], terms: dict[str, Any], *, limit: int | None
) -> Iterator[str]:
    """The page as pages of at most about ``limit`` bytes (``corpus.html``, ``corpus.p2.html`` …,
    linked by a pager), made one issue at a time: ``issues()`` is iterated twice (sizes, then
    pages), so neither the issues nor the page are ever whole in memory (at 2,000 editions the page
    is about 9 MB). An issue bigger than a page on its own gets a page of its own."""
    section = environment().get_template("parity_corpus_issue.html.j2")

    def sections() -> Iterator[tuple[str, str]]:
        for n, issue in enumerate(issues(), 1):
            yield issue["code"], section.render(issue={**issue, "variants": _variants(issue)}, n=n)

    def page(k: int, total: int, chunk: list[str]) -> str:
        return render_page(
            "parity_corpus.html.j2",
            title="Parity across the corpus",
            page=k,
            last=k == total,
            pager=Markup(_pager(k, total)),
            sections=[Markup(x) for x in chunk],
            terms=terms,
            **counts,
        )

    counts = {"n_issues": 0, "n_target": 0, "n_source": 0}
    # what every page carries besides its issues: the first page's intro, the last page's names
    frame = max(len(page(k, 99, []).encode("utf-8")) for k in (1, 99))
    budget = None if limit is None else max(limit - frame, 10_000)
    sizes: list[int] = [0]  # issues per page
    used = 0
    for code, html in sections():
        n = len(html.encode("utf-8"))
        if budget is not None and sizes[-1] and used + n > budget:
            sizes.append(0)
            used = 0
        sizes[-1] += 1
        used += n
        counts["n_issues"] += 1
        counts["n_target" if code == "P150" else "n_source"] += 1
    made = sections()
    for k, count in enumerate(sizes, 1):
        yield page(k, len(sizes), [next(made)[1] for _ in range(count)])


def _pager(current: int, total: int) -> str:
    if total == 1:
        return ""
    links = " ".join(
        f"<strong>{n}</strong>" if n == current else f'<a href="{page_name("corpus", n)}">{n}</a>'
        for n in range(1, total + 1)
    )
    return f'<nav class="pager">Page {current} of {total}: {links} </nav>'
