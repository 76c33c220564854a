"""A small word tokenizer and token-pattern matcher for the facts step, in plain Python.

Why not spaCy: the facts step used only ``spacy.blank("xx")`` (its tokenizer) and a ``Matcher`` over
"number + unit" shapes; importing spaCy alone cost ~1.5 s per process, more than extracting an
8-page PDF. This module reproduces what those two parts did for us:

- :func:`tokenize` follows the rules of spaCy's language-neutral tokenizer: split on whitespace, then
  peel prefixes (punctuation, quotes, currency signs, symbols) and suffixes (punctuation, quotes,
  ``'s``, a full stop after a lower-case letter or digit, a unit or currency after a digit), then split
  infixes (hyphens, commas, ``:<>=/`` between letters, a full stop between a lower- and an upper-case
  letter, an operator between digits, ellipses). Single-letter abbreviations ("h.") stay whole, as
  spaCy keeps them, and URLs stay one token.
- :class:`Matcher` reads patterns of token tests (``LOWER``/``NORM`` equal or ``IN``, ``IS_ALPHA``,
  ``IS_LOWER``) with optional (``"OP": "?"``) tokens and returns every match, as spaCy's does.

The equivalence was checked on every line of the shared corpus and the test data (same facts).

Size (~560 lines, over the house's ~400): most of it is spaCy's tokenizer rule tables and their
order of application, kept in one file so they can be compared with spaCy's line by line; the
matcher (~110 lines) runs only over these tokens. Splitting would separate rules that only make
sense together.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

_PUNCT = set("…,:;!?¿؟¡()[]{}<>_#*&。？！，、；：～·।،۔؛٪")
_QUOTES = set("'\"”“`‘´’‚,„»«「」『』（）〔〕【】《》〈〉〈〉⟦⟧")
_CURRENCY = ["US$", "C$", "A$", *"$£€¥฿₽﷼₴₠₡₢₣₤₥₦₧₨₩₪₫₭₮₯₰₱₲₳₵₶₷₸₹₺₻₼₾₿"]
_UNITS = sorted(
    [
        "km",
        "km²",
        "km³",
        "m",
        "m²",
        "m³",
        "dm",
        "dm²",
        "dm³",
        "cm",
        "cm²",
        "cm³",
        "mm",
        "mm²",
        "mm³",
        "ha",
        "µm",
        "nm",
        "yd",
        "in",
        "ft",
        "kg",
        "g",
        "mg",
        "µg",
        "t",
        "lb",
        "oz",
        "m/s",
        "km/h",
        "kmh",
        "mph",
        "hPa",
        "Pa",
        "mbar",
        "mb",
        "MB",
        "kb",
        "KB",
        "gb",
        "GB",
        "tb",
        "TB",
        "T",
        "G",
        "M",
        "K",
        "%",
    ],
    key=len,
    reverse=True,
)
_HYPHENS = ["-", "–", "—", "--", "---", "——", "~"]  # spaCy's order: the first that fits wins
#: Tokens kept whole (spaCy's base exceptions): one-letter abbreviations, emoticons such as "):" or ":*".
_SPECIALS = frozenset(
    [
        r"'",
        r"''",
        r"(*_*)",
        r"(-8",
        r"(-:",
        r"(-;",
        r"(-_-)",
        r"(._.)",
        r"(:",
        r"(;",
        r"(=",
        r"(>_<)",
        r"(^_^)",
        r"(o:",
        r"(¬_¬)",
        r"(ಠ_ಠ)",
        r"(╯°□°）╯︵┻━┻",
        r")-:",
        r"):",
        r"-_-",
        r"-__-",
        r"._.",
        r"0.0",
        r"0.o",
        r"0_0",
        r"0_o",
        r"8)",
        r"8-)",
        r"8-D",
        r"8D",
        r":'(",
        r":')",
        r":'-(",
        r":'-)",
        r":(",
        r":((",
        r":(((",
        r":()",
        r":)",
        r":))",
        r":)))",
        r":*",
        r":-(",
        r":-((",
        r":-(((",
        r":-)",
        r":-))",
        r":-)))",
        r":-*",
        r":-/",
        r":-0",
        r":-3",
        r":->",
        r":-D",
        r":-O",
        r":-P",
        r":-X",
        r":-]",
        r":-o",
        r":-p",
        r":-x",
        r":-|",
        r":-}",
        r":/",
        r":0",
        r":1",
        r":3",
        r":>",
        r":D",
        r":O",
        r":P",
        r":X",
        r":]",
        r":o",
        r":o)",
        r":p",
        r":x",
        r":|",
        r":}",
        r";)",
        r";-)",
        r";-D",
        r";D",
        r";_;",
        r"<.<",
        r"</3",
        r"<3",
        r"<33",
        r"<333",
        r"=(",
        r"=)",
        r"=/",
        r"=3",
        r"=D",
        r"=[",
        r"=]",
        r"=|",
        r">.<",
        r">.>",
        r">:(",
        r">:o",
        r"><(((*>",
        r"@_@",
        r"C++",
        r"O.O",
        r"O.o",
        r"O_O",
        r"O_o",
        r"V.V",
        r"V_V",
        r"XD",
        r"XDD",
        r"[-:",
        r"[:",
        r"[=",
        r"\")",
        r"]=",
        r"^_^",
        r"^__^",
        r"^___^",
        r"o.0",
        r"o.O",
        r"o.o",
        r"o_0",
        r"o_O",
        r"o_o",
        r"v.v",
        r"v_v",
        r"xD",
        r"xDD",
        r"¯\(ツ)/¯",
        r"°C.",
        r"°F.",
        r"°K.",
        r"°c.",
        r"°f.",
        r"°k.",
        r"ಠ_ಠ",
        r"ಠ︵ಠ",
        r"—",
    ]
) | {f"{c}." for c in "abcdefghijklmnopqrstuvwxyzäöü"}
_SUFFIX_WORDS = ["'s", "'S", "’s", "’S"]
# spaCy's URL_PATTERN (optional scheme, user, IPv4 or host names, TLD, port, path); the TLD must be lower case
_URL = re.compile(
    r"^(?:(?:[\w\+\-\.]{2,})://)?(?:\S+(?::\S*)?@)?(?:"
    r"(?!(?:10|127)(?:\.\d{1,3}){3})(?!(?:169\.254|192\.168)(?:\.\d{1,3}){2})"
    r"(?!172\.(?:1[6-9]|2\d|3[0-1])(?:\.\d{1,3}){2})"
    r"(?:[1-9]\d?|1\d\d|2[01]\d|22[0-3])(?:\.(?:1?\d{1,2}|2[0-4]\d|25[0-5])){2}"
    r"(?:\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4]))"
    r"|(?:(?:[A-Za-z0-9\u00a1-\uffff][A-Za-z0-9\u00a1-\uffff_-]{0,62})?[A-Za-z0-9\u00a1-\uffff]\.)+"
    r"(?P<tld>[^\W\d_]{2,63}))(?::\d{2,5})?(?:[/?#]\S*)?$"
)


def _is_url(s: str) -> bool:
    m = _URL.match(s)
    return bool(m) and (m.group("tld") is None or m.group("tld").islower())


_DIGIT_SUFFIXES = (*_CURRENCY, *_UNITS)
_HAS_DIGIT = re.compile(r"\d").search


def _icon(ch: str) -> bool:
    return unicodedata.category(ch) == "So"


def _prefix_len(s: str) -> int:
    """Length of the prefix spaCy would peel off ``s`` (0 for none)."""
    c = s[0]
    if c in "§%=—–" or (c == "+" and not s[1:2].isdigit()):
        return 1
    if c in _PUNCT:
        return 1
    if s.startswith(".."):
        return len(s) - len(s.lstrip("."))
    if c in _QUOTES:
        return 1
    for cur in _CURRENCY:
        if s.startswith(cur):
            return len(cur)
    return 1 if _icon(c) else 0


def _suffix_len(s: str) -> int:
    """Length of the suffix spaCy would peel off ``s``: the candidate that starts leftmost."""
    best = 0
    n = len(s)
    c = s[-1]
    if c in _PUNCT or c in _QUOTES or c in "—–" or _icon(c):
        best = 1
    if s.endswith(".."):
        best = max(best, n - len(s.rstrip(".")))
    for w in _SUFFIX_WORDS:
        if s.endswith(w):
            best = max(best, 2)
    if n >= 2 and c == "+" and s[-2].isdigit():
        best = max(best, 1)
    if n >= 3 and c == "." and s[-3] == "°" and s[-2] in "FfCcKk":
        best = max(best, 1)
    for unit in _DIGIT_SUFFIXES if _HAS_DIGIT(s) else ():
        k = len(unit)
        if n > k and s.endswith(unit) and s[-k - 1].isdigit():
            best = max(best, k)
    if c == ".":
        prev = s[-2] if n >= 2 else ""
        if prev and (prev.isdigit() or prev.islower() or prev in "%²-+" or prev in _PUNCT or prev in _QUOTES):
            best = max(best, 1)
        if n >= 3 and s[-2].isupper() and s[-3].isupper():
            best = max(best, 1)
    return best


def _hyphen_at(s: str, i: int) -> str:
    """The hyphen spaCy's infix rule takes at ``i`` (first listed that a letter follows), or ""."""
    for h in _HYPHENS:
        if s.startswith(h, i) and s[i + len(h) : i + len(h) + 1].isalpha():
            return h
    return ""


def _infixes(s: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each infix of ``s``, left to right, not overlapping."""
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        prev = s[i - 1] if i else ""
        nxt = s[i + 1] if i + 1 < n else ""
        if c == "." and nxt == "." or c == "…":
            j = i + 1
            if c == ".":
                while j < n and s[j] == ".":
                    j += 1
            yield i, j
            i = j
            continue
        if (
            _icon(c)
            or prev.isdigit()
            and c in "+-*^"
            and (nxt.isdigit() or nxt == "-")
            or c == "."
            and (prev.islower() or prev in _QUOTES)
            and (nxt.isupper() or nxt in _QUOTES)
            or c == ","
            and prev.isalpha()
            and nxt.isalpha()
        ):
            yield i, i + 1
        elif c in "-–—~" and prev.isalpha() and (h := _hyphen_at(s, i)):
            yield i, i + len(h)
            i += len(h)
            continue
        elif c in ":<>=/" and (prev.isalpha() or prev.isdigit()) and nxt.isalpha():
            yield i, i + 1
        i += 1


@functools.lru_cache(maxsize=65536)
def _split_chunk(s: str, specials: frozenset[str] = _SPECIALS) -> tuple[str, ...]:
    """One whitespace-free chunk into tokens (spaCy's affix loop, then infixes)."""
    if s in specials:
        return (s,)
    prefixes: list[str] = []
    suffixes: list[str] = []
    last = -1
    while s and len(s) != last and s not in specials:
        last = len(s)
        pre = _prefix_len(s)
        if pre and s[pre:] in specials:
            prefixes.append(s[:pre])
            s = s[pre:]
            break
        suf = _suffix_len(s[pre:]) if s[pre:] else 0
        if suf and s[:-suf] in specials:
            suffixes.append(s[-suf:])
            s = s[:-suf]
            break
        if pre and suf and pre + suf <= len(s):
            prefixes.append(s[:pre])
            suffixes.append(s[-suf:])
            s = s[pre:-suf]
        elif pre:
            prefixes.append(s[:pre])
            s = s[pre:]
        elif suf:
            suffixes.append(s[-suf:])
            s = s[:-suf]
    middle: list[str] = []
    if s:
        if s in specials or _is_url(s):
            middle = [s]
        else:
            start = 0
            for a, b in _infixes(s):
                if a == 0:
                    continue
                if a != start:
                    middle.append(s[start:a])
                middle.append(s[a:b])
                start = b
            if s[start:]:
                middle.append(s[start:])
    return (*prefixes, *middle, *suffixes[::-1])


#: Specials that the affix rules cut into pieces ("):" -> ")" ":"): spaCy glues the pieces back after
#: tokenizing, when they stand side by side with no space between.
_GLUED = {tuple(p): sp for sp in _SPECIALS if len(p := _split_chunk(sp, frozenset())) > 1}
_GLUED_MAX = max(len(k) for k in _GLUED)
_RUN = re.compile(r"\s+|\S+")


def _glue_specials(toks: list[tuple[str, int, bool]]) -> list[tuple[str, int, bool]]:
    """spaCy's special-case pass: longest spans first, then leftmost; a span over a space stays cut."""
    texts = [t for t, _, _ in toks]
    spans = [
        (n, i)
        for n in range(2, _GLUED_MAX + 1)
        for i in range(len(toks) - n + 1)
        if tuple(texts[i : i + n]) in _GLUED and not any(sp for _, _, sp in toks[i : i + n])
    ]
    spans.sort(key=lambda x: (-x[0], x[1]))
    seen: set[int] = set()
    chosen: dict[int, int] = {}
    for n, i in spans:
        if i not in seen and i + n - 1 not in seen:
            chosen[i] = n
        seen.update(range(i, i + n))
    out: list[tuple[str, int, bool]] = []
    i = 0
    while i < len(toks):
        n = chosen.get(i, 0)
        start, end = toks[i][1], toks[i + n - 1][1] + len(toks[i + n - 1][0]) if n else 0
        if n and end - start == sum(len(t) for t in texts[i : i + n]):
            out.append(("".join(texts[i : i + n]), toks[i][1], False))
            i += n
        else:
            out.append(toks[i])
            i += 1
    return out


def tokenize(text: str) -> list[tuple[str, int]]:
    """Non-space tokens of ``text`` with their character offsets."""
    toks: list[tuple[str, int, bool]] = []  # (text, offset, is whitespace)
    for m in _RUN.finditer(text):
        run, pos = m.group(), m.start()
        if run[0].isspace():
            if run[0] == " " and toks:  # one space after a token belongs to it
                run, pos = run[1:], pos + 1
            if run:
                toks.append((run, pos, True))
            continue
        for tok in _split_chunk(run):
            toks.append((tok, pos, False))
            pos += len(tok)
    if any(len(t) == 1 for t, _, sp in toks if not sp):
        toks = _glue_specials(toks)
    return [(t, pos) for t, pos, sp in toks if not sp]


@dataclass(eq=False)
class Token:
    """The token attributes the facts step reads (named as spaCy names them)."""

    doc: Doc
    i: int
    text: str
    norm_: str
    whitespace_: str

    @property
    def lower_(self) -> str:
        return self.text.lower()

    @property
    def is_alpha(self) -> bool:
        return self.text.isalpha()

    @property
    def is_lower(self) -> bool:
        return self.text.islower()


@dataclass(eq=False)
class Span:
    doc: Doc
    start: int
    end: int
    label_: str = ""

    def __iter__(self) -> Iterator[Token]:
        return iter(self.doc.tokens[self.start : self.end])

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(eq=False)
class Doc:
    """Tokens with their trailing-space flags and a free ``user_data`` dict."""

    words: list[str]
    spaces: list[bool]
    user_data: dict = field(default_factory=dict)
    tokens: list[Token] = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = [
            Token(self, i, w, w.lower(), " " if sp else "")
            for i, (w, sp) in enumerate(zip(self.words, self.spaces, strict=True))
        ]

    def __iter__(self) -> Iterator[Token]:
        return iter(self.tokens)

    def __len__(self) -> int:
        return len(self.tokens)

    def __getitem__(self, key: int | slice) -> Token | Span:
        if isinstance(key, slice):
            return Span(self, key.start or 0, len(self.tokens) if key.stop is None else key.stop)
        return self.tokens[key]


_ATTRS = {"LOWER": 0, "NORM": 1, "IS_ALPHA": 2, "IS_LOWER": 3}
#: One compiled pattern step: (attribute index, allowed values or None, value, optional)
_Step = tuple[int, frozenset | None, object, bool]


def _compile(spec: dict) -> tuple[_Step, ...]:
    """A pattern token (several attribute tests) as steps on one token; OP rides on the first."""
    tests = [(k, v) for k, v in spec.items() if k != "OP"]
    opt = spec.get("OP") == "?"
    return tuple((_ATTRS[k], frozenset(v["IN"]) if isinstance(v, dict) else None, v, opt) for k, v in tests)


class Matcher:
    """Token patterns by label; ``matcher(doc)`` gives every ``(label, start, end)`` match."""

    def __init__(self) -> None:
        self._patterns: list[tuple[str, tuple[tuple[_Step, ...], ...]]] = []

    def add(self, label: str, patterns: list[list[dict]]) -> None:
        for pattern in patterns:
            self._patterns.append((label, tuple(_compile(spec) for spec in pattern)))

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        rows = [(t.lower_, t.norm_, t.is_alpha, t.is_lower) for t in doc.tokens]
        found: set[tuple[str, int, int]] = set()
        for label, pattern in self._patterns:
            for start in range(len(rows)):
                for end in _ends(pattern, 0, rows, start):
                    if end > start:
                        found.add((label, start, end))
        return sorted(found, key=lambda m: (m[1], m[2], m[0]))


def _fits(steps: tuple[_Step, ...], row: tuple) -> bool:
    for idx, allowed, value, _ in steps:
        have = row[idx]
        if (have not in allowed) if allowed is not None else (have != value):
            return False
    return True


def _ends(pattern: tuple, k: int, rows: list[tuple], i: int) -> Iterator[int]:
    """Every end of ``pattern[k:]`` matched from token ``i`` (optional tokens taken and skipped)."""
    if k == len(pattern):
        yield i
        return
    steps = pattern[k]
    if steps[0][3]:
        yield from _ends(pattern, k + 1, rows, i)
    if i < len(rows) and _fits(steps, rows[i]):
        yield from _ends(pattern, k + 1, rows, i + 1)
