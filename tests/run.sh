#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, then run the whole suite.
# Usage: bash tests/run.sh [--latest] [--quick] [pytest arguments]
#   (default)  the libraries pinned in tests/constraints.txt (the lock), in .venv
#   --latest   today's newest releases of every library, in .venv-latest: a library's change
#              shows up here as a failing run, not as a surprise on a fresh clone
#   --quick    lint, types and the tests that need neither a browser nor a large site or
#              slow tool (the `browser` and `slow` marks, set in tests/conftest.py): the run
#              before each commit
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
pins=(--constraint tests/constraints.txt)
tier=()
while [ $# -gt 0 ]; do
  case "$1" in
    --latest) venv=.venv-latest; pins=(--upgrade --upgrade-strategy eager) ;;
    --quick) tier=(-m "not browser and not slow") ;;
    *) break ;;
  esac
  shift
done

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

# axe-core (accessibility rules), vnu-jar (the Nu HTML Checker), the browser editor
# (decap-cms, decap-server) and world-atlas (the map's shapes, compared with the tool's
# copy), pinned in package-lock.json: installed again whenever the lock changes.
npm_wanted="$(sha256sum package-lock.json)"
if [ "$(cat node_modules/.tests-installed 2>/dev/null)" != "$npm_wanted" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  printf '%s' "$npm_wanted" >node_modules/.tests-installed
fi

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
# pip takes seconds even with nothing to do: it runs again only when what it installs from
# changed (the pins, the project's dependencies), and always for --latest.
stamp="$venv/.tests-installed"
wanted="${pins[*]} $(cat pyproject.toml tests/constraints.txt | sha256sum)"
if [ "$venv" = .venv-latest ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  "$venv/bin/python" -m pip install -q --upgrade pip >/dev/null
  "$venv/bin/python" -m pip install -q "${pins[@]}" -e '.[test]'
  printf '%s' "$wanted" >"$stamp"
fi

"$venv/bin/python" -m ruff check generator tests bench
"$venv/bin/python" -m mypy
# pytest caches each test module's rewritten asserts as bytecode (in tests/__pycache__, which
# git ignores); without that cache every run parses the whole suite again (seconds).
unset PYTHONDONTWRITEBYTECODE
# The tests' temporary folders in memory (tmpfs) when it has room and TMPDIR is not set:
# every build syncs its state file to disk, and on a busy disk the syncs were most of the
# wall time (tests/test_safety.py: 155 s on disk, 22 s in memory, same load). A test's
# folder is removed once it passed, so memory holds only the ones in use and the failures.
kept=()
shm_free=$(df --output=avail -k /dev/shm 2>/dev/null | tail -n 1 | tr -d ' ' || true)
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] \
    && [ "${shm_free:-0}" -gt 4000000 ] 2>/dev/null; then
  export TMPDIR=/dev/shm
  kept=(-o tmp_path_retention_policy=failed)
fi
# On every core (pytest-xdist): a file's tests stay together on one worker (tests/conftest.py).
exec "$venv/bin/python" -m pytest -q -n auto --dist loadgroup ${kept[@]+"${kept[@]}"} \
  ${tier[@]+"${tier[@]}"} "$@"
