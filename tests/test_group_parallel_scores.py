"""Pair scores worked out in forked workers (group/parallel_scores.py): the same scores and links
as in one process, and no worker left once the scoring has failed or its process was killed."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from itertools import combinations
from pathlib import Path

import pytest

from generator.group import parallel_scores
from generator.group.fingerprint import Vocabulary, fingerprint
from generator.group.parallel_scores import score_pairs, score_run
from generator.group.stories import find_links
from processes import HAS_PROC, descendants, still_alive
from test_group_stories import deal, french, original, puffins, rewrite, syndicated, walkout

ROOT = Path(__file__).resolve().parents[1]
GONE_WITHIN = 5.0  # seconds the workers may take to notice; a bound on waiting, not a speed test

pytestmark = pytest.mark.skipif(not HAS_PROC or parallel_scores.usable_cores() < 2,
                                reason="needs two cores and /proc")


def corpus():
    """The stories' test articles, each also under other names: enough pairs to split in two."""
    base = [original(), syndicated(), rewrite(), french(), deal(), walkout(), puffins()]
    return [replace(a, source=f"{n}-{a.source}") for n in range(3) for a in base]


def test_workers_give_the_scores_of_one_process_in_pair_order():
    prints = [fingerprint(a) for a in corpus()]
    pairs = list(combinations(range(len(prints)), 2))
    here = score_run(prints, Vocabulary(prints), pairs)
    before = set(descendants(os.getpid()))  # what earlier tests left running is not this scoring's
    assert score_pairs(prints, Vocabulary(prints), pairs, workers=2, least=2) == here
    assert not set(descendants(os.getpid())) - before


def test_find_links_links_the_same_pairs_with_workers(monkeypatch):
    alone = find_links(corpus())
    monkeypatch.setattr(parallel_scores, "PARALLEL_MIN_PAIRS", 2)
    assert find_links(corpus()) == alone
    assert {(link.a, link.b) for link in alone}  # the corpus holds stories to link


def test_a_failing_worker_fails_the_scoring_and_no_worker_is_left():
    prints = [fingerprint(a) for a in corpus()]
    pairs = [*combinations(range(len(prints)), 2), (0, len(prints))]  # the last pair names no article
    before = set(descendants(os.getpid()))  # what earlier tests left running is not this scoring's
    with pytest.raises(IndexError):
        score_pairs(prints, Vocabulary(prints), pairs, workers=2, least=2)
    deadline = time.monotonic() + GONE_WITHIN
    while set(descendants(os.getpid())) - before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not set(descendants(os.getpid())) - before


SCORER = textwrap.dedent("""
    import sys
    from itertools import combinations
    from generator.group.fingerprint import Vocabulary, fingerprint
    from generator.group.parallel_scores import score_pairs
    sys.path.insert(0, "tests")
    from test_group_parallel_scores import corpus
    prints = [fingerprint(a) for a in corpus()]
    pairs = list(combinations(range(len(prints)), 2)) * 2000
    while True:  # it never ends by itself: the test kills it while its workers score
        score_pairs(prints, Vocabulary(prints), pairs, workers=2, least=2)
""")


def test_a_killed_scorer_leaves_no_worker_behind():
    process = subprocess.Popen([sys.executable, "-c", SCORER], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    left: dict = {}
    try:
        tree = {}
        while process.poll() is None:
            tree = descendants(process.pid)
            if tree and sum(info[2] > 20 for info in tree.values()) >= 1:
                break  # the worker (the scorer scores one run itself) has used a fifth of a second of CPU: it is scoring
            time.sleep(0.005)
        assert process.poll() is None, process.stderr.read()[-2000:]
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=60) == -signal.SIGKILL
        deadline = time.monotonic() + GONE_WITHIN
        while (left := still_alive(tree)) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not left, f"{len(left)} of the scorer's {len(tree)} workers outlived it"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def test_a_build_process_can_still_fork_its_scorers_once_the_cleaning_is_ready():
    """By the group stage a build has loaded the cleaning's language models (their native thread
    pool) and numpy (the topic vectors): neither may send the pair scoring to one process."""
    code = ("from pathlib import Path\n"
            "from generator.clean import prepare\n"
            "from generator.config import load_config\n"
            "prepare(load_config(Path('digest.toml')))\n"
            "import generator.group.topic_vectors, generator.group.topic_cache\n"
            "from generator.group.parallel_scores import _can_fork\n"
            "assert _can_fork()\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)


def test_many_articles_are_scored_in_one_process_however_many_pairs():
    """A worker copies what it reads: over the bound, the pairs are scored here, the same scores."""
    assert parallel_scores.forks(1000, 9000, workers=2)
    assert not parallel_scores.forks(10_000, 97_000, workers=2)
    assert not parallel_scores.forks(1000, 100, workers=2)  # too few pairs to pay for a worker
    prints = [fingerprint(a) for a in corpus()]
    pairs = list(combinations(range(len(prints)), 2))
    assert score_pairs(prints, Vocabulary(prints), pairs, workers=2, least=2, most=len(prints) - 1) == \
        score_run(prints, Vocabulary(prints), pairs)
