"""Normalize as named steps: each step reads only what it declares, and only what the input or an earlier
step wrote; every part of the description is written by exactly one step (offers: found, then given facts)."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from pipeline.extract import extract
from pipeline.normalize import normalize
from pipeline.normalize.steps import INPUTS, STEPS, State

SAMPLE = Path(__file__).resolve().parents[1] / "corpus"


def test_declared_reads_come_from_earlier_steps() -> None:
    written = set(INPUTS)
    for step in STEPS:
        missing = set(step.reads) - written
        assert not missing, f"step {step.name} reads {sorted(missing)} before any step writes it"
        written.add(step.writes)
    assert written == {f.name for f in fields(State)}, "a State field no step writes"


_FIELDS = frozenset(f.name for f in fields(State))


class _Spy(State):
    """A State that records which fields are read while one step runs."""

    def __getattribute__(self, name: str):  # noqa: ANN204
        if name in _FIELDS:
            object.__getattribute__(self, "_seen").add(name)
        return object.__getattribute__(self, name)


def _sample_inputs() -> list[Path]:
    return sorted(p for p in SAMPLE.rglob("*") if p.suffix in (".md", ".pdf") and p.name != "README.md")


def test_each_step_reads_only_what_it_declares() -> None:
    inputs = _sample_inputs()
    assert inputs, f"no sample documents under {SAMPLE}"
    for path in inputs:
        state = _Spy(doc=extract(path), glossary=None)
        for step in STEPS:
            object.__setattr__(state, "_seen", set())
            value = step.run(state)
            seen = object.__getattribute__(state, "_seen")
            assert seen <= set(step.reads), (
                f"{path.name}: step {step.name} read {sorted(seen - set(step.reads))}"
            )
            setattr(state, step.writes, value)
            assert getattr(state, step.writes) is not None, f"step {step.name} wrote nothing"


def test_steps_give_the_description() -> None:
    path = _sample_inputs()[0]
    sd = normalize(extract(path))
    assert sd.document.source and sd.segments


def test_title_block_stamps_and_note_labels_make_no_offers(tmp_path: Path) -> None:
    """Normalize makes no offer that a later stage would have to delete (an edition stamp, a note label)."""
    doc = tmp_path / "en.md"
    doc.write_text(
        "# Fabrikam Cloud Backup\n\nEdition: 4 June 2021\n\n## Services\n\n"
        "**Daily backup**: copies every volume once a day.\n\n**Restore**: brings a volume back within 4 hours.\n\n"
        "> [!NOTE]\n> Restores of volumes over 1 TB take longer.\n\nNote: You can ask for a restore test once a year.\n",
        encoding="utf-8",
    )
    sd = normalize(extract(doc))
    assert [o.name for o in sd.offers] == ["Daily backup", "Restore"]
