"""The search index, the theme choice and the link check, as `python -m generator build` runs them."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.search import (BUNDLE, MANIFEST, PAGES, SearchError, index_site, indexed_pages, pagefind_executable,
                               pagefind_version, plan_shards)
from generator.search_stage import stage_kind
from generator.write import write_site
from site_tools import ROOT, SEEDS
from render_helpers import read_tree

BUNDLE_KEEPS = {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "index", "fragment"}


def shard_names(site: Path) -> list[str]:
    return json.loads((site / BUNDLE / MANIFEST).read_text())["shards"]


def page_counts(site: Path) -> dict[str, int]:
    """Each shard's count of indexed pages, by shard name, as its Pagefind entry says."""
    counts = {}
    for name in shard_names(site):
        entry = json.loads((site / BUNDLE / name / "pagefind-entry.json").read_text())
        assert list(entry["languages"]) == ["en"]  # one language, whatever each article's
        counts[name] = sum(language["page_count"] for language in entry["languages"].values())
    return counts


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
    articles = list((built / "articles").glob("*/index.html"))
    assert sum(page_counts(built).values()) == len(articles) == 5
    assert all(b"data-pagefind-body" in page.read_bytes() for page in articles)
    assert not any(b"data-pagefind-body" in p.read_bytes() for p in built.rglob("*.html") if "articles" not in p.parts)


def test_only_what_the_search_script_loads_is_kept(built):
    assert {p.name for p in (built / BUNDLE).iterdir()} == {MANIFEST, PAGES, *shard_names(built)}
    for shard in shard_names(built):
        names = {p.name for p in (built / BUNDLE / shard).iterdir()}
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
    write_pages(tmp_path, {"a": "one"})
    # Where the shard's bundle should go there is a file: Pagefind cannot write it and exits 101.
    (shard,) = plan_shards(indexed_pages(tmp_path), language="en", version=pagefind_version(), stage=stage_kind())
    (tmp_path / BUNDLE).mkdir()
    (tmp_path / BUNDLE / shard.name).write_text("in the way")
    with pytest.raises(SearchError, match="pagefind exited 101"):
        index_site(tmp_path, language="en", executable=executable)
    assert not (tmp_path / ".pagefind-stage").exists()


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


ARTICLE = ('<!doctype html><html lang="en"><head><title>{slug}</title></head><body>'
           '<nav><a href="/">{nav}</a></nav><article data-pagefind-body><h1>{slug}</h1><p>{text}</p></article>'
           '</body></html>')


def write_pages(site: Path, texts: dict[str, str], nav: str = "Home") -> None:
    """One article page per slug under ``articles/<slug>/``, and a page without an article."""
    for slug, text in texts.items():
        page = site / "articles" / slug / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(ARTICLE.format(slug=slug, text=text, nav=nav))
    (site / "index.html").write_text(f"<!doctype html><html><body><h1>{nav}</h1></body></html>")


TEXTS = {f"story-{n:02}": f"Harbour {word} report number {n}" for n, word in
         enumerate(["cranes", "ferries", "tides", "gulls", "nets", "quays", "buoys", "locks", "tugs", "piers"])}


def indexed(site: Path, previous: Path | None = None, per_shard: int = 2) -> Path:
    executable = pagefind_executable()
    assert executable is not None, "pagefind_bin is a dependency of the project"
    index_site(site, language="en", executable=executable, previous=previous, per_shard=per_shard)
    return site


def stamps(site: Path, shard: str) -> dict[str, tuple[int, int]]:
    """Each file of a shard's bundle with its inode and modification time."""
    folder = site / BUNDLE / shard
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def first(tmp_path) -> Path:
    write_pages(tmp_path / "first", TEXTS)
    return indexed(tmp_path / "first")


def test_the_index_is_kept_in_shards_that_hold_every_article_once(first):
    counts = page_counts(first)
    assert len(counts) >= 4 and sum(counts.values()) == len(TEXTS)


def test_an_edit_rebuilds_only_the_shard_of_the_edited_page(first, tmp_path):
    second = tmp_path / "second"
    write_pages(second, {**TEXTS, "story-03": "Harbour gulls report, corrected"})
    indexed(second, previous=first)
    before, after = shard_names(first), shard_names(second)
    changed = [(old, new) for old, new in zip(before, after) if old != new]
    assert len(before) == len(after) and len(changed) == 1
    for name in set(before) & set(after):  # the same files, linked from the old site: not written again
        assert stamps(second, name) == stamps(first, name)
    new = changed[0][1]
    assert not set(stamps(second, new).values()) & {v for name in before for v in stamps(first, name).values()}
    assert page_counts(second)[new] == page_counts(first)[changed[0][0]]


def test_a_change_outside_the_indexed_part_of_pages_rebuilds_no_shard(first, tmp_path):
    second = tmp_path / "second"
    write_pages(second, TEXTS, nav="Front page")  # every page's nav and the home page change
    indexed(second, previous=first)
    assert shard_names(second) == shard_names(first)
    assert all(stamps(second, name) == stamps(first, name) for name in shard_names(first))


def test_shards_are_the_same_bytes_from_the_same_pages(first, tmp_path):
    again = tmp_path / "again"
    write_pages(again, TEXTS)
    indexed(again)
    assert read_tree(again / BUNDLE) == read_tree(first / BUNDLE)


def test_a_site_without_articles_gets_an_empty_manifest(tmp_path):
    write_pages(tmp_path, {})
    assert shard_names(indexed(tmp_path)) == []


def test_pages_linked_from_the_previous_site_keep_their_keys_without_a_second_read(first, tmp_path):
    second = tmp_path / "second"
    shutil.copytree(first, second, copy_function=os.link, ignore=shutil.ignore_patterns(BUNDLE))
    edited = second / "articles" / "story-05" / "index.html"
    edited.unlink()  # written anew, as the write stage does with a changed page
    edited.write_text(ARTICLE.format(slug="story-05", text="Harbour quays, reopened", nav="Home"))
    assert indexed_pages(second, previous=first) == indexed_pages(second)
    assert indexed_pages(second, previous=first) != indexed_pages(first)

