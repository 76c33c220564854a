"""Component ``sections``: reads heading blocks, writes the section tree and block -> section map.

Section ids are the slug of the section number ("2.1" -> "2-1") or of the title, made unique
within the edition; ``parent`` is the nearest earlier heading of a lower level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.extract.model import BlockKind, Document
from pipeline.normalize.ids import unique
from pipeline.normalize.model import Section
from pipeline.textutil import clean_text, slugify

_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(?=\S)")


@dataclass
class SectionMap:
    sections: list[Section] = field(default_factory=list)
    #: section id of every block (None before the first heading)
    block_section: list[str | None] = field(default_factory=list)
    #: block index of each section's heading
    heading_block: dict[str, int] = field(default_factory=dict)

    def is_subtitle(self, section: Section) -> bool:
        """A heading right under the title heading, with no text between ("Service Description Supplement")."""
        parent = self.by_id(section.parent)
        return (
            parent is not None
            and parent.parent is None
            and self.heading_block.get(section.id, -1) == self.heading_block.get(parent.id, -9) + 1
        )

    def by_id(self, section_id: str | None) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def path(self, section_id: str | None) -> list[Section]:
        """Ancestors then the section itself, root first."""
        index = {s.id: s for s in self.sections}
        out: list[Section] = []
        seen: set[str] = set()
        while section_id and section_id in index and section_id not in seen:
            seen.add(section_id)
            out.append(index[section_id])
            section_id = index[section_id].parent
        return list(reversed(out))


def split_number(title: str, number: str | None) -> tuple[str | None, str]:
    title = clean_text(title)
    if number:
        stripped = re.sub(rf"^{re.escape(number)}\.?\s+", "", title)
        return number, stripped or title
    m = _NUMBER.match(title)
    if m and len(title) > len(m.group(0)):
        return m.group(1), title[m.end() :]
    return None, title


def build_sections(doc: Document) -> SectionMap:
    out = SectionMap()
    taken: set[str] = set()
    stack: list[Section] = []
    current: str | None = None
    for block in doc.blocks:
        if block.kind == BlockKind.heading and clean_text(block.text):
            number, title = split_number(block.text, block.section_number)
            level = block.level or (number.count(".") + 1 if number else 1)
            while stack and stack[-1].level >= level:
                stack.pop()
            sid = unique(slugify(number) if number else slugify(title, max_len=48), taken)
            section = Section(
                id=sid,
                number=number,
                title=title,
                level=level,
                parent=stack[-1].id if stack else None,
                prov=list(block.prov),
            )
            out.sections.append(section)
            out.heading_block[sid] = len(out.block_section)
            stack.append(section)
            current = sid
        out.block_section.append(current)
    return out
