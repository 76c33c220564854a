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
from pipeline.normalize.tables import RESPONSE_HEAD, SEVERITY_HEAD, body_rows, cell_text, header_texts
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
    _NUM + r"(?:\s*\((?P<digits>\d+)\))?\s*(?P<bizpre>(?:business|working|office)\s+)?"
    r"(?P<unit>minutes?|mins?|heures?|hours?|hrs?|h|jours?|days?)"
    r"(?P<biz>\s+(?:ouvr[ée]e?s?|ouvrables?|business|de bureau|ouvr[ée]s?))?\b",
    re.I,
)
#: "next business day", "le jour ouvré suivant", "prochain jour ouvrable": one business day
_NEXT_DAY = re.compile(
    r"\bnext\s+(?:business|working)\s+day\b|\b(?:le\s+)?(?:prochain\s+jour\s+ouvr\w*|jour\s+ouvr\w*\s+suivant)\b",
    re.I,
)
_HALF_HOUR = re.compile(r"\b(?:half\s+an?\s+hour|(?:une\s+)?demi-heure)\b", re.I)
_WITHIN_HOUR = re.compile(r"\b(?:within|in)\s+the\s+hour\b|\bdans\s+l.heure\b", re.I)
_BARE_LEVEL = re.compile(
    r"^\s*(?:(?P<level>[0-9])\b(?![.,]\d)|(?P<letter>[A-D])(?=\s*(?:$|[-–—:.)(]|\n)))\s*[-–—:.)]?\s*(?P<rest>.*)$",
    re.S,
)
_BIZ_BEFORE = re.compile(r"(business|working|ouvr[ée]e?s?|ouvrables?)\s*$", re.I)
_RESPONSE = re.compile(
    r"(premi[èe]re\s+r[ée]ponse|first\s+(?:call\s+)?response|initial\s+response|response\s+time|"
    r"temps\s+de\s+r[ée]ponse|r[ée]ponse\s+initiale|d[ée]lai\s+de\s+r[ée]ponse|first\s+contact|"
    r"premier\s+contact|respond\s+within|response\s+within|target\s+response)",
    re.I,
)
_SEV = re.compile(
    r"^\s*(?:(?:(?:niveau\s+de\s+)?(?:s[ée]v[ée]rit[ée]|gravit[ée]|priorit[ée]|urgence)|severity(?:\s+level)?|"
    r"priority(?:\s+level)?|sev\.?|level|niveau)\s*(?P<level>[0-9]+|[A-D]\b|critical|critique|high|haute?|"
    r"[ée]lev[ée]e?|medium|moyenne?|normal|normale|low|faible|basse?|non-critical|non critique|urgent)"
    r"|(?P<short>(?:p|s|sev)\s?[0-5])\b"
    r"|(?P<word>critical|critique|urgent|high|haute?|[ée]lev[ée]e?|medium|moyenne?|normal|normale|low|faible|"
    r"basse?|minor|mineure?|major|majeure?|blocking|bloquant)\b)",
    re.I,
)
_SCOPE = re.compile(r"(?P<scope>[A-ZÀ-Ý][^.\n:;–-]{2,80}?|(?<=;\s)[a-zà-ý][^.\n:;–-]{2,80}?)\s*[-–—:]\s*$")


def _number(word: str) -> float | None:
    word = word.lower().strip()
    if re.fullmatch(r"\d+(?:[.,]\d+)?", word):
        return float(word.replace(",", "."))
    try:  # the facts engineer's helper
        from pipeline.quantities import number_word

        for lang in ("fr", "en"):
            value = number_word(word, lang)
            if value is not None:
                return float(value)
    except Exception:  # noqa: BLE001 - optional dependency, fall back to the local table
        pass
    return float(_WORDS[word]) if word in _WORDS else None


def parse_duration(text: str) -> tuple[int, bool, str] | None:
    """First duration in ``text``: ``(minutes, business_hours, matched text)``.

    "next business day" / "jour ouvré suivant" is one business day (1440 minutes, business flag), like
    "1 business day"; "4 business hours" is 240 business minutes.
    """
    nd = _NEXT_DAY.search(text)
    half = _HALF_HOUR.search(text)
    hour = _WITHIN_HOUR.search(text)
    for m in _DURATION.finditer(text):
        if half and half.start() < m.start():
            break
        if hour and hour.start() < m.start():
            break
        if nd and nd.start() < m.start():
            break
        value = float(m.group("digits")) if m.group("digits") else _number(m.group("num"))
        if value is None:
            continue
        unit = fold_for_match(m.group("unit")).rstrip("s")
        unit = {"hr": "hour", "heure": "heure"}.get(unit, unit)
        factor = _UNIT_MIN.get(unit, _UNIT_MIN.get(unit[:-1], 0)) if unit else 0
        if not factor:
            continue
        biz = bool(m.group("biz") or m.group("bizpre")) or bool(_BIZ_BEFORE.search(text[: m.start()]))
        return int(round(value * factor)), biz, m.group(0).strip()
    if nd:
        return 1440, True, nd.group(0)
    if half:
        return 30, False, half.group(0)
    if hour:
        return 60, False, hour.group(0)
    return None


def _scope_id(scope: str) -> str:
    f = fold_for_match(scope)
    if "azure" in f:
        return "azure"
    if re.search(r"autres produits|other products|all other", f):
        return "other"
    return slugify(scope) if scope != "all" else "all"


def responses_in(
    text: str, default_scope: str = "all", default_scope_id: str = "all", bare: bool = False
) -> list[SlaResponse]:
    """First-response times in a response cell, one per scope (a "<scope> - Première réponse …" prefix).

    ``bare``: the cell sits in a response-time column, so a duration alone ("30 min") is the response.
    """
    out: list[SlaResponse] = []
    matches = list(_RESPONSE.finditer(text))
    if not matches and bare:
        dur = parse_duration(text)
        if dur:  # a response-time column: "30 minutes", "4 business hours", "Next business day"
            return [
                SlaResponse(
                    scope=default_scope,
                    scope_id=default_scope_id,
                    minutes=dur[0],
                    business_hours=dur[1],
                    text=clean_text(text[: text.find(dur[2]) + len(dur[2])]),
                )
            ]
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


def parse_severity(text: str, bare: bool = False) -> tuple[str, str] | None:
    """``("1", situation)`` for "Sévérité 1 Arrêt…", ``("A", "Critical")`` for "Sev A (Critical)".

    ``bare``: the column is titled "Severity"/"Priorité", so "1", "A" or "2 - High" name a level too.
    """
    text = clean_text(text)
    m = _SEV.match(text)
    if not m:
        b = _BARE_LEVEL.match(text) if bare else None
        return ((b.group("level") or b.group("letter")), b.group("rest").strip(" :-–")) if b else None
    level = m.group("level") or m.group("word")
    if m.group("short"):  # "P1", "S2", "Sev 3": the number is the level
        level = re.sub(r"\D", "", m.group("short"))
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
    your_cols = [i for i, h in enumerate(fheader) if i and re.search(r"votre|your|customer|client", h)]
    response_cols = [
        i
        for i, h in enumerate(fheader)
        if i and i not in your_cols and (RESPONSE_HEAD.search(h) or re.search(r"\b(notre|our)\b", h))
    ]
    situation_cols = [
        i
        for i, h in enumerate(fheader)
        if i
        and i not in response_cols
        and i not in your_cols
        and re.search(
            r"description|situation|definition|impact|exemple|example|criteria|crit[eè]re|condition", h
        )
    ]
    bare_levels = bool(fheader) and bool(SEVERITY_HEAD.search(fheader[0]))
    rows: list[SlaRow] = []
    for row in body_rows(table):
        texts = [cell_text(c) for c in row]
        if not texts or not any(texts):
            continue
        sev = parse_severity(texts[0], bare=bare_levels)
        if sev is None:
            if rows and not texts[0] and len(texts) > 1:  # continuation row of a table split across pages
                prev = rows[-1]
                if response_cols and response_cols[0] < len(texts):
                    prev.our_response = clean_text(f"{prev.our_response} {texts[response_cols[0]]}")
                continue
            continue
        level, situation = sev
        extra = [texts[i] for i in situation_cols if i < len(texts) and texts[i]]
        situation = clean_text(" ".join([situation, *extra]))
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
            slarow.first_response = responses_in(slarow.our_response, bare=len(slarow.our_response) <= 80)
            for resp in slarow.first_response:
                if (
                    resp.minutes is not None
                    and not resp.business_hours
                    and _needs_within(situation, resp.minutes)
                ):
                    resp.business_hours = True
        else:
            plan_cols = [
                i
                for i in range(1, len(texts))
                if i not in situation_cols
                and (_RESPONSE.search(texts[i]) or (len(texts[i]) <= 80 and parse_duration(texts[i])))
            ]
            if plan_cols and not any(header):
                # no column titles: the response cell(s) are "our response", the other cells the situation
                slarow.our_response = " | ".join(texts[i] for i in plan_cols)
                for i in plan_cols:
                    slarow.first_response.extend(responses_in(texts[i], bare=len(texts[i]) <= 80))
                others = [texts[i] for i in range(1, len(texts)) if i not in plan_cols and texts[i]]
                slarow.situation = clean_text(" ".join([slarow.situation, *others]))
            elif plan_cols:
                for i in plan_cols:
                    scope = clean_name(header[i]) if i < len(header) and header[i] else f"column {i + 1}"
                    found = responses_in(texts[i], scope, plan_id(scope), bare=len(texts[i]) <= 80)
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
