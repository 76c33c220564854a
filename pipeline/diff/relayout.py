"""Re-layout between editions: a plan table turned into lists of plans or sections, or the reverse.

The same plans and offers in another shape are not a service change. Three shapes are read here:
- a whole plan table gone (none of its columns paired with a new column) whose plans are still
  named as headings or list items of the new edition ("Plan 1" column -> "- Plan 1" under a
  heading): its columns and rows were re-laid out as lists, not dropped;
- a new plan table most rows of which were headings or sections of the old edition: its plan
  columns (often plan categories) lay out what the sections said for every plan; a new table of
  new features keeps its columns as added plans;
- a table row named by the leading words of a heading of the other edition ("Storage" row <->
  "Storage space per user" section): the section became a row;
- a table row whose one value is stated in a paragraph of the other edition, in a section or
  sentence that names what the row named ("File upload limit: 15 GB" in every plan column ->
  "15 GB." under "File size ..."): the row became prose, nothing was withdrawn.
"""

from __future__ import annotations

import re

from pipeline.diff.columns import codes, plan_names, same_plan
from pipeline.diff.edition import Edition, one_line
from pipeline.extract.language import function_words
from pipeline.normalize.model import Offer, SegmentKind
from pipeline.quantities import quantities_in
from pipeline.textutil import fold_for_match

_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(fold_for_match(one_line(text)).replace("'", " "))


def listed_names(e: Edition) -> list[list[str]]:
    """Headings, list items and short paragraphs of an edition as folded words: where a plan or a
    row lives when its table is laid out as lists or sections."""
    out = [
        _words(seg.text)
        for seg in e.sd.segments
        if seg.kind in (SegmentKind.heading, SegmentKind.list_item)
        or (seg.kind is SegmentKind.paragraph and len(seg.text) < 80)
    ]
    out += [_words(sec.title) for sec in e.sd.sections]
    return [w for w in out if w]


def plan_listed(label: str, names: list[list[str]]) -> bool:
    """The plan of a column header is named by a heading or list item: the same name, or the same
    codes with the same words but one ('Plan 2' and 'Offre 2' of the same product)."""
    for item in plan_names(label):
        for name in names:
            if name == item or same_plan(item, name):
                return True
            shared = set(item) & set(name)
            if (
                codes(item)
                and codes(item) == codes(name)
                and len(shared) >= 2 * max(len(item), len(name)) / 3
            ):
                return True
    return False


def gone_tables(old_offers: list[Offer], plan_map: dict[str, str], kept_rows: set[str]) -> set[str]:
    """Old plan tables none of whose columns was paired with a new column and none of whose rows
    with a new table row (``kept_rows``: old ids of such rows); a table whose columns were only
    renamed past recognition (translated) keeps its rows."""
    cols: dict[str, set[str]] = {}
    kept: set[str] = set()
    for o in old_offers:
        for pv in o.plan_values:
            if pv.table_id:
                cols.setdefault(pv.table_id, set()).add(pv.plan_id)
                if o.id in kept_rows:
                    kept.add(pv.table_id)
    return {t for t, ids in cols.items() if not ids & plan_map.keys() and t not in kept}


def relaid_as_lists(o: Offer, gone: set[str], names: list[list[str]]) -> bool:
    """A row of a table gone from the new edition whose every plan is still listed there."""
    return (
        bool(o.plan_values)
        and all(pv.table_id in gone for pv in o.plan_values)
        and all(plan_listed(pv.plan, names) for pv in o.plan_values)
    )


def heading_led(name: str, e: Edition) -> bool:
    """The row's name is the leading words of a section title of ``e`` ('Storage' ->
    'Storage space per user')."""
    key = _words(name)
    if not key:
        return False
    return any(len(t) > len(key) and t[: len(key)] == key for t in (_words(s.title) for s in e.sd.sections))


def sections_laid_out(new_offers: list[Offer], moved_rows: set[int]) -> set[str]:
    """New plan tables at least half of whose rows are new rows re-laid out from a heading or
    section of the old edition (``moved_rows``: ids of such offer objects); a new feature among
    them stays an added offer, the columns are the layout of the rest."""
    rows: dict[str, list[bool]] = {}
    for o in new_offers:
        for t in {pv.table_id for pv in o.plan_values if pv.table_id}:
            rows.setdefault(t, []).append(id(o) in moved_rows)
    return {t for t, flags in rows.items() if 2 * sum(flags) >= len(flags)}


def _stems(text: str, lang: str | None) -> set[str]:
    """Content words cut to five letters: 'fichiers' and 'fichier', 'terms' and 'term' meet."""
    stop = function_words(lang or "en")
    return {w[:5] for w in _words(text) if len(w) > 2 and not w.isdigit() and w not in stop}


def stated_in_prose(o: Offer, e: Edition) -> bool:
    """A removed table row with one quantity in every cell ('15 GB' for each plan) whose quantity
    is stated in a paragraph or list item of ``e`` that, with its section title, shares a content
    word with the row's name: the limit moved out of the table into the text, for every plan."""
    texts = {one_line(pv.text) for pv in o.plan_values}
    if len(texts) != 1 or not o.plan_values:
        return False
    lang = e.sd.document.language
    wanted = quantities_in(texts.pop(), lang)
    if len(wanted) != 1:
        return False
    q = wanted[0]
    name = _stems(o.name, lang)
    titles = {sec.id: sec.title for sec in e.sd.sections}
    for seg in e.sd.segments:
        if seg.kind not in (SegmentKind.paragraph, SegmentKind.list_item) or seg.table is not None:
            continue
        if not any((x.value, x.base) == (q.value, q.base) for x in quantities_in(seg.text, lang)):
            continue
        if name & _stems(seg.text + " " + titles.get(seg.section_id or "", ""), lang):
            return True
    return False
