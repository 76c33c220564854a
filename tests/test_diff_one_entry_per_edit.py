"""One entry per edit: a sentence's redline hangs on the change it explains, and only on it.

Places are compared per format: Markdown lines, Word paragraphs/cells, PDF boxes. A Word
document has no lines, so two different paragraphs must never count as the same place.
"""

from __future__ import annotations

from pipeline.diff.explain import fold_explained
from pipeline.diff.model import Change
from pipeline.diff.model import ChangeKind as K
from pipeline.diff.model import ChangeSeverity as S
from pipeline.extract.model import Provenance


def _word(paragraph: int) -> list[Provenance]:
    return [Provenance(part="word/document.xml", paragraph=paragraph)]


def _availability(prov: list[Provenance]) -> Change:
    return Change(
        kind=K.availability_changed,
        severity=S.breaking,
        offer_id="onsite-visit",
        old="additional",
        new="unknown",
        old_prov=prov,
        new_prov=prov,
        summary="Onsite visit: additional -> unknown",
    )


def _sentence(old_prov: list[Provenance], new_prov: list[Provenance], new_text: str) -> Change:
    return Change(
        kind=K.text_changed,
        severity=S.minor,
        old_text="Aurora Cloud answers in French.",
        new_text=new_text,
        old_prov=old_prov,
        new_prov=new_prov,
        summary="reworded",
    )


def test_word_sentence_in_another_paragraph_is_its_own_entry():
    """A sentence inserted in paragraph 3 does not hang on an availability change of paragraph 12."""
    host = _availability(_word(12))
    added = _sentence(_word(3), _word(3), "Aurora Cloud answers in French. A sentence added in review.")
    out = fold_explained([host, added])
    assert [c.kind for c in out] == [K.availability_changed, K.text_changed]


def test_word_sentence_of_the_same_paragraph_hangs_on_its_change():
    host = _availability(_word(12))
    same = _sentence(_word(12), [], "")
    out = fold_explained([host, same])
    assert [c.kind for c in out] == [K.availability_changed]


def test_markdown_lines_still_fold_by_line():
    host = _availability([Provenance(line_start=40, line_end=40)])
    other = _sentence(
        [Provenance(line_start=7)], [Provenance(line_start=7)], "Aurora Cloud answers in English."
    )
    same = _sentence([Provenance(line_start=40)], [], "")
    out = fold_explained([host, other, same])
    assert [c.kind for c in out] == [K.availability_changed, K.text_changed]
    assert out[1].old_prov[0].line_start == 7
