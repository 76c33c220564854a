#!/usr/bin/env bash
# The test suite. Installs the project (and Debian's chromium for the browser tests, when root).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "note: chromium could not be installed; browser tests will skip" >&2
fi
exec .venv/bin/python -m pytest -q -n 2 "$@"
