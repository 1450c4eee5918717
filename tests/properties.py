"""Shared set-up of the property-based tests: one fixed, derandomized hypothesis configuration
(the same examples in every run, so CI is deterministic), and the render-and-check step."""
from __future__ import annotations

from hypothesis import HealthCheck, settings

from generator.config import load_config
from generator.model import Article, Copy, Story
from generator.render import render_site
from render_helpers import CONFIG_PATH, rendered_problems

CONFIG = load_config(CONFIG_PATH)
PROPERTIES = settings(derandomize=True, database=None, deadline=None, print_blob=True,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                             HealthCheck.filter_too_much])


def assert_renders_safely(article: Article) -> None:
    """Publish the article as a story on its own and check every file of the site."""
    story = Story("s-property", (Copy(article, "original"),), topic="sora-in-hollywood")
    files = render_site(CONFIG, [story])
    assert rendered_problems(files) == []
