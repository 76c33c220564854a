"""Resource limits for untrusted input. All configurable; defaults documented in SECURITY.md."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Limits(BaseModel):
    max_bytes: int = Field(default=100 * 1024 * 1024, description="largest input file accepted")
    max_pages: int = Field(default=2000, description="most PDF pages read from one file")
    timeout_s: float = Field(default=300.0, description="wall-clock budget for one document in a build")
    max_line_chars: int = Field(default=1_000_000, description="longest Markdown/text line kept whole")
    max_nesting: int = Field(default=50, description="deepest list/quote nesting kept")


DEFAULT_LIMITS = Limits()
