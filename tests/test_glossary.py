"""TBX reader: TBX-Basic and TBX 2019 shapes, DNT marks, fuzzy lookups, refusal of bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import BadGlossary, ForbiddenXml
from pipeline.normalize.glossary import Glossary
from pipeline.normalize.ids import name_id
from pipeline.normalize.model import IdSource

O365_TBX = Path(__file__).parent / "data" / "o365-glossary.tbx"

TBX_BASIC = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en"><text><body>
<termEntry id="c1">
  <langSet xml:lang="en"><tig><term>On-Demand Assessment</term></tig></langSet>
  <langSet xml:lang="fr-FR"><tig><term>Évaluation à la Demande</term></tig></langSet>
</termEntry>
<termEntry id="c2">
  <langSet xml:lang="en"><tig><term>Exchange Online Plan 1</term>
    <termNote type="administrativeStatus">doNotTranslate</termNote></tig></langSet>
  <langSet xml:lang="fr"><tig><term>Exchange Online (plan 1)</term></tig></langSet>
</termEntry>
</body></text></martif>
"""

TBX_2019 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>
<conceptEntry id="k1">
  <langSec xml:lang="en"><termSec><term>Designated Engineering</term></termSec></langSec>
  <langSec xml:lang="fr"><termSec><term>Ingénierie Désignée</term></termSec></langSec>
</conceptEntry>
<conceptEntry id="k2">
  <langSec xml:lang="en"><termSec><term>Azure</term><termNote type="termType">doNotTranslate</termNote></termSec></langSec>
</conceptEntry>
</body></text></tbx>
"""


def test_tbx_basic_maps_french_to_canonical_english(tmp_path: Path) -> None:
    path = tmp_path / "g.tbx"
    path.write_text(TBX_BASIC, encoding="utf-8")
    g = Glossary.load(path)
    assert len(g.terms) == 2
    assert g.canonical_en("Évaluation à la Demande", "fr") == "On-Demand Assessment"
    # case, accents and plural do not matter
    assert g.canonical_en("évaluations a la demande", "fr") == "On-Demand Assessment"
    assert g.canonical_en("Exchange Online (plan 1)", "fr") == "Exchange Online Plan 1"
    assert g.is_dnt("Exchange Online Plan 1")
    assert not g.is_dnt("Évaluation à la Demande")
    assert name_id("Évaluation à la Demande", "fr", g) == ("on-demand-assessment", IdSource.glossary)
    assert name_id("Programme d’Évaluation", "fr", g) == ("fr:programme-d-evaluation", IdSource.fallback)
    assert name_id("Business Project Awareness", "en", None) == (
        "business-project-awareness",
        IdSource.english,
    )


def test_tbx_2019_concept_entries_and_dnt_only_entries(tmp_path: Path) -> None:
    path = tmp_path / "g2019.tbx"
    path.write_text(TBX_2019, encoding="utf-8")
    g = Glossary.load(path)
    assert g.canonical_en("Ingénierie désignée", "fr") == "Designated Engineering"
    assert g.is_dnt("Azure")
    # a DNT term with only an English langSec is found in French text too
    assert name_id("Azure", "fr", g) == ("azure", IdSource.glossary)


def test_fingerprint_changes_with_content(tmp_path: Path) -> None:
    a = tmp_path / "a.tbx"
    a.write_text(TBX_BASIC, encoding="utf-8")
    b = tmp_path / "b.tbx"
    b.write_text(TBX_BASIC.replace("On-Demand Assessment", "On-demand assessment service"), encoding="utf-8")
    assert Glossary.load(a).fingerprint() == Glossary.load(a).fingerprint()
    assert Glossary.load(a).fingerprint() != Glossary.load(b).fingerprint()


def test_tbx_with_doctype_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.tbx"
    path.write_text('<?xml version="1.0"?><!DOCTYPE martif [<!ENTITY x "y">]><martif/>', encoding="utf-8")
    with pytest.raises(ForbiddenXml):
        Glossary.load(path)


def test_xml_without_entries_is_a_bad_glossary(tmp_path: Path) -> None:
    path = tmp_path / "empty.tbx"
    path.write_text("<martif><text><body/></text></martif>", encoding="utf-8")
    with pytest.raises(BadGlossary) as err:
        Glossary.load(path)
    assert err.value.code == "E403"


def test_o365_test_glossary_plan_and_feature_names() -> None:
    g = Glossary.load(O365_TBX)
    assert len(g.terms) > 80
    assert g.canonical_en("Conversation", "fr") == "Chat"
    assert g.canonical_en("Stockage total par organisation", "fr") == "Total storage per organization"
    # plan names: English kept (DNT) or localised "(plan 1)" both map to the English plan
    assert g.canonical_en("SharePoint Online (plan 1)", "fr") == "SharePoint Online Plan 1"
    assert g.is_dnt("SharePoint Online Plan 1")
    assert g.canonical_en("Office 365 Entreprise E3", "fr") == "Office 365 Enterprise E3"
