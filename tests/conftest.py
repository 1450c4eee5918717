"""Fixtures for the tests that need a served site and a real browser (see ``site_tools``)."""
from __future__ import annotations

import pytest

from site_tools import CHROMIUM, CHROMIUM_FLAGS, playwright_api, require, serve


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """The seeds built with the default theme and served on localhost with the site's headers."""
    yield from serve(tmp_path_factory.mktemp("served") / "site")


@pytest.fixture(scope="session")
def served_newsletter(tmp_path_factory):
    """The same site with the newsletter theme."""
    yield from serve(tmp_path_factory.mktemp("served-newsletter") / "site", "--theme", "newsletter")


@pytest.fixture(params=["default", "newsletter"])
def served_theme(request):
    """Each theme's site in turn."""
    return request.getfixturevalue("served" if request.param == "default" else "served_newsletter")


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM, "Chromium")
    sync_api = playwright_api()
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()
