"""The write stage: put a rendered site on disk, replacing the old output folder atomically.

Takes ``{output-relative POSIX path: bytes}`` (from ``generator.render.render_site``) and the
output folder; gives the folder holding exactly those files. Everything is written to a sibling
``<out>.tmp-<pid>`` first and synced; only then is the old folder swapped out and removed. If
anything fails before the swap, the temporary folder is removed and the old output is left
exactly as it was. Paths are checked before anything is written: an absolute path, ``..``, a
NUL or a backslash is refused with ``ValueError``. A non-empty folder that this stage did not
write (no ``.digest-site`` marker) is never replaced, so a mistyped ``--out`` cannot delete it.

Cheap when little changed: a file whose bytes equal the old folder's file at the same path is
not written again but hard-linked from it into the new folder. The old files themselves are
never opened for writing, so until the swap the old folder is complete and unchanged whatever
happens (a build killed at any point leaves it as it was); after the swap the new folder is
complete; the links only mean the two share the unchanged files' storage meanwhile. When every
file is unchanged and none was added or removed, there is nothing to swap and nothing is done.
Where links are refused (another file system, a link limit), the file is written instead.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MARKER = ".digest-site"
MARKER_TEXT = b"Written by the digest generator; this whole folder is replaced on every build.\n"
SYNC_EACH_UP_TO = 64


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


@dataclass(frozen=True)
class Written:
    """What a write did: files written anew, files linked unchanged from the old folder."""

    written: int
    linked: int


def write_site(files: Mapping[str, bytes], out: Path, *, force: bool = False,
               known_same: Collection[str] = ()) -> Written:
    """Replace ``out`` with exactly ``files``, atomically. ``force`` skips the marker check.

    ``known_same``: paths the caller has checked are unchanged in the old folder (by a hash
    recorded when it was written and the file's size and time), so they are not read to compare."""
    checked = {check_path(name): data for name, data in files.items()}
    if PurePosixPath(MARKER) in checked:
        raise ValueError(f"output path {MARKER!r} is reserved for the generator's marker")
    out = Path(out).absolute()
    _check_replaceable(out, force)
    wanted = {**checked, PurePosixPath(MARKER): MARKER_TEXT}
    old = output_files(out)
    trusted = set(known_same)
    unchanged = {path: old[str(path)].path for path, data in wanted.items()
                 if str(path) in old and (str(path) in trusted or _same_bytes(old[str(path)], data))}
    if len(unchanged) == len(wanted) == len(old):
        return Written(0, 0)
    tmp = out.with_name(f"{out.name}.tmp-{os.getpid()}")
    _remove(tmp)
    try:
        written = _write_tree(tmp, wanted, unchanged)
    except BaseException:
        _remove(tmp)
        raise
    _swap(tmp, out)
    return Written(written, len(wanted) - written)


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


def output_files(out: Path) -> dict[str, os.DirEntry]:
    """The regular files of an output folder, by relative POSIX path (links are never reused);
    each entry carries its status, so a 10,000-page folder is listed in one pass of scandir."""
    found: dict[str, os.DirEntry] = {}
    if not out.is_dir():
        return found
    pending = [(str(out), "")]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.is_file(follow_symlinks=False):
                    found[prefix + entry.name] = entry
    return found


def _same_bytes(old: os.DirEntry, data: bytes) -> bool:
    try:
        if old.stat(follow_symlinks=False).st_size != len(data):
            return False
        with open(old.path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _write_tree(root: Path, files: Mapping[PurePosixPath, bytes], unchanged: Mapping[PurePosixPath, str]) -> int:
    """Write or link every file under ``root``; gives how many were written anew."""
    root.parent.mkdir(parents=True, exist_ok=True)
    root.mkdir()
    made, written = {root}, []
    for relative, data in sorted(files.items()):
        target = root.joinpath(*relative.parts)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if relative in unchanged and _link(unchanged[relative], target):
            continue
        with open(target, "xb") as handle:
            handle.write(data)
        written.append(target)
    _sync(written)
    _fsync_dir(root)
    return len(written)


def _link(source: str, target: Path) -> bool:
    try:
        os.link(source, target, follow_symlinks=False)
        return True
    except OSError:
        return False


def _sync(paths: list[Path]) -> None:
    """Make the new files durable before the swap: one system-wide sync for many files (one
    journal commit instead of one per file), else an fsync each."""
    if len(paths) > SYNC_EACH_UP_TO and hasattr(os, "sync"):
        os.sync()
        return
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


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
