"""A rule whose scope widened or narrowed in a sentence, no number changed: condition_* with a direction.

Documents written here (fictional vendor Aurora Cloud). The rule word (a limit, an exclusion, a
grant, a requirement) says which way is worse for the customer; the edit must be a list item or
a universal quantifier added or dropped, nothing else reworded after the rule word.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.catalog.loader import load_description
from pipeline.diff.compare import diff_descriptions
from pipeline.diff.model import ChangeKind as K
from pipeline.diff.model import ChangeSeverity as S
from pipeline.diff.scope import scope_shift

TIGHTENED = (K.condition_added, S.breaking)
RELAXED = (K.condition_removed, S.major)


@pytest.mark.parametrize(
    ("old", "new", "want"),
    [
        # an exclusion extended to another tenant type
        (
            "Calendar sharing is not supported between Polar tenants and Boreal or public tenants.",
            "Calendar sharing is not supported between Polar tenants and Boreal, Austral, or public tenants.",
            TIGHTENED,
        ),
        # a limit that now counts messages from every source
        (
            "The hourly limit applies to messages that a mailbox receives from the internet.",
            "The hourly limit applies to messages that a mailbox receives from any and all sources.",
            None,  # "from the internet" replaced: a rewrite, not a list item (conservative)
        ),
        (
            "The hourly limit applies to the messages a mailbox can receive.",
            "The hourly limit applies to the messages a mailbox can receive from any and all sources.",
            TIGHTENED,
        ),
        # a restriction lifted for one environment
        (
            "Archiving is subject to important limitations in the Polar and Boreal regions.",
            "Archiving is subject to important limitations in the Boreal regions.",
            RELAXED,
        ),
        # a grant extended
        (
            "Federation is supported between Polar tenants and through hybrid servers.",
            "Federation is supported between Polar tenants, to Boreal tenants, and through hybrid servers.",
            RELAXED,
        ),
        # a requirement's alternatives shrink / grow
        (
            "To raise the quota, the mailbox must be assigned a Gold licence or a Silver licence with the archive add-on.",
            "To raise the quota, the mailbox must be assigned a Gold licence.",
            TIGHTENED,
        ),
        (
            "In order to use the archive, mailboxes must reside on Aurora Server 8 or Aurora Server 7.",
            "To use the archive, mailboxes must reside on Aurora Server 9, Aurora Server 8, or Aurora Server 7.",
            RELAXED,
        ),
        # French: a limit counted over every source, an exclusion extended
        (
            "Les limites de réception s'appliquent aux messages qu'une boîte aux lettres peut recevoir par heure.",
            "Les limites de réception s'appliquent aux messages qu'une boîte aux lettres peut recevoir par heure de toutes les sources.",
            TIGHTENED,
        ),
        (
            "Le partage n'est pas pris en charge entre les clients Polar et les clients Boreal.",
            "Le partage n'est pas pris en charge entre les clients Polar et les clients Boreal ou Austral.",
            TIGHTENED,
        ),
        # not scope edits: an "and" list in a requirement, no rule word, a rule word that came
        ("Users must sign in with a password and a code.", "Users must sign in with a password.", None),
        (
            "Aurora Cloud runs in the Polar and Boreal regions.",
            "Aurora Cloud runs in the Polar, Austral and Boreal regions.",
            None,
        ),
        (
            "Sharing works between Polar tenants and Boreal tenants.",
            "Sharing is not supported between Polar tenants and Boreal tenants.",
            None,
        ),
        # "or later" joins no list: a version bound, not an alternative
        (
            "Mailboxes must reside on Aurora Server 7 (SP2 or later).",
            "Mailboxes must reside on Aurora Server 7.",
            None,
        ),
        (
            "Les boîtes aux lettres doivent résider sur Aurora Server 7 (SP2 ou version ultérieure).",
            "Les boîtes aux lettres doivent résider sur Aurora Server 7.",
            None,
        ),
        # a different number is a fact change, not a scope change
        (
            "Sharing is not supported in regions 1 and 2.",
            "Sharing is not supported in regions 1 and 3.",
            None,
        ),
    ],
)
def test_scope_shift(old: str, new: str, want):
    got = scope_shift(old, new)
    assert (got[:2] if got else None) == want


def _md(path: Path, body: str) -> Path:
    path.write_text(f"---\ntitle: Aurora Cloud limits\n---\n# Aurora Cloud limits\n\n## Sharing\n\n{body}\n")
    return path


def test_exclusion_extended_to_another_tenant_type_is_breaking(tmp_path: Path):
    old = load_description(
        _md(tmp_path / "old.md", "Sharing is not supported between Polar tenants and Boreal tenants.\n")
    )
    new = load_description(
        _md(
            tmp_path / "new.md",
            "Sharing is not supported between Polar tenants and Boreal or Austral tenants.\n",
        )
    )
    d = diff_descriptions(old, new)
    assert [(c.kind, c.severity) for c in d.material()] == [TIGHTENED]
    assert "Austral" in (d.material()[0].new_text or "")


def _doc(tmp_path: Path, edition: str, lang: str, sentence: str):
    path = tmp_path / edition / f"{lang}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    title = "Aurora Archive" if lang == "en" else "Archive Aurora"
    path.write_text(
        f"# {title}\n\n## Requirements\n\n{sentence}\n\nSee the release notes.\n", encoding="utf-8"
    )
    return load_description(path)


def test_translation_takes_the_scope_change_its_source_made_on_the_same_line(tmp_path: Path):
    """The French rewords around the edit ('Afin de' -> 'Pour', 'ultérieur' -> 'version
    ultérieure'): read alone it is wording; its English source, line for line, relaxed the rule."""
    en_old = "To use the archive, mailboxes must reside on Aurora Server 8 or Aurora Server 7."
    en_new = (
        "To use the archive, mailboxes must reside on Aurora Server 9, Aurora Server 8, or Aurora Server 7."
    )
    fr_old = "Afin d'utiliser l'archive, les boîtes aux lettres doivent résider sur Aurora Server 8 ou Aurora Server 7 (ou ultérieur)."
    fr_new = (
        "Pour utiliser l'archive, les boîtes aux lettres doivent résider sur Aurora Server 9, Aurora Server 8 "
        "ou Aurora Server 7 (ou version ultérieure)."
    )
    alone = diff_descriptions(_doc(tmp_path, "a", "fr", fr_old), _doc(tmp_path, "b", "fr", fr_new))
    assert alone.material() == []
    d = diff_descriptions(
        _doc(tmp_path, "a", "fr", fr_old),
        _doc(tmp_path, "b", "fr", fr_new),
        source_old=_doc(tmp_path, "a", "en", en_old),
        source_new=_doc(tmp_path, "b", "en", en_new),
    )
    assert [(c.kind, c.severity) for c in d.material()] == [RELAXED]
    # the source wording alone changed: the translation stays wording
    d = diff_descriptions(
        _doc(tmp_path, "a", "fr", fr_old),
        _doc(tmp_path, "b", "fr", fr_new),
        source_old=_doc(tmp_path, "a", "en", en_old),
        source_new=_doc(tmp_path, "b", "en", en_old.replace("To use", "In order to use")),
    )
    assert d.material() == []


def test_translated_limit_added_on_the_lines_where_its_source_added_one(tmp_path: Path):
    """'Limited to' is a limit in both languages; a French sentence added where the English added
    a limit is that limit (condition added), not text."""
    en_new = "Mailboxes must reside on Aurora Server 8.\n\nYour organization is limited to 2,000 hub rooms."
    fr_new = "Les boîtes aux lettres doivent résider sur Aurora Server 8.\n\nVotre organisation est limitée à 2 000 salles pivots."
    d = diff_descriptions(
        _doc(tmp_path, "a", "fr", "Les boîtes aux lettres doivent résider sur Aurora Server 8."),
        _doc(tmp_path, "b", "fr", fr_new),
        source_old=_doc(tmp_path, "a", "en", "Mailboxes must reside on Aurora Server 8."),
        source_new=_doc(tmp_path, "b", "en", en_new),
    )
    assert [(c.kind, c.severity) for c in d.material()] == [TIGHTENED]


CLARIFIED = (K.condition_added, S.major)
_ONLY = "Federation is supported only between tenants within the Polar environment."


@pytest.mark.parametrize(
    ("context", "want"),
    [
        # the old grant already left every non-Polar tenant out: naming one more is a clarification
        (_ONLY, CLARIFIED),
        # no exclusive grant before it: a real tightening
        ("Federation is supported between tenants within the Polar environment.", TIGHTENED),
        (None, TIGHTENED),
        # the exclusive grant covered the added item: it is taken away
        (
            "Federation is supported only between tenants within the Polar and Austral environments.",
            TIGHTENED,
        ),
    ],
)
def test_exclusion_extended_to_what_an_only_grant_already_left_out(context, want):
    old = "It is not supported between Polar tenants and Boreal or public tenants."
    new = "It is not supported between Polar tenants and Boreal, Austral, or public tenants."
    got = scope_shift(old, new, context)
    assert (got[:2] if got else None) == want


def test_exclusion_extended_to_what_an_only_grant_already_left_out_fr():
    ctx = "La fédération est prise en charge uniquement entre les clients au sein de l'environnement Polar."
    old = "Elle n'est pas prise en charge entre les clients Polar et les clients Boreal ou publics."
    new = "Elle n'est pas prise en charge entre les clients Polar et les clients Boreal, Austral ou publics."
    got = scope_shift(old, new, ctx)
    assert (got[:2] if got else None) == CLARIFIED


def test_exclusion_extended_to_what_an_only_grant_already_left_out_in_a_document(tmp_path: Path):
    item = "- {} It is not supported between Polar tenants and {} tenants.\n"
    old = load_description(_md(tmp_path / "old.md", item.format(_ONLY, "Boreal or public")))
    new = load_description(_md(tmp_path / "new.md", item.format(_ONLY, "Boreal, Austral, or public")))
    d = diff_descriptions(old, new)
    assert [(c.kind, c.severity) for c in d.material()] == [CLARIFIED]
