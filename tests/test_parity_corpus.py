"""Parity across a corpus (pipeline/parity/corpus.py, corpus_consistency.py) and its build wiring.

tests/data/parity_corpus holds three fictional Halvard documents, EN and FR. "Kestrel Vault" is
kept verbatim in halvard-backup (twice) and halvard-mail (once) but translated in halvard-sync:
no single document has enough pairs to learn it, the corpus does. "Priority support line" is
translated two ways in two documents (target inconsistency); "Backup for business" and "Backup
for enterprise" share one French name (source inconsistency). "Osprey Relay", translated once,
is learnable only from a glossary.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers import CLI

from pipeline.catalog.loader import load_description
from pipeline.catalog.pipeline import BuildOptions, build
from pipeline.parity.compare import check_parity
from pipeline.parity.corpus import CorpusLearner, corpus_inputs, digest
from pipeline.parity.corpus_consistency import CorpusConsistency, local_findings

DATA = Path(__file__).resolve().parent / "data" / "parity_corpus"
ED = "2025-01-01"
DOCS = ("halvard-backup", "halvard-mail", "halvard-sync")

GLOSSARY = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en"><text><body>
  <termEntry id="osprey">
    <langSet xml:lang="en"><tig><term>Osprey Relay</term>
      <termNote type="termType">doNotTranslate</termNote></tig></langSet>
  </termEntry>
  <termEntry id="kestrel">
    <langSet xml:lang="en"><tig><term>Kestrel Vault</term></tig></langSet>
    <langSet xml:lang="fr"><tig><term>Coffre Kestrel</term></tig></langSet>
  </termEntry>
</body></text></martif>
"""


@pytest.fixture(scope="module")
def editions():
    return {d: tuple(load_description(DATA / d / ED / f"{lang}.md") for lang in ("en", "fr")) for d in DOCS}


def _learner(editions, glossary=None) -> tuple[CorpusLearner, dict]:
    learner, digests = CorpusLearner(glossary), {}
    for d in reversed(DOCS):  # arrival order does not matter
        digests[d] = digest(*editions[d], glossary)
        learner.add(d, ED, digests[d])
    return learner, digests


def _report(editions, learner, digests, doc, glossary=None):
    terms, found = corpus_inputs(learner.context(doc, ED, digests[doc]))
    return check_parity(*editions[doc], glossary=glossary, terms=terms, corpus_findings=found)


def _codes(parity) -> list[tuple[str, str]]:
    return [(f.code, f.message) for f in parity.findings]


def test_a_name_kept_across_documents_is_learned_and_its_translation_found(editions) -> None:
    learner, digests = _learner(editions)
    assert "Kestrel Vault" in learner.terms.dnt
    sync = _report(editions, learner, digests, "halvard-sync")
    assert any(f.code == "P116" and "Kestrel Vault" in f.message for f in sync.findings), _codes(sync)
    # the document alone has no pair keeping the name: learned per document, it is silent
    alone = check_parity(*editions["halvard-sync"])
    assert not any("Kestrel Vault" in f.message for f in alone.findings)
    # the documents that keep it have no name finding
    for doc in ("halvard-backup", "halvard-mail"):
        assert not any(
            f.kind.value == "name_mismatch" for f in _report(editions, learner, digests, doc).findings
        )


def test_corpus_inconsistencies_reported_once_with_every_occurrence(editions) -> None:
    learner, digests = _learner(editions)
    issues = {(i.code, i.forms[0]): i for i in learner.issues}
    assert len(issues) == len(learner.issues) == 2
    target = next(i for i in learner.issues if i.code == "P150")
    assert sorted(target.forms) == ["Ligne de support prioritaire", "Ligne d’assistance prioritaire"]
    assert sorted((o.document, o.edition) for o in target.occurrences) == [
        ("halvard-backup", ED),
        ("halvard-mail", ED),
    ]
    source = next(i for i in learner.issues if i.code == "P151")
    assert sorted(source.forms) == ["Backup for business", "Backup for enterprise"]
    assert {o.document for o in source.occurrences} == {"halvard-backup", "halvard-sync"}
    # each edition's report carries the issues it takes part in, naming the other editions
    mail = _report(editions, learner, digests, "halvard-mail")
    found = [f for f in mail.findings if f.code == "P150"]
    assert len(found) == 1 and "halvard-backup" in found[0].detail["elsewhere"]
    assert found[0].target_text == "Ligne de support prioritaire"
    assert not [f for f in mail.findings if f.code == "P151"]


def _places(records):
    return [[f"s{k}", f"t{k}", s, t, {}, {}, k + 1, False] for k, (s, t) in enumerate(records)]


def test_corpus_consistency_filters_what_is_not_an_inconsistency() -> None:
    cc = CorpusConsistency()
    cc.add("a", ED, _places([
        ("Detailed timeline of impact and resolution measures", "Chronologie détaillée des mesures d’impact et de résolution"),
        ("SharePoint Online Plan 2", "SharePoint Online (plan 2)"),
        ("Office 365 Enterprise F1", "Office 365 Entreprise F1"),
        ("Yes", "Oui"),
        ("Vault Sync", "Vault Sync"),
        ("See the footnotes for further information.", "Voir les notes de bas de page."),
        ("The service enables you to monitor your tenant.", "Le service vous permet de surveiller votre client."),
    ]))  # fmt: skip
    cc.add("b", ED, _places([
        # function words and elision only: one translation
        ("Detailed timeline of impact and resolution measures", "Chronologie détaillée des mesures d’impact et résolution"),
        # misaligned (another plan's number) or a different code: not a wording choice
        ("SharePoint Online Plan 2", "SharePoint Online (plan 1)"),
        ("Office 365 Enterprise F1", "Office 365 Entreprise E1"),
        ("Yes", "Non"),  # marks have their own check
        ("Vault Sync", "Synchro du coffre"),  # kept as is elsewhere: the untranslated/name checks' job
        # an edited source that the translation still renders: not two names made one
        ("Please see the footnotes for further information.", "Voir les notes de bas de page."),
        ("The service lets you monitor your tenant.", "Le service vous permet de surveiller votre client."),
    ]))  # fmt: skip
    assert cc.issues() == []


def test_a_link_giving_the_linked_pages_title_is_no_other_translation() -> None:
    cc = CorpusConsistency()
    cc.add("a", ED, _places([("Data retention", "Conservation des données")]))
    link = [
        [
            "s9",
            "t9",
            "Data retention",
            "Présentation de la conservation des données dans Nimbus",
            {},
            {},
            10,
            True,
        ]
    ]
    cc.add("b", ED, link)
    assert cc.issues() == []
    cc.add("c", ED, _places([("Data retention", "Rétention des données")]))
    (issue,) = cc.issues()
    assert sorted(issue.forms) == ["Conservation des données", "Rétention des données"]


def test_an_inconsistency_within_one_edition_is_left_to_the_document_check() -> None:
    cc = CorpusConsistency()
    cc.add("a", ED, _places([("Message Trace", "Suivi des messages"), ("Message Trace", "Trace de message")]))
    assert cc.issues() == []
    cc.add("b", "2025-06-01", _places([("Message Trace", "Suivi des messages")]))
    (issue,) = cc.issues()
    assert issue.code == "P150" and len(issue.occurrences) == 3
    # in the editions' own reports: not repeated where the in-document check already reports it
    segs = {
        f"{side}{k}": SimpleNamespace(id=f"{side}{k}", text="", prov=[]) for side in "st" for k in range(2)
    }
    assert local_findings([issue], "a", ED, segs, segs) == []
    (found,) = local_findings([issue], "b", "2025-06-01", segs, segs)
    assert found.code == "P150" and found.detail["elsewhere"] == f"a {ED}"


def test_the_learned_table_seen_by_an_edition_is_only_what_it_can_meet(editions) -> None:
    learner, digests = _learner(editions)
    mail = learner.context("halvard-mail", ED, digests["halvard-mail"])["terms"]
    assert "Kestrel Vault" in mail["dnt"] and "Halvard Backup" not in mail["dnt"]
    assert "Halvard Backup" in learner.terms.dnt


def test_glossary_adds_a_term_and_an_exception(editions, tmp_path) -> None:
    from pipeline.normalize.glossary import Glossary

    glossary = Glossary.load(str(_write(tmp_path / "glossary.tbx")))
    learner, digests = _learner(editions, glossary)
    sync = _report(editions, learner, digests, "halvard-sync", glossary)
    msgs = [f.message for f in sync.findings if f.kind.value == "name_mismatch"]
    assert any("Osprey Relay" in m for m in msgs), msgs  # a glossary term, seen once
    assert not any("Kestrel Vault" in m for m in msgs), msgs  # the glossary's French form


def _write(path: Path) -> Path:
    path.write_text(GLOSSARY, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- build


def _corpus(root: Path, glossary: bool = False) -> Path:
    shutil.copytree(DATA, root)
    if glossary:
        _write(root / "glossary.tbx")
    return root


def _findings(out: Path, doc: str) -> list[dict]:
    return json.loads((out / "parity" / doc / f"{ED}.json").read_text())["findings"]


def test_build_learns_over_the_corpus_and_publishes_the_corpus_page(tmp_path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    report = build(
        BuildOptions(corpus=corpus, out=out, jobs=1, cache_dir=tmp_path / "cache", fail_on="never")
    )
    assert report.problems == []
    sync = _findings(out, "halvard-sync")
    assert any(f["code"] == "P116" and "Kestrel Vault" in f["message"] for f in sync)
    data = json.loads((out / "parity" / "corpus.json").read_text())
    assert sorted(i["code"] for i in data["inconsistencies"]) == ["P150", "P151"]
    assert "Kestrel Vault" in data["terms"]["do_not_translate"]
    html = (out / "parity" / "corpus.html").read_text()
    assert "Ligne de support prioritaire" in html and "halvard-mail" in html
    rows = {
        o["document"]: o["row"]
        for i in data["inconsistencies"]
        if i["code"] == "P150"
        for o in i["occurrences"]
    }
    report = (out / "parity" / "halvard-mail" / f"{ED}.html").read_text()
    assert f'href="halvard-mail/{ED}.html#p{rows["halvard-mail"]}"' in html
    row = report.split(f'id="p{rows["halvard-mail"]}"', 1)[1].split("</tr>", 1)[0]
    assert "Priority support line" in row and "Ligne de support prioritaire" in row
    assert 'href="parity/corpus.html"' in (out / "index.html").read_text()
    xlf = (out / "parity" / "halvard-mail" / f"{ED}.xlf").read_text()
    assert "P150" in xlf and "halvard-backup" in xlf  # the XLIFF note names the other edition


def test_build_reports_recomputed_only_when_what_they_use_changes(tmp_path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(BuildOptions(corpus=corpus, out=out, jobs=1, cache_dir=cache, fail_on="never"))
    # an edit that no other edition can meet: only the edited edition's digest and report run again
    sync_en = corpus / "halvard-sync" / ED / "en.md"
    sync_en.write_text(sync_en.read_text().replace("after 90 days", "after 120 days"))
    sync_fr = corpus / "halvard-sync" / ED / "fr.md"
    sync_fr.write_text(sync_fr.read_text().replace("après 90 jours", "après 120 jours"))
    report = build(BuildOptions(corpus=corpus, out=out, jobs=1, cache_dir=cache, fail_on="never"))
    assert report.pairs == 3 and report.pairs - report.pairs_cached == 1
    # the mail document now translates "Priority support line" as the backup document does: the
    # corpus-wide inconsistency disappears from both reports, the sync report is kept
    mail_fr = corpus / "halvard-mail" / ED / "fr.md"
    mail_fr.write_text(
        mail_fr.read_text().replace("Ligne de support prioritaire", "Ligne d’assistance prioritaire")
    )
    report = build(BuildOptions(corpus=corpus, out=out, jobs=1, cache_dir=cache, fail_on="never"))
    assert report.pairs - report.pairs_cached == 2
    assert not [f for f in _findings(out, "halvard-backup") if f["code"] == "P150"]
    cold = tmp_path / "cold"
    build(BuildOptions(corpus=corpus, out=cold, jobs=1, use_cache=False, fail_on="never"))
    for doc in DOCS:
        assert _findings(out, doc) == _findings(cold, doc)
    assert (out / "parity" / "corpus.json").read_bytes() == (cold / "parity" / "corpus.json").read_bytes()


def test_a_no_change_rebuild_reads_back_the_corpus_step_and_no_digest(tmp_path, monkeypatch) -> None:
    """The learned table, contexts and corpus page are stored under the hash of every digest: a
    rebuild with the same digests neither reads them nor learns the corpus again; an edit does."""
    from pipeline.catalog import corpus_pass

    corpus = _corpus(tmp_path / "corpus")
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(BuildOptions(corpus=corpus, out=out, jobs=1, cache_dir=cache, fail_on="never"))
    learned = []
    real = corpus_pass.CorpusStep.learn
    monkeypatch.setattr(corpus_pass.CorpusStep, "learn", lambda self, *a: learned.append(a) or real(self, *a))
    report = build(BuildOptions(corpus=corpus, out=out, jobs=1, cache_dir=cache, fail_on="never"))
    assert report.unchanged and learned == []
    mail_fr = corpus / "halvard-mail" / ED / "fr.md"
    mail_fr.write_text(
        mail_fr.read_text().replace("Ligne de support prioritaire", "Ligne d’assistance prioritaire")
    )
    build(BuildOptions(corpus=corpus, out=out, jobs=1, cache_dir=cache, fail_on="never"))
    assert sorted(d for d, _, _ in learned) == sorted(DOCS)  # every digest, for the corpus-wide table
    assert not [f for f in _findings(out, "halvard-backup") if f["code"] == "P150"]


def test_build_glossary_option_adds_terms_and_exceptions(tmp_path) -> None:
    """``svcdesc build --glossary FILE``: the glossary's term and exception reach every report."""
    corpus = _corpus(tmp_path / "corpus")
    tbx = _write(tmp_path / "terms.tbx")
    out = tmp_path / "out"
    args = ["build", str(corpus), "--out", str(out), "--no-cache", "--jobs", "1", "--glossary", str(tbx)]
    done = subprocess.run(
        [*CLI, *args, "--progress", "none", "--fail-on", "never"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    msgs = [f["message"] for f in _findings(out, "halvard-sync") if f["kind"] == "name_mismatch"]
    assert any("Osprey Relay" in m for m in msgs), msgs
    assert not any("Kestrel Vault" in m for m in msgs), msgs
    # without it, the term seen once is not learned and the translated name is a finding
    plain = tmp_path / "plain"
    build(BuildOptions(corpus=corpus, out=plain, jobs=1, use_cache=False, fail_on="never"))
    msgs = [f["message"] for f in _findings(plain, "halvard-sync") if f["kind"] == "name_mismatch"]
    assert not any("Osprey Relay" in m for m in msgs) and any("Kestrel Vault" in m for m in msgs), msgs


def test_a_localised_acronym_is_learned_only_when_it_is_the_usual_rendering() -> None:
    from pipeline.parity.terms import learn_pairs

    pairs = [("Open the EAC now.", "Ouvrez le CAE maintenant.")] * 3
    # SKU is kept in most pairs, dropped in five; twice the target happens to have another acronym
    pairs += [("Each SKU is listed.", "Chaque SKU est listé.")] * 6
    pairs += [("The SKU and its price.", "Le prix de l’offre.")] * 3
    pairs += [("The SKU is billed monthly.", "La facture mensuelle inclut la TVA.")] * 2
    terms = learn_pairs(pairs)
    assert terms.localised.get("EAC") == frozenset({"CAE"})
    assert "SKU" not in terms.localised  # "TVA" is no rendering of SKU: 2 of the 5 pairs dropping it


def test_a_name_of_several_words_is_learned_only_if_it_stands_whole_somewhere() -> None:
    from pipeline.parity.terms import learn_pairs

    pairs = [
        ("See Nimbus Plan Options for details.", "Voir Nimbus Plan Options pour le détail."),
        ("Read Nimbus Plan Options first.", "Lisez d’abord Nimbus Plan Options."),
        ("Nimbus Vault Sync keeps copies.", "Nimbus Vault Sync conserve des copies."),
        ("Turn on Nimbus Vault Sync here.", "Activez Nimbus Vault Sync ici."),
    ]
    dnt = learn_pairs(pairs).dnt
    assert {"Nimbus Plan Options", "Nimbus Vault Sync"} <= dnt
    assert "Nimbus Plan" not in dnt and "Plan Options" not in dnt  # only ever inside the longer name


def test_issues_do_not_depend_on_the_order_digests_arrive_in() -> None:
    editions = {
        # two sources with the same two renderings, as often: the issues tie on their forms
        ("a", ED): [("Quota alerts", "Alertes de quota"), ("Usage alerts", "Alertes de quota")],
        ("b", ED): [("Quota alerts", "Avertissements de quota"), ("Usage alerts", "Avertissements de quota")],
    }
    results = []
    for flip in (False, True):
        cc = CorpusConsistency()
        for doc, ed in sorted(editions, reverse=flip):
            records = _places(editions[(doc, ed)])
            cc.add(doc, ed, records[::-1] if flip else records)
        results.append([i.as_dict() for i in cc.issues()])
    assert results[0] == results[1] and len(results[0]) == 2


def test_a_report_checked_against_its_part_of_the_table_equals_one_checked_against_all(editions) -> None:
    """The keying is exact: the restricted table gives the same findings as the whole one."""
    learner, digests = _learner(editions)
    for doc in DOCS:
        context = learner.context(doc, ED, digests[doc])
        part, found = corpus_inputs(context)
        restricted = check_parity(*editions[doc], terms=part, corpus_findings=found)
        whole = check_parity(*editions[doc], terms=learner.terms, corpus_findings=found)
        assert restricted.model_dump() == whole.model_dump()
        assert len(context["terms"]["dnt"]) < len(learner.terms.dnt)


def test_the_corpus_page_is_split_under_the_page_limit(tmp_path, monkeypatch) -> None:
    from pipeline.catalog import corpus_pass, store, tasks

    learner = CorpusLearner()
    for doc, form in (("a", "Alertes de {}"), ("b", "Avertissements de {}")):
        records = [
            [f"s{k}", f"t{k}", f"Quota {k} alerts", form.format(f"quota {k}"), {}, {}, k + 1, False]
            for k in range(300)
        ]
        learner.consistency.add(doc, ED, records)
    assert len(learner.issues) == 300
    monkeypatch.setattr(tasks, "HTML_PAGE_LIMIT", 40_000)
    outputs = corpus_pass.corpus_reports(str(tmp_path), learner)
    pages = sorted(k for k in outputs if k.endswith(".html"))
    assert pages[0] == "parity/corpus.html" and "parity/corpus.p2.html" in pages and len(pages) > 3
    for name in pages:
        assert outputs[name][1] < 60_000, name
    first = store.get_blob(str(tmp_path), outputs["parity/corpus.html"][0]).decode()
    assert "corpus.p2.html" in first  # the pager links the next page


def test_corpus_issues_do_not_depend_on_the_order_digests_arrive_in():
    """One source written as a name in one edition and with a full stop in another ('Plan for
    business' / 'Plan for business.' fold to one source): the issue is found whichever edition's
    digest a worker finishes first (Ray and local builds finish them in other orders)."""
    from pipeline.parity.corpus_consistency import CorpusConsistency

    first = (
        "d",
        "2020-01-01",
        [["s1", "t1", "Plan for business", "Forfait pour entreprise", {}, {}, None, False]],
    )
    later = ("d", "2021-01-01", [
        ["s1", "t1", "Plan for business.", "Forfait pour entreprise", {}, {}, None, False],
        ["s2", "t2", "Plan for enterprise", "Forfait pour entreprise", {}, {}, None, False],
    ])  # fmt: skip
    found = []
    for order in ([first, later], [later, first]):
        consistency = CorpusConsistency()
        for document, edition, records in order:
            consistency.add(document, edition, records)
        found.append([issue.as_dict() for issue in consistency.issues()])
    assert found[0] == found[1] and len(found[0]) == 1


def test_the_stored_context_is_the_canonical_json_of_the_context(editions) -> None:
    """``build`` stores ``context_json`` (issues encoded once for the corpus): it must be the bytes
    ``json.dumps`` gives for ``context``, so report keys and stored blobs do not depend on the path."""
    import json

    learner, digests = _learner(editions)
    seen_issue = False
    for doc in DOCS:
        context = learner.context(doc, ED, digests[doc])
        seen_issue |= bool(context["inconsistencies"])
        expected = json.dumps(context, sort_keys=True, ensure_ascii=False).encode()
        assert learner.context_json(doc, ED, digests[doc]) == expected
    assert seen_issue


def _shared_issue_context(copies: int) -> tuple[dict, list]:
    """The context and corpus findings of edition 'doc-000' when ``copies`` editions share one
    terminology issue ("Message Trace" translated two ways, half the copies each way)."""
    from pipeline.parity.corpus_consistency import ELSEWHERE_SHOWN

    learner = CorpusLearner()
    for k in range(copies):
        target = "Suivi des messages" if k % 2 == 0 else "Trace des messages"
        learner.consistency.add(f"doc-{k:03d}", ED, [["s1", "t1", "Message Trace", target, {}, {}, 1, False]])
    context = learner.context("doc-000", ED, {"names": [], "words": []})
    (issue,) = context["inconsistencies"]
    assert len(issue["occurrences"]) == 1 and issue["elsewhere_count"] == copies - 1
    assert issue["elsewhere"] == [f"doc-{k:03d} {ED}" for k in range(1, min(copies, ELSEWHERE_SHOWN + 1))]
    segs = {i: SimpleNamespace(id=i, text="", prov=[]) for i in ("s1", "t1")}
    _, found = corpus_inputs(json.loads(learner.context_json("doc-000", ED, {"names": [], "words": []})))
    return context, found(segs, segs)


def test_an_editions_context_does_not_grow_with_the_editions_sharing_its_issue() -> None:
    """Each edition's context (and report) carries its own occurrences and a bounded list of the
    other editions: its size is independent of how many editions share the issue."""
    _, (three,) = _shared_issue_context(4)
    assert three.message.endswith(f"also in doc-001 {ED}; doc-002 {ED}; doc-003 {ED}")
    small, (few,) = _shared_issue_context(10)
    large, (many,) = _shared_issue_context(400)
    assert abs(len(json.dumps(large)) - len(json.dumps(small))) < 10  # only the counts' digits differ
    assert few.message.endswith(f"doc-005 {ED} and 4 other editions")
    assert many.message.endswith(f"doc-005 {ED} and 394 other editions")
    assert abs(len(many.message) - len(few.message)) < 10
    assert many.code == few.code == "P150" and many.source_ids == few.source_ids == ["s1"]
