"""Pair checks on what travels with the text: footnote markers, links, inline markup and entities."""

from __future__ import annotations

import re

from pipeline.parity.checks.base import CheckContext, Issue, Side
from pipeline.parity.model import CheckCategory, ParityKind
from pipeline.parity.text import (
    markdown_urls,
    normalize_url,
    strip_markup,
    sup_contents,
)


def check_footnotes(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """Footnote markers: same markers, same place, and no ``<sup>`` that swallowed a word."""
    issues = []
    s_refs, t_refs = sorted(set(src.footnote_refs)), sorted(set(tgt.footnote_refs))
    if s_refs != t_refs:
        issues.append(
            Issue(
                ParityKind.footnote_mismatch,
                CheckCategory.critical,
                f"footnote markers differ: source {','.join(s_refs) or '-'}, target {','.join(t_refs) or '-'}",
                {"source_markers": ",".join(s_refs), "target_markers": ",".join(t_refs)},
                "P107",
            )
        )
    for inner in sup_contents(tgt.raw):
        if re.findall(r"[^\W\d_]{2,}", inner) and not any(inner == s for s in sup_contents(src.raw)):
            issues.append(
                Issue(
                    ParityKind.footnote_mismatch,
                    CheckCategory.critical,
                    f"footnote marker swallowed text: <sup>{inner}</sup>",
                    {"sup": inner},
                    "P108",
                )
            )
    if (
        s_refs == t_refs
        and s_refs
        and src.raw
        and tgt.raw
        and _leading_marker(src.raw) != _leading_marker(tgt.raw)
    ):
        issues.append(
            Issue(
                ParityKind.footnote_mismatch,
                CheckCategory.functional,
                "footnote marker moved (start of text in one language, inside it in the other)",
                code="P109",
            )
        )
    return issues


def _leading_marker(raw: str) -> bool:
    return bool(re.match(r"^\s*(?:\*\*)?\s*<sup>", raw, flags=re.I))


def check_links(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """The same link targets on both sides (modulo locale in the path)."""
    if not ctx.compare_links:
        return []
    s_urls = {normalize_url(u) for u in src.urls if u}
    t_urls = {normalize_url(u) for u in tgt.urls if u}
    # a link the extraction did not attach to the segment, or one whose text is empty (its own
    # finding, P112), is still in the markup of the pair
    s_raw = {normalize_url(u) for u in markdown_urls(src.raw)}
    t_raw = {normalize_url(u) for u in markdown_urls(tgt.raw)}
    s_urls, t_urls = s_urls | (t_urls & s_raw), t_urls | (s_urls & t_raw)
    if s_urls == t_urls:
        return []
    only_s, only_t = sorted(s_urls - t_urls), sorted(t_urls - s_urls)
    moved = (not only_s or set(only_s) <= ctx.target_urls) and (not only_t or set(only_t) <= ctx.source_urls)
    if moved and (ctx.source_urls or ctx.target_urls):
        return [
            Issue(
                ParityKind.link_mismatch,
                CheckCategory.cosmetic,
                f"link moved across a sentence boundary: {', '.join(only_s + only_t)}",
                code="P110",
            )
        ]
    what = "link target changed" if only_s and only_t else "link lost" if only_s else "link added"
    return [
        Issue(
            ParityKind.link_mismatch,
            CheckCategory.functional,
            f"{what}: only in source {only_s or '-'}, only in target {only_t or '-'}",
            code="P111",
        )
    ]


_EMPTY_LINK = re.compile(r"(?<!!)\[\s*\]\(([^)\s]+)[^)]*\)")


_BOLD = re.compile(r"\*\*|__")


_ENTITY = re.compile(r"&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")


_BROKEN_ENTITY = re.compile(r"&\s+(?:amp|lt|gt|quot|nbsp)\s*;|&(?:amp|lt|gt|quot|nbsp)\s+;")


def check_markup(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """Markup survives: no empty link text, bold and ``<sup>`` pairs and entities as in the source."""
    if not src.raw or not tgt.raw:
        return []
    out = []
    empty_t, empty_s = _EMPTY_LINK.findall(tgt.raw), _EMPTY_LINK.findall(src.raw)
    if len(empty_t) > len(empty_s):
        out.append(
            Issue(
                ParityKind.markup_mismatch,
                CheckCategory.critical,
                f"link with empty text: [](…{empty_t[0][-40:]})",
                {"url": empty_t[0]},
                "P112",
            )
        )
    s_bold, t_bold = len(_BOLD.findall(src.raw)), len(_BOLD.findall(tgt.raw))
    own = all(len(strip_markup(side.raw or "")) <= 1.3 * len(side.text) + 10 for side in (src, tgt))
    if own and s_bold != t_bold and (s_bold % 2 == 0):  # a raw shared by a whole line is not this pair's
        out.append(
            Issue(
                ParityKind.markup_mismatch,
                CheckCategory.functional,
                f"bold markers differ: {s_bold} in source, {t_bold} in target",
                code="P113",
            )
        )
    broken = [b for b in _BROKEN_ENTITY.findall(tgt.raw) if b not in src.raw]
    if broken:  # "&amp;" written "&" renders the same: only a broken entity is a defect
        out.append(
            Issue(
                ParityKind.markup_mismatch,
                CheckCategory.functional,
                f"HTML entity broken: {', '.join(broken)}",
                code="P115",
            )
        )
    return out


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_ANY_TAG = re.compile(r"<[^>]+>")
_INLINE_MARKS = re.compile(r"\*\*|__|`")


def _visible(raw: str) -> str:
    """Inline markup removed, spaces (non-breaking ones included) kept as written."""
    t = _LINK.sub(r"\1", raw)
    t = _ANY_TAG.sub("", t)
    return _INLINE_MARKS.sub("", t)
