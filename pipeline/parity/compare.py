"""FR/EN parity: align two language editions, then run the pair checks on every aligned pair.

``check_parity(source, target, glossary=None) -> Parity``. Unmatched segments become
``missing_in_target`` / ``missing_in_source`` findings (a table row whose cells are all unmatched is
reported once, as a row); offers and SLA tables, matched by id and position, add
``availability_mismatch`` and ``sla_mismatch`` findings the cell-level checks cannot see.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from difflib import SequenceMatcher
from typing import Any

from pipeline.normalize.model import Segment, ServiceDescription
from pipeline.parity.align import align_descriptions
from pipeline.parity.checks import CheckContext, Issue, Side, run_checks
from pipeline.parity.consistency import (
    PairText,
    source_inconsistencies,
    target_inconsistencies,
    term_inconsistencies,
)
from pipeline.parity.consistency import key as consistency_key
from pipeline.parity.model import (
    AlignedPair,
    AlignKind,
    CheckCategory,
    EditionRef,
    Occurrence,
    Parity,
    ParityFinding,
    ParityKind,
    ParitySummary,
)
from pipeline.parity.structure import finding, offer_findings, sla_findings, unit_label
from pipeline.parity.terms import Terms, TermStats, learn
from pipeline.parity.text import normalize_url, strip_markup


def edition_ref(sd: ServiceDescription) -> EditionRef:
    d = sd.document
    return EditionRef(
        source=d.source,
        sha256=d.sha256,
        language=d.language,
        edition_date=d.edition_date,
        title=d.title,
        format=d.format.value if hasattr(d.format, "value") else str(d.format),
    )


_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=65536)
def _raw_words(raw: str) -> frozenset[str]:
    """The words of a raw (cached: a raw shared by a line's cells is read once per cell)."""
    return frozenset(_WORD.findall(strip_markup(raw).casefold()))


@functools.lru_cache(maxsize=65536)
def _raw_fits(text: str, raw: str) -> bool:
    """The raw carries most of the text's words (cached: a grid repeats its cells and their raws)."""
    words = _WORD.findall(text.casefold())
    raw_words = _raw_words(raw)
    return not words or sum(w in raw_words for w in words) >= 0.7 * len(words)


def trusted_raws(segments: list[Segment]) -> dict[str, str]:
    """Segment id -> its inline markup, when that markup really carries the segment's words.

    Guards the markup checks (swallowed ``<sup>``) against a raw string attached to a neighbour:
    a raw that does not fit is looked for among the raws of the two segments on either side.
    """
    out: dict[str, str] = {}
    for i, seg in enumerate(segments):
        if seg.raw and _raw_fits(seg.text, seg.raw):
            out[seg.id] = seg.raw
            continue
        for j in (i - 1, i + 1, i - 2, i + 2):
            near = 0 <= j < len(segments) and (abs(j - i) == 1 or segments[j].block_index == seg.block_index)
            if near and segments[j].raw and _raw_fits(seg.text, segments[j].raw or ""):
                out[seg.id] = segments[j].raw or ""
                break
    return out


def side_of(segments: list[Segment], lang: str, raws_by_id: dict[str, str] | None = None) -> Side:
    raws_by_id = raws_by_id if raws_by_id is not None else trusted_raws(segments)
    if len(segments) == 1:  # most pairs: the same side, without the joins
        seg = segments[0]
        return Side(
            text=seg.text,
            lang=lang,
            raw=(raws_by_id.get(seg.id) or seg.text) if seg.id in raws_by_id else None,
            kind=seg.kind.value,
            urls=[link.url for link in seg.links],
            footnote_refs=list(seg.footnote_refs),
            ids=[seg.id],
        )
    raws = [raws_by_id.get(s.id) or s.text for s in segments]
    refs: list[str] = []
    for s in segments:
        refs.extend(s.footnote_refs)
    return Side(
        text=" ".join(s.text for s in segments),
        lang=lang,
        raw=" ".join(raws) if any(s.id in raws_by_id for s in segments) else None,
        kind=segments[0].kind.value if segments else None,
        urls=[link.url for s in segments for link in s.links],
        footnote_refs=refs,
        ids=[s.id for s in segments],
    )


def _missing_findings(
    pairs: list[AlignedPair], segs: dict[str, Segment], *, side: str, all_segments: list[Segment]
) -> list[ParityFinding]:
    """1-0 (or 0-1) pairs -> findings; a table row whose every cell is unmatched is one finding."""
    kind = ParityKind.missing_in_target if side == "source" else ParityKind.missing_in_source
    where = "target" if side == "source" else "source"
    unmatched = [
        segs[i]
        for p in pairs
        for i in (p.source if side == "source" else p.target)
        if not (p.target if side == "source" else p.source)
    ]
    unmatched_ids = {s.id for s in unmatched}
    rows: dict[tuple[str, int], list[Segment]] = defaultdict(list)
    for s in all_segments:
        if s.table is not None:
            rows[(s.table.table_id, s.table.row)].append(s)
    reported_rows: set[tuple[str, int]] = set()
    # lines before the first heading (a PDF title block: "Service description", "Edition: …")
    first_heading = next((k for k, s in enumerate(all_segments) if s.kind.value == "heading"), 0)
    title_block = {s.id for s in all_segments[:first_heading]} | {
        s.id
        for s in all_segments[first_heading + 1 : first_heading + 2]
        if re.match(r"(?i)^(edition|édition)\b", s.text)
    }
    out = []
    for seg in unmatched:
        if seg.kind.value == "front_matter":
            continue
        if seg.table is not None:
            key = (seg.table.table_id, seg.table.row)
            row = rows[key]
            if len(row) > 1 and all(c.id in unmatched_ids for c in row):
                if key in reported_rows:
                    continue
                reported_rows.add(key)
                issue = Issue(
                    kind,
                    CheckCategory.critical,
                    f"table row not in the {where}: " + " | ".join(c.text for c in row),
                    {"unit": "table row"},
                )
                src, tgt = (row, []) if side == "source" else ([], row)
                out.append(finding(issue, src, tgt))
                continue
        label = unit_label(seg)
        category = CheckCategory.critical if seg.text.strip() else CheckCategory.cosmetic
        if seg.id in title_block:
            category, label = CheckCategory.cosmetic, "title block line"
        issue = Issue(kind, category, f"{label} not in the {where}", {"unit": label})
        src, tgt = ([seg], []) if side == "source" else ([], [seg])
        out.append(finding(issue, src, tgt))
    return out


def _summary(
    parity_pairs: list[AlignedPair], findings: list[ParityFinding], ns: int, nt: int
) -> ParitySummary:
    return ParitySummary(
        source_segments=ns,
        target_segments=nt,
        pairs=len(parity_pairs),
        by_alignment=dict(sorted(Counter(p.kind.value for p in parity_pairs).items())),
        by_kind=dict(sorted(Counter(f.kind.value for f in findings).items())),
        by_severity=dict(sorted(Counter(f.severity.value for f in findings).items())),
        occurrences=sum(f.count for f in findings),
    )


def pair_stats(pairs: list[AlignedPair]) -> TermStats:
    """Name counts over the aligned pairs of one pair of editions (``build`` merges them corpus-wide)."""
    stats = TermStats()
    # identical pairs (a grid's "Yes" / "Oui" cells) counted at once, in the order they first appear
    texts = Counter((p.source_text, p.target_text) for p in pairs if p.source and p.target)
    for (source, target), times in texts.items():
        stats.add_pair(source, target, times)
    return stats


def _repeats(a: str, b: str) -> bool:
    ka, kb = consistency_key(a), consistency_key(b)
    return bool(ka) and SequenceMatcher(None, ka, kb, autojunk=False).ratio() >= REPEAT_SIMILAR


def _unrepeat(pairs: list[AlignedPair]) -> list[AlignedPair]:
    """A unit that repeats the one before it, matched in place of the unit after it (left unmatched):
    the repeat is what one side adds, so the unit after it takes the match (``A B`` / ``A' A' B'``
    aligned A-A', B-A', -B' becomes A-A', B-B', -A'). Returns a corrected copy for the checks."""
    out = list(pairs)
    for i in range(1, len(out) - 1):
        prev, cur, nxt = out[i - 1], out[i], out[i + 1]
        if not (cur.kind == AlignKind.one_one and prev.kind == AlignKind.one_one):
            continue
        if nxt.kind == AlignKind.target_only and _repeats(cur.target_text, prev.target_text):
            out[i] = cur.model_copy(update={"target": nxt.target, "target_text": nxt.target_text})
            out[i + 1] = nxt.model_copy(update={"target": cur.target, "target_text": cur.target_text})
        elif nxt.kind == AlignKind.source_only and _repeats(cur.source_text, prev.source_text):
            out[i] = cur.model_copy(update={"source": nxt.source, "source_text": nxt.source_text})
            out[i + 1] = nxt.model_copy(update={"source": cur.source, "source_text": cur.source_text})
    return out


def _lopsided(p: AlignedPair) -> int:
    """+1 when a bead has more source than target segments (n-1), -1 for 1-n, 0 otherwise."""
    return (len(p.source) > len(p.target) >= 1) - (len(p.target) > len(p.source) >= 1)


def _drift_pairs(pairs: list[AlignedPair]) -> list[tuple[int, int]]:
    """Neighbours that are most likely one unit the aligner split, not losses: a 1-0 next to a 0-1
    (one rewritten unit it could not match), and a skip next to a bead that is lopsided the other
    way (an n-1 beside a target-only unit, a 1-n beside a source-only one: a sentence split or
    merged differently in each language, the aligner attaching the odd piece to the wrong side)."""
    out = []
    i = 0
    while i + 1 < len(pairs):
        a, b = pairs[i], pairs[i + 1]
        kinds = (a.kind, b.kind)
        skip_then_bead = a.kind in (AlignKind.source_only, AlignKind.target_only) and _lopsided(b) == (
            1 if a.kind == AlignKind.target_only else -1
        )
        bead_then_skip = b.kind in (AlignKind.source_only, AlignKind.target_only) and _lopsided(a) == (
            1 if b.kind == AlignKind.target_only else -1
        )
        if (
            kinds
            in (
                (AlignKind.source_only, AlignKind.target_only),
                (AlignKind.target_only, AlignKind.source_only),
            )
            or skip_then_bead
            or bead_then_skip
        ):
            out.append((i, i + 1))
            i += 2
            continue
        i += 1
    return out


#: Two texts this similar (after folding) are one text repeated.
REPEAT_SIMILAR = 0.9

#: Kinds whose message names the whole issue (``Teams -> teams``): grouped whatever the sentence.
BY_MESSAGE = frozenset({ParityKind.name_mismatch, ParityKind.typography, ParityKind.repeated_word})
#: Codes whose message names the whole issue too: an empty link text (its URL) found on every segment of its line.
BY_MESSAGE_CODES = frozenset({"P112"})


def group_findings(findings: list[ParityFinding]) -> list[ParityFinding]:
    """Identical findings (code, message, both texts) become one, with its count and every location.

    For the kinds in ``BY_MESSAGE`` the message alone identifies the issue.
    """
    groups: dict[tuple, ParityFinding] = {}
    out = []
    for f in findings:
        k = (f.kind, f.code, f.message)
        if f.kind not in BY_MESSAGE and f.code not in BY_MESSAGE_CODES:
            k += (f.source_text, f.target_text)
        first = groups.get(k)
        if first is None:
            groups[k] = f
            out.append(f)
            continue
        first.count += f.count
        first.occurrences.append(
            Occurrence(
                source_ids=f.source_ids,
                target_ids=f.target_ids,
                source_prov=f.source_prov,
                target_prov=f.target_prov,
            )
        )
        first.occurrences.extend(f.occurrences)
    return out


def check_parity(
    source: ServiceDescription,
    target: ServiceDescription,
    glossary: Any = None,
    terms: Terms | None = None,
    corpus_findings: Callable[[dict[str, Segment], dict[str, Segment]], list[ParityFinding]] | None = None,
    alignment: list[AlignedPair] | None = None,
) -> Parity:
    """Align, learn the pair's names (or take the corpus's), run every check, group the findings.

    ``terms``: a table learned over the whole corpus (``build``), used instead of learning here;
    ``corpus_findings``: the corpus-wide findings this pair takes part in, made from its segments;
    ``alignment``: these two editions already aligned (``build`` aligns once, in its first pass).
    """
    s_lang = source.document.language or "en"
    t_lang = target.document.language or ("fr" if s_lang == "en" else "en")
    pairs = alignment if alignment is not None else align_descriptions(source, target, glossary=glossary)
    s_segs = {s.id: s for s in source.segments}
    t_segs = {s.id: s for s in target.segments}
    if terms is None:
        terms = learn(pair_stats(pairs), glossary)
    dnt = tuple(e for t in (getattr(glossary, "terms", None) or []) if getattr(t, "dnt", False) for e in t.en)
    links_known = all(any(seg.links for seg in sd.segments) for sd in (source, target))
    ls = sum(len(p.source_text) for p in pairs if p.source and p.target) or 1
    lt = sum(len(p.target_text) for p in pairs if p.source and p.target) or 1
    ctx = CheckContext(
        glossary=glossary,
        dnt_names=dnt,
        terms=terms,
        compare_links=links_known,
        source_urls=frozenset(
            normalize_url(link.url) for s in source.segments for link in s.links if link.url
        ),
        target_urls=frozenset(
            normalize_url(link.url) for s in target.segments for link in s.links if link.url
        ),
        length_ratio=min(2.0, max(0.5, lt / ls)),
    )
    findings: list[ParityFinding] = []
    s_raws, t_raws = trusted_raws(source.segments), trusted_raws(target.segments)
    aligned = pairs  # as the aligner made them (the report shows these)
    pairs = _unrepeat(pairs)
    drift = _drift_pairs(pairs)
    drifted = {k for ij in drift for k in ij}
    checked: list[tuple[list[str], list[str]]] = [
        (p.source, p.target) for k, p in enumerate(pairs) if p.source and p.target and k not in drifted
    ]
    for i, j in drift:
        a, b = pairs[i], pairs[j]
        checked.append((a.source + b.source, a.target + b.target))
    # the checks read a pair's sides only (not where they stand): a pair of sides seen before (a
    # grid's "Yes" / "Oui" cells) has the issues it had then
    seen: dict[tuple, list[Issue]] = {}
    for s_ids, t_ids in checked:
        src = [s_segs[i] for i in s_ids]
        tgt = [t_segs[i] for i in t_ids]
        s_side, t_side = side_of(src, s_lang, s_raws), side_of(tgt, t_lang, t_raws)
        k = (s_side.content(), t_side.content())
        issues = seen.get(k)
        if issues is None:
            issues = seen[k] = run_checks(s_side, t_side, ctx)
        for issue in issues:
            findings.append(finding(replace(issue, detail=dict(issue.detail)), src, tgt))
    kept = [p for k, p in enumerate(pairs) if k not in drifted]
    findings += _missing_findings(kept, s_segs, side="source", all_segments=source.segments)
    findings += _missing_findings(kept, t_segs, side="target", all_segments=target.segments)
    findings += offer_findings(source, target)
    findings += sla_findings(source, target)
    findings += _consistency_findings(pairs, s_segs, t_segs, terms)
    if corpus_findings is not None:
        findings += corpus_findings(s_segs, t_segs)
    order = {s.id: i for i, s in enumerate(source.segments)}
    t_order = {s.id: i for i, s in enumerate(target.segments)}
    findings.sort(
        key=lambda f: (
            min((order.get(i, 10**9) for i in f.source_ids), default=10**9),
            min((t_order.get(i, 10**9) for i in f.target_ids), default=10**9),
            f.kind.value,
            f.message,
        )
    )
    findings = group_findings(findings)
    return Parity(
        source=edition_ref(source),
        target=edition_ref(target),
        alignment=aligned,
        findings=findings,
        summary=_summary(pairs, findings, len(source.segments), len(target.segments)),
    )


def _link_only(seg: Segment) -> bool:
    """A segment that is only a link's text: it may give the title of the page it points to."""
    words = re.findall(r"\w+", " ".join(link.text for link in seg.links))
    return bool(words) and words == re.findall(r"\w+", seg.text)


def _consistency_findings(
    pairs: list[AlignedPair], s_segs: dict[str, Segment], t_segs: dict[str, Segment], terms: Terms
) -> list[ParityFinding]:
    texts = [
        PairText(k, p.source_text, p.target_text, link=_link_only(t_segs[p.target[0]]))
        for k, p in enumerate(pairs)
        if len(p.source) == 1 and len(p.target) == 1
    ]
    out = []
    found = (
        target_inconsistencies(texts) + source_inconsistencies(texts) + term_inconsistencies(texts, terms.dnt)
    )
    for issue, idx in found:
        first = pairs[idx[0]]
        f = finding(issue, [s_segs[i] for i in first.source], [t_segs[i] for i in first.target])
        f.count = len(idx)
        f.occurrences = [
            Occurrence(
                source_ids=pairs[k].source,
                target_ids=pairs[k].target,
                source_prov=[pv for i in pairs[k].source for pv in s_segs[i].prov],
                target_prov=[pv for i in pairs[k].target for pv in t_segs[i].prov],
            )
            for k in idx[1:]
        ]
        out.append(f)
    return out


__all__ = ["AlignKind", "Terms", "check_parity", "edition_ref", "group_findings", "pair_stats"]
