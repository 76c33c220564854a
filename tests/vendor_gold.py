"""Gold for the fictional-vendor documents in ``tests/data/vendors/`` and the scorer that checks it.

Folder convention (one vendor, one layout family, written for these tests — no real text)::

    tests/data/vendors/<vendor>/en.md     English edition (front matter ``edition:``, an ``# H1`` title)
    tests/data/vendors/<vendor>/fr.md     French edition of the same document
    tests/data/vendors/<vendor>/gold.json hand-made gold, per language

Each Markdown file is also typeset as a PDF at test time (``scripts/make_sample_corpus.render``, the
sample corpus's typesetter: deterministic, so no binary is committed and Markdown stays the single
source); every gold value is checked in both languages and both formats.

``gold.json``::

    {"vendor": "<name, never in the code>", "layout": "<layout family>",
     "en": {<key>: <gold>, …}, "fr": {…}}

Keys and their checker (one gold *value* = one verdict; a key nobody checks fails the test):

``offers``      ``{name: {"availability": …, "status": …, "plans": {plan: availability},
                "plan_status": {plan: status level},
                "terms": [{"kind": …, "value": …, "unit": …, "per": …, "names": [...]}]}}`` — the offer
                must exist (one value) and each attribute given is one value (each plan cell, each term)
``not_offers``  ``[name, …]`` — names that must not be offers (severity rows, legends, headings)
``findings``    ``{code: count}`` — how many findings of a check code (``checks.document``)

Other engineers add keys (``sla`` …) by registering a checker in :data:`CHECKERS`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sla_gold import SLA_CHECKERS

from pipeline.normalize.model import Offer, ServiceDescription
from pipeline.textutil import fold_for_match

VENDORS = Path(__file__).resolve().parent / "data" / "vendors"
LANGS = ("en", "fr")
FORMATS = ("md", "pdf")


@dataclass(frozen=True)
class Verdict:
    key: str  # "offers/Daily backup/plans/Business"
    expected: Any
    got: Any

    @property
    def ok(self) -> bool:
        return self.expected == self.got


def gold_files() -> list[Path]:
    return sorted(VENDORS.glob("*/gold.json"))


def load_gold(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _key(name: str) -> str:
    return fold_for_match(name).strip(" .:")


def find_offer(sd: ServiceDescription, name: str) -> Offer | None:
    return next((o for o in sd.offers if _key(o.name) == _key(name)), None)


def _term_matches(term: Any, want: dict[str, Any]) -> bool:
    got = term.model_dump(mode="json")
    for field, value in want.items():
        if field == "unit" and isinstance(value, str):
            if _key(got.get("unit") or "") != _key(value):
                return False
        elif field == "names":
            if sorted(_key(n) for n in got.get("names") or []) != sorted(_key(n) for n in value):
                return False
        elif got.get(field) != value:
            return False
    return True


def check_offers(sd: ServiceDescription, gold: dict[str, Any]) -> list[Verdict]:
    out: list[Verdict] = []
    for name, want in gold.items():
        offer = find_offer(sd, name)
        out.append(Verdict(f"offers/{name}", True, offer is not None))
        for attr in ("availability", "status"):
            if attr in want:
                got = getattr(offer, attr) if offer else None
                out.append(Verdict(f"offers/{name}/{attr}", want[attr], getattr(got, "value", got)))
        for plan, availability in (want.get("plans") or {}).items():
            cell = next((v for v in offer.plan_values if _key(v.plan) == _key(plan)), None) if offer else None
            out.append(
                Verdict(
                    f"offers/{name}/plans/{plan}", availability, cell.availability.value if cell else None
                )
            )
        for plan, status in (want.get("plan_status") or {}).items():
            cell = next((v for v in offer.plan_values if _key(v.plan) == _key(plan)), None) if offer else None
            out.append(Verdict(f"offers/{name}/plan_status/{plan}", status, cell.status if cell else None))
        for i, term in enumerate(want.get("terms") or []):
            found = any(_term_matches(t, term) for t in (offer.terms if offer else []))
            out.append(Verdict(f"offers/{name}/terms/{i}:{term.get('kind')}", term, term if found else None))
    return out


def check_not_offers(sd: ServiceDescription, gold: list[str]) -> list[Verdict]:
    return [Verdict(f"not_offers/{name}", None, getattr(find_offer(sd, name), "name", None)) for name in gold]


def check_findings(sd: ServiceDescription, gold: dict[str, int]) -> list[Verdict]:
    from pipeline.checks.document import validate_description

    found = validate_description(sd, codes=list(gold))
    return [
        Verdict(f"findings/{code}", n, sum(1 for f in found if f.code == code)) for code, n in gold.items()
    ]


#: gold key -> checker(description, gold value) -> verdicts
CHECKERS: dict[str, Callable[[ServiceDescription, Any], list[Verdict]]] = {
    "offers": check_offers,
    "not_offers": check_not_offers,
    "findings": check_findings,
    **SLA_CHECKERS,  # "sla", "sla_credits": typed SLA targets (sla_gold.py)
}


def score(sd: ServiceDescription, gold: dict[str, Any]) -> list[Verdict]:
    """Every verdict for one language's gold; an unknown key is a verdict that fails."""
    out: list[Verdict] = []
    for key, value in gold.items():
        checker = CHECKERS.get(key)
        if checker is None:
            out.append(Verdict(f"{key}: no checker", "a checker", None))
            continue
        out.extend(checker(sd, value))
    return out


def source(folder: Path, lang: str, fmt: str, tmp: Path) -> Path:
    """The Markdown edition, or its PDF typeset into ``tmp`` by the sample corpus's typesetter."""
    md = folder / f"{lang}.md"
    if fmt == "md":
        return md
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_sample_corpus", Path(__file__).resolve().parents[1] / "scripts" / "make_sample_corpus.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pdf = tmp / folder.name / f"{lang}.pdf"
    module.render(md, pdf)
    return pdf


def describe(path: Path) -> ServiceDescription:
    from pipeline.extract import extract
    from pipeline.normalize import normalize

    return normalize(extract(path))
