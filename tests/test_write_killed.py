"""``python -m generator build`` killed (SIGKILL) at any moment: the previous site stays whole and
byte-identical, or the new one is whole; what a killed build leaves beside the output folder is
cleared by the next build and never published; the seeds are never written."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.parallel import usable_cores
from generator.search import pagefind_executable
from invented import write_articles
from processes import HAS_PROC, descendants
from render_helpers import read_tree

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = 60  # enough that cleaning and grouping take seconds and the write phase many files

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f"{out.name}."))


def start_build(seeds: Path, out: Path) -> subprocess.Popen:
    # --no-cache: the build must do all its work every time, or it ends before the kill.
    return subprocess.Popen([sys.executable, "-m", "generator", "build", "--no-cache", "--seeds", str(seeds),
                             "--out", str(out)],
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def kill_when(process: subprocess.Popen, ready, timeout: float = 300) -> bool:
    """SIGKILL the build once ``ready()`` says so; False if it finished first. Always reaps it
    (a zombie's pid still looks alive, and would keep its leftovers from being cleared)."""
    deadline = time.monotonic() + timeout
    killed = False
    while process.poll() is None and time.monotonic() < deadline:
        if ready():
            process.send_signal(signal.SIGKILL)
            killed = True
            break
        time.sleep(0.001)
    process.wait(timeout=60)
    process.stderr.close()
    return killed and process.returncode == -signal.SIGKILL


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The seeds, the previous site (3 articles) and the files a full build of all 60 gives."""
    base = tmp_path_factory.mktemp("killed")
    seeds, small = base / "seeds", base / "small"
    write_articles(seeds, ARTICLES)
    small.mkdir()
    for path in sorted(seeds.iterdir())[:3]:
        shutil.copy(path, small)
    previous = base / "previous"
    build = subprocess.run([sys.executable, "-m", "generator", "build", "--seeds", str(small), "--out", str(previous)],
                           cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, timeout=300)
    assert build.returncode == 0, build.stderr
    expected = base / "expected"  # what a whole build of all the seeds leaves, search index included
    build = subprocess.run([sys.executable, "-m", "generator", "build", "--no-cache", "--seeds", str(seeds),
                            "--out", str(expected)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                           capture_output=True, timeout=300)
    assert build.returncode == 0, build.stderr
    new = read_tree(expected)
    return {"seeds": seeds, "previous": previous, "before": read_tree(previous), "new": dict(sorted(new.items())),
            "seeds_tree": read_tree(seeds)}


def fresh_site(sites, tmp_path) -> Path:
    out = tmp_path / "site"
    shutil.copytree(sites["previous"], out)
    return out


def check_whole(sites, out: Path, tmp_seen: bool) -> None:
    """Killed before writing: the previous site, byte for byte. Killed while writing: either
    site whole, never a mixture."""
    assert out.is_dir()
    now = read_tree(out)
    if not tmp_seen:
        assert now == sites["before"]
    else:
        assert now in (sites["before"], sites["new"])
    assert read_tree(sites["seeds"]) == sites["seeds_tree"]


def has_a_file(folder: Path) -> bool:
    try:
        return any(path.is_file() for path in folder.rglob("*"))
    except OSError:  # the folder is being made, swapped or removed as we look
        return False


MOMENTS = {  # when to kill: each a state of the build seen from outside, never a time
    "at-start": lambda process, tmp: lambda: True,
    "while-cleaning": lambda process, tmp: lambda: bool(descendants(process.pid)),  # its workers are up
    "first-file-written": lambda process, tmp: lambda: has_a_file(tmp),
    "search-index-started": lambda process, tmp: lambda: (tmp / "pagefind").exists(),
}


@pytest.mark.parametrize("moment", MOMENTS)
def test_killed_at_a_moment_the_previous_site_is_untouched(sites, tmp_path, moment):
    if moment == "while-cleaning" and not (HAS_PROC and usable_cores() >= 2):
        pytest.skip("its workers are seen in /proc, and there are workers only with two cores")
    if moment == "search-index-started" and pagefind_executable() is None:
        pytest.skip("no Pagefind: the build makes no search index")
    out = fresh_site(sites, tmp_path)
    process = start_build(sites["seeds"], out)
    tmp = out.with_name(f"site.tmp-{process.pid}")
    ready, seen = MOMENTS[moment](process, tmp), []
    assert kill_when(process, lambda: seen.append(tmp.exists()) or ready()), "the build finished first"
    check_whole(sites, out, tmp_seen=any(seen) or tmp.exists())


def test_killed_as_the_write_phase_starts_and_the_next_build_clears_what_it_left(sites, tmp_path):
    out = fresh_site(sites, tmp_path)
    process = start_build(sites["seeds"], out)
    tmp = out.with_name(f"site.tmp-{process.pid}")
    assert kill_when(process, tmp.exists), "the build finished before its write phase was seen"
    check_whole(sites, out, tmp_seen=True)
    assert leftovers(out) == [tmp.name]  # what the killed build left
    finished = subprocess.run([sys.executable, "-m", "generator", "build", "--seeds", str(sites["seeds"]),
                               "--out", str(out)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert leftovers(out) == []
    assert read_tree(out) == sites["new"]  # nothing of the leftover was published


def test_killed_in_the_middle_of_writing_pages(sites, tmp_path):
    out = fresh_site(sites, tmp_path)
    process = start_build(sites["seeds"], out)
    pages = out.with_name(f"site.tmp-{process.pid}") / "articles"

    def some_pages_written() -> bool:
        try:
            return len(os.listdir(pages)) >= 5
        except OSError:
            return False

    assert kill_when(process, some_pages_written), "the build finished before five pages were seen"
    check_whole(sites, out, tmp_seen=True)
