"""YAML front matter of a docs-style Markdown file (``---`` fenced), made JSON-safe."""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import BadFrontMatter

_FENCE = re.compile(r"^(---|\.\.\.)\s*$")


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _front_matter(path: Path, lines: list[str]) -> tuple[dict[str, Any], int]:
    """(mapping, number of lines it spans) for a leading ``---`` block; BadFrontMatter if broken."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if end is None:
        raise BadFrontMatter(path, "front matter opened by '---' on line 1 is never closed")
    body = "\n".join(lines[1:end])
    try:
        if any(isinstance(ev, yaml.AliasEvent) for ev in yaml.parse(body)):  # alias bombs (security)
            raise BadFrontMatter(path, "YAML aliases (*name) are not accepted in front matter")
        data = yaml.safe_load(body) if body.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" on line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise BadFrontMatter(path, f"invalid YAML in front matter{where}: {problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BadFrontMatter(path, f"front matter is a {type(data).__name__}, not a mapping of keys")
    return _json_safe(data), end + 1
