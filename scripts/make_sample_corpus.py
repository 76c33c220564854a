"""Typeset the sample corpus's Markdown as vendor-style PDFs (``corpus/nordlys-support-pdf/``).

Reads ``corpus/nordlys-support/<date>/<lang>.md`` (the small Markdown subset those files use:
headings, paragraphs, bullet lists, pipe tables, ``<sup>n</sup>`` footnote markers) and writes
``corpus/nordlys-support-pdf/<date>/<lang>.pdf``: A4, DejaVu Sans embedded, a title block, a running
header from page 2, a footer with the edition date and "Page X of Y" / "Page X sur Y", ruled tables
with a shaded header row, footnote markers as superscript digits glued to the word.

Deterministic: the creation date is the edition date, so the same Markdown gives the same bytes.
Run: ``.venv/bin/python scripts/make_sample_corpus.py`` (the PDFs are committed).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "corpus" / "nordlys-support"
TARGET = REPO / "corpus" / "nordlys-support-pdf"
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation")]
FONTS = {
    "": ("DejaVuSans.ttf", "LiberationSans-Regular.ttf"),
    "B": ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"),
}
SUPERSCRIPTS = str.maketrans("0123456789,", "⁰¹²³⁴⁵⁶⁷⁸⁹˒")
WORDING = {
    "en": {"kind": "Services description", "page": "Page {n} of {nb}", "vendor": "Nordlys Systems AS"},
    "fr": {"kind": "Description de services", "page": "Page {n} sur {nb}", "vendor": "Nordlys Systems AS"},
}


def font_path(style: str) -> Path:
    for folder in FONT_DIRS:
        for name in FONTS[style]:
            if (folder / name).is_file():
                return folder / name
    sys.exit(f"no DejaVu or Liberation TTF found in {FONT_DIRS} (apt-get install fonts-dejavu-core)")


def inline(text: str) -> str:
    """Markdown inline -> plain text: superscript digits for <sup>, escapes dropped."""
    text = re.sub(r"<sup>([^<]*)</sup>", lambda m: m.group(1).strip().translate(SUPERSCRIPTS), text)
    return text.replace("\\+", "+").replace("**", "")


def parse(markdown: str) -> tuple[dict[str, str], list[tuple[str, object]]]:
    """(front matter, blocks) where a block is (kind, payload)."""
    front: dict[str, str] = {}
    lines = markdown.splitlines()
    if lines and lines[0] == "---":
        end = lines.index("---", 1)
        for line in lines[1:end]:
            key, _, value = line.partition(":")
            front[key.strip()] = value.strip()
        lines = lines[end + 1 :]
    blocks: list[tuple[str, object]] = []
    table: list[list[str]] = []
    for line in [*lines, ""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                table.append([inline(c) for c in cells])
            continue
        if table:
            blocks.append(("table", table))
            table = []
        if not line.strip():
            continue
        if m := re.match(r"^(#{1,3})\s+(.*)$", line):
            blocks.append((f"h{len(m.group(1))}", inline(m.group(2))))
        elif line.startswith("- "):
            blocks.append(("li", inline(line[2:])))
        else:
            blocks.append(("p", inline(line)))
    return front, blocks


class ServicePdf(FPDF):
    def __init__(self, title: str, edition_label: str, lang: str) -> None:
        super().__init__(format="A4", unit="mm")
        self.doc_title, self.edition_label, self.words = title, edition_label, WORDING[lang]
        self.add_font("Body", "", str(font_path("")))
        self.add_font("Body", "B", str(font_path("B")))
        self.set_margins(20, 22, 20)
        self.set_auto_page_break(True, margin=20)
        self.set_lang(lang)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font("Body", "", 8)
        self.set_text_color(90, 90, 90)
        self.set_y(10)
        self.cell(0, 5, self.doc_title, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, self.words["vendor"], align="R")
        self.line(self.l_margin, 16, self.w - self.r_margin, 16)
        self.set_text_color(0, 0, 0)
        self.set_y(22)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("Body", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, self.edition_label, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, self.words["page"].format(n=self.page_no(), nb="{nb}"), align="R")
        self.set_text_color(0, 0, 0)


def edition_label(front: dict[str, str], blocks: list) -> str:
    for kind, payload in blocks:
        if kind == "p" and re.match(r"^(Edition|Édition)\s*:", str(payload)):
            return str(payload)
    return front.get("edition", "")


def render(md_path: Path, pdf_path: Path) -> None:
    lang = md_path.stem
    front, blocks = parse(md_path.read_text(encoding="utf-8"))
    title = next(str(p) for k, p in blocks if k == "h1")
    label = edition_label(front, blocks)
    pdf = ServicePdf(title, label, lang)
    edition = dt.datetime.fromisoformat(front["edition"]).replace(tzinfo=dt.UTC)
    pdf.set_creation_date(edition)
    pdf.set_title(title)
    pdf.set_author(WORDING[lang]["vendor"])
    pdf.set_creator("svcdesc scripts/make_sample_corpus.py")
    pdf.set_producer("fpdf2")
    pdf.add_page()
    pdf.set_font("Body", "B", 10)
    pdf.set_text_color(31, 59, 87)
    pdf.cell(0, 6, WORDING[lang]["kind"], new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_text_color(0, 0, 0)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for kind, payload in blocks:
        if kind == "h1":
            pdf.set_font("Body", "B", 18)
            pdf.multi_cell(width, 9, str(payload), new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(2)
        elif kind in {"h2", "h3"}:
            pdf.ln(3)
            pdf.set_font("Body", "B", 13 if kind == "h2" else 11.5)
            pdf.multi_cell(width, 7, str(payload), new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(1)
        elif kind == "p":
            pdf.set_font("Body", "", 10)
            pdf.multi_cell(width, 5.2, str(payload), new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(2)
        elif kind == "li":
            pdf.set_font("Body", "", 10)
            pdf.set_x(pdf.l_margin + 4)
            pdf.cell(5, 5.2, "•")
            pdf.multi_cell(width - 9, 5.2, str(payload), new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(1)
        elif kind == "table":
            rows = payload  # type: ignore[assignment]
            n = len(rows[0])
            widths = (40, 60) if n == 2 else ((22, 58, 45, 45) if n == 4 and "Situation" in rows[0] else None)
            pdf.set_font("Body", "", 9)
            pdf.ln(1)
            with pdf.table(
                col_widths=widths,
                width=width if n > 2 else 100,
                align="LEFT",
                line_height=5,
                text_align="LEFT",
                first_row_as_headings=True,
                headings_style=FontFace(emphasis="BOLD", fill_color=(225, 231, 238)),
                repeat_headings=1,
                borders_layout="ALL",
            ) as table:
                for row in rows:
                    r = table.row()
                    for cell in row:
                        r.cell(cell)
            pdf.ln(3)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(pdf_path))


def main() -> int:
    made = 0
    for md in sorted(SOURCE.glob("*/*.md")):
        out = TARGET / md.parent.name / f"{md.stem}.pdf"
        render(md, out)
        print(f"wrote {out.relative_to(REPO)} ({out.stat().st_size} bytes)")
        made += 1
    return 0 if made else 1


if __name__ == "__main__":
    sys.exit(main())
