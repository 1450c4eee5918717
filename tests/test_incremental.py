"""Incremental builds give exactly the bytes of a clean build, and skip all they can."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from generator import parallel
from generator import build as pipeline
from generator.config import load_config
from render_helpers import read_tree

ROOT = Path(__file__).resolve().parents[1]
DEV_SEEDS = ROOT.parent / "shared" / "corpus" / "dev" / "seeds"


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


def clean_build(project: Path) -> dict[str, bytes]:
    """The site as the plain pipeline makes it: no cache, no memo, nothing reused; written to a
    new folder with the search index every build adds."""
    config = load_config(project / "digest.toml")
    out = project / "clean-site"
    shutil.rmtree(out, ignore_errors=True)
    pipeline.build(config, pipeline.BuildRequest(project / "seeds", out), pipeline.make_builder(config, use_cache=False))
    return read_tree(out)


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("digest-cache")


@pytest.fixture
def project(tmp_path, shared_cache) -> Path:
    """A copy of the project; its cache is shared by the tests (keys are content, not places),
    so only the first build cleans the seeds, as a curator's second build would not."""
    for name in ("seeds", "content", "themes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "digest.toml", tmp_path)
    (tmp_path / ".digest-cache").symlink_to(shared_cache, target_is_directory=True)
    return tmp_path


def build(project: Path, *args: str) -> subprocess.CompletedProcess:
    result = run(project, "build", *args)
    assert result.returncode == 0, result.stderr
    return result


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


CHANGES = {
    "a seed edited": lambda p: edit(p / "seeds/002_e05194bb93bbc408.txt", "A big, bright", "A huge, bright"),
    "a template edited": lambda p: edit(p / "themes/default/templates/article.html", "Other copies", "More copies"),
    "a topic renamed": lambda p: edit(p / "digest.toml", 'title = "Sora in Hollywood"', 'title = "Sora and Hollywood"'),
    "a stylesheet edited": lambda p: (p / "themes/default/static/style.css").open("a").write("\n/* more */\n"),
    "a seed removed": lambda p: (p / "seeds/001_9fec45a6e63bf252.txt").unlink(),
    "a seed edited, one removed and one added at once": lambda p: (
        edit(p / "seeds/002_e05194bb93bbc408.txt", "A huge, bright", "An immense, bright"),
        (p / "seeds/003_d644b2a4013b7dbd.txt").unlink(),
        shutil.copy(sorted(DEV_SEEDS.iterdir())[0], p / "seeds")),
}


NOTE = "---\nfile: 003_d644b2a4013b7dbd.txt\n---\nWhy it matters: the first studio *on the record*.\n"
NOTE_CHANGES = {
    "a note added": lambda p: ((p / "content/notes").mkdir(), (p / "content/notes/why.md").write_text(NOTE)),
    "a note edited": lambda p: edit(p / "content/notes/why.md", "on the record", "to say so"),
    "a note moved to another story": lambda p: edit(p / "content/notes/why.md", "003_d644b2a4013b7dbd", "000_feebb88253f5b859"),
    "a note's story dated into another week": lambda p: edit(
        p / "seeds/000_feebb88253f5b859.txt", "\"date\":\"2025-06-05T01:25:00\"", "\"date\":\"2025-06-15T01:25:00\""),
    "a note removed": lambda p: (p / "content/notes/why.md").unlink(),
}


def test_notes_and_editions_build_incrementally_as_clean(project):
    build(project)
    for name, change in NOTE_CHANGES.items():
        change(project)
        result = build(project)
        assert "up to date" not in result.stdout, name
        site = read_tree(project / "site")
        assert site == clean_build(project), name
        assert any(path.startswith("editions/20") for path in site), name


def test_after_each_kind_of_change_an_incremental_build_equals_a_clean_one(project):
    build(project)
    for name, change in CHANGES.items():
        change(project)
        build(project)
        assert read_tree(project / "site") == clean_build(project), name


@pytest.mark.skipif(not DEV_SEEDS.is_dir(), reason="shared/ is not beside this checkout")
def test_new_files_of_every_form_and_broken_ones_build_incrementally_as_clean(project):
    build(project)
    for source in sorted(DEV_SEEDS.iterdir())[:10]:
        shutil.copy(source, project / "seeds")
    build(project)
    assert read_tree(project / "site") == clean_build(project)


def written_status(path: Path) -> tuple:
    """All a write would change of a file or folder (not its access time: listing a folder sets it)."""
    found = path.stat()
    return (found.st_ino, found.st_mode, found.st_nlink, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


def test_a_rebuild_with_no_change_touches_nothing(project):
    build(project)
    site = project / "site"
    before = {p: written_status(p) for p in site.rglob("*")}
    result = build(project)
    assert "already up to date" in result.stdout
    assert {p: written_status(p) for p in site.rglob("*")} == before


def test_an_output_kept_as_it_was_is_up_to_date_at_the_next_build(project):
    """A build with no listing of the output (a copied project, a lost cache entry) that finds the
    output already holds its site leaves it, and lists the output's own files for the next."""
    build(project)
    shutil.rmtree(project / ".digest-cache" / "sites")
    kept = lambda: {p: written_status(p)[:5] for p in (project / "site").rglob("*")}  # linking sets ctime
    before = kept()
    assert "already up to date" not in build(project).stdout
    assert kept() == before
    assert "already up to date" in build(project).stdout


def test_a_damaged_output_folder_is_repaired(project):
    build(project)
    page = project / "site" / "about" / "index.html"
    page.unlink()
    result = build(project)
    assert "up to date" not in result.stdout
    assert read_tree(project / "site") == clean_build(project)


def _same_size_edit(page: Path) -> None:
    data = page.read_bytes()
    at = data.index(b"<title>") + len(b"<title>")
    page.write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1:])  # one letter, in place


HAND_CHANGES = {
    "a page edited in place, its size kept": lambda site: _same_size_edit(site / "about" / "index.html"),
    "a file added deep inside": lambda site: (site / "about" / "notes.txt").write_text("left by hand"),
    "a file added at the top": lambda site: (site / "draft.html").write_text("<p>by hand</p>"),
    "a page removed": lambda site: (site / "about" / "index.html").unlink(),
    "a page replaced by a folder": lambda site: ((site / "robots.txt").unlink(), (site / "robots.txt").mkdir()),
}


@pytest.mark.parametrize("change", HAND_CHANGES, ids=list(HAND_CHANGES))
def test_an_output_folder_changed_by_hand_is_noticed_and_rebuilt(project, change):
    build(project)
    HAND_CHANGES[change](project / "site")
    result = build(project)
    assert "up to date" not in result.stdout
    assert read_tree(project / "site") == clean_build(project)
    assert "already up to date" in build(project).stdout


def test_two_clean_builds_give_the_same_bytes(project):
    cache = set((project / ".digest-cache").rglob("*"))
    build(project, "--no-cache", "--out", "a")
    build(project, "--no-cache", "--out", "b")
    assert read_tree(project / "a") == read_tree(project / "b")
    assert set((project / ".digest-cache").rglob("*")) == cache


def test_strict_fails_on_rejections_remembered_from_the_last_build(project):
    (project / "seeds" / "empty.md").write_bytes(b"")
    build(project)
    before = read_tree(project / "site")
    result = run(project, "build", "--strict")
    assert result.returncode == 1 and "empty.md" in result.stderr
    assert read_tree(project / "site") == before


def test_verbose_build_times_each_stage(project):
    stderr = build(project, "-v").stderr
    for stage in ("scan", "clean", "group", "render", "write", "total"):
        assert f"  {stage} " in stderr


@pytest.mark.skipif(not DEV_SEEDS.is_dir(), reason="shared/ is not beside this checkout")
@pytest.mark.parametrize("threaded", [False, True], ids=["forked", "from a fork server"])
def test_cleaning_across_processes_gives_the_in_process_results_in_order(monkeypatch, threaded):
    config = load_config(ROOT / "digest.toml")
    jobs = [(path, path.name) for path in sorted(DEV_SEEDS.iterdir())]
    alone = parallel.clean_files(jobs, config, workers=1)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_FILES", 2)
    done, stop = [], threading.Event()
    if threaded:  # as in serve, where the server and the watcher run threads
        threading.Thread(target=stop.wait, daemon=True).start()
    try:
        assert parallel.clean_files(jobs, config, done.append, workers=2) == alone
    finally:
        stop.set()
    assert len(done) == len(jobs)


def test_after_a_broken_link_a_changed_anchor_and_a_deleted_page_the_rebuild_fails_as_a_clean_one(project):
    build(project)
    edit(project / "themes/default/templates/article.html", "Other copies",
         'Other copies <a href="{{ site.home }}no-such-page/">gone</a>')
    edit(project / "themes/default/templates/archive.html", '<h2 id="{{ group.id }}">', '<h2 id="m-{{ group.id }}">')
    (project / "seeds/001_9fec45a6e63bf252.txt").unlink()
    incremental = run(project, "build", "-v")  # pages the edits do not reach keep their links
    assert "pages parsed" in incremental.stderr and " 0 kept" not in incremental.stderr
    config = load_config(project / "digest.toml")
    with pytest.raises(pipeline.BuildFailed) as clean:
        pipeline.build(config, pipeline.BuildRequest(project / "seeds", project / "clean-site"),
                       pipeline.make_builder(config, use_cache=False))
    assert incremental.returncode == 1 and "no-such-page" in incremental.stderr and "no element with id" in incremental.stderr
    assert str(clean.value).split("left untouched:", 1)[1] in incremental.stderr


def _story_blocks(listing: str) -> list[set[str]]:
    """The -v listing's stories, each as the seed files of its copies."""
    blocks: list[set[str]] = []
    for line in listing.splitlines():
        if line.startswith("["):
            blocks.append(set())
        elif line.startswith("    ") and blocks:
            blocks[-1].add(line.split()[1])
    return blocks


def test_an_edit_that_moves_an_article_to_another_story_regroups_as_a_clean_build(project):
    """The grouping cache (fingerprints, pair scores, facet results) is reused across the edit,
    yet the copy leaves one story for another exactly as a clean build sees it."""
    from invented import article_text

    first, second = article_text(9101), article_text(9102)
    (project / "seeds" / "studio-one.txt").write_text(first, encoding="utf-8")
    (project / "seeds" / "studio-two.txt").write_text(second, encoding="utf-8")
    copy = project / "seeds" / "studio-copy.txt"
    copy.write_text(first.replace("\n\n", "\n\nA reader sent us this report.\n\n", 1), encoding="utf-8")
    before = _story_blocks(build(project, "-v").stdout)
    assert {"studio-one.txt", "studio-copy.txt"} in before
    assert read_tree(project / "site") == clean_build(project)
    copy.write_text(second.replace("\n\n", "\n\nA reader sent us this report.\n\n", 1), encoding="utf-8")
    after = _story_blocks(build(project, "-v").stdout)
    assert {"studio-two.txt", "studio-copy.txt"} in after and {"studio-one.txt"} in after
    assert read_tree(project / "site") == clean_build(project)


def test_editing_a_note_renders_the_pages_that_show_it_not_the_whole_site(project):
    NOTE_CHANGES["a note added"](project)
    build(project)
    NOTE_CHANGES["a note edited"](project)
    result = build(project, "-v")
    rendered, unchanged = map(int, re.search(r"(\d+) pages rendered, (\d+) unchanged", result.stderr + result.stdout).groups())
    assert 0 < rendered < unchanged  # the story's pages, its topic, home, feeds, its edition: not every page
    assert read_tree(project / "site") == clean_build(project)


HER_STORY = """Altman says the voice of Sky was never meant to sound like Johansson in Her

By Mira Tovel | May 21, 2024

Sam Altman said on Tuesday that OpenAI chose the voice of Sky for ChatGPT months before it asked Scarlett Johansson, who voiced Samantha in Spike Jonze's film Her, to lend it her own.

Altman wrote that the company paused Sky out of respect for Johansson, whose lawyers had asked OpenAI how the voice was made. Jonze has not commented on the dispute over his film.

OpenAI said it would publish how the voices of ChatGPT are cast, and that Sky was recorded by another actress with her own natural voice.
"""
TRAIL_STORY = """A new hiking trail opens above the valley

By Lena Osk | June 2, 2024

A hiking trail opened in the hills above the valley on Saturday, with three shelters and a view of the pass.

The trail crosses the high pastures where shepherds graze their herds in summer, and walkers are asked to keep dogs on a lead.

The park's rangers said the path would close in the first snows and open again in spring.
"""


def _topic_pages(project: Path) -> dict[str, str]:
    site = read_tree(project / "site")
    return {slug: site[f"topics/{slug}/index.html"].decode() for slug in ("altman-and-her", "sora-in-hollywood")}


def test_an_edit_that_moves_a_story_to_another_topic_or_off_topic_builds_as_a_clean_one(project):
    """The topic stage keeps each story's counts and facets across builds (topic_cache.py); the
    edited story changes topic, then leaves every topic, and the rest of the site follows as a
    clean build has it (every other story's similarities, the bars, the topic pages)."""
    from invented import article_text

    seed = project / "seeds" / "moving.txt"
    text = article_text(9201)
    title = text.split("\n", 1)[0]
    seed.write_text(text, encoding="utf-8")
    build(project)
    assert title in _topic_pages(project)["sora-in-hollywood"]
    assert read_tree(project / "site") == clean_build(project)
    seed.write_text(HER_STORY, encoding="utf-8")
    build(project)
    pages = _topic_pages(project)
    assert "never meant to sound like Johansson" in pages["altman-and-her"] and title not in pages["sora-in-hollywood"]
    assert read_tree(project / "site") == clean_build(project)
    seed.write_text(TRAIL_STORY, encoding="utf-8")
    build(project)
    assert not any("hiking trail" in page for page in _topic_pages(project).values())
    assert read_tree(project / "site") == clean_build(project)


def test_editing_a_topics_example_file_builds_as_a_clean_one(project):
    """An example file feeds its topic's profile, and so every story's similarity to it: an edit
    of the example alone must reach them all."""
    from invented import article_text

    (project / "seeds" / "example.txt").write_text(article_text(9301), encoding="utf-8")
    edit(project / "digest.toml", 'slug = "sora-in-hollywood"', 'slug = "sora-in-hollywood"\nexamples = ["example.txt"]')
    build(project)
    assert read_tree(project / "site") == clean_build(project)
    (project / "seeds" / "example.txt").write_text(article_text(9302), encoding="utf-8")
    build(project)
    assert read_tree(project / "site") == clean_build(project)
    (project / "seeds" / "example.txt").write_text(HER_STORY, encoding="utf-8")
    build(project)
    assert read_tree(project / "site") == clean_build(project)


def test_the_search_folder_a_build_lists_is_the_search_steps():
    from generator import incremental, search

    assert incremental.SEARCH_FOLDER == search.BUNDLE


def test_a_build_with_nothing_to_do_imports_no_stage(project):
    """An up-to-date build stops after the scan: none of the stages' modules (nor the libraries
    they bring) is loaded; the listing shows what was."""
    build(project)
    code = ("import sys, runpy; sys.argv = ['generator', 'build'];\n"
            "try: runpy.run_module('generator', run_name='__main__')\n"
            "except SystemExit: pass\n"
            "print(' '.join(sorted(sys.modules)), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert "already up to date" in result.stdout
    loaded = set(result.stderr.split())
    stages = {"generator.search", "generator.clean", "generator.group", "generator.render", "generator.linkbook",
              "generator.parallel", "generator.ingest", "lxml", "jinja2", "numpy", "lingua", "trafilatura"}
    assert loaded & stages == set()



def test_the_first_edit_after_a_clean_build_digests_only_the_edited_files_articles(tmp_path, monkeypatch):
    """A clean build leaves every article's digest by its origin (the cleaned files' results are
    stored under their keys), so the build after it digests no article but the edited one's."""
    from generator.render import digests

    for name in ("seeds", "content", "themes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "digest.toml", tmp_path)
    config = load_config(tmp_path / "digest.toml")
    request = pipeline.BuildRequest(tmp_path / "seeds", tmp_path / "site")
    pipeline.build(config, request, pipeline.make_builder(config))  # its own cache: every file cleaned now
    digested = []
    real = digests.article_digest
    monkeypatch.setattr(digests, "article_digest", lambda article: digested.append(article.source) or real(article))
    CHANGES["a seed edited"](tmp_path)
    pipeline.build(config, request, pipeline.make_builder(config))
    assert digested == ["002_e05194bb93bbc408.txt"]
    assert read_tree(tmp_path / "site") == clean_build(tmp_path)
