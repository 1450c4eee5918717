"""Time a running ``serve`` (ours or ``hugo server``): edit a file, wait for the page to show it.

Takes a project and which seed, phrase and page to watch; gives the seconds from each save to the
served page holding the new words, and the serving process tree's peak memory (PSS, sampled as
measure.py does). ``get`` asks the server for a page and gives b"" while it cannot answer.
"""
from __future__ import annotations

import http.client
import os
import queue
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from measure import _sample

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


@contextmanager
def sampled(pid: int):
    """Yields a one-item list that holds the peak PSS (MiB) of ``pid``'s process tree so far."""
    peak_kib, done = [0.0], threading.Event()
    thread = threading.Thread(target=_sample, args=(pid, peak_kib, done), daemon=True)
    thread.start()
    peak = [0.0]
    try:
        yield peak
    finally:
        done.set()
        thread.join()
        peak[0] = peak_kib[0] / 1024


def get(port: int, path: str) -> bytes:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", path)
        return connection.getresponse().read()
    except OSError:
        return b""  # the folder is being swapped, or the server is busy: ask again


def edit_latencies(project: Path, seed: Path, phrase: str, page: str, edits: int,
                   timeout: float = 60) -> tuple[list[float], float]:
    """Start ``serve`` in the project, then ``edits`` times replace ``phrase`` (or the last marker)
    in ``seed`` with a new marker and time until ``page`` shows the marker; gives the latencies and
    the serve process tree's peak memory (MiB)."""
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", "0"], cwd=project, env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    with sampled(process.pid) as peak:
        try:
            port = _port(process, lines, timeout)
            latencies, previous = [], phrase
            for number in range(edits):
                time.sleep(0.5)
                marker = f"{phrase} marker{number}"
                text = seed.read_text(encoding="utf-8").replace(previous, marker)
                latencies.append(seconds_until_shown(seed, text, marker, port, page, timeout))
                previous = marker
        finally:
            process.terminate()
            process.wait(timeout=10)
    return latencies, peak[0]


def seconds_until_shown(path: Path, text: str, marker: str, port: int, page: str, timeout: float) -> float:
    """Save ``text`` (which holds ``marker``) to ``path``; the seconds until ``page`` on the server
    at ``port`` shows the marker."""
    start = time.perf_counter()
    path.write_text(text, encoding="utf-8")
    while marker.encode() not in get(port, page):
        if time.perf_counter() - start > timeout:
            raise RuntimeError("the edit never showed")
        time.sleep(0.005)
    return time.perf_counter() - start


def _port(process: subprocess.Popen, lines: queue.Queue, timeout: float) -> int:
    """The port from serve's "serving … at http://127.0.0.1:PORT/" line; an error as soon as it
    exits without one, or after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            if process.poll() is not None:
                raise RuntimeError(f"serve exited ({process.returncode}) before serving") from None
            continue
        if "http://127.0.0.1:" in line:
            return int(line.split("http://127.0.0.1:")[1].split("/")[0])
    raise RuntimeError(f"serve did not start within {timeout:.0f} s")
