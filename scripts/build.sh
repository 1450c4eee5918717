#!/usr/bin/env bash
# The README's build command: the project's virtual environment (made on first use, see venv.sh),
# then `python -m generator build` in it. Arguments go to the build, e.g. --strict, --out DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
install_project .
exec "$PY" -m generator build "$@"
