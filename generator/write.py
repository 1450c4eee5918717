"""The write stage: put a rendered site on disk, replacing the old output folder atomically.

Takes ``{output-relative POSIX path: bytes}`` (from ``generator.render.render_site``) and the
output folder, or the files one at a time through a ``Staging`` (the build's way: each page goes
to disk as it is rendered, and none is held); gives the folder holding exactly those files. Everything is written to a sibling
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

Cheap when little changed: a file whose bytes equal the old folder's file at the same path is
not written again but hard-linked from it into the new folder. The old files themselves are
never opened for writing, so until the swap the old folder is complete and unchanged whatever
happens (a build killed at any point leaves it as it was); after the swap the new folder is
complete; the links only mean the two share the unchanged files' storage meanwhile. When every
file is unchanged and none was added or removed, there is nothing to swap and nothing is done
(files under the ``derived`` folder that ``post_process`` makes from the others do not count).
Where links are refused (another file system, a link limit), the file is written instead.
"""
from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from .cache import file_hash

MARKER = ".digest-site"
MARKER_TEXT = b"Written by the digest generator; this whole folder is replaced on every build.\n"
SYNC_EACH_UP_TO = 64


def check_path(relative: str) -> PurePosixPath:
    """An output path as safe parts, or ``ValueError`` saying what is wrong with it."""
    return PurePosixPath(_checked(relative))


def _checked(relative: str) -> str:
    """The output path itself once it is known safe (plain string tests: a build checks 10,000)."""
    if not isinstance(relative, str) or not relative:
        raise ValueError(f"output path must be a non-empty string, got {relative!r}")
    if "\x00" in relative or "\\" in relative:
        raise ValueError(f"output path holds a NUL or a backslash: {relative!r}")
    if relative.startswith("/"):
        raise ValueError(f"output path is absolute: {relative!r}")
    if any(part in ("", ".", "..") for part in relative.split("/")):
        raise ValueError(f"output path has an empty, '.' or '..' part: {relative!r}")
    return relative


@dataclass(frozen=True)
class Written:
    """What a write did: files written anew, files linked unchanged from the old folder."""

    written: int
    linked: int


def write_site(files: Mapping[str, bytes], out: Path, *, force: bool = False,
               post_process: Callable[[Path], None] | None = None, derived: str | None = None,
               known_same: Collection[str] = ()) -> Written:
    """Replace ``out`` with exactly ``files``, atomically. ``force`` skips the marker check.

    ``post_process`` is called with the temporary folder once every file is in it; ``derived``
    names the folder it makes from the other files (the search index), which is made again
    whenever anything else changed. ``known_same``: paths the caller has checked are unchanged
    in the old folder, so they are not read to compare."""
    for name in files:
        check_path(name)  # every path is checked before anything is written
    with Staging(out, force=force, trusted=known_same) as staging:
        for name, data in files.items():
            staging.put(name, data)
        return staging.finish(post_process, derived)


class Staging:
    """A new output folder filled one file at a time (``put``, ``keep``), then swapped in for
    ``out`` by ``finish``; leaving the ``with`` block any other way removes it, and the old
    folder is as it was. So a build may write each page as it is rendered and hold none.

    ``listing``: what the last build left in ``out`` (path -> content hash, size, mtime_ns, as
    ``incremental.Manifest`` keeps it): an old file whose size and time are still the listed
    ones holds the listed bytes, so it is linked or passed over without being read."""

    def __init__(self, out: Path, *, force: bool = False,
                 listing: Mapping[str, tuple[str, int, int]] | None = None, trusted: Collection[str] = (),
                 remake_derived: bool = False, leave_old: bool = False):
        self.out = Path(out).absolute()
        # serve's two steps (build.py): the second stages the served folder's own files again
        # and must still make the derived folder anew and swap; the first leaves the old site
        # for the caller to remove (``remove_site(staging.left)``) once the page is shown.
        self.remake_derived, self.leave_old = remake_derived, leave_old
        self.left: Path | None = None
        _clear_leftovers(self.out)
        _check_replaceable(self.out, force)
        self.old = output_files(self.out)
        self.listing = listing or {}
        self.trusted = set(trusted)
        self.hashes: dict[str, str] = {}  # each staged file's content hash
        self.status: dict[str, tuple[int, int]] = {}  # each staged file's (size, mtime_ns), as known
        self.tmp = self.out.with_name(f"{self.out.name}.tmp-{os.getpid()}")
        self._root = str(self.tmp)
        self._written: list[str] = []
        self._linked = 0
        self._moved = False  # an old file staged under another path: a change even if no byte is new
        self._made: set[str] = set()
        _remove(self.tmp)
        self.tmp.parent.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir()
        self._made.add(self._root)
        self._stage(MARKER, MARKER_TEXT, file_hash(MARKER_TEXT))  # first: a folder cut short is still known as ours

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None:
            _remove(self.tmp)

    def put(self, relative: str, data: bytes) -> str:
        """Stage one file; gives its content hash. Unchanged bytes are linked from the old folder."""
        self._check_new(relative)
        digest = file_hash(data)
        self._stage(relative, data, digest)
        self.hashes[relative] = digest
        return digest

    def kept(self, source: str, digest: str) -> bool:
        """Whether the old folder's ``source`` is still the file the listing says holds ``digest``."""
        entry = self.old.get(source)
        return entry is not None and self._listed(source, entry) == digest

    def keep(self, relative: str, source: str, digest: str) -> None:
        """Stage the old folder's ``source`` (``kept`` said it holds ``digest``) as ``relative``,
        without reading it where it can be linked."""
        self._check_new(relative)
        target = self._target(relative)
        entry = self.old[source]
        if not _link(entry.path, target):
            with open(entry.path, "rb") as handle:
                data = handle.read()
            if file_hash(data) != digest:
                raise OSError(f"{source}: changed in the old output folder during the build")
            self._write(target, data, relative)
        else:
            self._linked += 1
            self._linked_status(relative, entry)
        self._moved = self._moved or source != relative
        self.hashes[relative] = digest

    def read(self, relative: str) -> bytes:
        """A staged file's bytes, read back."""
        with open(os.path.join(self._root, _checked(relative)), "rb") as handle:
            return handle.read()

    def finish(self, post_process: Callable[[Path], None] | None = None, derived: str | None = None) -> Written:
        """Swap the staged folder in (after ``post_process`` ran on it); when every file is the old
        folder's at the same path and none was added or removed, drop it and leave ``out`` alone
        (files under ``derived``, which ``post_process`` makes from the others, do not count)."""
        prior = {name for name in self.old if not (derived and name.split("/", 1)[0] == derived)}
        if not self.remake_derived and not self._written and not self._moved and prior == {*self.hashes, MARKER}:
            _remove(self.tmp)
            return Written(0, 0)
        _sync(self._written)
        _fsync_dir(self.tmp)
        if post_process is not None:
            post_process(self.tmp)
        self.left = _swap(self.tmp, self.out, remove_old=not self.leave_old)
        return Written(len(self._written), self._linked)

    def _check_new(self, relative: str) -> None:
        _checked(relative)
        if relative == MARKER:
            raise ValueError(f"output path {MARKER!r} is reserved for the generator's marker")
        if relative in self.hashes:
            raise ValueError(f"output path {relative!r} given twice")

    def _stage(self, relative: str, data: bytes, digest: str) -> None:
        target = self._target(relative)
        entry = self.old.get(relative)
        if entry is not None and self._same(relative, entry, data, digest) and _link(entry.path, target):
            self._linked += 1
            self._linked_status(relative, entry)
        else:
            self._write(target, data, relative)

    def _linked_status(self, relative: str, entry: os.DirEntry) -> None:
        """A hard link is the old file itself: its size and time, read when the folder was listed."""
        try:
            status = entry.stat(follow_symlinks=False)
        except OSError:
            return
        self.status[relative] = (status.st_size, status.st_mtime_ns)

    def _same(self, relative: str, entry: os.DirEntry, data: bytes, digest: str) -> bool:
        if relative in self.trusted:
            return True
        listed = self._listed(relative, entry)
        return listed == digest if listed else _same_bytes(entry, data)

    def _listed(self, relative: str, entry: os.DirEntry) -> str | None:
        """The listed hash of an old file, if its size and time are still the listed ones."""
        known = self.listing.get(relative)
        try:
            status = entry.stat(follow_symlinks=False)
        except OSError:
            return None
        return known[0] if known and (status.st_size, status.st_mtime_ns) == known[1:] else None

    def _target(self, relative: str) -> str:
        """Where a checked path goes in the new folder, its folders made (a string: pathlib's
        parsing was a tenth of staging 10,000 pages)."""
        target = os.path.join(self._root, relative)
        parent = os.path.dirname(target)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        return target

    def _write(self, target: str, data: bytes, relative: str) -> None:
        with open(target, "xb") as handle:
            handle.write(data)
            handle.flush()
            status = os.fstat(handle.fileno())  # nothing writes to it after this: its final time
        self.status[relative] = (status.st_size, status.st_mtime_ns)
        self._written.append(target)


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


def _link(source: str, target: str) -> bool:
    try:
        os.link(source, target, follow_symlinks=False)
        return True
    except OSError:
        return False


def _sync(paths: list[str]) -> None:
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


def _swap(tmp: Path, out: Path, remove_old: bool = True) -> Path | None:
    """Move the new tree into place and remove the old one, if any (else give where it is)."""
    if out.exists() and _exchange(tmp, out):
        _fsync_dir(out.parent)
        return _removed(tmp, remove_old)  # now the old site
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
    return _removed(old, remove_old)


def _removed(old: Path, remove: bool) -> Path | None:
    if not remove:
        return old if old.exists() else None
    _remove_site(old)
    return None


def remove_site(path: Path | None) -> None:
    """Remove an old site that ``Staging(leave_old=True)`` left beside the output folder."""
    if path is not None:
        _remove_site(path)


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
