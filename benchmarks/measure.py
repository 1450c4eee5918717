"""Run a command as a fresh process and measure it: wall time, peak memory, what it printed.

Takes a command, a folder and a time limit; gives a ``Run``. Memory is sampled every 0.1 s from
/proc as the sum of the proportional set size (PSS) of the process and all its descendants (the
build's worker processes included; pages they share are counted once), and the largest resident
set of any one of them is taken from ``wait4`` as ``/usr/bin/time -v`` reports it, and so is the
CPU time (user + system) of the process and the descendants it waited for: on a loaded machine
it moves less than the wall time does. A run over
its time limit is stopped (its whole process group) and marked so.
"""
from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_pss_mib: float  # the process tree's total, sampled
    max_rss_mib: float  # the largest single process
    returncode: int | None  # None: stopped at the time limit
    stdout: str
    stderr: str
    cpu_seconds: float = 0.0  # user + system time of the process and the descendants it waited for

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def stage(self, name: str) -> float | None:
        """A stage's seconds from a verbose build's timing lines ("  clean   12.34 s  ...")."""
        for line in self.stderr.splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[0] == name and parts[2] == "s":
                return float(parts[1])
        return None

    def current_stage(self) -> str:
        """The stage a stopped build was in: the one after the last that reported its time."""
        done = [line.split()[0] for line in self.stderr.splitlines() if line.startswith("  ") and " s" in line]
        order = ("scan", "clean", "group", "render", "write")
        return order[order.index(done[-1]) + 1] if done and done[-1] in order[:-1] else "start-up"


def run(command: list[str], cwd: Path, limit: float, env: dict | None = None) -> Run:
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    peak = [0.0]
    done = threading.Event()
    sampler = threading.Thread(target=_sample, args=(process.pid, peak, done), daemon=True)
    sampler.start()
    out: list[str] = []
    err: list[str] = []
    readers = [threading.Thread(target=lambda s=s, into=into: into.extend(s), daemon=True)
               for s, into in ((process.stdout, out), (process.stderr, err))]
    for reader in readers:
        reader.start()
    returncode, rusage = _wait(process, limit)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    for reader in readers:
        reader.join(timeout=5)
    return Run(seconds, peak[0] / 1024, rusage.ru_maxrss / 1024 if rusage else 0.0, returncode, "".join(out), "".join(err),
               rusage.ru_utime + rusage.ru_stime if rusage else 0.0)


def _wait(process: subprocess.Popen, limit: float):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        pid, status, rusage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return process.returncode, rusage
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    _, _, rusage = os.wait4(process.pid, 0)
    process.returncode = -9
    return None, rusage


def _sample(root: int, peak: list[float], done: threading.Event) -> None:
    while not done.is_set():
        peak[0] = max(peak[0], sum(_pss_kib(pid) for pid in _tree(root)))
        done.wait(0.1)


def _tree(root: int) -> list[int]:
    """The process and its descendants, from each one's /proc/<pid>/task/*/children."""
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", "rb") as handle:
                    pending += [int(child) for child in handle.read().split()]
        except (OSError, ValueError):
            continue
    return found


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0
