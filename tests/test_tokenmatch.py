"""The facts step's tokenizer and matcher (pipeline.normalize.tokenmatch).

Expected token lists are what spaCy's language-neutral tokenizer (``spacy.blank("xx")``) gave for the
same strings when the facts step moved off spaCy; the facts of the whole shared corpus and test data
were compared then (identical)."""

from __future__ import annotations

import pytest

from pipeline.normalize.tokenmatch import Doc, Matcher, tokenize


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("4 h. puis", ["4", "h.", "puis"]),  # one-letter abbreviation kept whole
        ("these):** ok", ["these", "):", "*", "*", "ok"]),  # an emoticon special glued back
        ("sous-sites e-mail", ["sous", "-", "sites", "e", "-", "mail"]),
        ("see https://example.com/a-b, then", ["see", "https://example.com/a-b", ",", "then"]),
        ("file-name-v1.pdf", ["file-name-v1.pdf"]),  # looks like a host name: one token
        ("US$ 5", ["US$", "5"]),
        ("jusqu'à 17", ["jusqu'à", "17"]),
        ("N °3", ["N", "°", "3"]),
        ("heures/jour", ["heures", "/", "jour"]),
        ("etc. U.S. A.", ["etc", ".", "U.S.", "A."]),
        ("5km", ["5", "km"]),
        ("a : b", ["a", ":", "b"]),
    ],
)
def test_tokens_follow_spacy_rules(text: str, tokens: list[str]) -> None:
    got = tokenize(text)
    assert [t for t, _ in got] == tokens
    assert all(text[i : i + len(t)] == t for t, i in got)


def test_matcher_returns_every_optional_variant() -> None:
    m = Matcher()
    m.add(
        "d",
        [[{"LOWER": "4"}, {"LOWER": "x", "OP": "?"}, {"LOWER": "heures"}, {"LOWER": "ouvrées", "OP": "?"}]],
    )
    doc = Doc(["4", "x", "heures", "ouvrées"], [True, True, True, False])
    assert [(s, e) for _, s, e in m(doc)] == [(0, 3), (0, 4)]
    doc = Doc(["4", "heures", "ouvrées"], [True, True, False])
    assert [(s, e) for _, s, e in m(doc)] == [(0, 2), (0, 3)]


def test_matcher_in_and_flags() -> None:
    m = Matcher()
    m.add(
        "c", [[{"NORM": {"IN": ["n"]}}, {"IS_ALPHA": True, "IS_LOWER": True}, {"LOWER": {"IN": ["users"]}}]]
    )
    doc = Doc(["5", "active", "Users"], [True, True, False])
    doc.tokens[0].norm_ = "n"
    assert m(doc) == [("c", 0, 3)]
    doc = Doc(["5", "Active", "users"], [True, True, False])
    doc.tokens[0].norm_ = "n"
    assert m(doc) == []
