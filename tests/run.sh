#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, then run the whole suite.
# Usage: bash tests/run.sh [--latest] [pytest arguments]
#   (default)  the libraries pinned in tests/constraints.txt (the lock), in .venv
#   --latest   today's newest releases of every library, in .venv-latest: a library's change
#              shows up here as a failing run, not as a surprise on a fresh clone
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
pins=(--constraint tests/constraints.txt)
if [ "${1:-}" = "--latest" ]; then
  shift
  venv=.venv-latest
  pins=(--upgrade --upgrade-strategy eager)
fi

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
command -v git >/dev/null 2>&1 || need_apt+=(git)
# Hangul in the screenshots of /ko/ (tests/test_i18n_browser.py), not boxes.
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need_apt+=(fonts-noto-cjk)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# axe-core (accessibility rules), vnu-jar (the Nu HTML Checker) and the browser editor
# (decap-cms, decap-server), pinned in package.json.
if [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] \
    || [ ! -f node_modules/decap-cms/dist/decap-cms.js ] \
    || [ ! -f node_modules/decap-server/dist/index.js ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --upgrade pip >/dev/null
"$venv/bin/python" -m pip install -q "${pins[@]}" -e '.[test]'

"$venv/bin/python" -m ruff check generator tests bench
"$venv/bin/python" -m mypy
exec "$venv/bin/python" -m pytest -q "$@"
