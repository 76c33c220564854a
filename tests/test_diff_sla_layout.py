"""SLA plan columns merged or re-laid out between editions: the same commitments under a new column
are a re-layout (cosmetic), not "response time removed"; a merged column with a worse time, or a
plan dropped beside a kept column with the same times, is still reported."""

from __future__ import annotations

from pathlib import Path

from helpers import diff_texts

from pipeline.diff.model import ChangeKind as K
from pipeline.diff.model import ChangeSeverity as S

_OLD = """# Quillfern Helpdesk service description

## Urgency levels and reply targets

Reply targets depend on the urgency level and on the Quillfern plan you hold.

| Urgency | Quillfern Starter | Quillfern Studio Q1<br/>Quillfern Studio Q2 | Quillfern Field W1 | Priority care |
|:--|:--|:--|:--|:--|
| Sev A (Critical) | Response time: 2 hours | Response time: one hour | Response time: one hour | Response time: 30 minutes |
| Sev B (High) | Response time: 8 hours | Response time: 4 hours | Response time: 4 hours | Response time: 2 hours |
| Sev C (Medium) | Response time: 2 days | Response time: 1 day | Response time: 1 day | Response time: 4 hours |
"""


def _new(studio_b: str = "4 hours", kept_field: bool = False) -> str:
    head = "| Urgency | Quillfern Starter | Every Quillfern Studio (Q) and Field (W) plan | Priority care |"
    rule = "|:--|:--|:--|:--|"
    rows = [
        "| Sev A (Critical) | Response time: 2 hours | Response time: one hour | Response time: 30 minutes |",
        f"| Sev B (High) | Response time: 8 hours | Response time: {studio_b} | Response time: 2 hours |",
        "| Sev C (Medium) | Response time: 2 days | Response time: 1 day | Response time: 4 hours |",
    ]
    if kept_field:  # the Field column printed again under its own name, Studio gone beside it
        head = "| Urgency | Quillfern Starter | Quillfern Field W1 | Priority care |"
    return "\n".join(
        [
            "# Quillfern Helpdesk service description",
            "",
            "## Urgency levels and reply targets",
            "",
            "Reply targets depend on the urgency level and on the Quillfern plan you hold.",
            "",
            head,
            rule,
            *rows,
            "",
        ]
    )


def _diff(tmp_path: Path, new: str):
    return diff_texts(tmp_path, _OLD, new)


def _sla(diff) -> list[tuple[str, S, str | None, str | None]]:
    return sorted((c.subject, c.severity, c.old, c.new) for c in diff.changes if c.kind is K.sla_changed)


def test_support_sla_plan_columns_merged_is_relayout_not_lost_response_time(tmp_path) -> None:
    sla = _sla(_diff(tmp_path, _new()))
    assert [s for s in sla if s[1] in (S.breaking, S.major)] == []
    merged = [s for s in sla if s[0].startswith("scope/")]
    assert len(merged) == 1 and merged[0][1] is S.cosmetic
    # either old column may be the one paired by name; the other is the one folded in
    assert ("Field W1" in merged[0][2] or "Studio Q1" in merged[0][2]) and "Every" in merged[0][3]


def test_merged_sla_column_with_a_longer_time_is_still_breaking(tmp_path) -> None:
    sla = _sla(_diff(tmp_path, _new(studio_b="8 hours")))
    breaking = [s for s in sla if s[1] is S.breaking]
    assert breaking, sla
    assert not [s for s in sla if s[0].startswith("scope/")]


def test_sla_plan_dropped_beside_a_kept_column_with_same_times_is_still_reported(tmp_path) -> None:
    sla = _sla(_diff(tmp_path, _new(kept_field=True)))
    assert [s for s in sla if s[1] is S.breaking], sla
    assert not [s for s in sla if s[0].startswith("scope/")]
