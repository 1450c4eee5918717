"""Score many candidate pairs on every usable core: ``score_pairs``.

Takes the fingerprints, the corpus ``Vocabulary`` and the pairs to score; gives each pair's
``PairScores`` in pair order, exactly what ``compare`` gives in this process (the same floats:
a worker runs the same code on the same inputs). Up to ``PARALLEL_MIN_PAIRS`` pairs (a small
corpus, or the pairs one edit rescores) are scored here: starting workers and building each
article's weights in two processes costs more than that many pairs take. More are cut into one
contiguous run per usable core: this process scores the first and a worker forked from it each
other, so the fingerprints and the vocabulary are inherited, never pickled; only the scores come
back. This process scores rather than waits because every process holding the grouping's state
counts in the build's memory: a forked worker's pages stop being shared as soon as it touches
them (reference counts are writes), so at 10,000 articles each worker held ~360 MiB of its own,
and three processes (the build and two workers) took the build's peak past 1 GiB. A run
keeps the pairs' order, so each worker builds an article's weights once and lets them go after
its last pair in that run, as the build does in one process (``Vocabulary.forget``).

The workers pay for what they read in memory, though: every page a worker reads Python objects
from it copies (reference counts are writes, whoever writes), so a worker ends up holding about
as much again as the fingerprints and weights it reads, some 40 KiB an article: ~400 MiB at
10,000 articles: a 10k clean build's peak of all processes was 887 MiB with the worker, 583 MiB
without (traced on one machine). Over ``PARALLEL_MAX_PRINTS`` articles the pairs are therefore
scored here, whatever their number: about 12 s more wall time at 10,000 on an idle machine (an
estimate: the split scoring took ~25 s), and no more CPU time (the worker made many of its
articles' weights a second time).

Workers are forked only from a process running one thread (a forked copy of a threaded process
can deadlock; ``serve`` builds therefore score here). They end when the scoring ends, however it
ends: tied to the build as the cleaning's workers are (``generator.parallel``: a lifeline pipe
and, on Linux, ``PR_SET_PDEATHSIG``), and told to go at once, through the lifeline, when the
scoring fails (a worker's error, or an interrupt) instead of being waited for.
"""
from __future__ import annotations

import gc
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Sequence

from ..parallel import _die_with_parent, _end_at_eof, usable_cores
# The cleaning's rule for forking (no other Python thread): by the group stage the cleaning has
# loaded the language models, whose idle native pool the workers never touch.
from ..parallel import can_fork as _can_fork
from .fingerprint import Fingerprint, PairScores, Vocabulary, compare

PARALLEL_MIN_PAIRS = 4000  # about a second in one process; one edit at 10,000 articles rescores half that
# The most articles whose fingerprints a worker may copy (see above): ~120 MiB of its own.
PARALLEL_MAX_PRINTS = 3000
Pair = tuple[int, int]

# What a forked worker scores: set by the scoring process just before it forks, read by workers.
_job: tuple[Sequence[Fingerprint], Vocabulary, Sequence[Pair]] | None = None


def score_pairs(prints: Sequence[Fingerprint], vocab: Vocabulary, pairs: Sequence[Pair],
                workers: int | None = None, least: int | None = None, most: int | None = None) -> list[PairScores]:
    """``compare`` of each pair ``(i, j)`` of ``prints``, in pair order; in ``workers`` processes
    (one per usable core) when there are at least ``least`` pairs (``PARALLEL_MIN_PAIRS``) over
    at most ``most`` articles (``PARALLEL_MAX_PRINTS``)."""
    workers = workers or usable_cores()
    if not forks(len(prints), len(pairs), workers, least, most) or not _can_fork():
        return score_run(prints, vocab, pairs)
    return _in_workers(prints, vocab, pairs, workers)


def forks(articles: int, pairs: int, workers: int, least: int | None = None, most: int | None = None) -> bool:
    """Whether ``pairs`` pairs over ``articles`` articles are worth workers (the module's docstring)."""
    least = PARALLEL_MIN_PAIRS if least is None else least
    most = PARALLEL_MAX_PRINTS if most is None else most
    return workers >= 2 and pairs >= max(least, workers) and articles <= most


def score_run(prints: Sequence[Fingerprint], vocab: Vocabulary, pairs: Sequence[Pair]) -> list[PairScores]:
    """The pairs scored in order in this process, each article's weights let go after its last pair."""
    last = {}
    for k, (i, j) in enumerate(pairs):
        last[i] = last[j] = k
    found = []
    for k, (i, j) in enumerate(pairs):
        found.append(compare(prints[i], prints[j], vocab))
        for done in {i, j}:
            if last[done] == k:
                vocab.forget(prints[done])
    return found


def runs(count: int, workers: int) -> list[tuple[int, int]]:
    """``count`` pairs cut into ``workers`` contiguous runs as even as can be."""
    bounds = [count * k // workers for k in range(workers + 1)]
    return list(zip(bounds, bounds[1:]))


def _in_workers(prints, vocab, pairs, workers: int) -> list[PairScores]:
    global _job
    context = multiprocessing.get_context("fork")
    lifeline, held = context.Pipe(duplex=False)  # nothing is ever sent: only its end matters
    _job = (prints, vocab, pairs)
    pool = ProcessPoolExecutor(max_workers=workers - 1, mp_context=context, initializer=_start_worker,
                               initargs=(lifeline, held))
    try:
        (start, stop), *others = runs(len(pairs), workers)
        # the workers are forked at the first submit, before this process's own run changes
        # anything they inherit (the vocabulary's weights)
        futures = [pool.submit(_score_part, *run) for run in others]
        found = score_run(prints, vocab, pairs[start:stop])
        found += [scores for future in futures for scores in future.result()]
    except BaseException:
        held.close()  # the workers see the lifeline end and exit now, mid-run: no one waits for them
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    else:
        pool.shutdown(wait=True)
    finally:
        _job = None
        lifeline.close()
        held.close()
    return found


def _start_worker(lifeline, held) -> None:
    """Each worker, once: end with the scoring process (see the module's docstring)."""
    held.close()  # the scorer's end, inherited by the fork: while a worker holds it, no EOF can come
    _die_with_parent()
    threading.Thread(target=_end_at_eof, args=(lifeline,), name="lifeline", daemon=True).start()
    # What the worker inherited lives as long as it does: the collector need not walk it (and
    # walking it would copy every page it touches out of the memory shared with the build).
    gc.freeze()


def _score_part(start: int, stop: int) -> list[PairScores]:
    prints, vocab, pairs = _job
    return score_run(prints, vocab, pairs[start:stop])
