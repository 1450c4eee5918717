#!/usr/bin/env bash
# The README's test command: install the project with its test extra, then run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -e '.[test]'
python -m pytest -q "$@"
