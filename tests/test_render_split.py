"""The render in two processes: the site a helper process renders the article pages of is the one
a single process renders, the next build reuses its pages, and its errors are the build's."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from generator import build as pipeline
from generator.config import load_config
from generator.render import split
from render_helpers import read_tree

ROOT = Path(__file__).resolve().parents[1]


def project(folder: Path) -> Path:
    for name in ("seeds", "content", "themes"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "digest.toml", folder)
    return folder


def build(folder: Path, use_cache: bool = True) -> str:
    """The build's verbose stage lines; the site goes to ``folder / "site"``."""
    config = load_config(folder / "digest.toml")
    builder = pipeline.make_builder(config, use_cache=use_cache)
    pipeline.build(config, pipeline.BuildRequest(folder / "seeds", folder / "site"), builder)
    return "\n".join(str(line) for line in builder.timings.stages)


def recorded_starts(monkeypatch) -> list[int]:
    """The pids of the helpers started from now on, with any corpus size and core count counting
    as worth it (the sample corpus is far below ``SPLIT_MIN``, the test machine may have one core)."""
    from generator import parallel

    started = []
    real = split.start

    def start(*args):
        helper = real(*args)
        started.append(helper.pid)
        return helper

    monkeypatch.setattr(split, "SPLIT_MIN", 1)
    monkeypatch.setattr(split, "start", start)
    monkeypatch.setattr(parallel, "usable_cores", lambda: 2)
    return started


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """Split every render that has most pages to make; the helpers' pids."""
    started = recorded_starts(monkeypatch)
    monkeypatch.setattr(split, "worth_splitting", lambda ctx, n: ctx.memo is None or not ctx.units.last)
    return started


def one_process(monkeypatch, work):
    with monkeypatch.context() as patch:
        patch.setattr(split, "worth_splitting", lambda ctx, n: False)
        return work()


def test_a_site_whose_article_pages_a_helper_rendered_is_the_one_process_site(tmp_path, forks, monkeypatch):
    one = project(tmp_path / "one")
    split_off = project(tmp_path / "two")
    one_process(monkeypatch, lambda: build(one))
    assert not forks
    build(split_off)
    assert forks and forks[0] != os.getpid()
    assert read_tree(split_off / "site") == read_tree(one / "site")
    article_pages = [p for p in read_tree(split_off / "site") if p.startswith("articles/")]
    assert article_pages  # the helper's pages are there, and the build's link check took them


def test_the_build_after_a_split_render_reuses_the_helpers_pages(tmp_path, forks):
    folder = project(tmp_path / "site-project")
    build(folder)
    assert len(forks) == 1
    stages = build_after_edit(folder)
    rendered, unchanged = map(int, re.search(r"(\d+) pages rendered, (\d+) unchanged", stages).groups())
    assert len(forks) == 1 and 0 < rendered < unchanged  # the article units the helper made were carried
    again = project(tmp_path / "clean")
    shutil.copy(folder / "seeds" / "002_e05194bb93bbc408.txt", again / "seeds")
    build(again, use_cache=False)
    assert read_tree(folder / "site") == read_tree(again / "site")


def build_after_edit(folder: Path) -> str:
    seed = folder / "seeds" / "002_e05194bb93bbc408.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("A big, bright", "A huge, bright"), encoding="utf-8")
    return build(folder)


def test_an_error_in_the_article_template_is_the_one_a_single_process_raises(tmp_path, forks, monkeypatch):
    folder = project(tmp_path / "broken")
    article = folder / "themes/default/templates/article.html"
    article.write_text(article.read_text(encoding="utf-8").replace("{{ copy.title }}", "{{ copy.no_such_field }}"),
                       encoding="utf-8")
    with pytest.raises(pipeline.BuildFailed) as split_error:
        build(folder, use_cache=False)
    assert forks
    with pytest.raises(pipeline.BuildFailed) as one_error:
        one_process(monkeypatch, lambda: build(folder, use_cache=False))
    assert str(split_error.value) == str(one_error.value) and "article.html" in str(one_error.value)
    assert not (folder / "site").exists()  # nothing was written


def test_a_build_splits_its_render_only_when_the_environment_asks(tmp_path, monkeypatch):
    """Off by default (the helper's copied pages raise the peak); ``DIGEST_RENDER_SPLIT=1`` turns
    it on: the helper's pid is seen, and the site is the one-process site."""
    from generator import parallel

    started = recorded_starts(monkeypatch)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)  # a thread an earlier test left must not decide it
    monkeypatch.delenv(split.SWITCH, raising=False)
    build(project(tmp_path / "off"), use_cache=False)
    assert started == []
    monkeypatch.setenv(split.SWITCH, "1")
    build(project(tmp_path / "on"), use_cache=False)
    assert len(started) == 1
    assert read_tree(tmp_path / "on" / "site") == read_tree(tmp_path / "off" / "site")
