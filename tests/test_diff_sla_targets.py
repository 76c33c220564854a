"""Typed SLA targets across editions: restoration, availability, credits; saved 1.0 JSON still diffs."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from test_diff_engine import make_sd

from pipeline.catalog.loader import load_saved
from pipeline.diff.compare import diff_descriptions
from pipeline.diff.model import ChangeKind as K
from pipeline.diff.model import ChangeSeverity as S
from pipeline.normalize.migrate import migrate
from pipeline.normalize.model import (
    SCHEMA_VERSION,
    ServiceCredit,
    SlaMetric,
    SlaRow,
    SlaSource,
    SlaTable,
    SlaTarget,
)


def _with_targets():
    sd = make_sd()
    row = sd.sla_tables[0].rows[0]
    row.targets.append(
        SlaTarget(metric=SlaMetric.restoration, minutes=240, business_hours=True, text="GTR 4 h")
    )
    sd.sla_tables.append(
        SlaTable(
            id="p40",
            source=SlaSource.prose,
            rows=[
                SlaRow(
                    severity="",
                    targets=[
                        SlaTarget(metric=SlaMetric.availability, percent=99.9, period="month", text="99.9 %")
                    ],
                )
            ],
            credits=[ServiceCredit(percent=5, per_minutes=60, cap_percent=30, text="5 % per hour, cap 30 %")],
        )
    )
    return sd


def _sla(diff):
    return sorted((c.subject, c.severity, c.old, c.new) for c in diff.changes if c.kind is K.sla_changed)


def test_restoration_lengthened_is_breaking_shortened_major() -> None:
    a = _with_targets()
    b = copy.deepcopy(a)
    b.sla_tables[0].rows[0].targets[1].minutes = 480
    assert _sla(diff_descriptions(a, b)) == [
        ("A/all/restoration", S.breaking, "4 h (business hours)", "8 h (business hours)")
    ]
    assert _sla(diff_descriptions(b, a)) == [
        ("A/all/restoration", S.major, "8 h (business hours)", "4 h (business hours)")
    ]


def test_availability_lowered_and_credit_cap_lowered_are_breaking() -> None:
    a = _with_targets()
    b = copy.deepcopy(a)
    b.sla_tables[1].rows[0].targets[0].percent = 99.5
    b.sla_tables[1].credits[0].cap_percent = 20
    got = _sla(diff_descriptions(a, b))
    assert ("~availability/all/availability", S.breaking, "99.9 %", "99.5 %") in got
    assert ("credit/1", S.breaking, "5 % per 1 h cap 30 %", "5 % per 1 h cap 20 %") in got
    assert len(got) == 2


def test_restoration_dropped_is_breaking_added_major() -> None:
    a = _with_targets()
    b = copy.deepcopy(a)
    del b.sla_tables[0].rows[0].targets[1]
    assert _sla(diff_descriptions(a, b)) == [("A/all/restoration", S.breaking, "4 h (business hours)", None)]
    assert _sla(diff_descriptions(b, a)) == [("A/all/restoration", S.major, None, "4 h (business hours)")]


def _as_v1(sd) -> dict:
    """The saved JSON an svcdesc of schema 1.0 wrote for ``sd`` (first responses only)."""
    data = json.loads(sd.model_dump_json())
    data["schema_version"] = "1.0"
    for table in data["sla_tables"]:
        for key in ("source", "coverage", "credits"):
            table.pop(key)
        for row in table["rows"]:
            row.pop("label")
            row["first_response"] = [
                {k: t[k] for k in ("scope", "scope_id", "minutes", "business_hours", "text")}
                for t in row.pop("targets")
                if t["metric"] == "first_response"
            ]
    return data


def test_migration_from_1_0_keeps_first_responses() -> None:
    v1 = _as_v1(make_sd())
    v1["sla_tables"][0]["rows"][0]["severity"] = "Critical"
    up = migrate(v1)
    assert up["schema_version"] == SCHEMA_VERSION and v1["schema_version"] == "1.0"  # the input is untouched
    row = up["sla_tables"][0]["rows"][0]
    assert row["severity"] == "critical" and row["label"] == "Critical"
    assert row["targets"] == [
        {"metric": "first_response", "scope": "All", "scope_id": "all", "minutes": 60, "business_hours": False,
         "text": "one hour"}
    ]  # fmt: skip
    assert migrate(up) is up  # current version: unchanged


def test_saved_1_0_json_loads_and_diffs_against_current(tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    old.write_text(json.dumps(_as_v1(make_sd())), encoding="utf-8")
    loaded = load_saved(old)
    assert loaded.schema_version == SCHEMA_VERSION
    assert [t.minutes for _t, _r, t in loaded.sla_targets()] == [60, 120]
    assert diff_descriptions(loaded, make_sd()).changes == []
    new = make_sd()
    new.sla_tables[0].rows[1].targets[0].minutes = 240
    assert _sla(diff_descriptions(loaded, new)) == [("B/all", S.breaking, "2 h", "4 h")]
