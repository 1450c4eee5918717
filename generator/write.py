"""The write stage: put a rendered site on disk, replacing the old output folder atomically.

Takes ``{output-relative POSIX path: bytes}`` (from ``generator.render.render_site``) and the
output folder; gives the folder holding exactly those files. Everything is written to a sibling
``<out>.tmp-<pid>`` first and synced; only then is the old folder swapped out and removed. If
anything fails before the swap, the temporary folder is removed and the old output is left
exactly as it was. Paths are checked before anything is written: an absolute path, ``..``, a
NUL or a backslash is refused with ``ValueError``. A non-empty folder that this stage did not
write (no ``.digest-site`` marker) is never replaced, so a mistyped ``--out`` cannot delete it.
An optional ``post_process(folder)`` runs on the finished temporary folder before the swap (the
search index is built there), so whatever it adds is swapped in with the rest, or not at all.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath

MARKER = ".digest-site"
MARKER_TEXT = b"Written by the digest generator; this whole folder is replaced on every build.\n"


def check_path(relative: str) -> PurePosixPath:
    """An output path as safe parts, or ``ValueError`` saying what is wrong with it."""
    if not isinstance(relative, str) or not relative:
        raise ValueError(f"output path must be a non-empty string, got {relative!r}")
    if "\x00" in relative or "\\" in relative:
        raise ValueError(f"output path holds a NUL or a backslash: {relative!r}")
    path = PurePosixPath(relative)
    if path.is_absolute():
        raise ValueError(f"output path is absolute: {relative!r}")
    if any(part in ("", ".", "..") for part in relative.split("/")):
        raise ValueError(f"output path has an empty, '.' or '..' part: {relative!r}")
    return path


def write_site(files: Mapping[str, bytes], out: Path, *, force: bool = False,
               post_process: Callable[[Path], None] | None = None) -> None:
    """Replace ``out`` with exactly ``files``, atomically. ``force`` skips the marker check;
    ``post_process`` is called with the temporary folder once every file is in it."""
    checked = {check_path(name): data for name, data in files.items()}
    if PurePosixPath(MARKER) in checked:
        raise ValueError(f"output path {MARKER!r} is reserved for the generator's marker")
    out = Path(out).absolute()
    _check_replaceable(out, force)
    tmp = out.with_name(f"{out.name}.tmp-{os.getpid()}")
    _remove(tmp)
    try:
        _write_tree(tmp, {**checked, PurePosixPath(MARKER): MARKER_TEXT})
        if post_process is not None:
            post_process(tmp)
    except BaseException:
        _remove(tmp)
        raise
    _swap(tmp, out)


def _check_replaceable(out: Path, force: bool) -> None:
    if not out.exists():
        return
    if out.is_symlink() or not out.is_dir():
        raise ValueError(f"{out}: exists and is not a folder; refusing to replace it")
    if Path.cwd().resolve().is_relative_to(out.resolve()):
        raise ValueError(f"{out}: holds the current folder; refusing to replace it")
    if not force and not (out / MARKER).is_file() and any(out.iterdir()):
        raise ValueError(f"{out}: not empty and not written by the generator (no {MARKER}); "
                         "refusing to replace it")


def _write_tree(root: Path, files: Mapping[PurePosixPath, bytes]) -> None:
    root.parent.mkdir(parents=True, exist_ok=True)
    root.mkdir()
    for relative, data in sorted(files.items()):
        target = root.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    _fsync_dir(root)


def _swap(tmp: Path, out: Path) -> None:
    """Move the new tree into place; the old one, if any, is moved aside first and then removed."""
    old = out.with_name(f"{out.name}.old-{os.getpid()}")
    _remove(old)
    moved_aside = False
    try:
        if out.exists():
            os.rename(out, old)
            moved_aside = True
        os.rename(tmp, out)
    except BaseException:
        if moved_aside:
            os.rename(old, out)
        _remove(tmp)
        raise
    _fsync_dir(out.parent)
    _remove(old)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # some systems cannot open folders; the data itself is already synced
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
