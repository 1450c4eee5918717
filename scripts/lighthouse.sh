#!/usr/bin/env bash
# Lighthouse on the home page, a topic page and an article page of the seeds build, served on
# localhost with the site's security headers; prints the README's "Quality" table.
# Needs what scripts/test.sh installs (Chromium, npm ci). Takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHONPATH=tests python - 2> >(grep -v '^127.0.0.1 ' >&2) <<'PY'
import tempfile
from pathlib import Path

from site_tools import LIGHTHOUSE_CATEGORIES, lighthouse_scores, serve

PAGES = {"home": "", "topic": "topics/sora-in-hollywood/", "article": "articles/openai-wants-to-be-a-star/"}
with tempfile.TemporaryDirectory() as tmp:
    site = serve(Path(tmp) / "site")
    served = next(site)
    print("| page | " + " | ".join(LIGHTHOUSE_CATEGORIES) + " |")
    print("|---|" + "---|" * len(LIGHTHOUSE_CATEGORIES))
    for name, relative in PAGES.items():
        scores = lighthouse_scores(served.url(relative))
        print(f"| {name} (`/{relative}`) | " + " | ".join(f"{scores[c]:.2f}" for c in LIGHTHOUSE_CATEGORIES) + " |")
    site.close()
PY
