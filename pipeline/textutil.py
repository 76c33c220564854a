"""Text plumbing shared by every stage (imports no stage).

French typography puts U+202F (narrow no-break space) and U+00A0 (no-break space) before
``:;!?%$``, inside ``« »`` and as thousands separators; Word symbol fonts leave private-use
glyphs (U+F0C8, U+F020). Extractors keep the original text where provenance needs it and
use :func:`clean_text` for the body text every later stage compares.
"""

from __future__ import annotations

import functools
import re
import unicodedata

#: Canonical availability marks in extracted text.
INCLUDED_MARK = "✓"
ADDON_MARK = "+"

#: Private-use / symbol-font glyphs seen in Word-made PDFs, mapped to what they show.
SYMBOL_GLYPHS: dict[str, str] = {
    "\uf0c8": ADDON_MARK,  # Wingdings-style boxed plus: "additional service" in legends
    "\uf020": " ",  # symbol-font space
    "\uf0b7": "•",  # Symbol bullet
    "\uf0a7": "▪",  # Wingdings square bullet
    "\uf0d8": "➢",
    "\uf0fc": INCLUDED_MARK,  # Wingdings check mark
    "\uf0a8": "□",
    "\u2714": INCLUDED_MARK,  # heavy check mark
    "\u2713": INCLUDED_MARK,
}

_SPACES = re.compile(r"[ \t\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Lone surrogates reach us from broken ToUnicode maps (pdfminer uses chr(int)); no UTF-8 writer accepts them.
_SURROGATES = re.compile(r"[\ud800-\udfff]")


_SYMBOL_TABLE = str.maketrans(SYMBOL_GLYPHS)


def map_symbol_glyphs(text: str) -> str:
    return text.translate(_SYMBOL_TABLE)


def normalize_spaces(text: str) -> str:
    """Fold every horizontal space (incl. U+00A0, U+202F) to one ASCII space; drop zero-width marks."""
    text = _ZERO_WIDTH.sub("", text)
    return _SPACES.sub(" ", text).strip()


#: Pure functions of a string, called for the same titles and cells by many steps: memoised per process.
_MEMO = 1 << 16


@functools.lru_cache(maxsize=_MEMO)
def clean_text(text: str) -> str:
    """NFC, symbol glyphs mapped, lone surrogates replaced (U+FFFD), spaces folded: the text every stage compares."""
    text = _SURROGATES.sub("\ufffd", text)
    return normalize_spaces(map_symbol_glyphs(unicodedata.normalize("NFC", text)))


@functools.lru_cache(maxsize=_MEMO)
def fold_for_match(text: str) -> str:
    """Case-, accent- and apostrophe-insensitive form for matching names and headings."""
    text = clean_text(text).replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold()


def slugify(text: str, max_len: int = 80) -> str:
    """ASCII slug used for stable ids: ``"Évaluation à la Demande"`` -> ``"evaluation-a-la-demande"``."""
    folded = fold_for_match(text)
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return slug[:max_len].rstrip("-") or "x"
