"""Bounded memory for a worker that runs thousands of tasks: its text caches are trimmed between tasks.

The tool memoises pure functions of a text (``functools.lru_cache(maxsize=65536)``: folding,
cleaning, similarity, alignment scores). Within a task and across the similar tasks that follow (the
editions of one document) they save much work, but each may hold 65,536 texts: a worker of a
2,000-edition build would end up carrying several such caches full, so its memory would grow with
the corpus until they fill. After each task (:func:`trim`), a size-bounded cache holding more than
:data:`TRIM_ABOVE` entries is emptied; caches without a bound (the lexicons, loaded once) are kept.
Outputs do not depend on it: the cached functions are pure.
"""

from __future__ import annotations

import sys
from typing import Any

#: A cache holding more entries than this after a task is emptied (about 10 MB of texts per cache).
TRIM_ABOVE = 8192

_found: tuple[int, list[Any]] = (-1, [])


def _caches() -> list[Any]:
    """The size-bounded caches of the tool's loaded modules (looked for again when modules were loaded)."""
    global _found
    loaded = len(sys.modules)
    if _found[0] != loaded:
        seen: dict[int, Any] = {}
        for name, module in list(sys.modules.items()):
            if name != "pipeline" and not name.startswith("pipeline."):
                continue
            for obj in list(vars(module).values()):
                info = getattr(obj, "cache_info", None)
                if callable(info) and callable(getattr(obj, "cache_clear", None)) and info().maxsize:
                    seen[id(obj)] = obj
        _found = (loaded, list(seen.values()))
    return _found[1]


def trim() -> None:
    """Empty every size-bounded cache holding more than :data:`TRIM_ABOVE` entries."""
    for cache in _caches():
        if cache.cache_info().currsize > TRIM_ABOVE:
            cache.cache_clear()
