"""One edit planted in a real page comes out as exactly one material change that names it.

Pages are the newest editions of the real library (``../shared/library``, English and French).
Four kinds of edit, drawn at random with a fixed seed: a Yes/No cell of a plan table flipped, a
row of a plan table deleted, a new row added (a copy of a row under a new label), a number in a
sentence changed. The diff of the page against its planted copy must hold exactly one breaking or
major change, of the right kind, naming the row (or carrying both numbers).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from pipeline.catalog.loader import load_description
from pipeline.diff.compare import diff_descriptions
from pipeline.diff.model import ChangeKind as K

MAX_PAGE = 70_000  # bytes: keeps the test quick (the 120 kB page is measured in benchmarks)
PLANTS_PER_KIND = 13
MARKS = {"en": ("Yes", "No"), "fr": ("Oui", "Non")}
NEW_LABEL = {"en": "Zephyr planted capability", "fr": "Capacité plantée Zéphyr"}

_SEP = re.compile(r"^\|?\s*:?-{3,}")
_TAGS = re.compile(r"<sup>.*?</sup>|<br\s*/?>|<[^>]+>|\*\*")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_NUMBER = re.compile(r"(?<![\w.,/:#-])(\d{1,3})(?![\w.,/:%-]|\s*\)|\]\()")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _plain(cell: str) -> str:
    return " ".join(_TAGS.sub(" ", _LINK.sub(r"\1", cell)).split())


def table_rows(lines: list[str]) -> list[tuple[int, int]]:
    """(line index, table start) of every body row of a pipe table with a label and 2+ columns."""
    out = []
    start = None
    for i, line in enumerate(lines):
        if not line.lstrip().startswith("|"):
            start = None
            continue
        if start is None:
            start = i
            continue
        if _SEP.match(line.strip()):
            continue
        cells = _cells(line)
        if len(cells) >= 3 and _plain(cells[0]) and i > start + 1:
            out.append((i, start))
    return out


def plan_rows(lines: list[str], lang: str) -> list[tuple[int, int]]:
    """Body rows of tables holding Yes/No cells (feature x plan tables), with a unique label."""
    yes, no = MARKS[lang]
    rows = table_rows(lines)
    labels = [_plain(_cells(lines[i])[0]).casefold() for i, _ in rows]
    out = []
    for (i, start), label in zip(rows, labels, strict=True):
        marks = [_plain(c) for c in _cells(lines[i])[1:]]
        if labels.count(label) == 1 and any(m in (yes, no) for m in marks) and len(label) > 3:
            out.append((i, start))
    return out


def sentence_numbers(lines: list[str]) -> list[tuple[int, re.Match]]:
    """Numbers (not years, versions, links or list numbering) in running text outside tables."""
    out = []
    front = lines[0].strip() == "---"
    for i, line in enumerate(lines):
        if front:
            if i > 0 and line.strip() == "---":
                front = False
            continue
        s = line.strip()
        if not s or s.startswith(("|", "#", "<", "[!", "!", "```")) or len(s) < 40:
            continue
        for m in _NUMBER.finditer(line):
            before = line[: m.start()]
            if before.count("](") > before.count(")") or before.count("[") > before.count("]"):
                continue  # inside a link
            if re.match(r"^\s*\d+\.\s", line[: m.end() + 2]):
                continue  # list numbering
            if int(m.group(1)) < 2:
                continue
            out.append((i, m))
    return out


def plant(lines: list[str], lang: str, kind: str, rng: random.Random) -> tuple[list[str], dict] | None:
    yes, no = MARKS[lang]
    new = list(lines)
    if kind in ("flip", "delete", "add"):
        rows = plan_rows(lines, lang)
        if kind != "flip":  # a row of 'No' everywhere coming or going is no service change
            rows = [(i, st) for i, st in rows if any(_plain(c) == yes for c in _cells(lines[i])[1:])]
        if not rows:
            return None
        i, _start = rng.choice(rows)
        cells = _cells(lines[i])
        label = _plain(cells[0])
        if kind == "flip":
            cols = [k for k, c in enumerate(cells) if k and _plain(c) in (yes, no)]
            k = rng.choice(cols)
            cells[k] = (
                cells[k].replace(yes, no, 1) if _plain(cells[k]) == yes else cells[k].replace(no, yes, 1)
            )
            new[i] = "| " + " | ".join(cells) + " |"
            return new, {"kind": K.availability_changed, "label": label}
        if kind == "delete":
            del new[i]
            return new, {"kind": K.offer_removed, "label": label}
        cells[0] = NEW_LABEL[lang]
        new.insert(i + 1, "| " + " | ".join(cells) + " |")
        return new, {"kind": K.offer_added, "label": NEW_LABEL[lang]}
    spots = sentence_numbers(lines)
    if not spots:
        return None
    i, m = rng.choice(spots)
    old_n = m.group(1)
    new_n = str(int(old_n) * 2 + 1)
    new[i] = lines[i][: m.start(1)] + new_n + lines[i][m.end(1) :]
    return new, {"kind": K.fact_changed, "numbers": (old_n, new_n)}


def pages(library: Path) -> list[tuple[Path, str]]:
    out = []
    for doc in sorted(p for p in library.iterdir() if p.is_dir()):
        newest = sorted(p for p in doc.iterdir() if p.is_dir())[-1]
        for lang in ("en", "fr"):
            path = newest / f"{lang}.md"
            if path.is_file() and path.stat().st_size <= MAX_PAGE:
                out.append((path, lang))
    return out


def draw(library: Path, seed: int = 20261201) -> list[tuple[Path, str, str, list[str], dict]]:
    """PLANTS_PER_KIND plants of each kind, pages and places drawn with a fixed seed."""
    rng = random.Random(seed)
    candidates = pages(library)
    out = []
    for kind in ("flip", "delete", "add", "number"):
        tries = 0
        got = 0
        while got < PLANTS_PER_KIND and tries < 400:
            tries += 1
            path, lang = rng.choice(candidates)
            lines = path.read_text(encoding="utf-8").splitlines()
            planted = plant(lines, lang, kind, rng)
            if planted is None:
                continue
            out.append((path, lang, kind, *planted))
            got += 1
    return out


@pytest.fixture(scope="module")
def plants(shared_corpus):
    library = shared_corpus.parent / "library"
    if not library.is_dir():
        pytest.skip(f"real library not found at {library}")
    return draw(library)


def _names_it(c, want: dict) -> bool:
    if "label" in want:
        return want["label"].casefold() in (c.summary or "").casefold()
    old_n, new_n = want["numbers"]
    return old_n in (c.old or "") and new_n in (c.new or "")


def test_planted_edits_come_out_as_one_material_change(plants, tmp_path):
    assert len(plants) >= 50
    cache = tmp_path / "cache"
    failures = []
    for k, (path, lang, kind, lines, want) in enumerate(plants):
        planted = tmp_path / f"plant{k}" / f"{lang}.md"
        planted.parent.mkdir()
        planted.write_text("\n".join(lines) + "\n", encoding="utf-8")
        d = diff_descriptions(load_description(path, cache_dir=cache), load_description(planted))
        mat = d.material()
        ok = len(mat) == 1 and mat[0].kind is want["kind"] and _names_it(mat[0], want)
        if not ok:
            got = [(c.kind.value, c.severity.value, c.summary[:90]) for c in mat]
            failures.append(f"{path.parent.parent.name}/{lang} {kind} {want}: {got}")
    assert not failures, f"{len(failures)}/{len(plants)} plants:\n" + "\n".join(failures)
