"""How a long build shows itself: a progress bar on a terminal, and per-stage timings.

Takes stage names, counts and notes from ``incremental.Builder``; gives, on stderr:

- a rich progress bar, only when stderr is a terminal and only once the build has run for a
  second (quick builds print nothing extra, pipes and CI logs never get control codes); it is
  redrawn from the calling thread (no refresh thread), so it never makes the build threaded;
- with ``--verbose``, one line per stage as it ends (time and what it did) and a total, so even
  a build stopped midway has said where its time went.
"""
from __future__ import annotations

import sys
import time
from contextlib import contextmanager

SHOW_AFTER = 1.0  # seconds
REDRAW_EVERY = 0.1


class Progress:
    """A bar for the current stage; ``advance`` counts done items of a stage with a total."""

    def __init__(self, enabled: bool | None = None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.started = time.perf_counter()
        self._bar = self._task = None
        self._stage: tuple[str, int | None] = ("", None)
        self._drawn = 0.0

    def stage(self, name: str, total: int | None = None) -> None:
        self._stage = (name, total)
        if self._bar is not None:
            self._new_task()
        self._draw(force=True)

    def advance(self, count: int = 1) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task, count)
        self._draw()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if self._bar is None:
            if now - self.started < SHOW_AFTER:
                return
            self._start()
        if force or now - self._drawn >= REDRAW_EVERY:
            self._bar.refresh()
            self._drawn = now

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn

        self._bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=Console(stderr=True), auto_refresh=False, transient=True)
        self._bar.start()
        self._new_task()

    def _new_task(self) -> None:
        if self._task is not None:
            self._bar.remove_task(self._task)
        name, total = self._stage
        self._task = self._bar.add_task(name, total=total)


class Timings:
    """How long each stage took, and what it did; printed as it goes when verbose."""

    def __init__(self, verbose: bool = False, progress: Progress | None = None):
        self.verbose = verbose
        self.progress = progress or Progress(enabled=False)
        self.stages: list[tuple[str, float, str]] = []
        self._inside: set[int] = set()  # stages timed within another (their time is in its total)
        self._inner = 0.0  # seconds of ``inside`` stages ended since the running stage began
        self._inner_names = ""

    @contextmanager
    def stage(self, name: str, total: int | None = None, inside: bool = False):
        """``with timings.stage("clean") as note: ... note("3 cleaned")``; ``inside``: a part of
        the stage running now (the search index within the write), left out of the total."""
        notes: list[str] = []
        self.progress.stage(name, total)
        inner, self._inner = self._inner, 0.0
        start = time.perf_counter()
        try:
            yield notes.append
        finally:
            elapsed = time.perf_counter() - start
            if inside:
                self._inside.add(len(self.stages))
            elif self._inner:  # the write's own share beside the search index it ran
                notes.append(f"{elapsed - self._inner:.2f} s of it besides {self._inner_names}")
            self._inner, self._inner_names = (inner + elapsed, name) if inside else (inner, "")
            self.stages.append((name, elapsed, "; ".join(notes)))
            if self.verbose:
                self.progress.close()
                print(f"  {name:<7} {elapsed:8.2f} s  {'; '.join(notes)}".rstrip()
                      + f" [{peak_memory_mib():.0f} MiB]", file=sys.stderr, flush=True)

    def total(self) -> float:
        return sum(seconds for number, (_, seconds, _) in enumerate(self.stages) if number not in self._inside)

    def summary(self) -> str:
        return f"  {'total':<7} {self.total():8.2f} s  peak memory {peak_memory_mib():.0f} MiB"


def peak_memory_mib() -> float:
    """This process's largest resident set so far (workers not included)."""
    try:
        import resource
    except ImportError:  # not on a POSIX system
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)  # bytes on macOS, KiB elsewhere
