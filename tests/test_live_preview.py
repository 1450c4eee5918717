"""serve's preview of an edit (live_preview.py, live.LiveSite.preview): the edited story's article
pages, served before the build that regroups everything, are the very bytes that build writes;
an edit a preview cannot promise that for (a new title) gives none, and the build answers alone."""
from __future__ import annotations

import shutil
import time
from argparse import Namespace
from pathlib import Path

import pytest

from generator.live import Hub, LiveSite
from test_live import clean_build, edit
from render_helpers import read_tree

ROOT = Path(__file__).resolve().parents[1]
SEED = "002_e05194bb93bbc408.txt"
ARTICLE = "articles/openai-wants-to-be-a-star/index.html"


@pytest.fixture
def site(tmp_path):
    """A serve session's LiveSite on a copy of the project, built once and indexed for previews."""
    for name in ("seeds", "content", "themes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "digest.toml", tmp_path)
    args = Namespace(config=tmp_path / "digest.toml", seeds=tmp_path / "seeds", out=tmp_path / "site", theme=None)
    live = LiveSite(args, Hub(), base_url="http://127.0.0.1:8765/")
    try:
        live.build()
        live.settle()
        live.index()
        yield tmp_path, live
    finally:
        live.close()


def test_an_edited_body_is_previewed_with_the_bytes_the_build_then_writes(site):
    project, live = site
    before = read_tree(project / "site")
    edit(project / "seeds" / SEED, "These discussions are only the latest round",
         "These talks, says a second source, are only the newest round")
    live.preview(1, {str(project / "seeds" / SEED)}, time.perf_counter())

    previewed = dict(live.hub.overlay.files)
    assert b"says a second source" in previewed[ARTICLE]  # the edited article's page, at once
    # the story's other copies' pages too; nothing else of the site (its topic page waits for the build)
    assert len(previewed) > 1 and all(path.startswith("articles/") for path in previewed)
    assert read_tree(project / "site") == before  # the folder is not touched

    live.rebuild(covers=1)
    live.settle()
    after = read_tree(project / "site")
    assert {path: after[path] for path in previewed} == previewed  # byte for byte the build's pages
    assert live.hub.overlay is None  # the build holding the change was shown: the preview is gone
    assert after == clean_build(project, live.base_url)


def test_a_new_title_gives_no_preview_and_the_build_answers_alone(site):
    project, live = site
    edit(project / "seeds" / SEED, "OpenAI wants to be a star", "OpenAI wants to be a rock star")
    live.preview(1, {str(project / "seeds" / SEED)}, time.perf_counter())
    assert live.hub.overlay is None  # a new title is a new address: only the whole build can say which


def test_a_change_outside_the_seeds_gives_no_preview(site):
    project, live = site
    (project / "themes" / "default" / "templates" / "article.html").write_text("{{ copy.title }}", encoding="utf-8")
    live.preview(1, {str(project / "themes" / "default" / "templates" / "article.html")}, time.perf_counter())
    assert live.hub.overlay is None
