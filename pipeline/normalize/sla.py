"""Component ``sla``: reads severity tables, writes :class:`SlaTable` s with first-response minutes.

Two shapes are read:

* situation/response tables (USSD: "Sévérité et situation | Notre réponse prévue | Votre réponse
  prévue"): one row per severity, first responses per scope found in the "our response" cell
  ("Composants Azure - Première réponse … en 15 minutes" -> scope Azure, 15);
* severity x plan tables (``support``: "Severity level | <plans>…", cells "Response time: one
  hour"): one row per severity, one first response per plan column.

Durations accept digits and number words in French and English, with the "(2)" digits that
contracts add after the word ("deux (2) heures ouvrées" -> 120, business hours).
"""

from __future__ import annotations

import re

from pipeline.extract.model import Block, Table
from pipeline.normalize.ids import clean_name
from pipeline.normalize.model import SlaResponse, SlaRow, SlaTable
from pipeline.normalize.tables import body_rows, cell_text, header_texts
from pipeline.textutil import clean_text, fold_for_match, slugify

# Minimal number-word table (FR + EN); the facts engineer's ``numbers`` module is used when present.
_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "twenty-four": 24,
    "thirty": 30, "forty-five": 45, "sixty": 60, "a": 1, "an": 1,
    "zero ": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20,
    "vingt-quatre": 24, "trente": 30, "quarante-cinq": 45, "soixante": 60,
}  # fmt: skip
_UNIT_MIN = {"minute": 1, "min": 1, "heure": 60, "hour": 60, "hr": 60, "h": 60, "jour": 1440, "day": 1440}
_NUM = r"(?P<num>\d+(?:[.,]\d+)?|[a-zéèà-]+)"
_DURATION = re.compile(
    _NUM + r"(?:\s*\((?P<digits>\d+)\))?\s+(?P<unit>minutes?|min|heures?|hours?|hrs?|h|jours?|days?)"
    r"(?P<biz>\s+(?:ouvr[ée]e?s?|ouvrables?|business|de bureau))?\b",
    re.I,
)
_BIZ_BEFORE = re.compile(r"(business|ouvr[ée]e?s?|ouvrables?)\s*$", re.I)
_RESPONSE = re.compile(
    r"(premi[èe]re\s+r[ée]ponse|first\s+response|initial\s+response|response\s+time|temps\s+de\s+r[ée]ponse"
    r"|r[ée]ponse\s+initiale|d[ée]lai\s+de\s+r[ée]ponse)",
    re.I,
)
_SEV = re.compile(
    r"^\s*(?:(?:niveau\s+de\s+)?(?:s[ée]v[ée]rit[ée]|gravit[ée])|severity(?:\s+level)?|sev\.?)\s*(?P<level>[0-9]+|[A-D]\b|critical|critique|high|[ée]lev[ée]e?|"
    r"medium|moyenne?|low|faible|non-critical|non critique)",
    re.I,
)
_SCOPE = re.compile(r"(?P<scope>[A-ZÀ-Ý][^.\n:–-]{2,80}?)\s*[-–—:]\s*$")


def _number(word: str) -> float | None:
    word = word.lower().strip()
    if re.fullmatch(r"\d+(?:[.,]\d+)?", word):
        return float(word.replace(",", "."))
    try:  # the facts engineer's helper
        from pipeline.normalize.numbers import number_word

        for lang in ("fr", "en"):
            value = number_word(word, lang)
            if value is not None:
                return float(value)
    except Exception:  # noqa: BLE001 - optional dependency, fall back to the local table
        pass
    return float(_WORDS[word]) if word in _WORDS else None


def parse_duration(text: str) -> tuple[int, bool, str] | None:
    """First duration in ``text``: ``(minutes, business_hours, matched text)``."""
    for m in _DURATION.finditer(text):
        value = float(m.group("digits")) if m.group("digits") else _number(m.group("num"))
        if value is None:
            continue
        unit = fold_for_match(m.group("unit")).rstrip("s")
        unit = {"hr": "hour", "heure": "heure"}.get(unit, unit)
        factor = _UNIT_MIN.get(unit, _UNIT_MIN.get(unit[:-1], 0)) if unit else 0
        if not factor:
            continue
        biz = bool(m.group("biz")) or bool(_BIZ_BEFORE.search(text[: m.start()]))
        return int(round(value * factor)), biz, m.group(0)
    return None


def _scope_id(scope: str) -> str:
    f = fold_for_match(scope)
    if "azure" in f:
        return "azure"
    if re.search(r"autres produits|other products|all other", f):
        return "other"
    return slugify(scope) if scope != "all" else "all"


def responses_in(text: str, default_scope: str = "all", default_scope_id: str = "all") -> list[SlaResponse]:
    """First-response times in a response cell, one per scope (a "<scope> - Première réponse …" prefix)."""
    out: list[SlaResponse] = []
    matches = list(_RESPONSE.finditer(text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        tail = text[m.start() : end]
        dur = parse_duration(tail[:160])
        prev_end = matches[i - 1].end() if i else 0
        before = text[prev_end : m.start()]
        sm = _SCOPE.search(before)
        if sm:
            scope = clean_text(sm.group("scope"))
            # drop the previous clause's tail ("… ou moins Tous les autres produits")
            scope = re.sub(r"^.*?\b(ou moins|or less|or fewer)\s+", "", scope, flags=re.I)
            scope_id = _scope_id(scope)
        else:
            scope, scope_id = default_scope, default_scope_id
        phrase = clean_text(tail[: tail.find(dur[2]) + len(dur[2])]) if dur else clean_text(tail[:120])
        out.append(
            SlaResponse(
                scope=scope,
                scope_id=scope_id,
                minutes=dur[0] if dur else None,
                business_hours=dur[1] if dur else False,
                text=phrase,
            )
        )
    return out


def parse_severity(text: str) -> tuple[str, str] | None:
    """``("1", situation)`` for "Sévérité 1 Arrêt…", ``("A", "Critical")`` for "Sev A (Critical)"."""
    text = clean_text(text)
    m = _SEV.match(text)
    if not m:
        return None
    level = m.group("level")
    level = level.upper() if len(level) == 1 else level.capitalize()
    rest = text[m.end() :].strip(" :-–")
    return level, rest


def _needs_within(situation: str, minutes: int) -> bool:
    """True when the situation asks for a response "dans un délai de N heures ouvrées" of the same length."""
    for m in _DURATION.finditer(situation):
        dur = parse_duration(situation[m.start() :])
        if dur and dur[0] == minutes and dur[1]:
            return True
    return False


def build_sla_table(
    block: Block, table_id: str, section_id: str | None, title: str | None, plan_id
) -> SlaTable | None:  # noqa: ANN001
    """One severity table; ``plan_id(name) -> id`` names plan scopes. None when no severity row is found."""
    table: Table | None = block.table
    if table is None:
        return None
    header = header_texts(table)
    fheader = [fold_for_match(h) for h in header]
    response_cols = [
        i
        for i, h in enumerate(fheader)
        if i and re.search(r"notre|our|microsoft", h) and "repons" in h.replace("é", "e")
    ]
    your_cols = [i for i, h in enumerate(fheader) if i and re.search(r"votre|your|customer|client", h)]
    rows: list[SlaRow] = []
    for row in body_rows(table):
        texts = [cell_text(c) for c in row]
        if not texts or not any(texts):
            continue
        sev = parse_severity(texts[0])
        if sev is None:
            if rows and not texts[0] and len(texts) > 1:  # continuation row of a table split across pages
                prev = rows[-1]
                if response_cols and response_cols[0] < len(texts):
                    prev.our_response = clean_text(f"{prev.our_response} {texts[response_cols[0]]}")
                continue
            continue
        level, situation = sev
        slarow = SlaRow(severity=level, situation=situation, prov=list(row[0].prov))
        slarow.footnotes = sorted({r.marker for c in row for r in c.footnote_refs})
        if response_cols and rows and not any(texts[1:]):
            # the response cells are merged down from the row above (Rapid Response, AEM: "Sévérité 1" and "A")
            prev = rows[-1]
            slarow.our_response, slarow.your_response = prev.our_response, prev.your_response
            slarow.first_response = [r.model_copy() for r in prev.first_response]
        elif response_cols:
            rc = response_cols[0]
            slarow.our_response = texts[rc] if rc < len(texts) else ""
            if your_cols and your_cols[0] < len(texts):
                slarow.your_response = texts[your_cols[0]]
            slarow.first_response = responses_in(slarow.our_response)
            for resp in slarow.first_response:
                if (
                    resp.minutes is not None
                    and not resp.business_hours
                    and _needs_within(situation, resp.minutes)
                ):
                    resp.business_hours = True
        else:
            plan_cols = [i for i in range(1, len(texts)) if _RESPONSE.search(texts[i])]
            if plan_cols:
                for i in plan_cols:
                    scope = clean_name(header[i]) if i < len(header) and header[i] else f"column {i + 1}"
                    found = responses_in(texts[i], scope, plan_id(scope))
                    for resp in found:
                        resp.scope, resp.scope_id = scope, plan_id(scope)
                    slarow.first_response.extend(found[:1])
                slarow.our_response = " | ".join(texts[i] for i in plan_cols)
            else:
                slarow.situation = clean_text(" ".join(t for t in [situation, *texts[1:2]] if t))
        rows.append(slarow)
    if not rows:
        return None
    return SlaTable(
        id=table_id, title=title, section_id=section_id, columns=header, rows=rows, prov=list(block.prov)
    )
