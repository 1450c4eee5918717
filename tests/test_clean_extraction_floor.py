"""The ScrapingHub benchmark through the real build holds its F1 (a quality floor, no timing).

Runs ``../shared/tools/score_extraction.py`` (every benchmark page as a seed, each body read back
from its article page, scored by the benchmark's own ``evaluate.py``). Skipped where ``../shared``
is absent; CI has it. The floor is the figure the README reports, less nothing: a change to the
cleaner that loses text or keeps boilerplate on real pages fails here.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT.parent / "shared" / "tools" / "score_extraction.py"
BENCH = ROOT.parent / "shared" / "benchmarks" / "scrapinghub"
F1_FLOOR = 0.967
PR_FLOOR = 0.95


@pytest.mark.skipif(not TOOL.exists() or not BENCH.exists(), reason="../shared (the benchmark) is not here")
def test_scrapinghub_f1_holds_and_no_marked_page_is_rejected(tmp_path):
    out = tmp_path / "figures.json"
    done = subprocess.run([sys.executable, str(TOOL), "--python", sys.executable, "--work", str(tmp_path / "work"),
                           "--min-f1", str(F1_FLOOR), "--min-pr", str(PR_FLOOR), "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures, done.stdout
