"""Read and clean seed files across cores when there are many of them.

Takes (path, seeds-relative source) jobs and the config; gives each job's results (its articles
and rejections, from ``seed_file.clean_file``) in job order, whichever worker finished first, so the
build's output cannot depend on scheduling. Up to ``PARALLEL_MIN_FILES`` files are cleaned in
this process: a worker pays the imports and the language models (about a second) before its
first file, more than a few dozen files take. More go to a ``ProcessPoolExecutor`` with one
worker per usable core, in chunks, the largest files first (so the work ends evenly). Workers
are forked when this process runs a single thread: this process imports the cleaner and loads
its models (``clean.prepare``) first, so the start-up is paid once and its pages are shared by
every worker instead of copied into each.
A process with threads (``serve``) starts them from a fork server instead, since a forked copy
of a threaded process can deadlock; there each worker prepares once, in its initializer.

Asked to (``prints``), the workers also fingerprint each article they cleaned for the grouping
(``group.pair_cache.Printed``: a pure function of the article, so the same wherever it is made),
and the fingerprints come back with the results: the build would otherwise make them one after
another in this process, some 1.3 ms each (13 s at 10,000 articles), while the other core idles.
An article the later corpus-level cleaning (``clean.furniture``) changes has another key, so its
fingerprint is made again by the grouping, from the article it is given.

Workers end when the build ends, however it ends (a SIGKILL included: they used to live on with
parent 1, holding their memory). Two ties, because each misses a case the other covers:

- A lifeline: a pipe whose write end only the build holds (a forked worker closes its inherited
  copy first). A thread in each worker waits on the read end; the kernel closes the build's end
  when the build dies, by any means, and the worker exits at that EOF. This holds whatever the
  start method; with a fork server it is the only tie, since a worker's parent is then the fork
  server, which itself stays up as long as any worker does.
- On Linux, ``PR_SET_PDEATHSIG``: the kernel SIGKILLs a worker when the thread that started it
  ends, even when the worker is deep in C code holding the GIL, so the lifeline thread cannot
  run. The pool forks its workers from the thread that calls ``clean_files``, which stays in
  the pool's ``with`` block until the workers are done, so that thread ending means the build
  has ended.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .config import SiteConfig

PARALLEL_MIN_FILES = 48
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
Job = tuple[Path, str]

_config: SiteConfig | None = None  # set once in each worker by _start_worker
_printing = False  # whether each worker fingerprints the articles it cleans (``prints``)


def clean_files(jobs: Sequence[Job], config: SiteConfig, done: Callable[[int], None] | None = None,
                workers: int | None = None, prints: dict | None = None,
                arrived: Callable[[int, tuple[list, list]], None] | None = None) -> list[tuple[list, list]]:
    """Each job's results, in job order; ``done(n)`` is called as results come in, and
    ``arrived(i, result)`` with job ``i``'s result as soon as it is in (what the caller does
    with it, such as storing it, is then done while the workers clean the other files, not after
    them all). When workers clean, ``prints`` (if given) gets each cleaned article's ``Printed``
    by its key."""
    workers = workers or usable_cores()
    if len(jobs) < PARALLEL_MIN_FILES or workers < 2:
        return _in_process(jobs, config, done, arrived)
    chunk = max(1, min(16, len(jobs) // (workers * 8)))
    context = _context()
    if context.get_start_method() == "fork":
        from .ingest.html_page import load_extractor

        _prepare(config)  # inherited by every forked worker
        load_extractor()  # a few dozen files or more: some are likely HTML pages
        if prints is not None:
            from .group import pair_cache  # noqa: F401  (imported once, shared by the workers)
    printing = prints is not None
    lifeline, held = context.Pipe(duplex=False)  # nothing is ever sent: only its end matters
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                                 initargs=(config, lifeline, held, printing)) as pool:
            # Largest files first, so that the last chunks are the quickest and neither worker
            # waits long on the other at the end; each result goes back to its job's place.
            order = sorted(range(len(jobs)), key=lambda i: (-_size(jobs[i][0]), i))
            results: list = [None] * len(jobs)
            for i, (result, printed) in zip(order, pool.map(_clean_job, [jobs[i] for i in order], chunksize=chunk)):
                results[i] = result
                if printing:
                    prints.update((p.name, p) for p in printed)
                if arrived:
                    arrived(i, result)
                if done:
                    done(1)
            return results
    finally:
        lifeline.close()
        held.close()


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:  # gone or unreadable: its reader says so, in its turn
        return 0


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _in_process(jobs: Sequence[Job], config: SiteConfig, done, arrived=None) -> list[tuple[list, list]]:
    from .seed_file import clean_file

    # Nothing is loaded ahead (``clean.prepare``): each file loads what it needs as it goes, so an
    # edit to one clear English article never loads lingua or dateparser; the load is well
    # inside a file's time budget (``limits.FILE_SECONDS``, a backstop), so no result depends on it.
    results = []
    for i, (path, source) in enumerate(jobs):
        results.append(clean_file(path, source, config))
        if arrived:
            arrived(i, results[-1])
        if done:
            done(1)
    return results


def _context():
    if can_fork():
        return multiprocessing.get_context("fork")
    if "forkserver" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def can_fork() -> bool:
    """Fork is there, and no other Python thread (serve's server and watcher could hold a lock a forked worker would
    wait on forever). Native threads do not count: the language models' idle pool, which
    ``prepare`` starts, is there in every fork the cleaning has ever made (the workers are forked
    after it) and the workers never wait on it; counting it sent a second cleaning in one process
    to a fork server, each worker loading the models again. The pair scoring asks the same."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _start_worker(config: SiteConfig, lifeline, held, printing: bool = False) -> None:
    """Each worker, once: keep the config; end with the build (see the module's docstring)."""
    global _config, _printing
    _config, _printing = config, printing
    held.close()  # the build's end, inherited by a fork: while a worker holds it, no EOF can come
    _die_with_parent()
    threading.Thread(target=_end_at_eof, args=(lifeline,), name="lifeline", daemon=True).start()
    _prepare(config)  # forked: already done by the build, so nothing to load


def _prepare(config: SiteConfig) -> None:
    from .clean import prepare

    prepare(config)


def _die_with_parent() -> None:
    """Linux: have the kernel SIGKILL this process when the thread that started it ends."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # no prctl (another libc): the lifeline alone ties the worker


def _end_at_eof(lifeline) -> None:
    """Wait on the lifeline; when the build's end closes (the build has ended), end this worker."""
    try:
        lifeline.recv_bytes()
    except (EOFError, OSError):
        pass
    os._exit(1)  # now: the results have no one to go to, and the worker may be mid-file


def _clean_job(job: Job) -> tuple[tuple[list, list], list]:
    """A file's results, and its articles' fingerprints when asked for (``_printing``)."""
    from .seed_file import clean_file

    result = clean_file(job[0], job[1], _config)
    if not _printing:
        return result, []
    from .group.pair_cache import Printed, article_key

    return result, [Printed.of(article_key(a), a) for a in result[0]]
