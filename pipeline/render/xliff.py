"""Aligned editions as XLIFF 2.1 (OASIS core, validated against ``schemas/xliff``) and XLIFF 1.2.

One ``unit`` (2.1) / ``trans-unit`` (1.2) per aligned pair, in document order; parity findings on
that pair become notes, so a translator sees them in the CAT tool. Unmatched source segments are
units with no target; target-only segments are kept as units with an empty source so nothing is
lost. Bytes are deterministic: no timestamps, ids derived from positions.
"""

from __future__ import annotations

import re
from collections import defaultdict

from lxml import etree

from pipeline.parity.model import AlignedPair, Parity, ParityFinding

XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Drop code points XML 1.0 cannot carry (they would make the file unreadable)."""
    return _INVALID_XML.sub("", text or "")


def findings_by_pair(parity: Parity) -> dict[int, list[ParityFinding]]:
    """Pair index -> findings whose segments belong to that pair."""
    owner: dict[tuple[str, str], int] = {}
    for i, p in enumerate(parity.alignment):
        for sid in p.source:
            owner[("s", sid)] = i
        for tid in p.target:
            owner[("t", tid)] = i
    out: dict[int, list[ParityFinding]] = defaultdict(list)
    for f in parity.findings:
        places = [(f.source_ids, f.target_ids)] + [(o.source_ids, o.target_ids) for o in f.occurrences]
        for s_ids, t_ids in places:  # a grouped finding is shown at each of its occurrences
            keys = [("s", i) for i in s_ids] + [("t", i) for i in t_ids]
            idx = next((owner[k] for k in keys if k in owner), None)
            if idx is not None and f not in out[idx]:
                out[idx].append(f)
    return out


def _where(prov: list) -> str:
    p = next(iter(prov), None)
    if p is None:
        return ""
    if getattr(p, "line_start", None) is not None:
        return f"line {p.line_start}"
    return f"page {p.page}" if getattr(p, "page", None) is not None else ""


def locations(f: ParityFinding) -> list[str]:
    """Where a (grouped) finding occurs: source line or page of each occurrence, or its segment ids."""
    out = [_where(f.source_prov or f.target_prov) or " ".join(f.source_ids or f.target_ids)]
    out += [
        _where(o.source_prov or o.target_prov) or " ".join(o.source_ids or o.target_ids)
        for o in f.occurrences
    ]
    return out


def note_text(f: ParityFinding, with_kind: bool = False) -> str:
    """A finding as one line for a CAT tool: code, severity, message and, when grouped, its count and places."""
    head = f"{f.kind.value} ({f.severity.value})" if with_kind else f.severity.value
    text = f"{head} {f.code}: {f.message}" if f.code else f"{head}: {f.message}"
    if f.count > 1:
        places = locations(f)
        more = f", +{len(places) - 10} more" if len(places) > 10 else ""
        text += f" [×{f.count}: {', '.join(places[:10])}{more}]"
    return text


def _lang(code: str | None, default: str) -> str:
    code = (code or default).strip() or default
    return code if re.fullmatch(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", code) else default


def _file_id(parity: Parity) -> str:
    return "f-" + (parity.source.sha256[:12] or "1")


def _pair_name(p: AlignedPair) -> str:
    return " ".join(p.source) + (" -> " + " ".join(p.target) if p.target else "")


def to_xliff21(parity: Parity) -> bytes:
    src_lang = _lang(parity.source.language, "en")
    trg_lang = _lang(parity.target.language, "fr")
    root = etree.Element(f"{{{XLIFF2_NS}}}xliff", nsmap={None: XLIFF2_NS})
    root.set("version", "2.1")
    root.set("srcLang", src_lang)
    root.set("trgLang", trg_lang)
    file_el = etree.SubElement(root, f"{{{XLIFF2_NS}}}file", id=_file_id(parity))
    file_el.set("original", xml_text(parity.source.source))
    notes = etree.SubElement(file_el, f"{{{XLIFF2_NS}}}notes")
    for cat, value in (
        ("source-edition", f"{parity.source.source} ({parity.source.edition_date or 'undated'})"),
        ("target-edition", f"{parity.target.source} ({parity.target.edition_date or 'undated'})"),
    ):
        n = etree.SubElement(notes, f"{{{XLIFF2_NS}}}note", category=cat)
        n.text = xml_text(value)
    by_pair = findings_by_pair(parity)
    for i, p in enumerate(parity.alignment):
        unit = etree.SubElement(file_el, f"{{{XLIFF2_NS}}}unit", id=f"u{i + 1}")
        unit.set("name", xml_text(_pair_name(p)))
        fs = by_pair.get(i, [])
        if fs or p.kind.value != "1-1":
            unotes = etree.SubElement(unit, f"{{{XLIFF2_NS}}}notes")
            n = etree.SubElement(unotes, f"{{{XLIFF2_NS}}}note", category="alignment")
            n.text = f"{p.kind.value} score={p.score:g}"
            for f in fs:
                fn = etree.SubElement(unotes, f"{{{XLIFF2_NS}}}note", category=f.kind.value)
                fn.set("priority", {"error": "1", "warning": "3", "info": "8"}[f.severity.value])
                fn.text = xml_text(note_text(f))
        seg = etree.SubElement(unit, f"{{{XLIFF2_NS}}}segment", id=f"s{i + 1}")
        seg.set("state", "translated" if p.target and p.source else "initial")
        source = etree.SubElement(seg, f"{{{XLIFF2_NS}}}source")
        source.text = xml_text(p.source_text)
        if p.target:
            target = etree.SubElement(seg, f"{{{XLIFF2_NS}}}target")
            target.text = xml_text(p.target_text)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def to_xliff12(parity: Parity) -> bytes:
    """XLIFF 1.2 for translate-toolkit (``translate.storage.xliff``, ``pofilter``) and older tools."""
    root = etree.Element(f"{{{XLIFF12_NS}}}xliff", nsmap={None: XLIFF12_NS})
    root.set("version", "1.2")
    file_el = etree.SubElement(root, f"{{{XLIFF12_NS}}}file")
    file_el.set("original", xml_text(parity.source.source))
    file_el.set("source-language", _lang(parity.source.language, "en"))
    file_el.set("target-language", _lang(parity.target.language, "fr"))
    file_el.set("datatype", "plaintext")
    body = etree.SubElement(file_el, f"{{{XLIFF12_NS}}}body")
    by_pair = findings_by_pair(parity)
    for i, p in enumerate(parity.alignment):
        if not p.source:
            continue  # a target-only segment has no source to translate from
        tu = etree.SubElement(body, f"{{{XLIFF12_NS}}}trans-unit", id=str(i + 1))
        tu.set("resname", xml_text(_pair_name(p)))
        source = etree.SubElement(tu, f"{{{XLIFF12_NS}}}source")
        source.text = xml_text(p.source_text)
        if p.target:
            target = etree.SubElement(tu, f"{{{XLIFF12_NS}}}target", state="translated")
            target.text = xml_text(p.target_text)
        for f in by_pair.get(i, []):
            note = etree.SubElement(tu, f"{{{XLIFF12_NS}}}note", {"from": "svcdesc"})
            note.set("priority", {"error": "1", "warning": "3", "info": "8"}[f.severity.value])
            note.text = xml_text(note_text(f, with_kind=True))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
