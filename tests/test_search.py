"""The search index, the theme choice and the link check, as `python -m generator build` runs them."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.search import SearchError, index_site, pagefind_executable
from generator.write import write_site
from site_tools import ROOT, SEEDS
from render_helpers import read_tree

BUNDLE_KEEPS = {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "index", "fragment"}


def build(*args: str, python: str | None = None) -> subprocess.CompletedProcess:
    """Run the build; ``python`` replaces the usual ``-m generator`` entry (e.g. without Pagefind)."""
    command = [sys.executable, "-c", python, *args] if python else [sys.executable, "-m", "generator", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("search") / "site"
    result = build("build", "--seeds", str(SEEDS), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_the_build_indexes_every_article_page_and_nothing_else(built):
    entry = json.loads((built / "pagefind" / "pagefind-entry.json").read_text())
    articles = list((built / "articles").glob("*/index.html"))
    assert sum(language["page_count"] for language in entry["languages"].values()) == len(articles) == 5
    assert list(entry["languages"]) == ["en"]  # one index, whatever each article's language
    assert all(b"data-pagefind-body" in page.read_bytes() for page in articles)
    assert not any(b"data-pagefind-body" in p.read_bytes() for p in built.rglob("*.html") if "articles" not in p.parts)


def test_only_what_the_search_script_loads_is_kept(built):
    names = {p.name for p in (built / "pagefind").iterdir()}
    assert BUNDLE_KEEPS <= names
    assert not any("-ui" in name or "highlight" in name for name in names)


def test_the_index_is_the_same_bytes_on_every_build(built, tmp_path):
    again = tmp_path / "again"
    assert build("build", "--seeds", str(SEEDS), "--out", str(again)).returncode == 0
    assert read_tree(again / "pagefind") == read_tree(built / "pagefind")
    assert read_tree(again) == read_tree(built)


WITHOUT_PAGEFIND = ("import sys; sys.modules['pagefind_bin'] = None\n"
                    "from generator.cli import main; sys.exit(main(sys.argv[1:]))")


def test_without_pagefind_the_build_warns_once_and_publishes_without_search(tmp_path):
    out = tmp_path / "site"
    result = build("build", "--seeds", str(SEEDS), "--out", str(out), python=WITHOUT_PAGEFIND)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "pagefind_bin" in line]
    assert warnings == ["warning: pagefind_bin is not installed, so the site is built without a search "
                        "index (python -m pip install pagefind_bin)"]
    assert not (out / "pagefind").exists()
    assert (out / "search" / "index.html").is_file()


def test_pagefind_failing_is_a_search_error(tmp_path):
    executable = pagefind_executable()
    assert executable is not None, "pagefind_bin is a dependency of the project"
    with pytest.raises(SearchError, match="pagefind exited 1"):
        index_site(tmp_path, language="en", executable=executable)


def test_a_failing_post_process_leaves_the_previous_site(tmp_path):
    out = tmp_path / "site"
    write_site({"index.html": b"old"}, out)

    def fails(folder: Path) -> None:
        (folder / "half-written").write_text("x")
        raise SearchError("search index: pagefind exited 1")

    with pytest.raises(SearchError):
        write_site({"index.html": b"new"}, out, post_process=fails)
    assert (out / "index.html").read_bytes() == b"old" and not (out / "half-written").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_theme_flag_builds_with_the_newsletter_theme(tmp_path):
    out = tmp_path / "site"
    result = build("build", "--seeds", str(SEEDS), "--out", str(out), "--theme", "newsletter")
    assert result.returncode == 0, result.stderr
    assert b'<header class="masthead">' in (out / "index.html").read_bytes()
    assert b".masthead" in (out / "static" / "style.css").read_bytes()


def test_a_broken_internal_link_fails_the_build_with_a_list(tmp_path, built):
    site = tmp_path / "project"
    site.mkdir()
    shutil.copy(ROOT / "digest.toml", site / "digest.toml")
    shutil.copytree(ROOT / "content", site / "content")
    (site / "templates").mkdir()
    (site / "templates" / "about.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>About</h1>'
        '<p><a href="{{ site.home }}no-such-page/">gone</a> <a href="#nowhere">here</a></p>{% endblock %}')
    out = tmp_path / "site"
    shutil.copytree(built, out)
    result = build("build", "--seeds", str(SEEDS), "--out", str(out), "--config", str(site / "digest.toml"))
    assert result.returncode == 1
    assert "2 broken internal link(s)" in result.stderr
    assert "about/index.html: <a> '/no-such-page/': no such file in the site" in result.stderr
    assert "about/index.html: <a> '#nowhere': no element with id 'nowhere' in about/index.html" in result.stderr
    assert read_tree(out) == read_tree(built)  # the previous site is untouched
