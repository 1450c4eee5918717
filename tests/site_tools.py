"""What the browser and quality tests share: a real build served on localhost, and the tools.

Takes nothing but the repository: builds the seeds with ``python -m generator build`` for
``http://127.0.0.1:<port>/`` and serves the result with the preview server
(``generator.server.make_server``, which sends the site's security headers) in a thread.
Gives the served site's folder and base URL, Chromium's path and flags, and the paths of the
npm tools (axe-core, vnu-jar, lighthouse) installed by ``npm ci``. A missing tool skips its
tests, unless ``DIGEST_REQUIRE_TOOLS=1`` (set by ``scripts/test.sh``), where it fails them.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.server import make_server

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
NODE_MODULES = ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = NODE_MODULES / "lighthouse" / "cli" / "index.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# Chromium as root in a container, with nothing reaching out to the network on its own.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]


def require(path: str | Path | None, what: str) -> None:
    """Skip (or, under DIGEST_REQUIRE_TOOLS=1, fail) when a tool the test needs is missing."""
    if path and Path(path).exists():
        return
    message = f"{what} is not installed ({path}); scripts/test.sh installs it"
    if os.environ.get("DIGEST_REQUIRE_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def playwright_api():
    """``playwright.sync_api``, or a skip (a failure under DIGEST_REQUIRE_TOOLS=1) without it."""
    try:
        from playwright import sync_api
    except ImportError:
        require(None, "playwright (pip install -e '.[test]')")
    return sync_api


def java() -> str | None:
    return shutil.which("java")


@dataclass
class ServedSite:
    folder: Path
    base_url: str

    def url(self, relative: str = "") -> str:
        return self.base_url + relative


def build(out: Path, base_url: str, *extra: str) -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--seeds", str(SEEDS),
                             "--out", str(out), "--base-url", base_url, *extra],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def serve(out: Path, *extra: str, sub_path: str = ""):
    """Build the seeds for a free localhost port and serve them; yields a ServedSite.

    The server's root is ``out``; the site is built into ``out/<sub_path>`` for
    ``http://127.0.0.1:<port>/<sub_path>``, so a sub-path deployment can be tried too."""
    out.mkdir(parents=True, exist_ok=True)
    server = make_server(out, "127.0.0.1", 0)
    base_url = f"http://127.0.0.1:{server.server_address[1]}/{sub_path}"
    build(out / sub_path, base_url, *extra)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ServedSite(out / sub_path, base_url)
    finally:
        server.shutdown()
        server.server_close()


LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse_scores(url: str) -> dict[str, float]:
    """Lighthouse's four category scores (0 to 1) for one page, with its default mobile settings."""
    with tempfile.TemporaryDirectory() as profile:
        flags = " ".join(["--headless=new", *CHROMIUM_FLAGS, f"--user-data-dir={profile}"])
        result = subprocess.run(
            ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output-path=stdout",
             f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}", f"--chrome-flags={flags}"],
            capture_output=True, text=True, timeout=300, env={**os.environ, "CHROME_PATH": CHROMIUM})
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    return {name: report["categories"][name]["score"] for name in LIGHTHOUSE_CATEGORIES}
