"""SLA matrices: commitment rows x plan columns, commitment rows x level columns, plan rows x metric columns.

:func:`build_sla_matrix` reads them; :func:`is_commitment_row` and :func:`is_transposed` tell the
offers reader which rows of a plan table are commitments (never offers), with the same rules.
"""

from __future__ import annotations

from pipeline.extract.model import Block, Table
from pipeline.normalize.ids import clean_name
from pipeline.normalize.model import SlaRow, SlaSource, SlaTable
from pipeline.normalize.sla.durations import parse_duration
from pipeline.normalize.sla.tables import PlanId, coverage_column, severity_in, value_target
from pipeline.normalize.sla.vocab import coverage_of, is_customer_side, metric_of, parse_severity
from pipeline.normalize.tables import body_rows, cell_text, header_texts


def level_columns(header: list[str]) -> dict[int, str]:
    """``{column: level}`` for the columns after the first whose title names a level ("P1", "Sev 2")."""
    return {i: lv[0] for i in range(1, len(header)) if (lv := parse_severity(header[i])) is not None}


def is_transposed(header: list[str]) -> bool:
    """Levels as column titles ("Target | P1 | P2 | P3"): its rows are commitments per level."""
    return len(level_columns(header)) >= max(2, len(header) // 2)


def is_hours_row(cells: list[str]) -> bool:
    """Every cell says when a clock runs ("8x5 | 8x5 | 24/7") and none is a duration: the plans' hours."""
    return bool(cells) and all(coverage_of(c) and parse_duration(c) is None for c in cells)


def is_commitment_row(header: list[str], texts: list[str]) -> bool:
    """True when :func:`build_sla_matrix` reads this row of a plan table as commitments: its label
    names a metric and a cell holds its value ("Délai de prise en charge | 8 h ouvrées | 4 h"), its
    cells are the plans' hours, or it is a plan's row under metric columns with a value there and
    nothing but hours elsewhere. Such a row is an SLA target, never an offer with plan cells."""
    cells = [t for t in texts[1 : len(header)] if t]
    if not cells or not texts[0]:
        return False
    if is_hours_row(cells) and not is_transposed(header):
        return True
    metric = metric_of(texts[0])
    if metric is not None:
        return any(value_target(c, metric, "all", "all", False) for c in cells)
    # plan rows x metric columns ("Team | Business hours | 8 business hours | 99.5 %")
    col_metric = {
        i: m for i in range(1, len(header)) if not is_customer_side(header[i]) and (m := metric_of(header[i]))
    }
    filled = {i: t for i, t in enumerate(texts[1 : len(header)], start=1) if t}
    return (
        bool(col_metric)
        and all(i in col_metric or coverage_of(t) for i, t in filled.items())
        and any(
            value_target(t, col_metric[i], "all", "all", False) for i, t in filled.items() if i in col_metric
        )
    )


def build_sla_matrix(
    block: Block, table_id: str, section_id: str | None, title: str | None, plan_id: PlanId
) -> SlaTable | None:
    """A table of commitments -> an SLA table of its targets; None when it holds none. Three shapes:

    * commitment rows x plan columns ("Délai de prise en charge | 8 h ouvrées | 4 h"): a row whose
      label names a metric; a row of hours ("Horaires | 8x5 | 24/7") sets each plan's coverage;
    * commitment rows x level columns ("Response time | 15 min | 1 h | 4 h" under "P1 | P2 | P3");
    * plan or service rows x metric columns ("Start | 8 business hours | 99.5 %" under
      "Plan | Response time | Availability"), hours in a column of their own.

    A title or label that says "business hours" makes its times business times. Rows that name no
    metric under columns that name none (features, channels) are not SLA targets.
    """
    table: Table | None = block.table
    if table is None:
        return None
    header = header_texts(table)
    body = [[cell_text(c) for c in r] for r in body_rows(table)]
    if len(header) < 2 or not body:
        return None
    cols = range(1, len(header))
    levels = level_columns(header)
    transposed = is_transposed(header)
    col_metric = {i: m for i in cols if not is_customer_side(header[i]) and (m := metric_of(header[i]))}
    col_business = {i for i in cols if (coverage_of(header[i]) or "").startswith("business")}
    scopes = [
        (i, clean_name(header[i]), plan_id(clean_name(header[i]))) if header[i] else (i, "all", "all")
        for i in cols
    ]
    if transposed or (len(scopes) == 1 and 1 in col_metric):
        scopes = [(i, "all", "all") for i in cols]  # level columns, or one value column: no plans
    coverage_cols = [i for i in cols if i not in col_metric and coverage_column(body, i)]
    coverage: dict[int, str] = {}
    rows: list[SlaRow] = []
    by_level: dict[str, SlaRow] = {}
    for r, texts in zip(body_rows(table), body, strict=True):
        if not texts or not texts[0]:
            continue
        label = texts[0]
        cells = {i: texts[i] for i in cols if i < len(texts) and texts[i]}
        if not transposed and is_hours_row(list(cells.values())):
            coverage.update({i: coverage_of(c) or "" for i, c in cells.items()})
            continue
        metric = metric_of(label)
        business = (coverage_of(label) or "").startswith("business")
        if metric is not None and transposed:
            for i, level in levels.items():
                target = value_target(cells.get(i, ""), metric, "all", "all", business or i in col_business)
                if target is not None:
                    row = by_level.setdefault(
                        level, SlaRow(severity=level, label=header[i], prov=list(r[0].prov))
                    )
                    row.targets.append(target)
            continue
        if metric is not None:
            slarow = SlaRow(severity=severity_in(label), label=label, prov=list(r[0].prov))
            for i, scope, sid in scopes:
                target = value_target(cells.get(i, ""), metric, scope, sid, business or i in col_business)
                if target is not None:
                    slarow.targets.append(target)
        elif col_metric and not transposed:
            scope = clean_name(label)
            slarow = SlaRow(severity="", label=label, prov=list(r[0].prov))
            row_cov = next((coverage_of(cells[i]) for i in coverage_cols if i in cells), None)
            for i, m in sorted(col_metric.items()):
                cell = cells.get(i, "")
                target = (
                    value_target(cell, m, scope, plan_id(scope), i in col_business)
                    if len(cell) <= 80
                    else None
                )
                if target is not None:
                    target.coverage = row_cov if target.percent is None else None
                    slarow.targets.append(target)
        else:
            continue
        if slarow.targets:
            slarow.our_response = " | ".join(cells.get(i, "") for i in cols)
            rows.append(slarow)
    rows = [*by_level.values(), *rows]
    if not rows:
        return None
    for row in rows:
        for t in row.targets:
            col = next((i for i, _s, sid in scopes if sid == t.scope_id and sid != "all"), None)
            if col in coverage:
                t.coverage = coverage[col]
    return SlaTable(
        id=table_id,
        title=title,
        section_id=section_id,
        source=SlaSource.matrix,
        columns=header,
        rows=rows,
        prov=list(block.prov),
    )
