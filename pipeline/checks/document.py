"""Intra-document checks: one small named function per check, translate-toolkit style.

Each check has a stable code (``V1xx``), a category and a severity, and yields
:class:`~pipeline.normalize.model.Finding`s with provenance. :data:`REGISTRY` lists them in code
order; :func:`validate_description` runs them all on one :class:`ServiceDescription` and returns
the findings in a stable order (code, then document order). Checks read only the description:
they never open files and know nothing of the CLI.

===== ============================= ======== ===============================================
code  name                          severity what
===== ============================= ======== ===============================================
V101  footnote-marker-without-text  warning  a marker (¹, <sup>2</sup>) no footnote explains
V102  footnote-without-marker       warning  a footnote no text refers to
V103  number-word-digits            error    "deux (3) heures": the word and the digits differ
V104  offer-not-described           warning  a service row of a ✓/+ table with no description
V105  offer-in-no-table             warning  a described service absent from every ✓/+ table
V106  offer-two-availabilities      error    one service, two availabilities
V107  parallel-bound-word           warning  "au moins" where parallel cells say "ou moins"
V108  duplicate-definition          warning  "Name : …" defined twice, differently
V109  no-offers                     info     a document with no offers (valid, but say so)
V110  undefined-mark                warning  a sign in an availability cell that no legend or vocabulary defines
===== ============================= ======== ===============================================

Size (~470 lines, over the house's ~400): ten small check functions and the registry that lists
them; one file per family keeps the table above, the functions and the registry in one place (the
other families, diff and parity, are their owners' folders).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum

from pipeline.normalize.marks import glyph_class, looks_like_mark, parse_legend_entry, split_footnote
from pipeline.normalize.model import Finding, FindingSeverity, Offer, Segment, SegmentKind, ServiceDescription
from pipeline.quantities import fmt_number, word_digit_pairs
from pipeline.textutil import fold_for_match

CheckFn = Callable[[ServiceDescription], Iterable[Finding]]


class Category(str, Enum):  # noqa: UP042 (house style)
    footnotes = "footnotes"
    numbers = "numbers"
    offers = "offers"
    consistency = "consistency"
    coverage = "coverage"


@dataclass(frozen=True)
class Check:
    code: str
    name: str
    category: Category
    severity: FindingSeverity
    fn: CheckFn
    doc: str


REGISTRY: dict[str, Check] = {}


def check(
    code: str, name: str, category: Category, severity: FindingSeverity
) -> Callable[[CheckFn], CheckFn]:
    """Register a check under a stable code; the function's docstring says why it matters."""

    def register(fn: CheckFn) -> CheckFn:
        if code in REGISTRY:
            raise ValueError(f"duplicate check code {code}")
        REGISTRY[code] = Check(code, name, category, severity, fn, (fn.__doc__ or "").strip().splitlines()[0])
        return fn

    return register


def _finding(
    code: str, message: str, *, seg: Segment | None = None, offer: Offer | None = None, prov=None
) -> Finding:
    return Finding(
        code=code,
        severity=REGISTRY[code].severity,
        message=" ".join(message.split()),
        offer_id=offer.id if offer else None,
        segment_id=seg.id if seg else None,
        prov=list(prov if prov is not None else (seg.prov if seg else offer.prov if offer else [])),
    )


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _around(text: str, phrase: str, width: int = 40) -> str:
    """The words before ``phrase`` (and the phrase): "… en 30 minutes au moins"."""
    i = text.lower().find(phrase.lower())
    if i < 0:
        return _short(text)
    start = max(0, i - width)
    return ("…" if start else "") + " ".join(text[start : i + len(phrase)].split())


# ------------------------------------------------------------------------------------ footnotes


def _marker_key(marker: str) -> str:
    """ "¹" / "1" / " 1 " -> "1"; "*" stays "*"; legend marks ("✓1") keep their digit only."""
    sup = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
    m = marker.translate(sup).strip()
    digits = re.findall(r"\d+", m)
    return digits[0] if digits else m


def _split_refs(marker: str) -> list[str]:
    """ "1, 2" (one <sup>) -> ["1", "2"]; "4 Il" (a marker that swallowed a word) -> ["4"]."""
    sup = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
    m = marker.translate(sup)
    digits = re.findall(r"\d+", m)
    if digits:
        return digits
    return [m.strip()] if m.strip() else []


def _referenced(sd: ServiceDescription) -> dict[str, list[Segment]]:
    refs: dict[str, list[Segment]] = defaultdict(list)
    for seg in sd.segments:
        if seg.kind == SegmentKind.footnote:
            continue
        for marker in seg.footnote_refs:
            for key in _split_refs(marker):
                refs[key].append(seg)
    return refs


def _is_legend(text: str) -> bool:
    """ "✓1 – Services …", "● Included", "— : not available": a legend line (the marks reader decides)."""
    return parse_legend_entry(text) is not None


_GLUED_STAR = re.compile(r"(?<=\w)(\*+)(?!\w)")
_LINE_SUP = re.compile(r"(?m)^\s*(?:>\s*)?<sup>\s*([^<]{1,12}?)\s*</sup>")


def _is_note_marker(marker: str) -> bool:
    return bool(re.fullmatch(r"\d+|\*+|[a-z]|[†‡§]", marker))


def _scopes_of_seg(seg: Segment) -> set[str]:
    out = {f"s:{seg.section_id}"}
    if seg.table:
        out.add(f"t:{seg.table.table_id}")
    return out


def _scopes_of_note(note) -> set[str]:  # noqa: ANN001 - a Footnote
    out = {f"s:{note.section_id}"}
    if note.table_id:
        out.add(f"t:{note.table_id}")
    return out


@check("V101", "footnote-marker-without-text", Category.footnotes, FindingSeverity.warning)
def footnote_marker_without_text(sd: ServiceDescription) -> Iterable[Finding]:
    """A footnote marker in the text that no footnote of its table or section explains.

    Numbering restarts per table in Word-made descriptions, so a "3" is resolved in its own table
    or section, not anywhere in the document.
    """
    defined: dict[str, set[str]] = defaultdict(set)
    for note in sd.footnotes:
        defined[_marker_key(note.marker)].update(_scopes_of_note(note))
    for seg in sd.segments:  # "<sup>*</sup> text" opening a line of a note: a footnote normalize kept inline
        for m in _LINE_SUP.finditer(seg.raw or ""):
            for key in _split_refs(m.group(1).replace("\\", "")):
                defined[key].update(_scopes_of_seg(seg))
    legend_scopes: set[str] = set()
    for seg in sd.segments:  # "✓1 – Services supplémentaires…": a legend line defines its marks
        if seg.kind == SegmentKind.footnote:  # "¹ Business plans … ² Enterprise plans …" on one line
            for key in (k for marker in seg.footnote_refs for k in _split_refs(marker)):
                defined[key].update(_scopes_of_seg(seg))
        if _is_legend(seg.text):
            legend_scopes.update(_scopes_of_seg(seg))
            for key in (k for marker in seg.footnote_refs for k in _split_refs(marker)):
                defined[key].update(_scopes_of_seg(seg))
    scoped_tables = {s for scopes in defined.values() for s in scopes if s.startswith("t:")}
    missing: dict[str, list[Segment]] = defaultdict(list)
    for seg in sd.segments:
        if seg.kind == SegmentKind.footnote or _is_legend(seg.text):
            continue
        scopes = _scopes_of_seg(seg)
        for key in (k for marker in seg.footnote_refs for k in _split_refs(marker)):
            if not _is_note_marker(key) or defined.get(key, set()) & scopes:
                continue
            if looks_like_mark(seg.text) and legend_scopes & scopes:
                continue  # "✓¹" in a mark cell, explained by the legend under the table
            if key in defined and not (scopes & scoped_tables):
                continue  # numbering is document-wide here: the footnote elsewhere explains it
            if seg not in missing[key]:
                missing[key].append(seg)
    for key, segs in missing.items():
        seg = segs[0]
        elsewhere = " (a footnote with that marker exists elsewhere)" if key in defined else ""
        more = f" (and {len(segs) - 1} more)" if len(segs) > 1 else ""
        yield _finding(
            "V101",
            f"footnote marker {key!r} has no footnote text{elsewhere}: {_short(seg.text)!r}{more}",
            seg=seg,
        )


@check("V102", "footnote-without-marker", Category.footnotes, FindingSeverity.warning)
def footnote_without_marker(sd: ServiceDescription) -> Iterable[Finding]:
    """A footnote nothing in its table or section refers to: it applies to nothing, or a marker was lost."""
    referenced: dict[str, set[str]] = defaultdict(set)
    for seg in sd.segments:
        if seg.kind == SegmentKind.footnote:
            continue
        keys = [k for marker in seg.footnote_refs for k in _split_refs(marker)]
        keys += [m.group(1) for m in _GLUED_STAR.finditer(seg.text)]  # "Flexible* à utiliser"
        for key in keys:
            referenced[key].update(_scopes_of_seg(seg))
    for offer in sd.offers:
        scopes = {f"s:{offer.section_id}"} | ({f"t:{offer.table_id}"} if offer.table_id else set())
        for marker in [*offer.footnotes, *(m for pv in offer.plan_values for m in pv.footnotes)]:
            referenced[_marker_key(marker)].update(scopes)
    for table in sd.sla_tables:
        for row in table.rows:
            for marker in row.footnotes:
                referenced[_marker_key(marker)].update({f"t:{table.id}", f"s:{table.section_id}"})
    for note in sd.footnotes:
        key = _marker_key(note.marker)
        if not re.fullmatch(r"\d+|\*+", key) or glyph_class(split_footnote(note.marker)[0]):
            continue  # mark legends ("✓ = included") are not footnotes
        if not (referenced.get(key, set()) & _scopes_of_note(note)):
            yield _finding(
                "V102", f"footnote {key!r} is referred to nowhere: {_short(note.text)!r}", prov=note.prov
            )


# -------------------------------------------------------------------------------------- numbers


@check("V103", "number-word-digits", Category.numbers, FindingSeverity.error)
def number_word_digits(sd: ServiceDescription) -> Iterable[Finding]:
    """ "deux (3) heures": the written number and the digits disagree, so the commitment is ambiguous."""
    lang = sd.document.language or "en"
    for seg in sd.segments:
        if "(" not in seg.text:
            continue
        for pair in word_digit_pairs(seg.text, seg.lang or lang):
            if pair.word_value is not None and pair.word_value != pair.value:
                yield _finding(
                    "V103",
                    f"{pair.text!r} says {fmt_number(pair.word_value)} in words but {fmt_number(pair.value)} in digits",
                    seg=seg,
                )


# --------------------------------------------------------------------------------------- offers


def _from_mark_table(offer: Offer) -> bool:
    return offer.table_id is not None and offer.availability_mark is not None


@check("V104", "offer-not-described", Category.coverage, FindingSeverity.warning)
def offer_not_described(sd: ServiceDescription) -> Iterable[Finding]:
    """A service listed in an availability table that no paragraph describes."""
    for offer in sd.offers:
        if _from_mark_table(offer) and not (offer.description or "").strip():
            yield _finding(
                "V104", f"offer {offer.name!r} is in table {offer.table_id} but never described", offer=offer
            )


@check("V105", "offer-in-no-table", Category.coverage, FindingSeverity.warning)
def offer_in_no_table(sd: ServiceDescription) -> Iterable[Finding]:
    """A described service that no availability table lists: its availability is unknown."""
    if not any(_from_mark_table(o) for o in sd.offers):
        return
    for offer in sd.offers:
        if offer.table_id is None and (offer.description or "").strip():
            yield _finding(
                "V105", f"offer {offer.name!r} is described but in no availability table", offer=offer
            )


def _offer_key(offer: Offer) -> str:
    return fold_for_match(re.sub(r"\s*\([^)]*\)\s*$", "", offer.name)).strip(" .:")


@check("V106", "offer-two-availabilities", Category.offers, FindingSeverity.error)
def offer_two_availabilities(sd: ServiceDescription) -> Iterable[Finding]:
    """One service listed twice with different availabilities (included here, add-on there)."""
    groups: dict[str, list[Offer]] = defaultdict(list)
    for offer in sd.offers:
        groups[_offer_key(offer)].append(offer)
    for group in groups.values():
        marks = {o.availability.value for o in group if o.availability.value != "unknown"}
        if len(group) > 1 and len(marks) > 1:
            where = ", ".join(f"{o.availability.value} in {o.table_id or o.section_id or '?'}" for o in group)
            yield _finding(
                "V106",
                f"offer {group[0].name!r} has {len(marks)} availabilities: {where}",
                offer=group[0],
                prov=[p for o in group for p in o.prov],
            )


# ---------------------------------------------------------------------------------- consistency

#: Bound phrases by direction; parallel cells should bound their times the same way.
_BOUNDS: list[tuple[str, str]] = [
    ("upper", r"\bou moins\b"),
    ("upper", r"\bau plus\b"),
    ("upper", r"\bor less\b"),
    ("upper", r"\bat most\b"),
    ("upper", r"\bor fewer\b"),
    ("lower", r"\bau moins\b"),
    ("lower", r"\bou plus\b"),
    ("lower", r"\bat least\b"),
    ("lower", r"\bor more\b"),
    ("lower", r"\bminimum\b"),
]
_BOUND_RES = [(d, re.compile(p, re.IGNORECASE)) for d, p in _BOUNDS]


_QUANTITY = re.compile(
    r"\d|\b(une?|one|deux|two|trois|three|quatre|four|quinze|fifteen|trente|thirty)\b", re.IGNORECASE
)


def _bounds(text: str) -> list[tuple[str, str]]:
    """Every (direction, phrase) bound word next to a quantity in ``text``, in order.

    A cell may hold several ("15 minutes ou moins … 30 minutes au moins"): each is compared.
    """
    found: list[tuple[int, str, str]] = []
    for direction, rx in _BOUND_RES:
        for m in rx.finditer(text):
            near = text[max(0, m.start() - 30) : m.end() + 30]
            if _QUANTITY.search(near):
                found.append((m.start(), direction, m.group(0)))
    return [(d, p) for _, d, p in sorted(found)]


@check("V107", "parallel-bound-word", Category.consistency, FindingSeverity.warning)
def parallel_bound_word(sd: ServiceDescription) -> Iterable[Finding]:
    """Parallel table cells bound their values the other way ("30 minutes au moins" beside "ou moins").

    Cells are parallel when they sit in the same column of the same table, or in the same column
    of tables with the same header (a severity table repeated per plan). A minority direction
    against at least two cells of the majority is flagged.
    """
    headers: dict[tuple[str, int], str] = {}
    for seg in sd.segments:
        if seg.table and seg.table.is_header:
            headers[(seg.table.table_id, seg.table.col)] = fold_for_match(seg.text)
    groups: dict[tuple, list[tuple[Segment, str, str]]] = defaultdict(list)
    for seg in sd.segments:
        if not seg.table or seg.table.is_header:
            continue
        head = headers.get((seg.table.table_id, seg.table.col))
        key = ("h", head, seg.table.col) if head else ("t", seg.table.table_id, seg.table.col)
        for found in _bounds(seg.text):
            groups[key].append((seg, *found))
    seen: set[str] = set()
    for members in groups.values():
        counts = Counter(direction for _, direction, _ in members)
        if len(counts) < 2:
            continue
        (major, n_major), (minor, n_minor) = counts.most_common(2)
        if n_major < 2 or n_major == n_minor:
            continue
        majority_phrase = Counter(p.lower() for _, d, p in members if d == major).most_common(1)[0][0]
        for seg, direction, phrase in members:
            if direction == minor and seg.id not in seen:
                seen.add(seg.id)
                yield _finding(
                    "V107",
                    f"{phrase!r} in {_around(seg.text, phrase)!r} where {n_major} parallel cells say {majority_phrase!r}",
                    seg=seg,
                )


_DEF_HEAD = re.compile(r"^(?P<name>[^:]{2,80}?)\s*:\s+(?P<desc>\S.{10,})$")
_NOT_DEF = re.compile(
    r"^(remarque|note|notes|conseil|tip|important|exemple|example|par exemple|for example|attention|"
    r"avertissement|warning|conditions? prealables?.*|prerequisites?.*|vos responsabilites|your responsibilities|"
    r"limitations?|see|voir|source|description|temps de reponse|response time|disponible|available)$"
)


@check("V108", "duplicate-definition", Category.consistency, FindingSeverity.warning)
def duplicate_definition(sd: ServiceDescription) -> Iterable[Finding]:
    """The same name defined twice ("Name : …") with different text: which one binds?"""
    defs: dict[str, list[tuple[Segment, str]]] = defaultdict(list)
    seen_blocks: set[int] = set()
    for seg in sd.segments:
        if seg.kind not in (SegmentKind.paragraph, SegmentKind.list_item) or seg.block_index in seen_blocks:
            continue
        seen_blocks.add(seg.block_index)  # a definition opens its block: first segment only
        m = _DEF_HEAD.match(seg.text)
        if not m:
            continue
        name = m.group("name").strip()
        key = fold_for_match(name).strip(" .")
        if not name[:1].isupper() or len(name.split()) > 10 or _NOT_DEF.match(key):
            continue
        defs[key].append((seg, fold_for_match(m.group("desc"))))
    for items in defs.values():
        if len(items) > 1 and len({d for _, d in items}) > 1:
            first, dup = items[0][0], items[1][0]
            yield _finding(
                "V108",
                f"{_short(dup.text.split(':')[0], 40)!r} is defined {len(items)} times "
                f"(first at {first.id}, again at {dup.id})",
                seg=dup,
                prov=[p for s, _ in items for p in s.prov],
            )


@check("V109", "no-offers", Category.coverage, FindingSeverity.info)
def no_offers(sd: ServiceDescription) -> Iterable[Finding]:
    """A document with no offers: valid output, but a catalog will have nothing to compare."""
    if not sd.offers:
        yield _finding("V109", f"no offers found in {sd.document.title or sd.document.source!r}")


@check("V110", "undefined-mark", Category.offers, FindingSeverity.warning)
def undefined_mark(sd: ServiceDescription) -> Iterable[Finding]:
    """A sign ("◆", "★") in an availability or plan cell that neither the document's legend nor the
    marks vocabulary defines: its availability is unknown, not "not available". One finding per sign
    and table, naming the cells."""
    cells: dict[tuple[str, str], list[tuple[Offer, str]]] = defaultdict(list)
    for offer in sd.offers:
        mark = offer.availability_mark
        if mark and offer.availability.value == "unknown" and looks_like_mark(mark):
            cells[(offer.table_id or "", split_footnote(offer.availability_mark)[0])].append((offer, ""))
        for value in offer.plan_values:
            if value.availability.value == "unknown" and looks_like_mark(value.text):
                cells[(offer.table_id or "", split_footnote(value.text)[0])].append((offer, value.plan))
    for (table, glyph), where in cells.items():
        names = ", ".join(f"{o.name} / {plan}" if plan else o.name for o, plan in where[:3])
        more = f" and {len(where) - 3} more" if len(where) > 3 else ""
        yield _finding(
            "V110",
            f"mark {glyph!r} in table {table or '?'} is defined by no legend: {names}{more} read as unknown;"
            " add a legend line or extend the marks vocabulary",
            offer=where[0][0],
            prov=[p for o, _ in where for p in o.prov],
        )


# ------------------------------------------------------------------------------------- running


def validate_description(sd: ServiceDescription, codes: Iterable[str] | None = None) -> list[Finding]:
    """Run every registered check (or only ``codes``); findings in code order, then document order."""
    wanted = set(codes) if codes is not None else None
    out: list[Finding] = []
    for code in sorted(REGISTRY):
        if wanted is not None and code not in wanted:
            continue
        out.extend(REGISTRY[code].fn(sd))
    return out
