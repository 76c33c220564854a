"""Row identity across editions (issue 12, cause C), on a fictional bilingual service description.

A table row relabelled in place (same values, most of its words or its quantities kept) is a
rename, not 'offer removed' + 'offer added'; two different features that merely sit at the same
place are not a rename. A French row is paired through its English row of the same table (the
English labels stay put while the machine translation churns): a label re-translated, or left in
English in the new edition, is the same row, and its real change is still found.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.catalog.loader import load_description
from pipeline.diff.bilingual import demote_untranslated
from pipeline.diff.compare import diff_descriptions
from pipeline.diff.model import Change
from pipeline.diff.model import ChangeKind as K
from pipeline.diff.model import ChangeSeverity as S
from pipeline.extract.model import Provenance

EN_OLD = """# Brindlemoor Workspace service description

## Limits for Brindlemoor plans

| **Feature** | **Brindlemoor Solo** | **Brindlemoor Crew** |
|:--|:--|:--|
| Storage | 2 TB per workspace plus 5 GB per seat | 2 TB per workspace plus 5 GB per seat |
| Holding pen | Yes | Yes |
| Shared boards per tenant | 300 | 300 |
| Guest passes | Yes | No |
| Number of seats | Up to 50 | Up to 900 |
"""

EN_NEW = """# Brindlemoor Workspace service description

## Limits by plan

| **Feature** | **Brindlemoor Solo or Crew** | **Brindlemoor Crew Plus** |
|:--|:--|:--|
| Total storage per workspace | 2 TB plus 5 GB per seat | 2 TB plus 5 GB per seat |
| Guest badges in Rooms | Yes | Yes |
| Audit trail | No | Yes |
| Shared boards (team boards) per workspace | 300 | 300 |
| Guest passes | Yes | No |
| Number of seats | Up to 50 | Up to 900 |
"""

FR_OLD = """# Description du service Brindlemoor Workspace

## Limites des plans Brindlemoor

| **Fonctionnalité** | **Brindlemoor Solo** | **Brindlemoor Crew** |
|:--|:--|:--|
| Stockage | 2 To par espace plus 5 Go par siège | 2 To par espace plus 5 Go par siège |
| Enclos de rétention | Oui | Oui |
| Tableaux partagés par locataire | 300 | 300 |
| Laissez-passer invités | Oui | Non |
| Nombre de sièges | Jusqu'à 50 | Jusqu'à 900 |
"""


def _fr_new(guest: str = "Oui", guest_label: str = "Cartes d'accès pour les visiteurs") -> str:
    """The new French edition: every label re-translated (or left in English)."""
    return f"""# Description du service Brindlemoor Workspace

## Limites par plan

| **Fonctionnalité** | **Brindlemoor Solo ou Crew** | **Brindlemoor Crew Plus** |
|:--|:--|:--|
| Capacité totale par espace de travail | 2 To plus 5 Go par siège | 2 To plus 5 Go par siège |
| Badges invités dans les salles | Oui | Oui |
| Piste d'audit | Non | Oui |
| Tableaux (tableaux d'équipe) par espace de travail | 300 | 300 |
| {guest_label} | Oui | {"Non" if guest == "Oui" else "Non"} |
| Effectif maximal | Jusqu'à 50 | Jusqu'à 900 |
""".replace("| Oui | Non |\n| Effectif", f"| {guest} | Non |\n| Effectif")


def _load(tmp_path: Path, edition: str, lang: str, text: str):
    path = tmp_path / edition / f"{lang}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return load_description(path)


def _material(diff) -> list[tuple[str, str]]:
    return sorted((c.kind.value, c.summary) for c in diff.changes if c.material())


def test_row_relabelled_in_place_is_a_rename_and_a_different_feature_is_not(tmp_path) -> None:
    diff = diff_descriptions(_load(tmp_path, "a", "en", EN_OLD), _load(tmp_path, "b", "en", EN_NEW))
    kinds = _material(diff)
    renamed = {(c.old, c.new) for c in diff.changes if c.kind is K.offer_renamed}
    # same quantities, a word of the label kept: the same row
    assert ("Storage", "Total storage per workspace") in renamed
    # most of the label kept: the same row
    assert ("Shared boards per tenant", "Shared boards (team boards) per workspace") in renamed
    removed = {c.old for c in diff.changes if c.kind is K.offer_removed}
    added = {c.new for c in diff.changes if c.kind is K.offer_added}
    assert "Storage" not in removed and "Total storage per workspace" not in added, kinds
    # marks alike ('Yes' everywhere) at the same place, rows not replaced one for one (a row
    # was added beside it): two different features
    assert ("Holding pen", "Guest badges in Rooms") not in renamed
    assert "Holding pen" in removed and "Guest badges in Rooms" in added


def _bilingual(tmp_path: Path, fr_new: str, en_new: str = EN_NEW):
    return diff_descriptions(
        _load(tmp_path, "a", "fr", FR_OLD),
        _load(tmp_path, "b", "fr", fr_new),
        source_old=_load(tmp_path, "a", "en", EN_OLD),
        source_new=_load(tmp_path, "b", "en", en_new),
    )


def test_french_rows_re_translated_pair_through_their_english_rows(tmp_path) -> None:
    diff = _bilingual(tmp_path, _fr_new())
    material = _material(diff)
    gone = [s for k, s in material if k == K.offer_removed.value]
    came = [s for k, s in material if k == K.offer_added.value]
    # the English paired Storage, the boards and the seats rows: so does the French, whatever
    # the translation now calls them; only the row the English lost and gained is removed/added
    assert not any("Stockage" in s or "Tableaux" in s or "sièges" in s for s in gone), material
    assert len(gone) == 1 and "Enclos" in gone[0], material
    assert sorted(came) == ["offer added: Badges invités dans les salles", "offer added: Piste d'audit"], (
        material
    )
    # 'Nombre de sièges' -> 'Effectif maximal': the English did not rename it: translation only
    retitled = [c for c in diff.changes if c.subject and "nombre-de-sieges" in c.subject]
    assert retitled and all(not c.material() for c in retitled)
    assert any(c.kind is K.translation_changed or c.severity in (S.minor, S.cosmetic) for c in retitled)


def test_french_label_left_in_english_still_shows_the_real_flip(tmp_path) -> None:
    en_new = EN_NEW.replace("| Guest passes | Yes | No |", "| Guest passes | No | No |")
    fr_new = _fr_new(guest="Non", guest_label="Guest passes")
    diff = _bilingual(tmp_path, fr_new, en_new)
    flips = [c for c in diff.changes if c.kind is K.availability_changed and c.severity is S.breaking]
    assert flips, _material(diff)
    assert not [s for k, s in _material(diff) if k == K.offer_added.value and "Guest passes" in s]


def test_french_plan_column_change_needs_the_english_column_at_the_same_place(tmp_path) -> None:

    en_new = EN_OLD.replace("| Guest passes | Yes | No |", "| Guest passes | Yes | Yes |")
    fr_new = FR_OLD.replace(
        "| Laissez-passer invités | Oui | Non |", "| Laissez-passer invités | Oui | Oui |"
    )
    pair = (_load(tmp_path, "a", "fr", FR_OLD), _load(tmp_path, "b", "fr", fr_new))
    source_pair = (_load(tmp_path, "a", "en", EN_OLD), _load(tmp_path, "b", "en", en_new))
    source = diff_descriptions(*source_pair)
    assert any(c.kind is K.availability_changed and c.material() for c in source.changes)
    solo = {pv.plan_id for o in pair[0].offers for pv in o.plan_values if pv.col == 1}.pop()
    # a French column 'removed' (its header re-translated, say) where the English column at the
    # same place did not change: translation only, though the English changed elsewhere
    column = Change(
        kind=K.availability_changed, severity=S.breaking, subject=solo, summary="plan column removed: Solo"
    )
    (out,) = demote_untranslated([column], source, pair, source_pair)
    assert out.kind is K.translation_changed and not out.material()


def test_french_rename_takes_the_english_rename_severity(tmp_path) -> None:
    # the English rewords a label slightly (a minor rename); the translation re-words it whole
    en_new = EN_NEW.replace("| Guest passes |", "| Guest pass |")
    diff = _bilingual(tmp_path, _fr_new(), en_new)
    source = diff_descriptions(_load(tmp_path, "a", "en", EN_OLD), _load(tmp_path, "b", "en", en_new))
    (en_rename,) = [c for c in source.changes if c.kind is K.offer_renamed and c.old == "Guest passes"]
    assert not en_rename.material()
    renames = [c for c in diff.changes if c.kind is K.offer_renamed and c.old == "Laissez-passer invités"]
    assert renames and all(c.severity is en_rename.severity for c in renames), _material(diff)


RELAY_EN = """# Brindlemoor Relay service description

## Clients supported by Brindlemoor Relay

| **Client** | **Relay support** |
|:--|:--|
| Relay Desk 9 and later | Supports every Relay feature. |
| Relay Desk 8 | Supported for use with Relay. |
| Relay Desk 7 | Not supported |
| Relay Pad 2 | Supported for use with Relay. |
| Relay Mail over IMAP | Not supported |
| Relay Mobile | Not supported |
"""

RELAY_FR = """# Description du service Brindlemoor Relay

## Clients pris en charge par Brindlemoor Relay

| **Client** | **Prise en charge de Relay** |
|:--|:--|
| Relay Desk 9 et versions ultérieures | Prend en charge toutes les fonctionnalités de Relay. |
| Relay Desk 8 | Pris en charge en vue d'un usage avec Relay. |
| Relay Desk 7 | Non pris en charge |
| Relay Pad 2 | Pris en charge en vue d'un usage avec Relay. |
| Relay Mail via IMAP | Non pris en charge |
| Relay Mobile | Non pris en charge |
"""


def test_french_cell_not_understood_takes_the_english_severity(tmp_path) -> None:
    # the French cell words 'supported' in a way the lexicon does not read (unknown -> not
    # available, minor); the English row, same place, went included -> not available
    en_new = RELAY_EN.replace(
        "| Relay Desk 8 | Supported for use with Relay. |", "| Relay Desk 8 | Not supported |"
    )
    fr_new = RELAY_FR.replace(
        "| Relay Desk 8 | Pris en charge en vue d'un usage avec Relay. |",
        "| Relay Desk 8 | Non pris en charge |",
    )
    alone = diff_descriptions(_load(tmp_path, "a", "fr", RELAY_FR), _load(tmp_path, "b", "fr", fr_new))
    assert not alone.material()  # what the French alone says: the gap this test is about
    diff = diff_descriptions(
        _load(tmp_path, "a", "fr", RELAY_FR),
        _load(tmp_path, "b", "fr", fr_new),
        source_old=_load(tmp_path, "a", "en", RELAY_EN),
        source_new=_load(tmp_path, "b", "en", en_new),
    )
    flips = [c for c in diff.changes if c.kind is K.availability_changed and "Relay Desk 8" in c.summary]
    assert flips and flips[0].severity is S.breaking, [(c.kind, c.severity, c.summary) for c in diff.changes]


def test_french_wording_the_english_reads_as_a_condition_takes_its_kind_once(tmp_path) -> None:

    pair = (_load(tmp_path, "a", "fr", FR_OLD), _load(tmp_path, "b", "fr", FR_OLD))
    source_pair = (_load(tmp_path, "a", "en", EN_OLD), _load(tmp_path, "b", "en", EN_OLD))
    at = [Provenance(line_start=9, line_end=9)]
    en = Change(
        kind=K.condition_added,
        severity=S.breaking,
        new_prov=at,
        new_text="Only for seats bought yearly.",
        summary="condition added",
    )
    source = diff_descriptions(*source_pair).model_copy(update={"changes": [en]})
    # the French sentence, worded in a way the French lexicon does not read as a condition
    fr = [
        Change(kind=K.text_changed, severity=S.minor, new_prov=at, summary="text added"),
        Change(kind=K.text_changed, severity=S.minor, new_prov=at, summary="reworded"),
    ]
    out = demote_untranslated(fr, source, pair, source_pair)
    assert [(c.kind, c.severity) for c in out] == [(K.condition_added, S.breaking), (K.text_changed, S.minor)]


ROADMAP = """# Brindlemoor Vault roadmap

## Feature status

| **Area** | **Feature** | **Status** |
|:--|:--|:--|
| **Governance** | Governance: Vault lock | Available |
| | Governance: Default tags for Vault folders, Mail inboxes and Team rooms | Available |
| | Governance: Tag policies for Team rooms | In development |
| | Governance: Import archives | Available |
"""


def test_row_split_off_a_kept_row_with_its_values_is_not_a_new_offer(tmp_path) -> None:
    new = ROADMAP.replace(
        "| | Governance: Default tags for Vault folders, Mail inboxes and Team rooms | Available |\n",
        "| | Governance: Apply default tags for Vault folders, Mail inboxes and Team rooms | Available |\n"
        "| | Governance: Apply a default tag for Mail inboxes | Available |\n"
        "| | Governance: Tag policies for Team rooms chat | Available |\n",
    )
    diff = diff_descriptions(_load(tmp_path, "a", "en", ROADMAP), _load(tmp_path, "b", "en", new))
    added = {c.new: c for c in diff.changes if c.kind is K.offer_added}
    part = added["Governance: Apply a default tag for Mail inboxes"]
    assert not part.material() and "split from" in part.summary
    # words of a kept row but other values: a new offer (or the kept row's change), still material
    assert any(c.material() and "Tag policies for Team rooms" in c.summary for c in diff.changes), _material(
        diff
    )
