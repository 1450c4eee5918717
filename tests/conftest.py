"""Fixtures for the tests that need a served site and a real browser (see ``site_tools``)."""
from __future__ import annotations

import pytest

from site_tools import CHROMIUM, CHROMIUM_FLAGS, require, serve


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """The seeds built with the default theme and served on localhost with the site's headers."""
    yield from serve(tmp_path_factory.mktemp("served") / "site")


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM, "Chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()
