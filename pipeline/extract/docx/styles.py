"""Paragraph styles (outline level, list numbering, bold) and list numbering (markers, counters).

Word says a paragraph is a heading through its style's outline level (or the built-in names
``heading N`` / ``Title``), possibly inherited through ``basedOn``, or through a direct
``w:outlineLvl``; numbered headings and lists get their number from ``numbering.xml`` counters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from pipeline.extract.docx.symbols import map_symbol_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TITLE_LEVEL = -1  # the Title style ranks above Heading 1
BODY_LEVEL = 9  # w:outlineLvl 9 = body text
_HEADING_NAME = re.compile(r"^heading\s*(\d)$", re.I)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def wval(el: etree._Element | None, tag: str, default: str | None = None) -> str | None:
    """``w:val`` of the child ``tag`` of ``el`` (None when absent)."""
    if el is None:
        return default
    child = el.find(w(tag))
    if child is None:
        return default
    return child.get(w("val"), default if default is not None else "")


def on(el: etree._Element | None, tag: str) -> bool | None:
    """A toggle property (``<w:b/>``, ``<w:b w:val="0"/>``): True, False or None when not set."""
    if el is None or (child := el.find(w(tag))) is None:
        return None
    return child.get(w("val"), "true").lower() not in ("0", "false", "off", "none")


@dataclass
class Style:
    id: str
    name: str = ""
    based_on: str | None = None
    outline: int | None = None
    num_id: str | None = None
    ilvl: int | None = None
    bold: bool | None = None
    superscript: bool | None = None
    size: int | None = None  # half-points


@dataclass
class Styles:
    styles: dict[str, Style] = field(default_factory=dict)
    default_para: str | None = None
    default_size: int = 20  # half-points: Word's 10 pt when docDefaults say nothing

    @classmethod
    def parse(cls, root: etree._Element | None) -> Styles:
        out = cls()
        if root is None:
            return out
        defaults = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
        out.default_size = _int(wval(defaults, "sz")) or out.default_size
        for st in root.iter(w("style")):
            sid = st.get(w("styleId"), "")
            ppr, rpr = st.find(w("pPr")), st.find(w("rPr"))
            num = ppr.find(w("numPr")) if ppr is not None else None
            ilvl = wval(num, "ilvl")
            out.styles[sid] = Style(
                id=sid,
                name=(wval(st, "name") or "").strip(),
                based_on=wval(st, "basedOn"),
                outline=_int(wval(ppr, "outlineLvl")),
                num_id=wval(num, "numId"),
                ilvl=_int(ilvl),
                bold=on(rpr, "b"),
                superscript=(wval(rpr, "vertAlign") == "superscript") if wval(rpr, "vertAlign") else None,
                size=_int(wval(rpr, "sz")),
            )
            if st.get(w("type")) == "paragraph" and st.get(w("default")) in ("1", "true"):
                out.default_para = sid
        return out

    def chain(self, sid: str | None) -> list[Style]:
        out: list[Style] = []
        seen: set[str] = set()
        sid = sid or self.default_para
        while sid and sid in self.styles and sid not in seen and len(out) < 20:
            seen.add(sid)
            out.append(self.styles[sid])
            sid = self.styles[sid].based_on
        return out

    def first(self, sid: str | None, attr: str):  # noqa: ANN201 - any style attribute
        return next((getattr(s, attr) for s in self.chain(sid) if getattr(s, attr) is not None), None)

    def outline_level(self, sid: str | None) -> int | None:
        """-1 for Title, 0..8 for headings, None for body text."""
        for st in self.chain(sid):
            if st.name.casefold() == "title":
                return TITLE_LEVEL
            if m := _HEADING_NAME.match(st.name):
                return int(m.group(1)) - 1
            if st.outline is not None:
                return st.outline if st.outline < BODY_LEVEL else None
        return None


def _int(v: str | None) -> int | None:
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None


@dataclass
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    font: str | None = None


class Numbering:
    """List definitions and the running counters that give each item its number."""

    def __init__(self, root: etree._Element | None) -> None:
        self.abstract: dict[str, dict[int, Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if root is None:
            return
        for ab in root.iter(w("abstractNum")):
            levels: dict[int, Level] = {}
            for lvl in ab.iter(w("lvl")):
                rpr = lvl.find(w("rPr"))
                fonts = rpr.find(w("rFonts")) if rpr is not None else None
                levels[_int(lvl.get(w("ilvl"))) or 0] = Level(
                    fmt=wval(lvl, "numFmt") or "decimal",
                    text=wval(lvl, "lvlText") or "",
                    start=_int(wval(lvl, "start")) or 1,
                    font=fonts.get(w("ascii")) if fonts is not None else None,
                )
            self.abstract[ab.get(w("abstractNumId"), "")] = levels
        for num in root.iter(w("num")):
            overrides = {
                _int(o.get(w("ilvl"))) or 0: _int(wval(o, "startOverride")) or 1
                for o in num.iter(w("lvlOverride"))
                if wval(o, "startOverride") is not None
            }
            self.nums[num.get(w("numId"), "")] = (wval(num, "abstractNumId") or "", overrides)

    def _level(self, num_id: str, ilvl: int) -> Level | None:
        if num_id not in self.nums:
            return None
        return self.abstract.get(self.nums[num_id][0], {}).get(ilvl)

    def next_label(self, num_id: str, ilvl: int) -> str | None:
        """Advance the counters of this list and return the item's label ('•', '2.1', 'a)'); None: no list."""
        lvl = self._level(num_id, ilvl)
        if lvl is None or lvl.fmt == "none":
            return None
        if lvl.fmt == "bullet":
            shown = map_symbol_text(lvl.text, lvl.font).strip()
            return shown if shown and shown.isprintable() and len(shown) <= 2 else "•"
        abstract_id, overrides = self.nums[num_id]
        counts = self.counters.setdefault(abstract_id, {})
        levels = self.abstract.get(abstract_id, {})
        counts[ilvl] = counts[ilvl] + 1 if ilvl in counts else overrides.get(ilvl, lvl.start)
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]

        def number(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lv = levels.get(k, Level())
            value = counts.get(k, overrides.get(k, lv.start))
            return _format(value, lv.fmt)

        return re.sub(r"%(\d)", number, lvl.text).strip()


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = ""
        k = max(n, 1)
        while k:
            k, r = divmod(k - 1, 26)
            s = chr(ord("a") + r) + s
        return s if fmt == "lowerLetter" else s.upper()
    if fmt in ("lowerRoman", "upperRoman"):
        return roman(n) if fmt == "lowerRoman" else roman(n).upper()
    return str(n)


def roman(n: int) -> str:
    out = ""
    for value, letters in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        while n >= value:
            out += letters
            n -= value
    return out
