"""Injected faults in a tmp copy of a real French edition are each found, with the right kind.

The copy of ``teams-service-description/2021-07-14/fr.md`` gets six faults at once, each at its
own place (a number changed, a table row dropped, an availability mark flipped, a sentence left in
English, a footnote marker moved to the next cell, a product name translated); findings that the
untouched edition already has are subtracted, so each remaining finding is one we planted.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.parity.compare import check_parity

pytestmark = pytest.mark.shared

EDITION = "bilingual-md/teams-service-description/2021-07-14"


def _plant(en_lines: list[str], fr_lines: list[str]) -> tuple[list[str], dict[str, str]]:
    """Return the faulty French lines and, per fault, a string the faulty target text contains."""
    lines = list(fr_lines)
    marks: dict[str, str] = {}
    rows = [
        i
        for i, line in enumerate(lines)
        if line.startswith("|") and not re.match(r"^\|[\s:|-]+\|?\s*$", line)
    ]
    body = rows[1:]  # after the header row
    # 1. availability mark flipped (first body row: first "Oui" -> "Non")
    i = body[0]
    lines[i] = lines[i].replace("Oui", "Non", 1)
    marks["availability_mismatch"] = "Non"
    # 2. footnote marker moved: a cell "Oui<sup>2</sup>" gives its marker to the next cell
    i = next(r for r in body if re.search(r"Oui<sup>2</sup>\s*\|\s*Oui", lines[r]))
    lines[i] = re.sub(r"Oui<sup>2</sup>(\s*)\|(\s*)Oui", r"Oui\1|\2Oui<sup>2</sup>", lines[i], count=1)
    marks["footnote_mismatch"] = "Oui"
    # 3. number changed in the footnote text "2 500"
    i = next(k for k, line in enumerate(lines) if "2 500" in line)
    lines[i] = lines[i].replace("2 500", "3 500")
    marks["number_mismatch"] = "3 500"
    # 4. product name translated (a body sentence that starts with "Microsoft Teams est")
    i = next(k for k, line in enumerate(lines) if line.startswith("Microsoft Teams est"))
    lines[i] = lines[i].replace("Microsoft Teams", "Microsoft Équipes", 1)
    marks["name_mismatch"] = "Équipes"
    # 5. a sentence left in English: the French line replaced by the English one (same line number)
    i = next(k for k, line in enumerate(lines) if line.startswith("Microsoft Teams n"))
    lines[i] = en_lines[i]
    marks["untranslated"] = en_lines[i].split()[3]
    # 6. a table row dropped (a later row with no footnote marker); last, so the indexes above hold
    dropped = next(r for r in body[3:] if "<sup>" not in lines[r] and r != i)
    marks["missing_in_target"] = re.split(r"\s*\|\s*", en_lines[dropped].strip("|"))[0].strip()
    del lines[dropped]
    return lines, marks


def test_injected_faults_found_with_the_right_kind(shared_corpus: Path, described, tmp_path: Path) -> None:
    ed = shared_corpus / EDITION
    en_lines = (ed / "en.md").read_text(encoding="utf-8").split("\n")
    fr_lines = (ed / "fr.md").read_text(encoding="utf-8").split("\n")
    faulty, marks = _plant(en_lines, fr_lines)
    path = tmp_path / "fr.md"
    path.write_text("\n".join(faulty), encoding="utf-8")

    source = described(ed / "en.md")
    baseline = check_parity(source, described(ed / "fr.md"))
    parity = check_parity(source, described(path))

    def key(f):
        return (f.kind.value, f.message, f.source_text, f.target_text)

    before = {key(f) for f in baseline.findings}
    new = [f for f in parity.findings if key(f) not in before]
    found = {kind: [f for f in new if f.kind.value == kind] for kind in marks}
    for kind, needle in marks.items():
        hits = [
            f
            for f in found[kind]
            if needle in f.target_text or needle in f.source_text or needle in f.message
        ]
        assert hits, (
            f"{kind} not found (planted: {needle!r}); new findings: {[(f.kind.value, f.message) for f in new]}"
        )
    row = found["missing_in_target"][0]
    assert row.detail.get("unit") == "table row" and row.severity.value == "error"
    # nothing else went wrong: every new finding is one of the planted kinds
    assert {f.kind.value for f in new} <= set(marks), [
        (f.kind.value, f.message) for f in new if f.kind.value not in marks
    ]
