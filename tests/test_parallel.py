"""Cleaning across processes: a build's workers end with it, however it ends. A real build is
started on enough seeds that it cleans in parallel, SIGKILLed once its workers are there, and no
process of it may be left (before the fix they lived on with parent 1, about 240 MB each)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import parallel
from invented import write_articles
from processes import HAS_PROC, descendants, still_alive

ROOT = Path(__file__).resolve().parents[1]
SEEDS = 200  # well over PARALLEL_MIN_FILES, so that cleaning outlasts the workers' start
GONE_WITHIN = 5.0  # seconds the workers may take to notice; a bound on waiting, not a speed test
# serve runs threads, so its builds start workers from a fork server rather than by fork
THREADED = ("import sys, threading; threading.Thread(target=threading.Event().wait, daemon=True).start(); "
            "from generator.cli import main; sys.exit(main(sys.argv[1:]))")

pytestmark = [
    pytest.mark.skipif(not HAS_PROC, reason="reads the process tree from /proc"),
    pytest.mark.skipif(parallel.usable_cores() < 2, reason="one core: the build cleans in its own process"),
]


def wait_for(condition, what: str, process: subprocess.Popen):
    while process.poll() is None:
        if found := condition():
            return found
        time.sleep(0.005)
    raise AssertionError(f"the build ended before {what}: {process.stderr.read()[-2000:]}")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("parallel") / "seeds"
    write_articles(folder, SEEDS)
    return folder


@pytest.mark.parametrize("moment", ["as-they-start", "while-they-clean"])
@pytest.mark.parametrize("start", ["fork", "fork-server"])
def test_a_killed_build_leaves_no_worker_behind(seeds, tmp_path, start, moment):
    command = ["-m", "generator"] if start == "fork" else ["-c", THREADED]
    process = subprocess.Popen([sys.executable, *command, "build", "--no-cache", "--seeds", str(seeds),
                                "--out", str(tmp_path / "site")], cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    workers = parallel.usable_cores()
    helpers = 0 if start == "fork" else 2  # the fork server and multiprocessing's resource tracker
    left: dict = {}
    try:
        def ready():
            found = descendants(process.pid)
            if len(found) < workers + helpers:
                return None
            if moment == "while-they-clean" and sum(info[2] > 20 for info in found.values()) < workers:
                return None  # each worker has used a fifth of a second of CPU: it is cleaning
            return found

        tree = wait_for(ready, "its workers were seen", process)
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=60) == -signal.SIGKILL  # it was running when killed
        deadline = time.monotonic() + GONE_WITHIN
        while time.monotonic() < deadline:
            left = still_alive(tree)
            if not left:
                break
            time.sleep(0.02)
        assert not left, f"{len(left)} of the build's {len(tree)} processes outlived it"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()
        for pid in left:  # do not leave them to the next test, or the machine
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def test_a_finished_build_leaves_no_worker_behind(seeds, tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "generator", "build", "--no-cache", "--seeds", str(seeds),
                                "--out", str(tmp_path / "site")], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        tree = wait_for(lambda: descendants(process.pid), "its workers were seen", process)
        assert process.wait(timeout=300) == 0, process.stderr.read()[-2000:]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()
    assert not still_alive(tree)


def test_workers_give_every_file_its_own_results_in_job_order(tmp_path):
    # Files of very different sizes, so that taking the largest first reorders the work: the
    # results must still come back in the jobs' order, the same as cleaned in this process.
    from generator.config import load_config
    from generator.ingest import seed_files, seed_source

    folder = tmp_path / "seeds"
    paths = write_articles(folder, parallel.PARALLEL_MIN_FILES + 12)
    for n, path in enumerate(paths[::5]):
        path.write_text(path.read_text(encoding="utf-8") * (2 + n % 4), encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")  # a rejection among the articles
    jobs = [(p, seed_source(p, folder)) for p in seed_files(folder)]
    config = load_config(ROOT / "digest.toml")
    across = parallel.clean_files(jobs, config, workers=2)
    here = parallel._in_process(jobs, config, None)
    assert [repr(r) for r in across] == [repr(r) for r in here]
    assert any(rejections for _, rejections in across) and sum(len(a) for a, _ in across) >= len(paths)


@pytest.mark.parametrize("workers", [1, 2])
def test_each_result_is_handed_over_once_as_it_comes_in(tmp_path, workers):
    # ``arrived`` lets the build store each file's results while the workers clean the others:
    # every job's own result, exactly once, whichever worker finished it first.
    from generator.config import load_config
    from generator.ingest import seed_files, seed_source

    folder = tmp_path / "seeds"
    write_articles(folder, parallel.PARALLEL_MIN_FILES + 6)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    jobs = [(p, seed_source(p, folder)) for p in seed_files(folder)]
    handed: list = []
    results = parallel.clean_files(jobs, load_config(ROOT / "digest.toml"), workers=workers,
                                   arrived=lambda i, result: handed.append((i, result)))
    assert sorted(i for i, _ in handed) == list(range(len(jobs)))
    assert all(result == results[i] for i, result in handed)


def test_workers_fingerprint_what_they_clean_as_the_grouping_would(tmp_path):
    # The fingerprints made beside the cleaning are the grouping's own, one per cleaned article.
    from generator.config import load_config
    from generator.group.pair_cache import Printed, article_key
    from generator.ingest import seed_files, seed_source

    folder = tmp_path / "seeds"
    write_articles(folder, parallel.PARALLEL_MIN_FILES + 4)
    jobs = [(p, seed_source(p, folder)) for p in seed_files(folder)]
    prints: dict = {}
    across = parallel.clean_files(jobs, load_config(ROOT / "digest.toml"), workers=2, prints=prints)
    articles = [a for found, _ in across for a in found]
    assert len(articles) >= len(jobs) and all(a.blocks for a in articles)
    assert prints == {article_key(a): Printed.of(article_key(a), a) for a in articles}


def test_a_process_that_has_cleaned_once_still_forks_its_cleaners():
    """The language models' idle native threads, there once a process has cleaned, must not send
    the next cleaning to a fork server (each worker loading the models again); only other Python
    threads may, as for the pair scoring."""
    code = ("import threading\n"
            "from pathlib import Path\n"
            "from generator import parallel\n"
            "from generator.clean import prepare\n"
            "from generator.config import load_config\n"
            "from generator.group.parallel_scores import _can_fork\n"
            "prepare(load_config(Path('digest.toml')))\n"
            "assert parallel._context().get_start_method() == 'fork' and _can_fork()\n"
            "threading.Thread(target=threading.Event().wait, daemon=True).start()\n"
            "assert parallel._context().get_start_method() != 'fork' and not _can_fork()\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
