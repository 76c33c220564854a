"""SLA commitments written as text: priority definitions, availability commitments, credits, hours.

* **priority definitions**, one paragraph or list item per level ("P1 – Panne critique … Délai de
  réponse : 30 minutes."), or a heading naming the level followed by its paragraphs;
* **availability commitments** ("99,9 % par mois calendaire, hors maintenance planifiée");
* **service credits** in a sentence ("5 % de la redevance par heure d'indisponibilité, plafonné à
  30 %") or a table (availability threshold | credit);
* **coverage** ("jours ouvrés de 9 h à 18 h", "24/7"): the document's business hours.

Targets found in one section are grouped into one :class:`SlaTable` with ``source = prose``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.extract.model import Block, BlockKind, Document
from pipeline.lexicon import load_all
from pipeline.normalize.model import ServiceCredit, SlaMetric, SlaRow, SlaSource, SlaTable, SlaTarget
from pipeline.normalize.sections import SectionMap
from pipeline.normalize.sla.durations import parse_duration
from pipeline.normalize.sla.tables import percent_in
from pipeline.normalize.sla.vocab import (
    coverage_of,
    find_word,
    level_in_sentence,
    metric_mentions,
    metric_of,
    parse_severity,
    period_of,
)
from pipeline.normalize.tables import body_rows, cell_text, header_texts
from pipeline.textutil import clean_text, fold_for_match, slugify

PlanId = Callable[[str], str]

_TEXT_KINDS = {BlockKind.paragraph, BlockKind.list_item, BlockKind.note}
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[A-ZÀ-Ý«\"(])")
_PERCENTS = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,]\d{1,4})?)\s*%")
_PER = re.compile(
    r"\b(?:par|per|for\s+each|for\s+every|pour\s+chaque|chaque|each|every)\s+(?:(?:tranche|p[ée]riode|period|block)"
    r"\s+(?:de|of)\s+)?(?P<dur>(?:\d+(?:[.,]\d+)?\s*)?(?:minutes?|heures?|hours?|jours?|days?|h)\b(?:\s+commenc\w+)?)",
    re.I,
)


def targets_in(text: str, reach: int = 160) -> list[SlaTarget]:
    """Time targets said in a sentence: each metric phrase and the first duration after it, at most
    ``reach`` characters further (a commitment outside a priority definition must say it close by)."""
    text = clean_text(text)
    mentions = metric_mentions(text)
    out: list[SlaTarget] = []
    seen: set[SlaMetric] = set()
    for k, (start, end, metric) in enumerate(mentions):
        if metric is SlaMetric.availability or metric in seen:
            continue
        stop = mentions[k + 1][0] if k + 1 < len(mentions) else len(text)
        tail = text[end:stop][:160]
        dur = parse_duration(tail)
        if dur is None or tail.find(dur[2]) > reach:
            continue
        report = find_word("reports", tail)
        if report and not fold_for_match(tail)[: report.start()].strip(" -:"):
            continue  # "resolution summary within 10 days": a report about the metric, not the metric
        if reach < 160 and re.search(r"[,;]", tail[: tail.find(dur[2])]):
            continue  # another clause holds the time ("resolution, followed by a report within 5 days")
        seen.add(metric)
        cut = end + tail.find(dur[2]) + len(dur[2])
        out.append(
            SlaTarget(metric=metric, minutes=dur[0], business_hours=dur[1], text=clean_text(text[start:cut]))
        )
    return out


def availabilities_in(sentence: str, plan_id: PlanId | None = None) -> list[SlaTarget]:
    """Every availability figure of a sentence: one for all plans, or one per plan when each figure is
    followed by "for <Name>" / "pour <Nom>" ("99.9% for Professional and 99.99% for Mission Critical")."""
    target = availability_in(sentence)
    if target is None:
        return []
    text = clean_text(sentence)
    per_plan = []
    for m in _PERCENTS.finditer(text):
        name = _plan_after(text[m.end() :])
        if name:
            pct = float(m.group(1).replace(",", "."))
            sid = plan_id(name) if plan_id else slugify(name)
            per_plan.append(target.model_copy(update={"percent": pct, "scope": name, "scope_id": sid}))
    return per_plan if len(per_plan) >= 2 else [target]


@functools.cache
def _plan_re() -> re.Pattern[str]:
    words = {
        fold_for_match(str(w)) for d in load_all("metrics").values() for w in d.get("plan_prepositions") or []
    }
    alt = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"^\s*(?:{alt})\s+(?P<name>[A-ZÀ-Ý][\w'’-]*(?:\s+[A-ZÀ-Ý][\w'’-]*)*)")


def _plan_after(text: str) -> str | None:
    """The capitalised name right after a plan preposition ("for Mission Critical" -> "Mission Critical")."""
    m = _plan_re().match(text)
    return m.group("name") if m else None


def availability_in(sentence: str) -> SlaTarget | None:
    """Availability in one sentence: "99,9 % par mois calendaire, hors maintenance planifiée" -> 99.9 per month."""
    if find_word("credits", sentence) or metric_of(sentence) is not SlaMetric.availability:
        return None
    if not any(m is SlaMetric.availability for _s, _e, m in metric_mentions(sentence)):
        return None
    pct = percent_in(sentence)
    if pct is None or not 50 <= pct <= 100:
        return None
    sentence = clean_text(sentence)
    exclusion = find_word("exclusions", sentence)
    excl = [sentence[exclusion.start() :].rstrip(" .;")] if exclusion else []
    return SlaTarget(
        metric=SlaMetric.availability,
        percent=pct,
        period=period_of(sentence),
        exclusions=excl,
        text=clean_text(sentence).rstrip(" ."),
    )


def credit_in(sentence: str, block: Block) -> ServiceCredit | None:
    """A service credit in one sentence: its share of the fee, per unit of downtime, threshold, cap."""
    if not find_word("credits", sentence):
        return None
    about_downtime = find_word("downtime", sentence) or find_word("below", sentence)
    if not about_downtime and metric_of(sentence) is not SlaMetric.availability:
        return None  # a credit of something else (prepaid credits, a discount)
    folded = fold_for_match(sentence)
    percents = [(m.start(), float(m.group(1).replace(",", "."))) for m in _PERCENTS.finditer(folded)]
    if not percents:
        return None
    cap = find_word("caps", sentence)
    below = find_word("below", sentence)
    cap_pct = next((v for s, v in percents if cap and s >= cap.end() and s - cap.end() < 20), None)
    below_pct = next((v for s, v in percents if below and s >= below.end() and s - below.end() < 20), None)
    share = next((v for _s, v in percents if v not in (cap_pct, below_pct)), None)
    if share is None:
        return None
    per = _PER.search(sentence)
    per_minutes = None
    if per and find_word("downtime", sentence[per.start() :]):
        dur = per.group("dur")
        parsed = parse_duration(dur if re.match(r"\d", dur) else f"1 {dur}")
        per_minutes = parsed[0] if parsed else None
    return ServiceCredit(
        percent=share,
        per_minutes=per_minutes,
        below_percent=below_pct,
        cap_percent=cap_pct,
        text=clean_text(sentence).rstrip(" ."),
        prov=list(block.prov),
    )


def credit_table(block: Block) -> list[ServiceCredit]:
    """A table "availability | credit" (rows "< 99,9 % | 10 %") -> one credit per row."""
    table = block.table
    if table is None:
        return []
    header = header_texts(table)
    if (
        len(header) < 2
        or metric_of(header[0]) is not SlaMetric.availability
        or not find_word("credits", header[1])
    ):
        return []
    out = []
    for row in body_rows(table):
        texts = [cell_text(c) for c in row]
        if len(texts) < 2:
            continue
        bounds = [float(m.group(1).replace(",", ".")) for m in _PERCENTS.finditer(texts[0])]
        threshold = max(bounds) if bounds else None  # "99,0 % – 99,9 %": under the upper bound
        share = percent_in(texts[1])
        if threshold is None or share is None:
            continue
        out.append(
            ServiceCredit(
                percent=share, below_percent=threshold, text=" | ".join(texts[:2]), prov=list(row[0].prov)
            )
        )
    return out


@dataclass
class _Group:
    """What one section says in prose."""

    first_block: int
    rows: dict[str, SlaRow] = field(default_factory=dict)
    credits: list[ServiceCredit] = field(default_factory=list)
    coverage: str | None = None


def find_prose_slas(
    doc: Document, smap: SectionMap, plan_id: PlanId | None = None
) -> tuple[list[SlaTable], str | None]:
    """Prose SLA groups, one per section that has any, and the document's business-hours coverage."""
    groups: dict[str | None, _Group] = {}
    business: str | None = None
    current: tuple[str, str] | None = None  # the level a heading named, for the paragraphs under it
    for bi, block in enumerate(doc.blocks):
        sid = smap.block_section[bi]
        if block.kind == BlockKind.heading:
            current = parse_severity(clean_text(block.text))
            continue
        if block.kind == BlockKind.table:
            credits = credit_table(block)
            if credits:
                groups.setdefault(sid, _Group(bi)).credits.extend(credits)
            continue
        if block.kind not in _TEXT_KINDS:
            continue
        text = clean_text(block.text)
        sentences = _SENTENCE.split(text)
        if business is None:
            business = next(
                (c for c in map(coverage_of, sentences) if c and c.startswith("business hours ")), None
            )
        cov = coverage_of(text)
        sev = parse_severity(text) or current
        if sev is not None:
            found = targets_in(text)
            if found:
                group = groups.setdefault(sid, _Group(bi))
                row = group.rows.get(sev[0])
                if row is None:
                    label = text if sev is not current else clean_text(doc.blocks[bi].text)
                    row = group.rows[sev[0]] = SlaRow(
                        severity=sev[0], label=label[:120], situation=_situation(text), prov=list(block.prov)
                    )
                have = {t.metric for t in row.targets}
                row.targets.extend(t for t in found if t.metric not in have)
                if cov and cov != "business hours":
                    group.coverage = group.coverage or cov
                continue
        for sentence in sentences:
            found_av = availabilities_in(sentence, plan_id)
            if found_av:
                group = groups.setdefault(sid, _Group(bi))
                row = group.rows.setdefault("", SlaRow(severity="", label="", prov=list(block.prov)))
                for target in found_av:
                    key = (target.percent, target.scope_id)
                    if not any(
                        t.metric is SlaMetric.availability and (t.percent, t.scope_id) == key
                        for t in row.targets
                    ):
                        row.targets.append(target)
                continue
            credit = credit_in(sentence, block)
            if credit is not None:
                groups.setdefault(sid, _Group(bi)).credits.append(credit)
                continue
            found = targets_in(sentence, reach=60)
            if found:  # "Response time to a ticket: 30 minutes, 24/7." - a commitment for every level
                group = groups.setdefault(sid, _Group(bi))
                level = level_in_sentence(sentence) or ""  # "Urgent incidents are acknowledged within 1 hour"
                row = group.rows.setdefault(level, SlaRow(severity=level, label="", prov=list(block.prov)))
                have = {t.metric for t in row.targets}
                sentence_cov = coverage_of(sentence)
                for t in found:
                    if t.metric not in have:
                        t.coverage = sentence_cov if sentence_cov != "business hours" else None
                        row.targets.append(t)
    tables = []
    for sid, group in groups.items():
        rows = [r for r in group.rows.values() if r.targets]
        if not rows and not group.credits:
            continue
        section = smap.by_id(sid) if sid else None
        tables.append(
            SlaTable(
                id=f"p{group.first_block}",
                title=section.title if section else None,
                section_id=sid,
                source=SlaSource.prose,
                coverage=group.coverage,
                rows=rows,
                credits=group.credits,
                prov=[p for r in rows for p in r.prov[:1]],
            )
        )
    return tables, business


def _situation(text: str) -> str:
    """The definition part of a priority paragraph: the text before the first metric phrase."""
    mentions = metric_mentions(text)
    head = text[: mentions[0][0]] if mentions else text
    sev = parse_severity(head)
    return clean_text(sev[1] if sev else head).rstrip(" .:;–-")
