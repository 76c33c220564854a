"""French or English? Per block and per document, from cues that need no model download.

Service descriptions mix languages: French text keeps English product and plan names
("Microsoft Teams", "Office 365 Enterprise E3"), so capitalised words and letter statistics of
names mislead. We count cues that names do not carry: function words, French elisions (``l’``,
``d’``, ``qu’``), English contractions, accented letters, and a few word endings. Text without
such cues ("500 GB", "Yes", "Office 365 E3") gets no language rather than a guess.
"""

from __future__ import annotations

import math
import re
from functools import cache

from pipeline.extract.model import Block, BlockKind, Document

FR_STOPWORDS = frozenset(
    [
        "le",
        "la",
        "les",
        "de",
        "des",
        "du",
        "un",
        "une",
        "et",
        "est",
        "sont",
        "pour",
        "par",
        "sur",
        "dans",
        "avec",
        "que",
        "qui",
        "ne",
        "pas",
        "plus",
        "au",
        "aux",
        "ce",
        "cet",
        "cette",
        "ces",
        "son",
        "sa",
        "ses",
        "leur",
        "leurs",
        "vous",
        "votre",
        "vos",
        "nous",
        "notre",
        "nos",
        "il",
        "elle",
        "ils",
        "elles",
        "être",
        "été",
        "peut",
        "peuvent",
        "tous",
        "tout",
        "toute",
        "toutes",
        "ou",
        "où",
        "comme",
        "mais",
        "aussi",
        "ainsi",
        "entre",
        "sans",
        "sous",
        "chaque",
        "lors",
        "afin",
        "dont",
        "très",
        "déjà",
        "été",
        "avez",
        "êtes",
        "sera",
        "seront",
        "fait",
        "faire",
        "être",
        "avoir",
        "ont",
        "était",
        "selon",
        "jusqu",
        "lorsque",
        "puis",
        "celui",
        "celle",
        "ceux",
        "cela",
        "ceci",
        "si",
        "non",
        "oui",
        "autres",
        "autre",
        "même",
        "mêmes",
        "via",
        "depuis",
        "vers",
        "chez",
        "quand",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "aucun",
        "aucune",
        "peu",
        "moins",
        "également",
        "cependant",
        "toutefois",
        "notamment",
    ]
)
EN_STOPWORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "are",
        "for",
        "with",
        "by",
        "at",
        "be",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "from",
        "or",
        "not",
        "can",
        "your",
        "you",
        "we",
        "our",
        "will",
        "which",
        "all",
        "more",
        "may",
        "also",
        "has",
        "have",
        "been",
        "their",
        "there",
        "when",
        "if",
        "any",
        "each",
        "other",
        "than",
        "only",
        "such",
        "into",
        "about",
        "how",
        "what",
        "who",
        "would",
        "should",
        "could",
        "must",
        "they",
        "them",
        "were",
        "was",
        "do",
        "does",
        "did",
        "but",
        "so",
        "out",
        "up",
        "use",
        "used",
        "using",
        "within",
        "without",
        "between",
        "after",
        "before",
        "over",
        "under",
        "through",
        "both",
        "some",
        "most",
        "many",
        "yes",
        "no",
        "here",
        "where",
        "while",
        "available",
        "include",
        "includes",
        "including",
        "provides",
        "provide",
        "following",
        "see",
        "learn",
        "per",
    ]
)
#: common content words of service descriptions that the other language never uses
FR_WORDS = frozenset(
    [
        "utilisateur",
        "utilisateurs",
        "stockage",
        "données",
        "heures",
        "jours",
        "semaine",
        "semaines",
        "mois",
        "année",
        "années",
        "ans",
        "demande",
        "demandes",
        "limite",
        "limites",
        "stratégie",
        "stratégies",
        "boîte",
        "boîtes",
        "messagerie",
        "abonnement",
        "abonnements",
        "gestion",
        "compte",
        "comptes",
        "disponible",
        "disponibles",
        "inclus",
        "incluse",
        "incluses",
        "fournit",
        "fournis",
    ]
)
EN_WORDS = frozenset(
    [
        "mailbox",
        "mailboxes",
        "storage",
        "user",
        "users",
        "customer",
        "customers",
        "organization",
        "organizations",
        "feature",
        "features",
        "policy",
        "policies",
        "limits",
        "request",
        "requests",
        "hours",
        "days",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "account",
        "accounts",
        "subscription",
        "subscriptions",
        "management",
        "included",
        "provided",
        "provides",
    ]
)
#: weak cues: worth half a function word (answer cells)
WEAK = frozenset({"yes", "no", "oui", "non"})

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_FR_ELISION = re.compile(r"\b(?:l|d|qu|n|s|c|j|m|t|jusqu|lorsqu|puisqu|quoiqu)['’][^\W\d_]", re.I)
_EN_CONTRACTION = re.compile(r"[^\W\d_](?:n['’]t|['’](?:s|re|ll|ve|d|m))\b", re.I)
_UNIT = re.compile(r"(?<=\d)\s*(?:[KMGTP][oB]|[kmgtp]o|TO|GO|MO)\b")
_FR_ACCENTS = frozenset("éèêëàâçùûüôîïœÉÈÊÀÂÇÙÛÔÎŒ")
_FR_ENDINGS = ("ées", "ée", "eux", "euse", "eurs", "aux", "ière", "ières", "ité", "ités", "ment")
_EN_ENDINGS = ("ing", "ness", "ship", "ity", "ly")

MIN_EVIDENCE = 1.0


@cache
def _word_cues(word: str) -> tuple[float, float]:
    """(French weight, English weight) of one lower-cased word."""
    fr = en = 0.0
    weight = 0.5 if word in WEAK else 1.0
    if word in FR_STOPWORDS or word in FR_WORDS:
        fr += weight
    if word in EN_STOPWORDS or word in EN_WORDS:
        en += weight
    if any(ch in _FR_ACCENTS for ch in word):
        fr += 1.0
    elif len(word) > 5:
        if word.endswith(_EN_ENDINGS) and not word.endswith("ment"):
            en += 0.3
        elif word.endswith(_FR_ENDINGS) and not word.endswith("ly"):
            fr += 0.3
    return fr, en


def score(text: str) -> tuple[float, float]:
    """Evidence weights (French, English) found in ``text``."""
    text = _UNIT.sub(" ", text)  # "1 To" is a unit, not the English "to"
    fr = en = 0.0
    for m in _WORD.finditer(text):
        word = m.group(0).lower()
        for part in re.split(r"['’]", word):
            f, e = _word_cues(part)
            fr += f
            en += e
    fr += len(_FR_ELISION.findall(text))
    en += len(_EN_CONTRACTION.findall(text))
    return fr, en


def _decide(fr: float, en: float) -> tuple[str | None, float]:
    total = fr + en
    if total < MIN_EVIDENCE or fr == en:
        return None, 0.0
    lang = "fr" if fr > en else "en"
    share = (max(fr, en) + 0.5) / (total + 1.0)  # how one-sided the cues are
    amount = 1.0 - math.exp(-total / 2.0)  # how much evidence there is
    return lang, round(share * amount, 4)


def detect_language(text: str) -> tuple[str | None, float]:
    """("fr" | "en" | None, confidence 0..1). None when the text carries no language cue."""
    return _decide(*score(text))


def _block_text(block: Block) -> str:
    if block.kind == BlockKind.table and block.table is not None:
        return "\n".join(cell.text for row in block.table.rows for cell in row)
    return block.text


def annotate_language(doc: Document) -> Document:
    """Set each block's ``lang``/``lang_confidence`` and the document's, weighted by text length."""
    blocks: list[Block] = []
    fr_total = en_total = 0.0
    weights = {"fr": 0.0, "en": 0.0}
    for block in doc.blocks:
        text = _block_text(block)
        fr, en = score(text)
        fr_total += fr
        en_total += en
        lang, conf = _decide(fr, en)
        if lang is not None:
            weights[lang] += len(text) * conf
        blocks.append(block.model_copy(update={"lang": lang, "lang_confidence": conf if lang else None}))
    lang, conf = _decide(fr_total, en_total)
    if lang is not None and sum(weights.values()) > 0:
        # agreement of the blocks, weighted by their length and confidence
        agreement = weights[lang] / sum(weights.values())
        conf = round(min(conf, agreement) if agreement < conf else conf, 4)
    meta = doc.meta.model_copy(update={"language": lang, "lang_confidence": conf if lang else None})
    return doc.model_copy(update={"blocks": blocks, "meta": meta})
