#!/usr/bin/env bash
# The main job on the sample corpus: catalogs and the comparison site in out/site.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/svcdesc build corpus --out out/site --fail-on never "$@"
echo "Open out/site/index.html in a browser (or: python3 -m http.server -d out/site 8000)."
