"""Bilingual glossary (TBX) mapping French and English names to one canonical English term.

Why: offer and plan ids must be the same in the French and the English edition, so a French
name is looked up here and the id is the slug of its canonical English term. Product names that
must not be translated are marked do-not-translate (DNT).

Reads TBX-Basic / TBX 2008 (``termEntry > langSet > tig|ntig > term``) and TBX 2019
(``conceptEntry > langSec|langSet > termSec > term``) through :mod:`pipeline.xmlsafe` (no DTD, no
entities). DNT marks recognised: ``termNote type="termType"`` or ``administrativeStatus`` or
``translatable``/custom notes whose text says do-not-translate / dnt / no.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import BadGlossary
from pipeline.textutil import clean_text, fold_for_match

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DNT_TEXT = re.compile(
    r"do[\s_-]*not[\s_-]*translate|donottranslate|\bdnt\b|untranslat|\bne pas traduire\b|^no$|^false$|"
    r"productname|propernoun|proper[\s_-]*noun",
    re.I,
)
_DNT_TYPES = {"termtype", "administrativestatus", "translatable", "dnt", "donottranslate", "usage", "note"}


@dataclass
class TermEntry:
    """One concept: its English and French terms (first English term is canonical)."""

    id: str
    en: list[str] = field(default_factory=list)
    fr: list[str] = field(default_factory=list)
    dnt: bool = False

    def canonical(self) -> str | None:
        return self.en[0] if self.en else None


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _lang2(value: str | None) -> str:
    return (value or "").split("-")[0].split("_")[0].lower()


@functools.lru_cache(maxsize=65536)
def match_key(name: str) -> str:
    """Key used to look names up: folded, footnote digits and punctuation dropped."""
    text = fold_for_match(name)
    text = re.sub(r"[’'`]", "'", text)
    text = re.sub(r"[^\w']+", " ", text)
    return " ".join(text.split())


@functools.lru_cache(maxsize=65536)
def variant_keys(name: str) -> tuple[str, ...]:
    """The key plus singular/plural and acronym-stripped variants, for fuzzy lookups."""
    key = match_key(name)
    out = [key]
    no_paren = match_key(re.sub(r"\([^)]*\)", " ", clean_text(name)))
    if no_paren and no_paren != key:
        out.append(no_paren)
    for k in list(out):
        words = k.split()
        if not words:
            continue
        singular = " ".join(w[:-1] if len(w) > 3 and w.endswith(("s", "x")) else w for w in words)
        if singular != k:
            out.append(singular)
    # a name and its initial-plus-number short form share a key: "Office 365 X" ~ "O365 X"
    for k in list(out):
        short = _NAME_NUMBER.sub(lambda m: m.group(1)[0] + m.group(2), k)
        if short != k and short not in out:
            out.append(short)
    return tuple(out)


_NAME_NUMBER = re.compile(r"\b([^\W\d_]{2,}) (\d+)\b")


def _is_dnt_note(el: object) -> bool:
    kind = fold_for_match(str(el.get("type", "")))  # type: ignore[attr-defined]
    text = clean_text(el.text or "")  # type: ignore[attr-defined]
    local = fold_for_match(_local(el.tag))  # type: ignore[attr-defined]
    if local in {"termnote", "descrip", "note", "admin", "adminnote"} or local in _DNT_TYPES:
        if kind in {"translatable", "dnt", "donottranslate"}:
            return bool(re.match(r"no|false|0|n$", text, re.I)) or kind != "translatable"
        if kind in _DNT_TYPES or local == "note":
            return bool(_DNT_TEXT.search(text))
    return False


def _terms_in(lang_el: object) -> tuple[list[str], bool]:
    terms: list[str] = []
    dnt = False
    for el in lang_el.iter():  # type: ignore[attr-defined]
        local = _local(el.tag)
        if local == "term" and (el.text or "").strip():
            terms.append(clean_text("".join(el.itertext())))
        elif _is_dnt_note(el):
            dnt = True
    return terms, dnt


class Glossary:
    """FR <-> EN terms; ``canonical_en`` gives the English term for a name in either language."""

    def __init__(self, terms: list[TermEntry], source: str | None = None) -> None:
        self.terms = terms
        self.source = source
        self._index: dict[tuple[str, str], TermEntry] = {}
        self._any: dict[str, TermEntry] = {}
        self._dnt: set[str] = set()
        for entry in terms:
            for lang, names in (("en", entry.en), ("fr", entry.fr)):
                for name in names:
                    for key in variant_keys(name):
                        self._index.setdefault((lang, key), entry)
                        self._any.setdefault(key, entry)
                        if entry.dnt:
                            self._dnt.add(key)

    @classmethod
    def load(cls, path: str | Path) -> Glossary:
        """Read a TBX file; raise BadGlossary when it holds no usable entry."""
        from pipeline.errors import SvcdescError
        from pipeline.xmlsafe import parse_xml_file

        path = Path(path)
        try:
            root = parse_xml_file(path)
        except SvcdescError:
            raise
        except OSError as exc:
            raise BadGlossary(path, f"cannot read glossary ({exc.strerror or exc})") from None
        entries: list[TermEntry] = []
        for n, concept in enumerate(
            el for el in root.iter() if _local(el.tag) in {"termEntry", "conceptEntry"}
        ):
            entry = TermEntry(id=str(concept.get("id") or f"c{n + 1}"))
            for lang_el in concept:
                if _local(lang_el.tag) not in {"langSet", "langSec"}:
                    if _is_dnt_note(lang_el):
                        entry.dnt = True
                    continue
                lang = _lang2(lang_el.get(XML_LANG) or lang_el.get("lang"))
                terms, dnt = _terms_in(lang_el)
                entry.dnt = entry.dnt or dnt
                if lang == "en":
                    entry.en.extend(terms)
                elif lang == "fr":
                    entry.fr.extend(terms)
            if entry.en or entry.fr:
                if entry.dnt and not entry.fr:
                    entry.fr = list(entry.en)
                if entry.dnt and not entry.en:
                    entry.en = list(entry.fr)
                entries.append(entry)
        if not entries:
            raise BadGlossary(path, "no termEntry/conceptEntry with an en or fr term (is this a TBX file?)")
        return cls(entries, source=str(path))

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, str]], dnt: list[str] = ()) -> Glossary:  # type: ignore[assignment]
        """Build a glossary in code (tests, tools): ``[(en, fr), ...]`` plus DNT names."""
        terms = [TermEntry(id=f"p{i + 1}", en=[en], fr=[fr]) for i, (en, fr) in enumerate(pairs)]
        terms += [TermEntry(id=f"d{i + 1}", en=[n], fr=[n], dnt=True) for i, n in enumerate(dnt)]
        return cls(terms)

    def fingerprint(self) -> str:
        data = [[t.id, t.en, t.fr, t.dnt] for t in self.terms]
        return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()

    def lookup(self, name: str, lang: str | None = None) -> TermEntry | None:
        """The entry of ``name`` in ``lang`` (then in any language), trying fuzzy variants."""
        keys = variant_keys(name)
        lang = _lang2(lang)
        for key in keys:
            if lang and (lang, key) in self._index:
                return self._index[(lang, key)]
        for key in keys:
            if key in self._any:
                return self._any[key]
        return None

    def canonical_en(self, name: str, lang: str) -> str | None:
        entry = self.lookup(name, lang)
        return entry.canonical() if entry else None

    def is_dnt(self, name: str) -> bool:
        return any(k in self._dnt for k in variant_keys(name))

    def __len__(self) -> int:
        return len(self.terms)
