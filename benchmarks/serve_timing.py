"""Time a running ``serve`` (ours or ``hugo server``): edit a file, wait for the page to show it.

Takes a project and which seed, phrase and page to watch; gives the seconds from each save to the
served page holding the new words, and the serving process tree's peak memory (PSS, sampled as
measure.py does). ``get`` asks the server for a page and gives b"" while it cannot answer.

With ``breakdown`` (a list), each edit's steps are added to it from serve's own lines: the
seconds inside serve from the change seen to the reload, by stage (scan, clean, group, render,
show: the overlay made), or from the change seen to its preview (the edited story's pages,
``live_preview.py``) when that came first, the rest (the watcher's delay and the page's fetch), how long one
more fetch of the page takes just after (serve's next step runs meanwhile), and when the folder
and search index that followed were written (or that the next edit cut them short). ``python benchmarks/serve_timing.py
PROJECT [EDITS]`` runs it on a built generated project (a sentence of a scraped page edited,
its article page watched, as run.py does) and prints each edit's steps; ``PROJECT --probe``
times serve's own steps (the overlay before the page, the folder's replay after) in-process.
"""
from __future__ import annotations

import http.client
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from measure import _sample

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


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
                   timeout: float = 60, breakdown: list | None = None,
                   start_timeout: float | None = None) -> tuple[list[float], float]:
    """Start ``serve`` in the project, then ``edits`` times replace ``phrase`` (or the last marker)
    in ``seed`` with a new marker and time until ``page`` shows the marker; gives the latencies and
    the serve process tree's peak memory (MiB); each edit's steps go in ``breakdown`` if given."""
    # SERVE_TIMING_PORT: the same address each run, so that serve's first build of an up-to-date
    # project renders nothing again (the address is in every page)
    port = os.environ.get("SERVE_TIMING_PORT", "0")
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", port], cwd=project, env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    said: queue.Queue = queue.Queue()  # serve's stderr lines, with when they came
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    threading.Thread(target=lambda: [said.put((time.perf_counter(), line)) for line in process.stderr],
                     daemon=True).start()
    with sampled(process.pid) as peak:
        try:
            port = _port(process, lines, start_timeout or timeout)  # a first build may be a clean one
            latencies, previous = [], phrase
            for number in range(edits):
                time.sleep(0.5)
                if breakdown:  # the last edit's folder and index: written meanwhile, or cut short by this edit
                    breakdown[-1]["folder + index after"] = finished_writes(said) or "not yet"
                marker = f"{phrase} marker{number}"
                text = seed.read_text(encoding="utf-8").replace(previous, marker)
                saved = time.perf_counter()
                latencies.append(seconds_until_shown(seed, text, marker, port, page, timeout))
                previous = marker
                if breakdown is not None:
                    fetched = time.perf_counter()
                    get(port, page)  # one more fetch of the page, as the edit's last one was made
                    breakdown.append({**_steps(said, saved, latencies[-1]),
                                      "one fetch": round(time.perf_counter() - fetched, 3)})
            if breakdown:
                breakdown[-1]["folder + index after"] = _wait_for_write(said, timeout)
        finally:
            process.terminate()
            process.wait(timeout=60)
    return latencies, peak[0]


SHOWN = re.compile(r"page shown ([0-9.]+) s after the change was seen \((.*)\)")
PREVIEW = re.compile(r"preview shown ([0-9.]+) s after the change was seen \((.*)\)")
WRITTEN = re.compile(r"folder and search index written in ([0-9.]+) s")


def _steps(said: queue.Queue, saved: float, total: float) -> dict:
    """One edit's steps from serve's lines since ``saved``: waits a moment for the line that says
    the page was shown (the page may be fetched before serve's print is read)."""
    steps: dict = {"total": round(total, 3)}
    deadline = time.perf_counter() + 5
    while "in serve" not in steps and time.perf_counter() < deadline:
        try:
            at, line = said.get(timeout=0.2)
        except queue.Empty:
            continue
        said_for = SHOWN.search(line) or PREVIEW.search(line)
        if at < saved or (said_for and at - float(said_for.group(1)) < saved - 0.05):
            continue  # a line about an earlier edit (its whole build, after this edit's save)
        preview = PREVIEW.search(line)
        if preview:  # the edited story's pages, before the build that regroups everything
            steps["in serve"] = float(preview.group(1))
            steps["preview"] = preview.group(2)
            steps["watch + fetch"] = round(total - steps["in serve"], 3)
        shown = SHOWN.search(line)
        if shown:
            steps["in serve"] = float(shown.group(1))
            for part in shown.group(2).split(", "):
                name, _, seconds = part.rpartition(" ")
                steps[name] = float(seconds)
            steps["watch + fetch"] = round(total - steps["in serve"], 3)  # the save seen, the page fetched
    return steps


def _wait_for_write(said: queue.Queue, timeout: float) -> list[float]:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        found = finished_writes(said)
        if found:
            return found
        time.sleep(0.1)
    return []


def finished_writes(said: queue.Queue) -> list[float]:
    """The seconds each "folder and search index written" line gave, of those not yet read."""
    found = []
    while not said.empty():
        match = WRITTEN.search(said.get()[1])
        if match:
            found.append(float(match.group(1)))
    return found


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


def pick_edit(project: Path) -> tuple[Path, str, str]:
    """A scraped seed, a run of its words that one article page alone shows as it is (a copy of
    the story from another seed may hold it too, and would never change), and that page."""
    path = sorted((project / "seeds").glob("*-scrape.txt"))[1]
    line = next(line for line in path.read_text(encoding="utf-8").split("\n") if len(line) > 200)
    words = line.split()
    pages = {p: p.read_bytes() for p in sorted((project / "site" / "articles").rglob("index.html"))}
    for phrase in (" ".join(words[i:i + 6]) for i in range(1, len(words) - 6)):
        holding = [p for p, data in pages.items() if phrase.encode() in data]
        if len(holding) == 1:
            return path, phrase, "/" + holding[0].parent.relative_to(project / "site").as_posix() + "/"
    raise RuntimeError(f"no article page alone shows a sentence of {path.name}")


class _Drop(Exception):
    """Leaves a staging without swapping it in (its folder is removed)."""


def probe_overlay(project: Path, changed: int = 3) -> dict:
    """serve's own steps before the page and after it, in this process, on a built project's
    folder: the recorder's listing of the served folder, a render's worth of files recorded
    (every page kept, ``changed`` articles new), the overlay made, then the replay into a real
    staging (the folder step's hard links), dropped unswapped. Wall and CPU seconds each."""
    from generator.cache import Store
    from generator.incremental import _out_key
    from generator.overlay import Recorder
    from generator.write import Staging

    out = project / "site"
    files = Store(project / ".digest-cache").get("sites", _out_key(out)).files
    steps, clock = {}, [time.perf_counter(), time.process_time()]

    def lap(name: str) -> None:
        now = [time.perf_counter(), time.process_time()]
        steps[name] = {"wall": round(now[0] - clock[0], 3), "cpu": round(now[1] - clock[1], 3)}
        clock[:] = now
    record = Recorder(out, files, lambda: Staging(out, listing=files))
    lap("listing")
    edited = set(sorted(p for p in files if p.startswith("articles/"))[:changed])
    for path, (digest, _, _) in sorted(files.items()):
        if path == ".digest-site" or path.startswith("pagefind/"):
            continue
        if path in edited:
            record.put(path, b"<p>changed</p>" + path.encode())
        elif record.kept(path, digest):
            record.keep(path, path, digest)
    lap("record")
    overlay = record.overlay()
    lap("overlay")
    try:
        with Staging(out, listing=files) as staging:
            record.replay(staging)
            lap("replay")
            raise _Drop
    except _Drop:
        pass
    lap("drop")
    return {"files": len(record.files), "changed": len(overlay.files), **steps}


def main(argv: list[str]) -> int:
    project = Path(argv[0]).resolve()
    if argv[1:2] == ["--probe"]:
        print(json.dumps(probe_overlay(project)))
        return 0
    edits = int(argv[1]) if len(argv) > 1 else 5
    seed, phrase, page = pick_edit(project)
    original = seed.read_bytes()
    breakdown: list = []
    try:
        latencies, peak = edit_latencies(project, seed, phrase, page, edits, timeout=300, breakdown=breakdown,
                                         start_timeout=3600)
    finally:
        seed.write_bytes(original)
    for steps in breakdown:
        print(json.dumps(steps))
    print(json.dumps({"latencies": [round(x, 3) for x in latencies], "peak_pss_mib": round(peak, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
