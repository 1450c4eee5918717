"""Read and clean seed files across cores when there are many of them.

Takes (path, seeds-relative source) jobs and the config; gives each job's results (its articles
and rejections, from ``seed_file.clean_file``) in job order, whichever worker finished first, so the
build's output cannot depend on scheduling. Up to ``PARALLEL_MIN_FILES`` files are cleaned in
this process: a worker pays the imports and the language models (about two seconds) before its
first file, more than a few dozen files take. More go to a ``ProcessPoolExecutor`` with one
worker per usable core, in chunks. Workers are forked when this process runs a single thread
(they inherit its imports for free); a process with threads (``serve``) starts them from a fork
server instead, since a forked copy of a threaded process can deadlock.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .config import SiteConfig

PARALLEL_MIN_FILES = 48
Job = tuple[Path, str]

_config: SiteConfig | None = None  # set once in each worker by _start_worker


def clean_files(jobs: Sequence[Job], config: SiteConfig, done: Callable[[int], None] | None = None,
                workers: int | None = None) -> list[tuple[list, list]]:
    """Each job's results, in job order; ``done(n)`` is called as results come in."""
    workers = workers or usable_cores()
    if len(jobs) < PARALLEL_MIN_FILES or workers < 2:
        return _in_process(jobs, config, done)
    chunk = max(1, min(16, len(jobs) // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context(),
                             initializer=_start_worker, initargs=(config,)) as pool:
        results = []
        for result in pool.map(_clean_job, jobs, chunksize=chunk):
            results.append(result)
            if done:
                done(1)
        return results


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _in_process(jobs: Sequence[Job], config: SiteConfig, done) -> list[tuple[list, list]]:
    from .seed_file import clean_file

    results = []
    for path, source in jobs:
        results.append(clean_file(path, source, config))
        if done:
            done(1)
    return results


def _context():
    if "fork" in multiprocessing.get_all_start_methods() and _single_threaded():
        return multiprocessing.get_context("fork")
    if "forkserver" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def _single_threaded() -> bool:
    """No other Python thread, and (where the system says) no native one either."""
    if threading.active_count() > 1:
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def _start_worker(config: SiteConfig) -> None:
    global _config
    _config = config


def _clean_job(job: Job) -> tuple[list, list]:
    from .seed_file import clean_file

    return clean_file(job[0], job[1], _config)
