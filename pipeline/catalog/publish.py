"""Placing files in the new OUT, reusing what the previous build already wrote.

Every published file has a *recipe*: the blob it is a copy of (``blob:<sha256>``), or the key of
everything a generated file is made from (a catalog, a document's page). OUT keeps a manifest
(``.svcdesc-manifest.json``: path -> recipe, sha256, size). The next build computes the recipe of
every file it would publish; a file whose recipe did not change is hard-linked from the previous
OUT instead of rewritten (a link is never written through: new content always goes to a new file),
and when no recipe changed at all the build leaves OUT as it is. The manifest holds no time and no
absolute path, so a rebuild and a cold build publish the same bytes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from pipeline.catalog import store
from pipeline.fsutil import safe_join
from pipeline.hashing import sha256_bytes, sha256_file

MANIFEST = ".svcdesc-manifest.json"
_PAGE = re.compile(r"\.p\d+\.html")
MANIFEST_VERSION = 1


def load_manifest(out: Path) -> dict[str, list]:
    """The previous build's manifest (empty when missing, torn or foreign: nothing is reused)."""
    try:
        data = json.loads((out / MANIFEST).read_bytes())
        if (
            isinstance(data, dict)
            and data.get("version") == MANIFEST_VERSION
            and isinstance(data.get("files"), dict)
        ):
            return {
                k: v for k, v in data["files"].items()
                if isinstance(v, list) and len(v) == 3 and isinstance(v[0], str) and isinstance(v[2], int)
            }  # fmt: skip
    except (OSError, ValueError):
        pass
    return {}


def key(*parts: object) -> str:
    return sha256_bytes("\x00".join(str(p) for p in parts).encode("utf-8"))


def write_file(path: Path, data: bytes) -> None:
    """Plain write into the build's temp folder (it is synced once before the swap)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)


class Publisher:
    def __init__(self, tmp: Path | None, out: Path, store_root: str) -> None:
        self.tmp, self.out, self.store = tmp, out, store_root
        self.old = load_manifest(out)
        self.files: dict[str, list] = {}
        self.reused = self.written = 0

    def unchanged(self, rel: str, recipe: str) -> bool:
        old = self.old.get(rel)
        if not old or old[0] != recipe:
            return False
        try:
            return (self.out / rel).stat().st_size == old[2]
        except OSError:
            return False

    def continuations(self, rel: str, recipe: str) -> list[str]:
        """The further pages (``<stem>.p2.html`` …) the previous build made with ``rel``."""
        if not rel.endswith(".html"):
            return []
        stem = rel[: -len(".html")]
        return sorted(
            p for p, v in self.old.items()
            if p.startswith(stem + ".p") and _PAGE.fullmatch(p[len(stem) :]) and v[0] == recipe
        )  # fmt: skip

    def same_as_before(self, planned: dict[str, str]) -> bool:
        """Every planned file is in OUT with the same recipe, and OUT holds nothing else of ours."""
        if not all(self.unchanged(p, r) for p, r in planned.items()):
            return False
        extra = {c for p, r in planned.items() for c in self.continuations(p, r) if c not in planned}
        return set(planned) | extra == set(self.old) and all(self.unchanged(c, self.old[c][0]) for c in extra)

    def _link(self, rel: str) -> None:
        assert self.tmp is not None
        dst = safe_join(self.tmp, *rel.split("/"))
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(self.out / rel, dst)
        except OSError:
            shutil.copyfile(self.out / rel, dst)
        self.files[rel] = list(self.old[rel])
        self.reused += 1

    def place(self, rel: str, recipe: str, make: Callable[[Path], list[str] | None]) -> None:
        """``rel`` in the new OUT: linked from the previous OUT when its recipe is unchanged, else
        made. ``make`` may write further pages beside it and return their paths (relative to OUT)."""
        assert self.tmp is not None
        if self.unchanged(rel, recipe):
            for p in [rel, *self.continuations(rel, recipe)]:
                self._link(p)
            return
        dst = safe_join(self.tmp, *rel.split("/"))
        extras = make(dst) or []
        for p in [rel, *extras]:
            path = safe_join(self.tmp, *p.split("/"))
            self.files[p] = [recipe, sha256_file(path), path.stat().st_size]
            self.written += 1

    def blob(self, rel: str, blob: tuple[str, int]) -> None:
        """A copy of a stored blob (an edition JSON, a report page)."""
        sha = blob[0]
        self.place(rel, f"blob:{sha}", lambda dst: write_file(dst, store.get_blob(self.store, sha)))

    def finish(self) -> None:
        assert self.tmp is not None
        body = {"version": MANIFEST_VERSION, "files": dict(sorted(self.files.items()))}
        write_file(self.tmp / MANIFEST, (json.dumps(body, sort_keys=True, indent=0) + "\n").encode())
