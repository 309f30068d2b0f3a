#!/usr/bin/env bash
# Write tests/constraints.txt, the lock that tests/run.sh installs under: the newest releases
# of everything the tool and its tests use, resolved in a new virtual environment. Run it to
# move the lock forward (after `bash tests/run.sh --latest` passes), then commit the file.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q --upgrade pip
"$tmp/venv/bin/python" -m pip install -q '.[test]'
{
  echo "# The test environment's lock: tests/run.sh installs under it, so a fresh clone gets"
  echo "# the libraries CI passed with. Made by tests/lock.sh (Python $("$tmp/venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])'))."
  "$tmp/venv/bin/python" -m pip freeze --all --exclude-editable \
    | grep -viE '^(pip|setuptools|timeline-generator)(==| @)' | LC_ALL=C sort -f
} > tests/constraints.txt.new
mv tests/constraints.txt.new tests/constraints.txt
echo "tests/constraints.txt: $(grep -vc '^#' tests/constraints.txt) packages"
