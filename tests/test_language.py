"""Language of documents and blocks: the bilingual corpus says which file is which language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.extract.language import annotate_language, detect_language
from pipeline.extract.model import BlockKind as K


@pytest.fixture(scope="session")
def editions(shared_corpus: Path) -> list[Path]:
    found = sorted(p.parent for p in shared_corpus.glob("bilingual-md/*/*/segments.jsonl"))
    assert len(found) == 24
    return found


def test_every_markdown_edition_detects_its_language(editions, extracted):
    worst = {"en": 1.0, "fr": 1.0}
    for edition in editions:
        for lang in ("en", "fr"):
            doc = extracted(edition / f"{lang}.md")
            assert doc.meta.language == lang, (edition, lang)
            assert doc.meta.lang_confidence >= 0.9, (edition, lang, doc.meta.lang_confidence)
            worst[lang] = min(worst[lang], doc.meta.lang_confidence)
    assert worst["en"] < 1.0 and worst["fr"] < 1.0  # confidences are measured, not constant


def test_block_language_on_gold_paragraph_units(editions, extracted):
    """Blocks holding a gold paragraph unit: >= 95 % get the file's language (no-signal blocks count as misses)."""
    total = right = 0
    for edition in editions:
        gold_lines = {
            json.loads(line)["line"]
            for line in (edition / "segments.jsonl").read_text(encoding="utf-8").splitlines()
            if json.loads(line)["context"] == "paragraph"
        }
        for lang in ("en", "fr"):
            for block in extracted(edition / f"{lang}.md").blocks:
                if block.kind not in (K.paragraph, K.footnote):
                    continue
                p = block.prov[0]
                if any(p.line_start <= line <= p.line_end for line in gold_lines):
                    total += 1
                    right += block.lang == lang
    assert total > 700
    assert right / total >= 0.95, (right, total)


def test_no_block_is_given_the_wrong_language(editions, extracted):
    """Short cells may get no language; a block given a language gets the right one (titles excepted)."""
    wrong = []
    for edition in editions:
        for lang in ("en", "fr"):
            for block in extracted(edition / f"{lang}.md").blocks:
                if block.lang is not None and block.lang != lang and block.kind != K.heading:
                    wrong.append((edition.parent.name, lang, block.text[:40]))
    assert len(wrong) <= 3, wrong


def test_tables_take_their_language_from_cells(shared_corpus, extracted):
    edition = shared_corpus / "bilingual-md" / "teams-service-description" / "2020-03-13"
    fr = extracted(edition / "fr.md").tables()[1]
    en = extracted(edition / "en.md").tables()[1]
    assert (fr.lang, en.lang) == ("fr", "en")  # "Oui"/"Yes" cells, many of them


@pytest.mark.parametrize(
    "text", ["500 GB", "Yes", "Office 365 E3", "99.9%", "", "1 To", "Microsoft 365 Apps"]
)
def test_no_language_signal_gives_none(text):
    assert detect_language(text) == (None, 0.0)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Le service Exchange Online n’est pas disponible pour les comptes invités.", "fr"),
        ("Les administrateurs peuvent créer des stratégies de rétention dans le centre de conformité.", "fr"),
        ("Microsoft Teams Rooms est inclus dans les plans suivants :", "fr"),
        ("The retention policy is applied to every mailbox in the organization.", "en"),
        ("You can't change the storage limit for a single site.", "en"),
        ("Exchange Online Plan 1 has a 50 GB mailbox for each user.", "en"),
    ],
)
def test_short_sentences_with_product_names(text, lang):
    found, confidence = detect_language(text)
    assert found == lang and 0.3 <= confidence <= 1.0


def test_confidence_grows_with_evidence():
    _, short = detect_language("avec les plans")
    _, long = detect_language(
        "Les services de support sont disponibles avec les plans et pour les comptes de la société."
    )
    assert 0 < short < long <= 1


def test_annotate_language_sets_document_from_body(seeds_dir, extracted):
    doc = extracted(seeds_dir / "002_23eedc901faeddad.txt")
    again = annotate_language(doc)
    assert again.meta.language == "fr" and again.meta.lang_confidence == doc.meta.lang_confidence
    assert sum(b.lang == "fr" for b in doc.blocks) > 0.9 * sum(b.lang is not None for b in doc.blocks)


def test_pdf_documents_get_their_language(shared_corpus, vendor_pdf, ussd_pdf, extracted):
    """The dispatcher annotates PDFs too: every bilingual PDF, the vendor PDF (en), the USSD PDF (fr)."""
    pdfs = sorted((shared_corpus / "bilingual-pdf").glob("*/*/*.pdf"))
    assert len(pdfs) == 32
    for pdf in pdfs:
        doc = extracted(pdf)
        assert (doc.meta.language, pdf.stem) in {("en", "en"), ("fr", "fr")}, pdf
        assert doc.meta.lang_confidence >= 0.9, pdf
    assert extracted(vendor_pdf).meta.language == "en"
    ussd = extracted(ussd_pdf)
    assert ussd.meta.language == "fr" and ussd.meta.lang_confidence >= 0.9


@pytest.mark.parametrize("text", ["Mailbox storage", "Abonnements utilisateur", "Feature availability"])
def test_topic_words_carry_no_language(text):
    """Only function words, elisions, contractions, letters and endings count: no corpus's topic words."""
    assert detect_language(text) == (None, 0.0)


def test_a_function_word_is_a_data_change(tmp_path, monkeypatch):
    from pipeline import lexicon
    from pipeline.extract import language

    assert detect_language("sobald wenn")[0] is None
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "function.yaml").write_text("detection_words: [sobald, wenn]\n", encoding="utf-8")
    monkeypatch.setenv("SVCDESC_LEXICON_PATH", str(tmp_path))
    for f in (lexicon.load, language._cues, language._word_cues):
        f.cache_clear()
    try:
        assert detect_language("sobald wenn")[0] == "en"
    finally:
        monkeypatch.delenv("SVCDESC_LEXICON_PATH")
        for f in (lexicon.load, language._cues, language._word_cues):
            f.cache_clear()
