"""Properties of the diff on generated edits: self-diff empty, deterministic, never a crash."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st
from test_diff_engine import make_sd, seg

from pipeline.diff.compare import diff_descriptions
from pipeline.diff.model import SEVERITY_RANK
from pipeline.normalize.model import SegmentKind
from pipeline.render.diff_report import render_diff

words = st.sampled_from(
    [
        "support",
        "is",
        "available",
        "online",
        "by",
        "telephone",
        "for",
        "paid",
        "trial",
        "plans",
        "14",
        "days",
        "99.9%",
        "must",
        "only",
        "the",
        "a",
        "«",
        "»",
        "–",
        "—",
        "’",
        "'",
        "-",
        ",",
        ".",
        ";",
        ":",
        "(",
        ")",
        "Note",
    ]
)
sentences = st.lists(words, min_size=0, max_size=25).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(sentences, min_size=0, max_size=6), st.lists(sentences, min_size=0, max_size=6))
def test_generated_edits_are_stable(old_texts, new_texts):
    a, b = make_sd(), make_sd()
    a.segments += [seg(40 + i, t, "more") for i, t in enumerate(old_texts)]
    b.segments += [seg(40 + i, t, "more") for i, t in enumerate(new_texts)]
    d = diff_descriptions(a, b)
    assert diff_descriptions(a, copy.deepcopy(a)).changes == []
    assert render_diff(d, "json") == render_diff(diff_descriptions(a, b), "json")
    ranks = [SEVERITY_RANK[c.severity] for c in d.changes]
    assert ranks == sorted(ranks)
    assert sum(d.counts.values()) == len(d.changes)
    for fmt in ("md", "html"):
        assert render_diff(d, fmt)


def test_segments_of_an_unlisted_section_are_compared():
    a, b = make_sd(), make_sd()
    a.segments.append(seg(50, "Orphan text with a paid plan.", "ghost", SegmentKind.paragraph))
    b.segments.append(seg(50, "Orphan text with a free plan.", "ghost", SegmentKind.paragraph))
    d = diff_descriptions(a, b)
    assert [(c.kind.value, c.section_id) for c in d.changes] == [("text_changed", "ghost")]
