"""SLA tables: severity rows x metric columns, severity x plan grids (commitment x plan matrices:
:mod:`pipeline.normalize.sla.matrix`).

* **table** (Unified-Support style, GTI/GTR tables): one row per severity or priority, a column
  per metric named by its title ("Notre réponse prévue", "GTI", "Target resolution", "Update
  frequency"); a cell may hold several scopes ("<scope> - Première réponse … 15 minutes");
* **grid**: one row per severity, one column per plan, one metric (from the cells' words, the
  table's title or section, else first response), cells "30 min", "2 h ouvrées", "NBD", "J+1";
* **matrix**: one row per commitment ("Délai de prise en charge", "Disponibilité garantie"),
  one column per plan; rows that name no metric (features, channels) are left to the offers reader,
  a row of hours ("8x5", "24/7") gives each plan's coverage.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pipeline.extract.model import Block, Table
from pipeline.normalize.ids import clean_name
from pipeline.normalize.model import SlaMetric, SlaRow, SlaSource, SlaTable, SlaTarget
from pipeline.normalize.sla.durations import parse_duration
from pipeline.normalize.sla.vocab import (
    coverage_of,
    find_word,
    is_customer_side,
    is_description_head,
    is_severity_head,
    metric_mentions,
    metric_of,
    parse_severity,
    period_of,
    scope_id_of,
)
from pipeline.normalize.tables import body_rows, cell_text, header_texts
from pipeline.quantities import QuantityKind, quantities_in
from pipeline.textutil import clean_text

PlanId = Callable[[str], str]
#: one cell holding several values ("30 min / 4 h", "1 h ; 8 h")
_CELL_PARTS = re.compile(r"\s+/\s+|\s*;\s*|\n")

_PERCENT = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,]\d{1,4})?)\s*%")
_SCOPE = re.compile(r"(?P<scope>[A-ZÀ-Ý][^.\n:;–-]{2,80}?|(?<=;\s)[a-zà-ý][^.\n:;–-]{2,80}?)\s*[-–—:]\s*$")


def percent_in(text: str) -> float | None:
    m = _PERCENT.search(text)
    return float(m.group(1).replace(",", ".")) if m else None


def _spans(text: str, metric: SlaMetric) -> list[tuple[int, int]]:
    """Where ``text`` (already whitespace-clean) names ``metric``: lexicon phrases as (start, end)."""
    return [(s, e) for s, e, m in metric_mentions(text) if m is metric]


def responses_in(
    text: str,
    default_scope: str = "all",
    default_scope_id: str = "all",
    bare: bool = False,
    metric: SlaMetric = SlaMetric.first_response,
    plan_id: PlanId | None = None,
) -> list[SlaTarget]:
    """The ``metric`` times in one cell, one per scope (a "<scope> - Première réponse …" prefix).

    ``bare``: the cell sits in a column of that metric, so a duration alone ("30 min") is the value.
    """
    matches = _spans(clean_text(text), metric)
    text = clean_text(text)
    if not matches and bare:
        dur = parse_duration(text)
        if not dur:
            return []
        cov = coverage_of(text)  # "Within 15 minutes, 24x7"
        return [
            SlaTarget(
                metric=metric,
                scope=default_scope,
                scope_id=default_scope_id,
                minutes=dur[0],
                business_hours=dur[1] or (cov or "").startswith("business"),
                coverage=cov,
                text=clean_text(text[: text.find(dur[2]) + len(dur[2])]),
            )
        ]
    out: list[SlaTarget] = []
    for i, m in enumerate(matches):
        end = matches[i + 1][0] if i + 1 < len(matches) else len(text)
        tail = text[m[0] : end]
        dur = parse_duration(tail[:160])
        prev_end = matches[i - 1][1] if i else 0
        sm = _SCOPE.search(text[prev_end : m[0]])
        if sm:
            scope = clean_text(sm.group("scope"))
            # drop the previous clause's tail ("… ou moins Tous les autres produits")
            scope = re.sub(r"^.*?\b(ou moins|or less|or fewer)\s+", "", scope, flags=re.I)
            scope_id = scope_id_of(scope, plan_id)
        else:
            scope, scope_id = default_scope, default_scope_id
        phrase = clean_text(tail[: tail.find(dur[2]) + len(dur[2])]) if dur else clean_text(tail[:120])
        out.append(
            SlaTarget(
                metric=metric,
                scope=scope,
                scope_id=scope_id,
                minutes=dur[0] if dur else None,
                business_hours=dur[1] if dur else False,
                text=phrase,
            )
        )
    return out


def value_target(text: str, metric: SlaMetric, scope: str, scope_id: str, business: bool) -> SlaTarget | None:
    """One matrix or grid cell -> a target (a percent for availability, else a duration); None if empty."""
    if metric is SlaMetric.availability:
        pct = percent_in(text)
        if pct is None:
            return None
        exclusion = find_word("exclusions", text)
        return SlaTarget(
            metric=metric,
            scope=scope,
            scope_id=scope_id,
            percent=pct,
            period=period_of(text),
            exclusions=[clean_text(text[exclusion.start() :])] if exclusion else [],
            text=clean_text(text),
        )
    dur = parse_duration(text)
    if dur is None:
        return None
    cov = coverage_of(text)  # "1 h (24/7)", "4 heures (heures ouvrées)"
    return SlaTarget(
        metric=metric,
        scope=scope,
        scope_id=scope_id,
        minutes=dur[0],
        business_hours=dur[1] or business or (cov or "").startswith("business"),
        coverage=cov,
        text=clean_text(text),
    )


def severity_in(label: str) -> str:
    """The level a commitment row names anywhere in its label ("Response time – Sev 1", "P2 response"), or ''."""
    sev = parse_severity(label)
    if sev:
        return sev[0]
    for m in re.finditer(r"[-–—(:,/]\s*|\s(?=\S)", label):
        sev = parse_severity(label[m.end() :])
        if sev and (sev[0].isdigit() or len(sev[0]) == 1):
            return sev[0]  # digits or letters only: a named level inside a label is too loose
    return ""


def _needs_within(situation: str, minutes: int) -> bool:
    """True when the situation asks for a response "dans un délai de N heures ouvrées" of the same length."""
    return any(
        q.kind is QuantityKind.duration and q.business and int(round(q.value)) == minutes
        for lang in ("fr", "en")
        for q in quantities_in(situation, lang)
    )


def coverage_column(body: list[list[str]], i: int) -> bool:
    """Every filled cell of column ``i`` says hours of service ("24/7", "8x5", "Heures ouvrées")."""
    cells = [t[i] for t in body if i < len(t) and t[i]]
    return bool(cells) and all(coverage_of(c) and parse_duration(c) is None for c in cells)


def _is_timeish(text: str) -> bool:
    return len(text) <= 80 and (parse_duration(text) is not None or percent_in(text) is not None)


def build_sla_table(
    block: Block,
    table_id: str,
    section_id: str | None,
    title: str | None,
    plan_id: PlanId,
    context: str = "",
) -> SlaTable | None:
    """A table whose rows are severities -> an SLA table (``table`` or ``grid``); None otherwise.

    ``context``: the table's caption or section title, which may name the metric of a grid.
    """
    table: Table | None = block.table
    if table is None:
        return None
    header = header_texts(table)
    your_cols = [i for i, h in enumerate(header) if i and is_customer_side(h)]
    metric_cols = {
        i: m for i, h in enumerate(header) if i and i not in your_cols and (m := metric_of(h)) is not None
    }
    situation_cols = [
        i
        for i, h in enumerate(header)
        if i and i not in metric_cols and i not in your_cols and is_description_head(h)
    ]
    bare_levels = bool(header) and is_severity_head(header[0])
    body = [[cell_text(c) for c in r] for r in body_rows(table)]
    others = [
        i
        for i in range(1, len(header))
        if i not in metric_cols and i not in your_cols and i not in situation_cols
    ]
    coverage_cols = [i for i in others if coverage_column(body, i)]
    others = [i for i in others if i not in coverage_cols]
    timed = [i for i in others if any(i < len(t) and (_is_timeish(t[i]) or metric_of(t[i])) for t in body)]
    if timed and len(timed) >= len(metric_cols):
        # times under columns that mostly name no metric: plan columns (a plan may be "… prise en charge …")
        metric_cols = {}
    elif timed:
        # a few time columns under titles the lexicon does not know, among metric columns: kept as "other"
        metric_cols.update({i: SlaMetric.other for i in timed})
    business_cols = {i for i in metric_cols if (coverage_of(header[i]) or "").startswith("business")}
    named = list(
        dict.fromkeys(m for _s, _e, m in metric_mentions(context))
    )  # in the order the caption names them
    grid_metric = named[0] if named else SlaMetric.first_response
    rows: list[SlaRow] = []
    grid = False
    for row in body_rows(table):
        texts = [cell_text(c) for c in row]
        if not texts or not any(texts):
            continue
        sev = parse_severity(texts[0], bare=bare_levels)
        if sev is None:
            if rows and not texts[0] and len(texts) > 1 and metric_cols:
                # continuation row of a table split across pages
                prev, rc = rows[-1], min(metric_cols)
                if rc < len(texts):
                    prev.our_response = clean_text(f"{prev.our_response} {texts[rc]}")
            continue
        level, situation = sev
        extra = [texts[i] for i in situation_cols if i < len(texts) and texts[i]]
        situation = clean_text(" ".join([situation, *extra]))
        slarow = SlaRow(severity=level, label=texts[0], situation=situation, prov=list(row[0].prov))
        slarow.footnotes = sorted({r.marker for c in row for r in c.footnote_refs})
        if metric_cols and rows and not any(texts[1:]):
            # response cells merged down from the row above ("Sévérité 1" and "A" share one cell)
            prev = rows[-1]
            slarow.our_response, slarow.your_response = prev.our_response, prev.your_response
            slarow.targets = [t.model_copy() for t in prev.targets]
        elif metric_cols:
            first = min(metric_cols)
            slarow.our_response = texts[first] if first < len(texts) else ""
            if your_cols and your_cols[0] < len(texts):
                slarow.your_response = texts[your_cols[0]]
            for i, metric in sorted(metric_cols.items()):
                cell = texts[i] if i < len(texts) else ""
                found = responses_in(cell, bare=len(cell) <= 80, metric=metric, plan_id=plan_id)
                for t in found:
                    if metric is SlaMetric.first_response and t.minutes is not None and not t.business_hours:
                        t.business_hours = _needs_within(situation, t.minutes)
                    t.business_hours = t.business_hours or (i in business_cols and t.minutes is not None)
                slarow.targets.extend(found)
        else:
            plan_cols = [
                i
                for i in range(1, len(texts))
                if i not in situation_cols and (metric_of(texts[i]) is not None or _is_timeish(texts[i]))
            ]
            if plan_cols and not any(header):
                # no column titles: the time cell(s) are "our response", the other cells the situation
                slarow.our_response = " | ".join(texts[i] for i in plan_cols)
                for i in plan_cols:
                    metric = metric_of(texts[i]) or grid_metric
                    slarow.targets.extend(responses_in(texts[i], bare=len(texts[i]) <= 80, metric=metric))
                others = [texts[i] for i in range(1, len(texts)) if i not in plan_cols and texts[i]]
                slarow.situation = clean_text(" ".join([slarow.situation, *others]))
            elif plan_cols:
                grid = True
                for i in plan_cols:
                    scope = clean_name(header[i]) if i < len(header) and header[i] else f"column {i + 1}"
                    parts = _CELL_PARTS.split(texts[i])
                    if len(named) >= 2 and len(parts) == len(named):
                        # "30 min / 4 h" under a caption naming "response time / resolution time"
                        for part, metric in zip(parts, named, strict=True):
                            target = value_target(part, metric, scope, plan_id(scope), False)
                            if target is not None:
                                slarow.targets.append(target)
                        continue
                    metric = metric_of(texts[i]) or grid_metric
                    found = responses_in(
                        texts[i], scope, plan_id(scope), bare=len(texts[i]) <= 80, metric=metric
                    )
                    for t in found:
                        t.scope, t.scope_id = scope, plan_id(scope)
                    slarow.targets.extend(found[:1])
                slarow.our_response = " | ".join(texts[i] for i in plan_cols)
            else:
                slarow.situation = clean_text(" ".join(t for t in [situation, *texts[1:2]] if t))
                # times written inside the description ("… Response time: 30 minutes."), as in prose
                from pipeline.normalize.sla.prose import targets_in  # lazy: prose imports this module

                slarow.targets = [t for cell in texts[1:] for t in targets_in(cell)]
        row_cov = next((coverage_of(texts[i]) for i in coverage_cols if i < len(texts) and texts[i]), None)
        for t in slarow.targets:
            t.coverage = t.coverage or row_cov
        rows.append(slarow)
    if not rows:
        return None
    return SlaTable(
        id=table_id,
        title=title,
        section_id=section_id,
        source=SlaSource.grid if grid else SlaSource.table,
        columns=header,
        rows=rows,
        prov=list(block.prov),
    )
