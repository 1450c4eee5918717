"""What the seeds folder may hold besides articles: a FIFO, a device, a socket, a huge sparse file.

Each is skipped with one line naming it and what it is, without being opened for reading (a FIFO
blocks, a device never ends) or read past the size limit; the rest of the site builds.
"""
from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from generator import limits
from generator.cache import scan_seeds
from generator.ingest import read_file, seed_files
from invented import article_text

ROOT = Path(__file__).resolve().parents[1]
HANG_GUARD = 300  # seconds: only so that a build that hangs fails the test instead of the suite


@pytest.fixture
def project(tmp_path) -> Path:
    for name in ("content", "themes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "digest.toml", tmp_path)
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "story.txt").write_text(article_text(1))
    return tmp_path


def build(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True,
                          text=True, timeout=HANG_GUARD, env={**os.environ, "PYTHONPATH": str(ROOT)})


def skipped_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("skipped ")]


def test_a_fifo_is_one_line_and_the_build_goes_on(project):
    os.mkfifo(project / "seeds" / "pipe.txt")
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert skipped_lines(result) == ["skipped pipe.txt: not a regular file (a FIFO)"]
    assert "1 stories from 1 articles" in result.stdout


def test_a_socket_is_one_line(project):
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(project / "seeds" / "listening"))
        result = build(project)
    finally:
        listener.close()
    assert result.returncode == 0, result.stderr
    assert skipped_lines(result) == ["skipped listening: not a regular file (a socket)"]


def test_a_character_device_is_one_line_and_never_read(project):
    try:  # /dev/zero's numbers: a device that never ends
        os.mknod(project / "seeds" / "zero", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    except PermissionError:
        pytest.skip("making a device node needs root")
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert skipped_lines(result) == ["skipped zero: not a regular file (a character device)"]


def test_a_huge_sparse_file_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(1 << 30)  # 1 GiB that costs no disk
    tracemalloc.start()
    try:
        hashes = scan_seeds(tmp_path).hashes
        articles, rejections = read_file(huge, "huge.txt")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert articles == [] and [r.reason for r in rejections] == [
        f"file too large (1,073,741,824 bytes; the limit is {limits.MAX_FILE_BYTES:,})"]
    assert hashes["huge.txt"].startswith("unread")
    assert peak < limits.MAX_FILE_BYTES  # not even the limit's worth was read


def test_a_file_growing_past_the_limit_is_read_only_one_byte_over(tmp_path):
    grown = tmp_path / "grown.txt"
    grown.write_bytes(b"a" * (limits.MAX_FILE_BYTES + 10))
    with pytest.raises(limits.LimitExceeded, match="file too large"):
        limits.read_regular_file(grown)


def test_special_files_are_listed_so_each_gets_its_line_but_links_and_hidden_files_are_not(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / ".hidden").write_text("x")
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    assert [p.name for p in seed_files(tmp_path)] == ["a.txt", "pipe"]
