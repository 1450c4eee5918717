"""The write stage: put a rendered site on disk, replacing the old output folder atomically.

Takes ``{output-relative POSIX path: bytes}`` (from ``generator.render.render_site``) and the
output folder; gives the folder holding exactly those files. Everything is written to a sibling
``<out>.tmp-<pid>`` first and synced; only then are the two folders swapped, in one step where
the system can (Linux ``renameat2`` with ``RENAME_EXCHANGE``), else by moving the old folder
aside to ``<out>.old-<pid>`` and the new one in. If anything fails before the swap, the temporary
folder is removed and the old output is left exactly as it was; a build killed at any moment
leaves the old or the new site whole. Paths are checked before anything is written: an absolute
path, ``..``, a NUL or a backslash is refused with ``ValueError``. A non-empty folder that this
stage did not write (no ``.digest-site`` marker) is never replaced, so a mistyped ``--out``
cannot delete it. Leftovers of killed builds beside the output folder (``.tmp-``/``.old-``
folders of a process that is gone, holding the marker) are removed by the next build, after an
``.old-`` one is put back if a kill left no output folder at all.
An optional ``post_process(folder)`` runs on the finished temporary folder before the swap (the
search index is built there), so whatever it adds is swapped in with the rest, or not at all.
"""
from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
from collections.abc import Callable, Mapping
from functools import lru_cache
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
    _clear_leftovers(out)
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
    """The files under a new folder, the marker first: a folder cut short is still known as ours."""
    root.parent.mkdir(parents=True, exist_ok=True)
    root.mkdir()
    marker = PurePosixPath(MARKER)
    for relative, data in sorted(files.items(), key=lambda item: (item[0] != marker, item[0])):
        target = root.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    _fsync_dir(root)


def _swap(tmp: Path, out: Path) -> None:
    """Move the new tree into place and remove the old one, if any."""
    if out.exists() and _exchange(tmp, out):
        _fsync_dir(out.parent)
        _remove_site(tmp)  # now the old site
        return
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
    _remove_site(old)


AT_FDCWD = -100
RENAME_EXCHANGE = 2


@lru_cache(maxsize=1)
def _renameat2():
    try:
        return getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    except (OSError, TypeError):  # no C library to open this way (Windows): use the fallback
        return None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step; False where the system or file system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _clear_leftovers(out: Path) -> None:
    """Remove what killed builds left beside ``out``; first put an old site back if ``out`` is gone."""
    if not out.parent.is_dir():
        return
    pattern = re.compile(rf"{re.escape(out.name)}\.(tmp|old)-(\d+)")
    for path in sorted(out.parent.iterdir()):
        match = pattern.fullmatch(path.name)
        if not match or int(match.group(2)) == os.getpid() or _running(int(match.group(2))):
            continue
        if not _written_here(path):
            continue
        if match.group(1) == "old" and not out.exists():
            os.rename(path, out)  # killed between moving the old site aside and the new one in
        else:
            _remove_site(path)


def _running(pid: int) -> bool:
    """Whether a process may still be writing its folder (when unsure: yes, leave it alone)."""
    if os.name != "posix":
        return True  # os.kill(pid, 0) is not a harmless probe on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _written_here(path: Path) -> bool:
    """A folder this stage wrote: it holds the marker, or nothing yet."""
    if path.is_symlink() or not path.is_dir():
        return False
    return (path / MARKER).is_file() or not any(path.iterdir())


def _remove_site(path: Path) -> None:
    """Remove a site folder, its marker last: if this is cut short, the rest is still known as ours."""
    if path.is_dir() and not path.is_symlink():
        for child in path.iterdir():
            if child.name != MARKER:
                _remove(child)
    _remove(path)


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
