"""False-positive regressions of the pair checks, in the translate-toolkit style: ``passes`` / ``fails``.

Each family has pairs a check must let through (a faithful translation the check once flagged on
real pages) and pairs it must still flag (the defect next to it). The pairs are of fictional vendors.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.catalog.loader import load_description
from pipeline.parity.checks import CheckContext, Side, check_names, check_numbers, check_untranslated
from pipeline.parity.checks.base import Check
from pipeline.parity.compare import _drift_pairs, _unrepeat, check_parity
from pipeline.parity.consistency import PairText, source_inconsistencies, target_inconsistencies
from pipeline.parity.model import AlignedPair
from pipeline.parity.terms import learn_pairs


def _issues(check: Check, en: str, fr: str, ctx: CheckContext | None) -> list:
    return check(Side.from_markup(en, "en"), Side.from_markup(fr, "fr"), ctx or CheckContext())


def passes(check: Check, en: str, fr: str, ctx: CheckContext | None = None) -> bool:
    return _issues(check, en, fr, ctx) == []


def fails(check: Check, en: str, fr: str, ctx: CheckContext | None = None) -> bool:
    return _issues(check, en, fr, ctx) != []


#: Aligned pairs of a fictional vendor: "Zephyr 360" and "Zephyr Mail Plan 1/2" are kept verbatim.
ZEPHYR = [
    (
        "Zephyr 360 hosts mail for Zephyr Mail Plan 1.",
        "Zephyr 360 héberge le courrier de Zephyr Mail Plan 1.",
    ),
    ("Buy Zephyr 360 for Zephyr Mail Plan 2.", "Achetez Zephyr 360 pour Zephyr Mail Plan 2."),
    (
        "Zephyr Mail Plan 1 and Zephyr Mail Plan 2 users.",
        "Utilisateurs de Zephyr Mail Plan 1 et Zephyr Mail Plan 2.",
    ),
    ("Zephyr 360 admins sign in.", "Les administrateurs Zephyr 360 se connectent."),
]


def test_numbers_counts_said_without_a_number_word() -> None:
    assert passes(check_numbers, "Double byte character sets", "Jeux de caractères sur deux octets")
    assert passes(check_numbers, "Both plans are billed yearly.", "Les deux offres sont facturées par an.")
    assert passes(
        check_numbers, "Both regions require approval.", "Ces régions exigent toutes deux une approbation."
    )
    assert passes(check_numbers, "Two-factor sign-in", "Connexion à double facteur")
    assert fails(check_numbers, "Double byte character sets", "Jeux de caractères sur trois octets")
    assert fails(check_numbers, "Both regions require approval.", "Ces 3 régions exigent une approbation.")


def test_numbers_inside_an_added_name_are_a_name_not_a_number() -> None:
    ctx = CheckContext(terms=learn_pairs(ZEPHYR))
    assert "Zephyr 360" in ctx.terms.dnt
    assert passes(
        check_numbers, "See the mail limits.", "Consultez les limites de courrier de Zephyr 360.", ctx
    )
    # the name kept, its number changed; a number lost beside an added name
    assert fails(check_numbers, "Zephyr 360 limits", "Limites de Zephyr 365", ctx)
    assert fails(check_numbers, "Up to 5 mailboxes.", "Jusqu’à des boîtes Zephyr 360.", ctx)
    assert fails(check_numbers, "Zephyr Mail Plan 1 users", "Utilisateurs de Zephyr Mail Plan 2", ctx)


def test_numbers_glued_to_a_code_are_the_same_number() -> None:
    assert passes(check_numbers, "V.90 modem and H.262 video", "Modem V. 90 et vidéo H. 262")
    assert fails(check_numbers, "H.262 video", "Vidéo H. 263")


def _pairs(*pairs: tuple[str, str]) -> list[PairText]:
    return [PairText(i, s, t) for i, (s, t) in enumerate(pairs)]


def test_inconsistency_plan_numbers_are_not_two_renderings() -> None:
    plans = [("Zephyr Mail Plan 1", "Zephyr Mail (plan 1)"), ("Zephyr Mail Plan 2", "Zephyr Mail (plan 2)")]
    assert target_inconsistencies(_pairs(*plans, *plans)) == []
    wrong = target_inconsistencies(_pairs(*plans, ("Zephyr Mail Plan 2", "Zephyr Mail (offre 2)")))
    assert [i.code for i, _ in wrong] == ["P126"]


def test_inconsistency_sources_that_differ_by_function_words_only() -> None:
    fr = "Consultez la feuille de route Zephyr pour la disponibilité de l’archivage."
    same = _pairs(
        ("See the Zephyr Roadmap for availability for archiving.", fr),
        ("See the Zephyr Roadmap for availability of archiving.", fr),
        ("A Zephyr Mail license must be assigned.", "Une licence Zephyr Mail doit être affectée."),
        ("A Zephyr Mail license must to be assigned.", "Une licence Zephyr Mail doit être affectée."),
    )
    assert source_inconsistencies(same) == []
    reordered = _pairs(
        ("Spam filtering (built-in)", "Filtrage du courrier indésirable (intégré)"),
        ("Built-in spam filtering", "Filtrage du courrier indésirable (intégré)"),
    )
    assert source_inconsistencies(reordered) == []
    merged = _pairs(
        ("Zephyr Apps for business", "Applications Zephyr pour les entreprises"),
        ("Zephyr Apps for enterprise", "Applications Zephyr pour les entreprises"),
        ("Buy it as a separate add-in.", "Achetez-le comme module distinct."),
        ("Buy it as a separate add-on.", "Achetez-le comme module distinct."),
    )
    assert [i.code for i, _ in source_inconsistencies(merged)] == ["P127", "P127"]


def test_untranslated_names_joined_by_english_function_words_are_names() -> None:
    assert passes(
        check_untranslated,
        "With Zephyr Apps for enterprise and Zephyr Apps for business, updates are automatic.",
        "Avec Zephyr Apps for Enterprise and Zephyr Apps for Business, les mises à jour sont automatiques.",
    )
    assert fails(
        check_untranslated,
        "You can obtain the full Zephyr for Business client by purchasing Zephyr Pro.",
        "You can obtain the full Zephyr for Business client en achetant Zephyr Pro.",
    )
    assert fails(
        check_untranslated,
        "For more information on Zephyr Basic features, see the Zephyr for Business comparison.",
        "Pour en savoir plus, for more information on the Zephyr Basic features see the Zephyr for Business tables.",
    )


#: A fictional vendor whose "Data Guard" name is kept verbatim in most pairs.
GUARD = [
    ("Zephyr Data Guard labels files.", "Zephyr Data Guard étiquette les fichiers."),
    ("Turn on Zephyr Data Guard for mail.", "Activez Zephyr Data Guard pour le courrier."),
    ("Data Guard scans every upload.", "Data Guard analyse chaque envoi."),
]


def test_names_localised_with_their_acronym_kept() -> None:
    ctx = CheckContext(terms=learn_pairs(GUARD))
    assert "Data Guard" in ctx.terms.dnt
    en = "Zephyr Data Guard (ZDG) labels for desktop clients"
    assert passes(check_names, en, "Protection des données Zephyr (ZDG) pour les clients de bureau", ctx)
    assert fails(check_names, en, "Protection des données Zephyr pour les clients de bureau", ctx)
    assert fails(
        check_names, "Data Guard labels for desktop clients", "Protection des données pour les clients", ctx
    )


def _bead(ns: int, nt: int, at: int) -> AlignedPair:
    kind = {(1, 0): "1-0", (0, 1): "0-1", (1, 1): "1-1"}.get((ns, nt), "n-1" if ns > nt else "1-n")
    return AlignedPair(
        source=[f"s{at + k}" for k in range(ns)],
        target=[f"t{at + k}" for k in range(nt)],
        score=0.5,
        kind=kind,
    )


def test_missing_a_skip_beside_a_bead_lopsided_the_other_way_is_one_unit() -> None:
    # "ATP reports. The main uses are:" -> "Le service protège." + "Les principales utilisations :"
    # aligned as n-1 then 0-1: the second source sentence has its target next door, nothing is lost
    assert _drift_pairs([_bead(1, 1, 0), _bead(2, 1, 1), _bead(0, 1, 3)]) == [(1, 2)]
    assert _drift_pairs([_bead(1, 0, 0), _bead(1, 2, 1)]) == [(0, 1)]
    assert _drift_pairs([_bead(1, 0, 0), _bead(0, 1, 1)]) == [(0, 1)]
    # a skip beside a balanced bead, or beside a bead lopsided the same way, stays a loss
    assert _drift_pairs([_bead(1, 1, 0), _bead(0, 1, 1)]) == []
    assert _drift_pairs([_bead(2, 1, 0), _bead(1, 0, 2)]) == []


EN_LINKS = """# Zephyr Mail service description

Zephyr Mail hosts mail for small teams.

| Feature | Zephyr Mail Basic | Zephyr Mail Plus |
|:--|:--|:--|
| Data Guard | No | Yes |
| Archive search | No | Yes |

## Security

| Feature | Zephyr Mail Basic | Zephyr Mail Plus |
|:--|:--|:--|
| [Data Guard](https://example.com/data-guard) | No | Yes |
| Data Guard reports | Yes | Yes |
| Data Guard | Yes | Yes |
"""

FR_LINKS = """# Description du service Zephyr Mail

Zephyr Mail héberge le courrier des petites équipes.

| Fonctionnalité | Zephyr Mail Basic | Zephyr Mail Plus |
|:--|:--|:--|
| Protection des données | Non | Oui |
| Recherche dans les archives | Non | Oui |

## Sécurité

| Fonctionnalité | Zephyr Mail Basic | Zephyr Mail Plus |
|:--|:--|:--|
| [{link}](https://example.com/data-guard) | Non | Oui |
| Rapports de protection des données | Oui | Oui |
| {cell} | Oui | Oui |
"""


def _inconsistencies(
    tmp_path: Path, fr_cell: str, link: str = "Présentation de la protection des données dans Zephyr Mail"
) -> list[str]:
    (tmp_path / "en.md").write_text(EN_LINKS, encoding="utf-8")
    (tmp_path / "fr.md").write_text(
        FR_LINKS.replace("{cell}", fr_cell).replace("{link}", link), encoding="utf-8"
    )
    parity = check_parity(load_description(tmp_path / "en.md"), load_description(tmp_path / "fr.md"))
    return [f.message for f in parity.findings if f.kind.value == "inconsistency"]


def test_inconsistency_a_link_text_names_its_page(tmp_path: Path) -> None:
    """The French link text is the French page's title: not a second rendering of "Data Guard"."""
    assert _inconsistencies(tmp_path, "Protection des données") == []
    found = _inconsistencies(tmp_path, "Garde des données")  # a plain cell rendered a second way
    assert found and "Garde des données" in found[0]
    # a link text that is no page title but another rendering of the name
    found = _inconsistencies(tmp_path, "Protection des données", link="Garde des données")
    assert found and "Garde des données" in found[0]


def _text_bead(src: str, tgt: str, at: int) -> AlignedPair:
    kind = "1-1" if src and tgt else ("1-0" if src else "0-1")
    return AlignedPair(
        source=[f"s{at}"] if src else [],
        target=[f"t{at}"] if tgt else [],
        source_text=src,
        target_text=tgt,
        score=0.5,
        kind=kind,
    )


def test_missing_a_repeated_target_unit_is_the_one_not_in_the_source() -> None:
    """EN "Send blocked: a notice is sent. Sending stops." / FR repeats its first sentence: the aligner
    matched "Sending stops" with the repeat and left the real translation unmatched."""
    notice = "Envoi bloqué : l’utilisateur reçoit un avis de blocage."
    pairs = [
        _text_bead("Send blocked: the user receives a notice.", notice, 0),
        _text_bead("The user can't send until mail is deleted.", notice.replace(" :", ""), 1),
        _text_bead("", "L’utilisateur ne peut plus envoyer tant que du courrier n’est pas supprimé.", 2),
    ]
    fixed = _unrepeat(pairs)
    assert fixed[1].target == ["t2"] and fixed[2].target == ["t1"] and fixed[2].kind.value == "0-1"
    # no repeat: a target-only unit after an ordinary pair stays where the aligner put it
    pairs[1] = _text_bead("The user can't send until mail is deleted.", "Tout autre texte ici.", 1)
    assert _unrepeat(pairs) == pairs


#: A fictional vendor whose product "Vault" is kept verbatim wherever it stands alone.
VAULT = [
    ("Open Vault to store files.", "Ouvrez Vault pour stocker les fichiers."),
    ("Vault keeps every version.", "Vault conserve chaque version."),
    ("Files in Vault are encrypted.", "Les fichiers dans Vault sont chiffrés."),
    ("Buy the Vault Plus plan.", "Achetez l’offre Vault Plus."),
    ("The Vault Plus plan adds storage.", "L’offre Vault Plus ajoute du stockage."),
]


def test_names_a_word_of_a_longer_name_is_info_a_name_alone_a_warning() -> None:
    ctx = CheckContext(terms=learn_pairs(VAULT))
    assert "Vault" in ctx.terms.dnt

    def categories(en: str, fr: str, name: str = "Vault") -> list[str]:
        issues = check_names(Side.from_markup(en, "en"), Side.from_markup(fr, "fr"), ctx)
        return [i.category.value for i in issues if i.detail.get("names") == name]

    # "Zephyr Drive for Vault" localised as a whole: the word, not a name the pair learned, is gone
    assert categories("Zephyr Drive for Vault plans", "Offres Zephyr Drive Coffre") == ["cosmetic"]
    assert categories("Zephyr Vault Clauses apply.", "Les clauses types Zephyr s’appliquent.") == ["cosmetic"]
    assert categories("Zephyr for Vault integration", "Intégration de Zephyr Coffre") == ["cosmetic"]
    assert categories("The Zephyr for Vault Plus client", "Le client Zephyr Coffre Plus", "Vault Plus") == [
        "cosmetic"
    ]
    assert categories("The Vault Plus plan is sold.", "L’offre Coffre Plus est vendue.", "Vault Plus") == [
        "functional"
    ]
    # the product alone, translated: a warning
    assert categories("Files in Vault are shared.", "Les fichiers du coffre sont partagés.") == ["functional"]
    assert categories("Use Vault to share files.", "Utilisez le coffre pour partager.") == ["functional"]
    assert categories("Keep Files in Vault now.", "Gardez les fichiers dans le coffre.") == ["functional"]


#: A fictional vendor whose "DoX" cloud is kept verbatim.
DOX = [
    ("The DoX cloud is isolated.", "Le cloud DoX est isolé."),
    ("Use DoX for defence work.", "Utilisez DoX pour la défense."),
    ("DoX tenants sign in apart.", "Les locataires DoX se connectent à part."),
]


def test_names_an_acronym_written_all_in_capitals_is_the_same_acronym() -> None:
    ctx = CheckContext(terms=learn_pairs(DOX))
    assert "DoX" in ctx.terms.dnt
    assert passes(check_names, "The DoX cloud is isolated.", "Le cloud DOX est isolé.", ctx)
    assert fails(check_names, "The DoX cloud is isolated.", "Le cloud dox est isolé.", ctx)
    assert fails(check_names, "The DoX cloud is isolated.", "Le cloud Dox est isolé.", ctx)


def test_untranslated_a_cell_that_is_a_whole_product_name_is_a_name() -> None:
    # a plan name of capitalised words joined by a name-joining word, with its number or a learned name
    assert passes(check_untranslated, "Zephyr 360 Apps for enterprise", "Zephyr 360 Apps for enterprise")
    assert passes(check_untranslated, "Zephyr Mail Plan 1 for business", "Zephyr Mail Plan 1 for business")
    ctx = CheckContext(terms=learn_pairs(GUARD))
    assert passes(check_untranslated, "Data Guard for business", "Data Guard for business", ctx)
    # no number, no learned name: English words left as they were
    assert fails(check_untranslated, "Data Guard for business", "Data Guard for business")
    assert fails(check_untranslated, "Available", "Available", ctx)
    assert fails(check_untranslated, "Service health and continuity", "Service health and continuity", ctx)
    assert fails(check_untranslated, "Zephyr 360 health and continuity", "Zephyr 360 health and continuity")
    assert fails(
        check_untranslated, "Zephyr 360 Archiving and Compliance", "Zephyr 360 Archiving and Compliance"
    )
    assert fails(check_untranslated, "Data Guard and Vault Archiving", "Data Guard and Vault Archiving", ctx)


#: A fictional vendor whose ordinary word "Remote" is only ever seen inside its longer product names.
REMOTE = [
    ("Use Zephyr Remote for files.", "Utilisez Zephyr Remote pour les fichiers."),
    ("The Nimbus Remote client syncs.", "Le client Nimbus Remote synchronise."),
    ("Buy Zephyr Remote today.", "Achetez Zephyr Remote aujourd’hui."),
]


def test_names_a_word_seen_only_inside_longer_names_is_no_name_alone() -> None:
    ctx = CheckContext(terms=learn_pairs(REMOTE))
    assert "Zephyr Remote" in ctx.terms.dnt and "Remote" in ctx.terms.dnt  # still learned
    assert passes(
        check_names, "Schedule Remote meetings from the portal.", "Planifiez des réunions à distance.", ctx
    )
    assert fails(check_names, "Open Zephyr Remote now.", "Ouvrez Zephyr à distance.", ctx)
    # the word standing as a name (not before a noun) is still checked; so is its case
    assert fails(check_names, "Sync files with Remote.", "Synchronisez les fichiers à distance.", ctx)
    assert fails(check_names, "Sync the Zephyr Remote app.", "Synchronisez l’app Zephyr remote.", ctx)
    # a word that also stands alone as the product ("Vault") stays a name of its own, before a noun too
    vault = CheckContext(terms=learn_pairs(VAULT))
    assert fails(check_names, "Schedule Vault backups.", "Planifiez les sauvegardes du coffre.", vault)


#: A fictional vendor whose "Zephyr Desk Pro" edition is kept verbatim.
DESK = [
    ("Buy Zephyr Desk Pro today.", "Achetez Zephyr Desk Pro aujourd’hui."),
    ("Upgrade to Pro for more seats.", "Passez à Pro pour plus de postes."),
    ("The Pro edition adds seats.", "L’édition Pro ajoute des postes pour les équipes."),
]


def test_names_an_abbreviation_spelled_out_is_the_localised_edition() -> None:
    ctx = CheckContext(terms=learn_pairs(DESK))
    assert "Pro" in ctx.terms.dnt and "pour" in ctx.terms.target_words
    assert passes(check_names, "Upgrade to Pro now.", "Passez à Professionnel maintenant.", ctx)
    assert passes(
        check_names, "Upgrade Pro seats to Pro now.", "Passez les postes Pro à Professionnel maintenant.", ctx
    )
    # a target word glued to the name, or the name dropped: still found
    assert fails(check_names, "Upgrade to Pro now.", "Passez à Propour maintenant.", ctx)
    assert fails(check_names, "Upgrade to Pro now.", "Passez à l’édition supérieure.", ctx)
