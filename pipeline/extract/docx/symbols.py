"""Symbol-font characters (Wingdings, Symbol …) -> the Unicode they show; the table is lexicon data.

Word stores ``<w:sym w:font="Wingdings" w:char="F0FC"/>`` (a check mark) or types the character in a
run set in that font; either way the code's low byte indexes the font's glyphs.
"""

from __future__ import annotations

import functools

from pipeline.lexicon import load


@functools.cache
def _table() -> dict[str, dict[int, str]]:
    data = load("symbol_fonts", "common") or {}
    return {
        str(font).casefold(): {int(str(code), 16) & 0xFF: str(shown) for code, shown in (codes or {}).items()}
        for font, codes in data.items()
    }


def is_symbol_font(font: str | None) -> bool:
    return bool(font) and font.casefold() in _table()


def map_symbol(font: str | None, code: int) -> str | None:
    """What character ``code`` of ``font`` shows, or None when the table does not know it."""
    if not font:
        return None
    glyphs = _table().get(font.casefold())
    if glyphs is None:
        return None
    return glyphs.get(code & 0xFF) if (code <= 0xFF or 0xF000 <= code <= 0xF0FF) else None


def map_symbol_text(text: str, font: str | None) -> str:
    """Text typed in a symbol font, glyph by glyph (unknown glyphs kept as typed)."""
    if not is_symbol_font(font):
        return text
    return "".join(map_symbol(font, ord(ch)) or ch for ch in text)
