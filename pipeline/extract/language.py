"""French or English? Per block and per document, from cues that need no model download.

Service descriptions mix languages: French text keeps English product and plan names
("Microsoft Teams", "Office 365 Enterprise E3"), so capitalised words and letter statistics of
names mislead. We count cues that names do not carry: function words, French elisions (``l’``,
``d’``, ``qu’``), English contractions, accented letters, and a few word endings. Text without
such cues ("500 GB", "Yes", "Office 365 E3") gets no language rather than a guess.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from pipeline import lexicon
from pipeline.extract.model import Block, BlockKind, Document

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)


@cache
def _unit_re() -> re.Pattern[str]:
    """A size unit right after a figure (units.yaml ``size`` aliases, every language: "GB", "Go", "To")."""
    aliases = {
        str(alias)
        for data in lexicon.load_all("units").values()
        for names in ((data or {}).get("size") or {}).values()
        for alias in names
    }
    alt = "|".join(re.escape(a) for a in sorted(aliases, key=lambda a: (-len(a), a)))
    return re.compile(rf"(?<=\d)\s*(?:{alt})\b", re.I)


@dataclass(frozen=True)
class _Cues:
    """The cues of both languages, from ``lexicon/data/<lang>/function.yaml``."""

    fr_words: frozenset[str]
    en_words: frozenset[str]
    weak: frozenset[str]
    fr_letters: frozenset[str]
    fr_endings: tuple[str, ...]
    en_endings: tuple[str, ...]
    fr_elision: re.Pattern[str]
    en_contraction: re.Pattern[str]


@cache
def _cues() -> _Cues:
    fr, en = lexicon.load("function", "fr"), lexicon.load("function", "en")
    elisions = "|".join(map(re.escape, fr["elisions"]))
    contractions = "|".join(re.escape(c).replace("'", "['’]") for c in en["contractions"])
    return _Cues(
        fr_words=frozenset(fr["detection_words"]),
        en_words=frozenset(en["detection_words"]),
        weak=frozenset(fr["weak"]) | frozenset(en["weak"]),
        fr_letters=frozenset(fr["letters"]),
        fr_endings=tuple(fr["endings"]),
        en_endings=tuple(en["endings"]),
        fr_elision=re.compile(rf"\b(?:{elisions})['’][^\W\d_]", re.I),
        en_contraction=re.compile(rf"[^\W\d_](?:{contractions})\b", re.I),
    )


def function_words(lang: str) -> frozenset[str]:
    """The function words of ``lang`` (``fr`` or ``en``)."""
    return _cues().fr_words if lang == "fr" else _cues().en_words


MIN_EVIDENCE = 1.0


@cache
def _word_cues(word: str) -> tuple[float, float]:
    """(French weight, English weight) of one lower-cased word."""
    c = _cues()
    fr = en = 0.0
    weight = 0.5 if word in c.weak else 1.0
    if word in c.fr_words:
        fr += weight
    if word in c.en_words:
        en += weight
    if any(ch in c.fr_letters for ch in word):
        fr += 1.0
    elif len(word) > 5:
        if word.endswith(c.en_endings) and not word.endswith(c.fr_endings):
            en += 0.3
        elif word.endswith(c.fr_endings) and not word.endswith(c.en_endings):
            fr += 0.3
    return fr, en


def score(text: str) -> tuple[float, float]:
    """Evidence weights (French, English) found in ``text``."""
    text = _unit_re().sub(" ", text)  # "1 To" is a unit, not the English "to"
    fr = en = 0.0
    for m in _WORD.finditer(text):
        word = m.group(0).lower()
        for part in re.split(r"['’]", word):
            f, e = _word_cues(part)
            fr += f
            en += e
    fr += len(_cues().fr_elision.findall(text))
    en += len(_cues().en_contraction.findall(text))
    return fr, en


def _decide(fr: float, en: float) -> tuple[str | None, float]:
    total = fr + en
    if total < MIN_EVIDENCE or fr == en:
        return None, 0.0
    lang = "fr" if fr > en else "en"
    share = (max(fr, en) + 0.5) / (total + 1.0)  # how one-sided the cues are
    amount = 1.0 - math.exp(-total / 2.0)  # how much evidence there is
    return lang, round(share * amount, 4)


def detect_language(text: str) -> tuple[str | None, float]:
    """("fr" | "en" | None, confidence 0..1). None when the text carries no language cue."""
    return _decide(*score(text))


def _block_text(block: Block) -> str:
    if block.kind == BlockKind.table and block.table is not None:
        return "\n".join(cell.text for row in block.table.rows for cell in row)
    return block.text


def annotate_language(doc: Document) -> Document:
    """Set each block's ``lang``/``lang_confidence`` and the document's, weighted by text length."""
    blocks: list[Block] = []
    fr_total = en_total = 0.0
    weights = {"fr": 0.0, "en": 0.0}
    for block in doc.blocks:
        text = _block_text(block)
        fr, en = score(text)
        fr_total += fr
        en_total += en
        lang, conf = _decide(fr, en)
        if lang is not None:
            weights[lang] += len(text) * conf
        blocks.append(block.model_copy(update={"lang": lang, "lang_confidence": conf if lang else None}))
    lang, conf = _decide(fr_total, en_total)
    if lang is not None and sum(weights.values()) > 0:
        # agreement of the blocks, weighted by their length and confidence
        agreement = weights[lang] / sum(weights.values())
        conf = round(min(conf, agreement) if agreement < conf else conf, 4)
    meta = doc.meta.model_copy(update={"language": lang, "lang_confidence": conf if lang else None})
    return doc.model_copy(update={"blocks": blocks, "meta": meta})
