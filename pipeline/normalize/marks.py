"""One reader for availability marks, words and status cells, from the lexicon files (``marks``, ``status``).

Why one reader: tables, legends, plan cells, checks and parity all ask "what does this cell say about
availability?"; answering it in one place from data (``pipeline/lexicon/data/*/marks.yaml`` and
``status.yaml``) keeps them agreeing, lets a user add a vendor's glyph without touching code, and lets
a mark nobody defines stay ``unknown`` (check V110) instead of silently becoming ``not_available``.

Order of reading a cell: the document's own legend (by glyph + footnote, glyph, class), then the
vocabulary's glyphs, then status words (which also give a ``status`` level and rank), then the
vocabulary's words. Footnote markers glued to a mark ("✓1", "+†", "✓*") are read off first and kept.

Size (~430 lines, just over the house's ~400): the reason for the module is that it is the one
reader; legends, cells and status words share its precedence rules, so they stay together.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from pipeline.lexicon import LANGS, LexiconError, load
from pipeline.normalize.model import Availability
from pipeline.textutil import clean_text, fold_for_match

CLASSES = ("included", "not_available", "additional", "conditional")
_CLASS_AVAILABILITY = {
    "included": Availability.included,
    "not_available": Availability.not_available,
    "additional": Availability.additional,
    "conditional": Availability.included_conditional,
}
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def _fold(text: str) -> str:
    return fold_for_match(text).strip(" .;:,")


def _lexicon(name: str, lang: str) -> dict:
    """The file's data; a missing file is an empty vocabulary, a malformed one an error (never silent)."""
    try:
        return load(name, lang) or {}
    except LexiconError as exc:
        if str(exc).startswith("no lexicon"):
            return {}
        raise


@dataclass(frozen=True)
class _Vocab:
    glyphs: dict[str, str]  # glyph as printed -> class
    words: dict[str, str]  # folded word -> class
    footnotes: tuple[str, ...]  # footnote markers, longest first
    legend: dict[str, list[re.Pattern[str]]]  # class -> stems found anywhere in a legend's text
    legend_titles: tuple[str, ...]
    sections: dict[str, tuple[str, ...]]  # class -> folded section titles
    answers: frozenset[str]  # plain yes/no answers (folded)


def _stem(entry: str) -> re.Pattern[str]:
    word = _fold(entry.rstrip("*"))
    tail = r"\w*" if entry.endswith("*") else r"(?!\w)"
    return re.compile(rf"(?<!\w){re.escape(word)}{tail}")


@functools.cache
def vocabulary() -> _Vocab:
    """Every language's marks merged: documents mix them ("On engineering backlog" in a French table)."""
    common = _lexicon("marks", "common")
    glyphs = {g: cls for cls in CLASSES for g in common.get(cls, [])}
    words: dict[str, str] = {}
    legend: dict[str, list[re.Pattern[str]]] = {cls: [] for cls in CLASSES}
    titles: list[str] = []
    sections: dict[str, list[str]] = {}
    answers: set[str] = set()
    for lang in LANGS:
        data = _lexicon("marks", lang)
        for cls in CLASSES:
            for w in data.get(cls, []):
                words.setdefault(_fold(str(w)), cls)
            legend[cls] += [_stem(str(w)) for w in (data.get("legend") or {}).get(cls, [])]
        titles += [_fold(t) for t in data.get("legend_titles", [])]
        answers.update(_fold(str(a)) for a in data.get("answers", []))
        for cls, names in (data.get("sections") or {}).items():
            sections.setdefault(cls, []).extend(_fold(n) for n in names)
    notes = sorted({str(m) for m in common.get("footnote_markers", [])}, key=len, reverse=True)
    return _Vocab(
        glyphs,
        words,
        tuple(notes),
        legend,
        tuple(titles),
        {k: tuple(v) for k, v in sections.items()},
        frozenset(answers),
    )


# ------------------------------------------------------------------------------------------ status


@dataclass(frozen=True)
class StatusLevel:
    key: str
    rank: int
    availability: Availability


@functools.cache
def _status_words(lang: str | None) -> dict[str, StatusLevel]:
    out: dict[str, StatusLevel] = {}
    for one in (lang,) if lang in LANGS else LANGS:
        for level in _lexicon("status", one or "en").get("levels", []):
            value = StatusLevel(level["key"], int(level["rank"]), Availability(level["availability"]))
            for w in level.get("words", []):
                out.setdefault(_fold(str(w)), value)
    if lang in LANGS:  # a document in one language still quotes the other's words in its tables
        for key, value in _status_words(None).items():
            out.setdefault(key, value)
    return out


#: Memo size of the per-cell readers: a library's tables repeat a few hundred distinct cell texts.
_MEMO = 1 << 16


@functools.lru_cache(maxsize=_MEMO)
def status_of(text: str, lang: str | None = None) -> StatusLevel | None:
    """The status level a cell states ("Rolling out", "En préversion¹"), or None."""
    token, _ = split_footnote(text)
    return _status_words(lang).get(_fold(token)) if token else None


def status_rank(text: str, lang: str | None = None) -> int | None:
    """Rank on the status scale (higher = more available), or None when ``text`` is no status word.

    Diff rates a step down between editions as breaking and a step up as major.
    """
    level = status_of(text, lang)
    return level.rank if level else None


# ------------------------------------------------------------------------------------------- marks


@functools.lru_cache(maxsize=_MEMO)
def split_footnote(text: str) -> tuple[str, str]:
    """ "✓1" -> ("✓", "1"); "+†" -> ("+", "†"); "✓*" -> ("✓", "*"); "Yes²" -> ("Yes", "2")."""
    t = clean_text(text).translate(_SUPERSCRIPT)
    if not t:
        return "", ""
    for marker in vocabulary().footnotes:
        marker = marker.translate(_SUPERSCRIPT)
        if t.endswith(marker) and len(t) > len(marker):
            return t[: -len(marker)].strip(), marker
    m = re.fullmatch(r"(.*?\D)\s*(\d{1,2})", t)
    if m and (is_glyph(m.group(1).strip()) or len(m.group(1).strip()) > 2):
        return m.group(1).strip(), m.group(2)
    return t, ""


def is_glyph(token: str) -> bool:
    """A short sign, not a word: "✔", "—", "◆", "(✓)", "x"."""
    token = token.strip()
    if not token or len(token) > 3:
        return False
    if token in vocabulary().glyphs:
        return True
    return all(not ch.isalnum() for ch in token) and any(unicodedata.category(ch)[0] in "SPm" for ch in token)


def looks_like_mark(text: str) -> bool:
    """A cell that is a sign (known or not) rather than a value: what V110 asks a meaning for."""
    token, _ = split_footnote(text)
    return is_glyph(token)


@dataclass(frozen=True)
class Reading:
    """What a cell says: availability, the mark as printed (glyph + footnote), the status level if any."""

    availability: Availability
    glyph: str = ""
    footnote: str = ""
    status: str | None = None
    known: bool = True  # False: a sign nobody (vocabulary or legend) defines

    @property
    def printed(self) -> str:
        return f"{self.glyph}{self.footnote}"


Legend = dict[tuple[str, str], Availability]


def glyph_class(token: str) -> str | None:
    return vocabulary().glyphs.get(token)


def word_class(text: str) -> str | None:
    return vocabulary().words.get(_fold(text))


def read_cell(text: str, legend: Legend | None = None, lang: str | None = None) -> Reading | None:
    """The availability a short cell states, or None when it is no mark, status or availability word.

    A legend entry wins; then the vocabulary (glyphs, status words, words). A lone sign nobody defines
    is ``unknown`` with ``known=False`` — never ``not_available``.
    """
    if not legend:
        return _read_plain(text, lang)
    token, note = split_footnote(text)
    if not token:
        return None
    cls = glyph_class(token)
    key = cls or token
    for k in ((token, note), (key, note), (token, ""), (key, "")):
        if k in legend:
            return Reading(legend[k], token, note)
    return _read_vocabulary(token, note, cls, lang)


@functools.lru_cache(maxsize=_MEMO)
def _read_plain(text: str, lang: str | None) -> Reading | None:
    """``read_cell`` without a legend: a function of the text alone, memoised (Readings are frozen)."""
    token, note = split_footnote(text)
    if not token:
        return None
    return _read_vocabulary(token, note, glyph_class(token), lang)


def _read_vocabulary(token: str, note: str, cls: str | None, lang: str | None) -> Reading | None:
    if cls:
        return Reading(_CLASS_AVAILABILITY[cls], token, note)
    level = status_of(token, lang)
    if level is not None:
        return Reading(level.availability, token, note, status=level.key)
    cls = word_class(token)
    if cls:
        return Reading(_CLASS_AVAILABILITY[cls], token, note)
    if is_glyph(token):
        return Reading(Availability.unknown, token, note, known=False)
    return None


def is_answer(text: str) -> bool:
    """ "Yes", "Non", "N/A": availability in a plan cell, but no availability word of a service list."""
    return _fold(split_footnote(text)[0]) in vocabulary().answers


_PHRASE_START = re.compile(r"^([^\W\d_][\w'-]*(?:\s+[\w'-]+){0,3})")


def read_words(text: str, lang: str | None = None) -> Reading | None:
    """A cell stating availability in words: a whole vocabulary or status word ("Sur devis",
    "Rolling out"), or a short phrase opening with one ("Included in every plan", "Available for
    purchase") read like a legend. None for signs, values and prose."""
    reading = read_cell(text, lang=lang)
    if reading is not None:
        return reading if reading.known and not is_glyph(reading.glyph) else None
    t = clean_text(text)
    if not t or len(t.split()) > 8 or re.search(r"\d", t):
        return None
    words = t.split()
    for n in range(min(4, len(words)), 0, -1):
        head = " ".join(words[:n]).rstrip(",;:.")
        if is_answer(head):
            continue
        cls, level = word_class(head), status_of(head, lang)
        if cls or level:
            if _says_any(t):
                return Reading(legend_meaning("", t), t)
            if cls:
                return Reading(_CLASS_AVAILABILITY[cls], t)
            return Reading(level.availability, t, status=level.key)  # type: ignore[union-attr]
    return None


def _says_any(text: str) -> bool:
    f = _fold(text)
    return any(p.search(f) for cls in CLASSES for p in vocabulary().legend[cls])


def canonical(token: str) -> str:
    """The class of a glyph ("✔" and "✓" are one class) for legend look-ups; other tokens as they are."""
    return glyph_class(token) or token


# ------------------------------------------------------------------------------------------ legends


def legend_meaning(mark: str, text: str) -> Availability:
    """What a legend line says a mark means ("Included in your Base Package", "Service supplémentaire …").

    Words first (not available > additional > included, "limited"/"may be provided" make it
    conditional); with no class word, the mark's own class.
    """
    f = _fold(text)
    vocab = vocabulary()

    def says(cls: str) -> bool:
        return any(p.search(f) for p in vocab.legend[cls])

    mark_cls = glyph_class(mark) if mark else None
    if says("not_available"):
        return Availability.not_available
    if says("included") and not says("additional"):
        base = Availability.included
    elif says("additional"):
        base = Availability.additional
    elif mark_cls == "not_available":
        return Availability.not_available
    elif mark_cls in ("included", "additional", "conditional"):
        base = Availability.additional if mark_cls == "additional" else Availability.included
    elif mark:
        level = status_of(text) or status_of(re.split(r"[(,;]", text)[0])
        return level.availability if level else Availability.unknown
    else:  # an availability word with no class word of its own ("Service supplémentaire")
        base = Availability.additional
    if says("conditional") or mark_cls == "conditional":
        if mark_cls in ("included", "conditional") or (not mark_cls and base is Availability.included):
            return Availability.included_conditional
        return Availability.additional_limited
    return base


def is_legend_title(text: str) -> bool:
    f = _fold(text)
    return any(f == t or f.startswith((t + " ", t + ":")) for t in vocabulary().legend_titles)


def legend_title_prefix(text: str) -> str:
    """ "Legend: ✔ included …" -> "✔ included …" (the title word and its colon removed)."""
    m = re.match(r"^\s*(\w[\w' ]{0,20}?)\s*:\s*", text)
    if m and _fold(m.group(1)) in vocabulary().legend_titles:
        return text[m.end() :]
    return text


def section_availability(title: str) -> Availability | None:
    """A heading that says its items' availability ("Services inclus", "Optional services")."""
    f = re.sub(r"^[\d.\s]+", "", _fold(title)).strip()
    for cls in ("not_available", "additional", "included"):
        for phrase in vocabulary().sections.get(cls, ()):
            # "Services inclus dans l'offre Pro": a title opening with a two-word phrase counts too
            if f == phrase or (" " in phrase and f.startswith(phrase + " ")):
                return _CLASS_AVAILABILITY[cls]
    return None


def rank_of(status_key: str | None) -> int | None:
    """The rank of a status level by its key ("rolling_out" -> 5), as saved in ``PlanValue.status``."""
    if not status_key:
        return None
    return next((v.rank for v in _status_words(None).values() if v.key == status_key), None)


def read_mark_phrase(text: str) -> Availability | None:
    """A mark or answer followed by a remark ("✔ (limited)", "Yes, up to 5", "+ on quote", "Non (prévu)"):
    the head's class; a remark that restricts makes an included head conditional."""
    t = clean_text(text)
    m = re.match(r"^(\S{1,3}|[^\W\d_]{2,4})[\s,;:(]+(.+)$", t)
    if not m:
        return None
    head, rest = m.group(1), m.group(2)
    cls = glyph_class(head) or (word_class(head) if is_answer(head) else None)
    if cls is None:
        return None
    base = _CLASS_AVAILABILITY[cls]
    f = _fold(rest)
    conditional = any(p.search(f) for p in vocabulary().legend["conditional"])
    if conditional and base is Availability.included:
        return Availability.included_conditional
    if conditional and base is Availability.additional:
        return Availability.additional_limited
    return base


@functools.cache
def _legend_res() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(one legend entry at the start of a text, where the next entry starts inside a line)."""
    known = sorted(vocabulary().glyphs, key=len, reverse=True)
    glyph = "|".join(re.escape(g) for g in known) + r"|[A-Z]{1,4}(?=\s*[=:–—]\s)|[^\w\s(),.;:'\"«»\[\]/\\]"
    known_only = "|".join(re.escape(g) for g in known if not g.isalpha())
    note = r"\d{0,2}|[*†‡§¹²³⁴⁵⁶⁷⁸⁹]{1,3}"
    entry = re.compile(rf"^\s*(?P<g>{glyph})\s*(?P<d>{note})\s*(?P<sep>[-–—:=]?)\s*(?P<t>[^\W\d_].*)$", re.S)
    # a new entry: a sign (+ note) and a separator, or a non-ASCII sign then a capital, after a space/;/,
    split = re.compile(
        rf"\n+|(?:[;,]\s*|\s+)(?=(?:{glyph})\s*(?:{note})\s*[-–—:=]\s)"
        rf"|(?:[;,]\s*|\s+)(?=(?![–—−])[^\x00-\x7f\w\s]\s*\d?\s+[A-ZÀ-Ý])"
        rf"|[;,]\s*(?=(?:{known_only})\s*(?:{note})\s+[^\W\d_])"
    )
    # in a titled legend ("Légende : ✓ inclus, ✗ non inclus, € en option") any sign after ";" or ","
    lenient = re.compile(split.pattern + rf"|[;,]\s*(?=(?:{glyph})\s*(?:{note})\s+[^\W\d_])")
    return entry, split, lenient


_DASHES = frozenset({"-", "–", "—", "−", "--", "---"})


def parse_legend_entry(line: str, lenient: bool = False) -> tuple[str, str, str] | None:
    """ "✔ : included in the plan" -> ("✔", "", "included in the plan"); "✓1 – Services …" -> ("✓", "1", …).

    A sign no vocabulary knows is a legend entry only when its text says an availability ("◆ = on quote").
    """
    entry, _, _ = _legend_res()
    m = entry.match(line.strip())
    if not m:
        return None
    g, d, text = m.group("g"), m.group("d").translate(_SUPERSCRIPT), m.group("t").strip().rstrip(" ;,")
    if g in {"x", "X"} and not m.group("sep"):
        return None  # "X marks …" is a sentence
    word = g[:1].isalpha() and g not in {"x", "X"}
    if glyph_class(g) is None and (
        not (is_glyph(g) or word)
        or not (m.group("sep") or lenient)
        or legend_meaning(g, text) is Availability.unknown
    ):
        return None  # a sign no vocabulary knows is a legend entry only as "◆ : on quote"
    if g in _DASHES and not _says_any(text) and status_of(text) is None:
        return None  # "- Cross-region replication": a dash bullet, not "— : not available"
    return g, d, text


def parse_legends(text: str) -> list[tuple[str, str, str, int]]:
    """Every legend entry of a paragraph ("✔ : inclus ; — : non disponible ; + : en option").

    (glyph, footnote, meaning text, offset of the entry in ``text``); a "Legend:" title is read off.
    """
    body = legend_title_prefix(text)
    shift = len(text) - len(body)
    _, strict, lenient = _legend_res()

    def entries(split: re.Pattern[str], loose: bool) -> list[tuple[str, str, str, int]]:
        starts = [0] + [m.end() for m in split.finditer(body)]
        ends = starts[1:] + [len(body)]
        out = []
        for lo, hi in zip(starts, ends, strict=True):
            found = parse_legend_entry(body[lo:hi], lenient=loose)
            if found:
                out.append((*found, lo + shift))
        return out

    out = entries(strict, False)
    # a titled legend, or one whose other entries are known marks, explains its odd signs too ("€ en option")
    if shift or sum(1 for g, _, _, _ in out if glyph_class(g)) >= 2:
        loose = entries(lenient, True)
        if len(loose) > len(out):
            return loose
    return out
