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


def clean_files(jobs: Sequence[Job], config: SiteConfig, done: Callable[[int], None] | None = None,
                workers: int | None = None) -> list[tuple[list, list]]:
    """Each job's results, in job order; ``done(n)`` is called as results come in."""
    workers = workers or usable_cores()
    if len(jobs) < PARALLEL_MIN_FILES or workers < 2:
        return _in_process(jobs, config, done)
    chunk = max(1, min(16, len(jobs) // (workers * 8)))
    context = _context()
    if context.get_start_method() == "fork":
        from .ingest.html_page import load_extractor

        _prepare(config)  # inherited by every forked worker
        load_extractor()  # a few dozen files or more: some are likely HTML pages
    lifeline, held = context.Pipe(duplex=False)  # nothing is ever sent: only its end matters
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                                 initargs=(config, lifeline, held)) as pool:
            # Largest files first, so that the last chunks are the quickest and neither worker
            # waits long on the other at the end; each result goes back to its job's place.
            order = sorted(range(len(jobs)), key=lambda i: (-_size(jobs[i][0]), i))
            results: list = [None] * len(jobs)
            for i, result in zip(order, pool.map(_clean_job, [jobs[i] for i in order], chunksize=chunk)):
                results[i] = result
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


def _in_process(jobs: Sequence[Job], config: SiteConfig, done) -> list[tuple[list, list]]:
    from .seed_file import clean_file

    if jobs:
        _prepare(config)  # no file's time budget pays for the models
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


def _start_worker(config: SiteConfig, lifeline, held) -> None:
    """Each worker, once: keep the config; end with the build (see the module's docstring)."""
    global _config
    _config = config
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


def _clean_job(job: Job) -> tuple[list, list]:
    from .seed_file import clean_file

    return clean_file(job[0], job[1], _config)
