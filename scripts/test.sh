#!/usr/bin/env bash
# The README's test command: install everything the tests need, then run every test.
# - the project with its test extra (pytest, hypothesis, playwright; pagefind_bin is a dependency),
#   in the project's virtual environment (made on first use: scripts/venv.sh);
# - from Debian, when missing: Chromium (the browser tests drive /usr/bin/chromium; no browser is
#   downloaded) and a Java runtime (the Nu HTML Checker);
# - from npm, pinned by package-lock.json: axe-core, vnu-jar, lighthouse (skipped when unchanged).
# Idempotent and quiet; tools it could not install make their tests fail, not skip.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "installing from Debian: ${missing[*]}" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "warning: not root, cannot install ${missing[*]}; their tests will fail" >&2
    fi
fi

source scripts/venv.sh
install_project '.[test]'

stamp=node_modules/.digest-lock-sha256
wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
    echo "$wanted" > "$stamp"
fi

export DIGEST_REQUIRE_TOOLS=1
"$PY" -m pytest -q "$@"
