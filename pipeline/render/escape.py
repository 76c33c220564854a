"""Escaping for text we did not write, in the plain-text output formats (Markdown tables, CSV).

HTML is escaped by the one jinja2 environment (``pipeline.render.html``); these helpers cover the
rest. Document text is untrusted: a cell holding ``a | b`` must not split a Markdown table row, a
cell holding ``</table><script>`` must not become markup when the Markdown is rendered to HTML, and a
CSV cell holding ``=HYPERLINK(...)`` must not become a formula when a spreadsheet opens the file.
"""

from __future__ import annotations

import re

#: First characters that make a spreadsheet (Excel, LibreOffice, Sheets) read a cell as a formula.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d[\d\s.,\u00a0\u202f]*%?$")
_NEWLINES = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def md_text(text: str | None) -> str:
    """Escape text for inline Markdown: backslashes, HTML-active characters, then one line."""
    if not text:
        return ""
    out = _CONTROL.sub("", str(text))
    out = out.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _NEWLINES.sub(" ", out).strip()


def md_cell(text: str | None) -> str:
    """Escape text for one Markdown table cell: pipes cannot split the row, markup stays text.

    Line breaks become ``<br>`` (the only markup we emit), so a multi-line cell stays one row.
    """
    if not text:
        return ""
    out = _CONTROL.sub("", str(text))
    out = out.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = out.replace("|", "\\|")
    parts = [p.strip() for p in _NEWLINES.split(out)]
    return "<br>".join(p for p in parts if p)


def csv_cell(text: object) -> str:
    """Neutralise a cell a spreadsheet would read as a formula (OWASP CSV injection).

    A cell starting with ``= + - @`` (or tab/CR) gets a leading apostrophe, which spreadsheets show as
    text. Plain numbers (``-5``, ``+33 %``) are left alone so they stay numbers. Quoting for commas and
    quotes is the ``csv`` module's job, not this one's.
    """
    if text is None:
        return ""
    out = _CONTROL.sub("", str(text))
    if out.startswith(FORMULA_LEADS) and not _PLAIN_NUMBER.match(out):
        return "'" + out
    return out
