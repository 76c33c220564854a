"""Inline markup of one Markdown paragraph -> clean text, raw Markdown, footnote markers and links.

markdown-it's inline tokens become a flat list of events; ``<sup>n</sup>`` markers are split off into
``footnote_refs`` (offsets in the clean text), ``<a name>`` anchors and links are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.token import Token

from pipeline.extract.model import (
    FootnoteRef,
    Link,
)
from pipeline.textutil import clean_text

_SENTINEL = "\ue000"  # stands where a footnote marker was, until offsets are computed


_BR = re.compile(r"^<br\s*/?\s*>$", re.I)


_SUP_OPEN = re.compile(r"^<sup(\s[^>]*)?>$", re.I)


_SUP_CLOSE = re.compile(r"^</sup\s*>$", re.I)


_A_NAME = re.compile(r"""^<a\s[^>]*\b(?:name|id)\s*=\s*["']([^"']*)["'][^>]*>$""", re.I)


_A_HREF = re.compile(r"""^<a\s[^>]*\bhref\s*=\s*["']([^"']*)["'][^>]*>$""", re.I)


_A_CLOSE = re.compile(r"^</a\s*>$", re.I)


_MARKERS_FIRST = re.compile(r"^\s*(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\b\s*(.*?)\s*$", re.S)


_MARKERS_LAST = re.compile(r"^\s*(.*?)\s*\b(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\s*$", re.S)


_SYMBOL_MARKER = re.compile(r"^\s*([*†‡§])\s*$")


@dataclass
class _Event:
    """One inline event, flattened from markdown-it's inline children (tags paired by us)."""

    kind: str  # text | br | soft | sup | link_open | link_close | strong | anchor
    value: str = ""
    line: int = 0
    delta: int = 0


@dataclass
class _Rendered:
    text: str
    refs: list[FootnoteRef] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)
    bold: bool = False


def _inline_events(children: list[Token], first_line: int) -> list[_Event]:
    """Flatten inline tokens into events; ``<sup>…</sup>`` becomes one ``sup`` event."""
    events: list[_Event] = []
    line = first_line
    sup_depth = 0
    sup_buf: list[str] = []
    sup_line = line

    def emit_text(s: str) -> None:
        if sup_depth:
            sup_buf.append(s)
        elif s:
            events.append(_Event("text", s, line))

    for tok in children:
        t = tok.type
        if t in ("text", "text_special") or t == "code_inline":
            emit_text(tok.content)
        elif t == "softbreak":
            if sup_depth:
                sup_buf.append(" ")
            else:
                events.append(_Event("soft", "", line))
            line += 1
        elif t == "hardbreak":
            if not sup_depth:
                events.append(_Event("br", "", line))
            line += 1
        elif t == "html_inline":
            tag = tok.content.strip()
            if len(tag) > 2000:
                continue  # an absurdly long tag is markup noise, never text
            if _BR.match(tag):
                if sup_depth:
                    sup_buf.append(" ")
                else:
                    events.append(_Event("br", "", line))
            elif _SUP_OPEN.match(tag):
                if not sup_depth:
                    sup_buf, sup_line = [], line
                sup_depth += 1
            elif _SUP_CLOSE.match(tag):
                if sup_depth:
                    sup_depth -= 1
                    if not sup_depth:
                        events.append(_Event("sup", "".join(sup_buf), sup_line))
            elif m := _A_NAME.match(tag):
                events.append(_Event("anchor", m.group(1), line))
                if h := _A_HREF.match(tag):
                    events.append(_Event("link_open", h.group(1), line))
            elif h := _A_HREF.match(tag):
                events.append(_Event("link_open", h.group(1), line))
            elif _A_CLOSE.match(tag):
                events.append(_Event("link_close", "", line))
            # any other tag (<b>, <span>, comments) is markup only: dropped
        elif t == "strong_open":
            events.append(_Event("strong", delta=1, line=line))
        elif t == "strong_close":
            events.append(_Event("strong", delta=-1, line=line))
        elif t == "link_open":
            events.append(_Event("link_open", str(tok.attrGet("href") or ""), line))
        elif t == "link_close":
            events.append(_Event("link_close", "", line))
        elif t == "image":
            emit_text(tok.content)
        # em_open/close, s_open/close: markup only
    if sup_depth:  # unclosed <sup>: keep its text as text
        events.append(_Event("text", "".join(sup_buf), sup_line))
    return events


def _parse_sup(content: str) -> tuple[list[str], str, str]:
    """``"1, 2"`` -> markers ["1", "2"]; ``"4 Il"`` -> (["4"], "", "Il"); ``"suivants 1, 2"`` -> (["1","2"], "suivants", "").

    Returns (markers, words before the marker, words after it). No markers (``"er"`` in
    ``1<sup>er</sup>``) means the content is ordinary text, returned as the "before" words.
    """
    text = " ".join(content.split())
    if len(text) > 60:  # a long superscript is text, not a marker (and keeps the regexes linear)
        return [], text, ""
    if m := _SYMBOL_MARKER.match(text):
        return [m.group(1)], "", ""
    if m := _MARKERS_FIRST.match(text):
        return re.split(r"\s*[,;]\s*", m.group(1)), "", m.group(2)
    if m := _MARKERS_LAST.match(text):
        return re.split(r"\s*[,;]\s*", m.group(2)), m.group(1), ""
    return [], text, ""


def _render(events: list[_Event], strip_prefix: re.Pattern[str] | None = None) -> _Rendered:
    """Clean text with footnote markers removed (offsets kept), links, anchors and boldness."""
    parts: list[str] = []
    markers: list[list[str]] = []
    link_starts: list[tuple[int, str]] = []
    spans: list[tuple[int, int, str]] = []  # (start, end) in parts index, url
    anchors: list[str] = []
    strong = 0
    bold_chars = plain_chars = 0
    for ev in events:
        if ev.kind == "text":
            parts.append(ev.value)
            n = len("".join(ev.value.split()))  # non-space characters
            if strong > 0:
                bold_chars += n
            else:
                plain_chars += n
        elif ev.kind == "soft":
            parts.append(" ")
        elif ev.kind == "br":
            parts.append("\n")
        elif ev.kind == "sup":
            found, before, after = _parse_sup(ev.value)
            if not found:
                parts.append(before)
                continue
            if before:
                parts.append(" " + before)
            parts.append(_SENTINEL)
            markers.append(found)
            if after:
                parts.append(" " + after + " ")
        elif ev.kind == "strong":
            strong += ev.delta
        elif ev.kind == "anchor":
            if ev.value:
                anchors.append(ev.value)
        elif ev.kind == "link_open":
            link_starts.append((len(parts), ev.value))
        elif ev.kind == "link_close" and link_starts:
            start, url = link_starts.pop()
            spans.append((start, len(parts), url))
    for start, url in link_starts:  # unclosed
        spans.append((start, len(parts), url))
    raw_text = "".join(parts)
    if strip_prefix is not None:
        raw_text = strip_prefix.sub("", raw_text, count=1)
    text, refs = _finish(raw_text, markers)
    links = []
    for start, end, url in sorted(spans):
        label, _ = _finish("".join(parts[start:end]), [])
        links.append(Link(text=label.replace("\n", " "), url=url))
    return _Rendered(
        text=text, refs=refs, links=links, anchors=anchors, bold=bold_chars > 0 and plain_chars == 0
    )


def _finish(raw_text: str, markers: list[list[str]]) -> tuple[str, list[FootnoteRef]]:
    """Clean each line, drop empty lines, then remove sentinels recording their offsets."""
    kept: list[str] = []
    for line in (clean_text(x) for x in raw_text.split("\n")):
        if not line:
            continue
        if kept and not line.replace(_SENTINEL, ""):
            kept[-1] += line  # a marker alone on its line belongs to the text before it
        else:
            kept.append(line)
    joined = "\n".join(kept)
    if _SENTINEL not in joined:
        return joined, []  # clean_text already folded and stripped every line
    marker_iter = iter(markers)
    out: list[str] = []
    refs: list[FootnoteRef] = []
    for ch in joined:
        if ch == _SENTINEL:
            for marker in next(marker_iter, []):
                refs.append(FootnoteRef(marker=marker, offset=len(out)))
        elif ch == " ":
            if out and out[-1] not in " \n":
                out.append(" ")
        elif ch == "\n":
            while out and out[-1] == " ":
                out.pop()
            if out and out[-1] != "\n":
                out.append("\n")
        else:
            out.append(ch)
    while out and out[-1] in " \n":
        out.pop()
    text = "".join(out)
    return text, [FootnoteRef(marker=r.marker, offset=min(r.offset, len(text))) for r in refs]
