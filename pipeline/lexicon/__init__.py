"""Lexicons as data: the words and signs a reader needs, per language, in YAML files a user can extend.

Layout: ``pipeline/lexicon/data/<lang>/<name>.yaml`` (``lang`` is ``en``, ``fr`` or ``common`` for signs
that belong to no language, such as ✓ or —). One file per meaning, one owner per file:

===============  ==================================================================================
``numbers``      number words, ordinals, the article that is not a number
``units``        duration, size, money and percent units and their aliases
``marks``        availability marks and words (check-like, cross-like, option …)
``status``       ordered status scale (Available > Rolling out > … > Not available)
``severity``     severity and priority names (Critique, Sev 1, P1 …)
``metrics``      SLA metric names, coverage idioms (24/7), periods, spans ("half an hour") …
``function``     function words of the language (language detection, alignment, offer name matching)
``delivery``     an offer's delivery modes, language names, local time and working-day words
``definitions``  labels that are no offer name, note labels, conditions and responsibilities titles
``tables``       answer words and column titles that tell a table's kind (normalize.tables.classify)
===============  ==================================================================================

Vendor knowledge (brand names, product aliases) never lives here: it lives in optional profiles
(``pipeline/lexicon/profiles/<name>.yaml``, chosen per corpus or with ``--profile``) or in TBX glossaries.

Extra files in the folder named by ``SVCDESC_LEXICON_PATH`` (same layout) are merged over the shipped ones,
so a user extends a vocabulary without touching the code. Loading is cached once per process.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data"
PROFILES = Path(__file__).resolve().parent / "profiles"
LANGS = ("en", "fr")


class LexiconError(ValueError):
    """A lexicon or profile file that is missing or malformed (a packaging bug or a user's bad extension)."""


#: libyaml's safe loader when PyYAML was built with it: the same data, ~8x faster (0.25 s -> 0.03 s
#: for the shipped lexicons, paid by every process that reads a document)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path: Path) -> Any:
    try:
        loader = _LOADER(path.read_text(encoding="utf-8"))  # what yaml.safe_load does, with libyaml
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"{path}: {exc}") from None


def _merge(base: Any, extra: Any) -> Any:
    """Dicts merge key by key, lists extend (without duplicates), scalars are replaced."""
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for k, v in extra.items():
            out[k] = _merge(base[k], v) if k in base else v
        return out
    if isinstance(base, list) and isinstance(extra, list):
        return base + [x for x in extra if x not in base]
    return extra


def _search_path() -> list[Path]:
    extra = os.environ.get("SVCDESC_LEXICON_PATH", "")
    return [DATA] + [Path(p) for p in extra.split(os.pathsep) if p]


def extensions_fingerprint() -> str:
    """Hash of the user's extension files (``SVCDESC_LEXICON_PATH``), ``"-"`` without any: part of
    every cache key, since they change what is read; and what a Ray worker must see as well."""
    import hashlib

    h = hashlib.sha256()
    for root in _search_path()[1:]:
        h.update(os.fsencode(root.resolve()) + b"\x00")
        for path in sorted(root.glob("*/*.yaml")):
            h.update(path.relative_to(root).as_posix().encode() + b"\x00" + path.read_bytes() + b"\x00")
    return h.hexdigest() if len(_search_path()) > 1 else "-"


@functools.cache
def load(name: str, lang: str) -> Any:
    """The lexicon ``name`` for ``lang`` (``en``, ``fr`` or ``common``), user extensions merged in."""
    found: Any = None
    seen = False
    for root in _search_path():
        path = root / lang / f"{name}.yaml"
        if path.is_file():
            data = _read(path)
            found = data if not seen else _merge(found, data)
            seen = True
    if not seen:
        raise LexiconError(f"no lexicon {name!r} for language {lang!r} under {DATA}")
    return found


def load_all(name: str, langs: tuple[str, ...] = LANGS) -> dict[str, Any]:
    """``{lang: lexicon}`` for every language that has the file (``common`` included when present)."""
    out: dict[str, Any] = {}
    for lang in (*langs, "common"):
        try:
            out[lang] = load(name, lang)
        except LexiconError:
            continue
    if not out:
        raise LexiconError(f"no lexicon {name!r} in any language")
    return out


@functools.cache
def profile(name: str) -> dict[str, Any]:
    """A vendor profile (brand names, aliases, do-not-translate terms) by name or by path to a YAML file."""
    path = Path(name) if name.endswith((".yaml", ".yml")) else PROFILES / f"{name}.yaml"
    if not path.is_file():
        raise LexiconError(f"no profile {name!r} ({path})")
    data = _read(path) or {}
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: a profile is a mapping")
    return data
