"""Lighthouse on the served site: Performance, Accessibility, Best Practices and SEO ≥ 0.95.

Runs on the home page, a topic page and an article page (about 15 s each). ``scripts/lighthouse.sh``
runs the same audit outside pytest and prints the table the README quotes.
"""
from __future__ import annotations

import shutil

import pytest

from site_tools import CHROMIUM, LIGHTHOUSE, lighthouse_scores, require

pytestmark = [pytest.mark.lighthouse, pytest.mark.browser]
PAGES = ["", "topics/sora-in-hollywood/", "articles/openai-wants-to-be-a-star/"]
BAR = 0.95


@pytest.mark.parametrize("relative", PAGES, ids=["home", "topic", "article"])
def test_lighthouse_scores_at_least_095_in_every_category(served, relative):
    require(LIGHTHOUSE, "lighthouse (npm ci)")
    require(CHROMIUM, "Chromium")
    require(shutil.which("node"), "Node.js")
    scores = lighthouse_scores(served.url(relative))
    assert {name: score for name, score in scores.items() if score < BAR} == {}, scores
