"""The write stage's folder moves: the atomic swap, the spare folder, and what killed builds left.

Takes the output folder and the folder staged beside it (``write.Staging`` fills it); gives the
staged folder in the output's place and the replaced site kept as the *spare*, a hidden sibling
``.<out>.spare``, which the next build brings up to date instead of linking every file into a new
folder (and which no build ever removes wholesale). Each folder this stage makes holds the
``.digest-site`` marker from its first moment, so whatever a killed build leaves is known as ours.

- ``swap(tmp, out)``: one ``renameat2(RENAME_EXCHANGE)`` where the system has it (Linux), else
  the old folder moved aside to ``<out>.old-<pid>`` and the new one in; gives where the old site is.
- ``keep_spare(old, out)``: the replaced site becomes the spare, with a marker file of its own
  (a new inode), whose identity the caller records with the spare's listing; ``claim_spare``
  takes it back (renamed to the staging folder) only if its marker is still the recorded one, so
  a listing is never trusted for a folder it does not describe (a build killed after the spare
  was made but before its listing was stored, a spare another build took meanwhile).
- ``clear_leftovers(out)``: ``.tmp-``, ``.old-`` and ``.trash-`` folders of processes that are gone,
  holding the marker, are removed, after an ``.old-`` one is put back if no output folder is left.
"""
from __future__ import annotations

import errno
import os
import re
import shutil
import stat
from functools import lru_cache
from pathlib import Path

MARKER = ".digest-site"
MARKER_TEXT = b"Written by the digest generator; this whole folder is replaced on every build.\n"
SYNC_EACH_UP_TO = 64
PART = ".digest-part"  # the staging's one file in the making, at its top: renamed into place at once


def spare_path(out: Path) -> Path:
    return out.with_name(f".{out.name}.spare")


def marker_id(folder: Path) -> tuple[int, int] | None:
    """The inode and time of a folder's marker: which folder it is, across renames."""
    try:
        status = os.lstat(folder / MARKER)
    except OSError:
        return None
    return (status.st_ino, status.st_mtime_ns)


def claim_spare(out: Path, tmp: Path, marker: tuple[int, int]) -> bool:
    """Move the spare to ``tmp`` if it is the folder whose marker is ``marker``; False otherwise
    (a spare that is not is removed: no listing describes it)."""
    spare = spare_path(out)
    if not written_here(spare):
        return False
    try:
        os.rename(spare, tmp)  # atomic: of two builds, one gets it
    except OSError:
        return False
    if marker_id(tmp) == marker:
        return True
    remove_site(tmp)
    return False


def keep_spare(old: Path, out: Path) -> tuple[int, int] | None:
    """Make the replaced site ``old`` the spare, with a new marker; its marker's identity, or None
    if there is a spare already (another build's): then ``old`` is removed."""
    part = old / PART
    part.write_bytes(MARKER_TEXT)
    os.replace(part, old / MARKER)  # a new inode: no earlier listing can describe this folder
    marker = marker_id(old)
    try:
        os.rename(old, spare_path(out))
    except OSError:
        remove_site(old)
        return None
    return marker


def drop_spare(out: Path) -> None:
    """Remove a spare no listing describes, so that no later build takes it for another."""
    spare = spare_path(out)
    if written_here(spare):
        remove_site(spare)


def swap(tmp: Path, out: Path) -> Path | None:
    """Put ``tmp`` in ``out``'s place; gives where the replaced site now is (None: there was none)."""
    if out.exists() and _exchange(tmp, out):
        fsync_dir(out.parent)
        return tmp
    old = out.with_name(f"{out.name}.old-{os.getpid()}")
    remove(old)
    moved_aside = False
    try:
        if out.exists():
            os.rename(out, old)
            moved_aside = True
        os.rename(tmp, out)
    except BaseException:
        if moved_aside:
            os.rename(old, out)
        raise
    fsync_dir(out.parent)
    return old if moved_aside else None


AT_FDCWD = -100
RENAME_EXCHANGE = 2


@lru_cache(maxsize=1)
def _renameat2():
    import ctypes  # only where a folder is swapped: a build with nothing to do never needs it

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
    import ctypes

    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def copy_folder(out: Path) -> Path:
    """A new marked folder ``<out>.copy-<pid>`` beside the output, for ``link_into`` to fill with
    links to the staged site: the spare of a build that replaces no listed site (``keep_copy``)."""
    folder = out.with_name(f"{out.name}.copy-{os.getpid()}")
    remove(folder)
    folder.mkdir()
    (folder / MARKER).write_bytes(MARKER_TEXT)  # its own inode: which folder a listing describes
    return folder


def link_into(source: Path, target: Path, paths) -> None:
    """Hard-link each of ``paths`` (POSIX, relative) from ``source`` into ``target``, making folders."""
    made = {""}
    root, into = str(source), str(target)
    for relative in sorted(paths):
        parent = relative.rpartition("/")[0]
        if parent not in made:
            os.makedirs(os.path.join(into, parent), exist_ok=True)
            made.add(parent)
        os.link(os.path.join(root, relative), os.path.join(into, relative), follow_symlinks=False)


def keep_copy(folder: Path, out: Path) -> tuple[int, int] | None:
    """Make the filled ``copy_folder`` the spare; its marker's identity, or None (then it is removed)
    if a spare is there already."""
    marker = marker_id(folder)
    if marker is None or os.path.lexists(spare_path(out)):
        remove_site(folder)
        return None
    try:
        os.rename(folder, spare_path(out))
    except OSError:
        remove_site(folder)
        return None
    return marker


def trash(folder: Path, out: Path) -> Path:
    """Move ``folder`` out of the staged site into a marked ``<out>.trash-<pid>``, to be removed
    when it costs nothing to wait for (``remove_site``); gives the trash folder."""
    bin_ = out.with_name(f"{out.name}.trash-{os.getpid()}")
    if not bin_.exists():
        bin_.mkdir()
        (bin_ / MARKER).write_bytes(MARKER_TEXT)
    target, number = bin_ / folder.name, 0
    while target.exists():
        number += 1
        target = bin_ / f"{folder.name}-{number}"
    os.rename(folder, target)
    return bin_


def clear_leftovers(out: Path) -> None:
    """Remove what killed builds left beside ``out``; first put an old site back if ``out`` is gone."""
    if not out.parent.is_dir():
        return
    pattern = re.compile(rf"{re.escape(out.name)}\.(tmp|old|trash|copy)-(\d+)")
    for path in sorted(out.parent.iterdir()):
        match = pattern.fullmatch(path.name)
        if not match or int(match.group(2)) == os.getpid() or _running(int(match.group(2))):
            continue
        if not written_here(path):
            continue
        if match.group(1) == "old" and not out.exists():
            os.rename(path, out)  # killed between moving the old site aside and the new one in
        else:
            remove_site(path)


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


def written_here(path: Path) -> bool:
    """A folder this stage wrote: it holds the marker, or nothing yet."""
    if path.is_symlink() or not path.is_dir():
        return False
    return (path / MARKER).is_file() or not any(path.iterdir())


def remove_site(path: Path | None) -> None:
    """Remove a site folder, its marker last: if this is cut short, the rest is still known as ours."""
    if path is None:
        return
    if path.is_dir() and not path.is_symlink():
        for child in path.iterdir():
            if child.name != MARKER:
                remove(child)
    remove(path)


def remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def fsync_dir(path: Path) -> None:
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


def link(source: str, target: str) -> bool:
    try:
        os.link(source, target, follow_symlinks=False)
        return True
    except OSError:
        return False


def has_status(path: str, entry: tuple[str, int, int]) -> bool:
    """A regular file with the listed size and time (so, by the listing's word, its bytes)."""
    try:
        found = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(found.st_mode) and (found.st_size, found.st_mtime_ns) == entry[1:]


def remove_empty_folders(root: str, folders: set[str]) -> None:
    """Remove each folder (relative to ``root``) and its parents while they are empty."""
    for folder in sorted(folders, key=len, reverse=True):
        while folder:
            try:
                os.rmdir(os.path.join(root, folder))
            except OSError:
                break
            folder = os.path.dirname(folder)


def check_replaceable(out: Path, force: bool) -> None:
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


def same_bytes(path: str, data: bytes) -> bool:
    try:
        found = os.lstat(path)
        if not stat.S_ISREG(found.st_mode) or found.st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def sync_files(paths: list[str]) -> None:
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
