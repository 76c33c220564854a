"""Split an HTML page that is too big into numbered pages, so no published page passes a size limit.

Works on any page of the one base template: the blocks of ``<main>`` are packed into pages in
order; a table too big for a page is cut between rows (its header row repeated); headings stay with
the block that follows them; a section too big for a page gives up its wrapper and its children are
packed instead; ``<style>``/``<script>`` blocks and the first ``<h1>`` are repeated on
every page; links to an anchor that landed on another page point at that page. Page 1 keeps the
original file name (``<stem>.html``), the others are ``<stem>.p2.html`` …, linked by a pager.
A page under the limit is returned unchanged, byte for byte.
"""

from __future__ import annotations

import copy

from lxml import etree
from lxml import html as lxml_html

PAGE_LIMIT = 900_000


def page_name(stem: str, n: int) -> str:
    return f"{stem}.html" if n == 1 else f"{stem}.p{n}.html"


def _size(el) -> int:
    return len(lxml_html.tostring(el, encoding="unicode").encode("utf-8"))


def _split_table(table, budget: int) -> list:
    """``table`` cut into tables of at most ``budget`` bytes (between rows; header rows repeated)."""
    body = table.find("tbody")
    container = body if body is not None else table
    rows = [r for r in container if r.tag == "tr"]
    head = []
    if body is None and rows and all(c.tag == "th" for c in rows[0]):
        head, rows = [rows[0]], rows[1:]
    shell = copy.deepcopy(table)
    shell_body = shell.find("tbody") if body is not None else shell
    for r in [r for r in shell_body if r.tag == "tr"]:
        shell_body.remove(r)
    base = _size(shell) + sum(_size(h) for h in head)
    parts, current, used = [], [], base
    for row in rows:
        n = _size(row)
        if current and used + n > budget:
            parts.append(current)
            current, used = [], base
        current.append(row)
        used += n
    if current or not parts:
        parts.append(current)
    tables = []
    for chunk in parts:
        t = copy.deepcopy(shell)
        target = t.find("tbody") if body is not None else t
        if body is None:
            for h in head:
                target.append(copy.deepcopy(h))
        for row in chunk:
            target.append(row)
        tables.append(t)
    return tables


def paginate(page: str, stem: str, *, limit: int = PAGE_LIMIT) -> list[str]:
    """``page`` as one or more pages of at most about ``limit`` bytes each (see module docstring)."""
    if len(page.encode("utf-8")) <= limit:
        return [page]
    doc = lxml_html.document_fromstring(page)
    main = doc.find(".//main")
    if main is None:
        return [page]
    blocks = list(main)
    for el in blocks:
        main.remove(el)
    skeleton_size = _size(doc) + 4_000  # the pager and its links
    budget = max(limit - skeleton_size, 10_000)
    blocks = _flatten(blocks, budget)
    repeated = [el for el in blocks if el.tag in ("style", "script")]
    title = next((el for el in blocks if el.tag == "h1"), None)
    head = [el for el in repeated if el.tag == "style"] + ([title] if title is not None else [])
    tail = [el for el in repeated if el.tag == "script"]
    fixed = sum(_size(el) for el in head + tail)
    room = max(budget - fixed, 10_000)
    units: list[list] = []  # blocks that travel together (a heading and what follows it)
    carry: list = []
    for el in blocks:
        if el in repeated or el is title:
            continue
        if isinstance(el.tag, str) and el.tag in ("h2", "h3", "h4"):
            carry.append(el)
            continue
        if el.tag == "table" and _size(el) > room // 2:
            pieces = _split_table(el, room // 2)
            units.append([*carry, pieces[0]])
            units.extend([p] for p in pieces[1:])
        else:
            units.append([*carry, el])
        carry = []
    if carry:
        units.append(carry)
    pages: list[list] = [[]]
    used = 0
    for unit in units:
        n = sum(_size(el) for el in unit)
        if pages[-1] and used + n > room:
            pages.append([])
            used = 0
        pages[-1].extend(unit)
        used += n
    where: dict[str, int] = {}
    for i, content in enumerate(pages, 1):
        for el in content:
            for node in el.iter():
                if isinstance(node.tag, str) and node.get("id"):
                    where.setdefault(node.get("id"), i)
    out = []
    for i, content in enumerate(pages, 1):
        d = copy.deepcopy(doc)
        m = d.find(".//main")
        for el in head:
            m.append(copy.deepcopy(el))
        m.append(_pager(stem, i, len(pages)))
        for el in content:
            m.append(copy.deepcopy(el))
        m.append(_pager(stem, i, len(pages)))
        for el in tail:
            m.append(copy.deepcopy(el))
        for a in m.iter("a"):
            href = a.get("href") or ""
            if href.startswith("#") and where.get(href[1:], i) != i:
                a.set("href", page_name(stem, where[href[1:]]) + href)
        body = lxml_html.tostring(d, encoding="unicode", doctype="<!DOCTYPE html>")
        out.append(body + "\n")
    return out


def _flatten(blocks: list, budget: int) -> list:
    """A ``<section>``/``<div>`` too big for a page is replaced by its children (recursively)."""
    out = []
    for el in blocks:
        if isinstance(el.tag, str) and el.tag in ("section", "div", "article") and _size(el) > budget // 2:
            if el.text and el.text.strip():
                out.append(_wrap_text(el.text))
            out.extend(_flatten(list(el), budget))
        else:
            out.append(el)
    return out


def _wrap_text(text: str):
    p = etree.Element("p")
    p.text = text
    return p


def _pager(stem: str, current: int, total: int):
    nav = etree.Element("nav", {"class": "pager"})
    nav.text = f"Page {current} of {total}: "
    for n in range(1, total + 1):
        if n == current:
            el = etree.SubElement(nav, "strong")
        else:
            el = etree.SubElement(nav, "a", href=page_name(stem, n))
        el.text = str(n)
        el.tail = " "
    return nav
