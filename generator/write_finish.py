"""The write stage's last step: swap a filled ``write.Staging`` in and keep the replaced site as the spare.

Takes a staging folder every file of the new site was put in (``write.py``); gives the output
folder replaced by it atomically (``swap.py``), or left alone when every file is the output's
already, and the replaced site kept beside it as the *spare* with the listing it was written
with, for the next build to bring up to date. A build that fails before the swap gives a claimed
spare back as it is listed. ``Finishing`` is the part of ``Staging`` that does this: it reads the
staging's state (``hashes``, ``status``, ``base``, ``listing``) and holds none of its own.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .cache import file_hash
from .swap import (MARKER, MARKER_TEXT, PART, copy_folder, fsync_dir, keep_copy, keep_spare, link_into, marker_id,
                   output_files, remove_empty_folders, remove_site, spare_path, swap, sync_files, trash)


@dataclass(frozen=True)
class Written:
    """What a write did: files written anew, files taken unchanged (linked, or already there)."""

    written: int
    linked: int


@dataclass(frozen=True)
class Spare:
    """The spare folder's listing: which folder (its marker's inode and time) and what it holds,
    path -> (content hash, size, mtime_ns), besides the ``derived`` folder it holds whole."""

    marker: tuple[int, int]
    files: Mapping[str, tuple[str, int, int]]
    derived: str | None = None


# What this process last left at each output folder: its listing and its spare's, so that a
# second staging in the same process (serve's second step, tests) needs neither passed in.
_KNOWN: dict[str, tuple[dict[str, tuple[str, int, int]], Spare | None, tuple[int, int] | None]] = {}


class Finishing:
    """What ``write.Staging`` does once every file is staged (its attributes are the staging's)."""

    def finish(self, post_process: Callable[[Path], None] | None = None, derived: str | None = None,
               reuse_derived: bool = False) -> Written:
        """Swap the staged folder in (after ``post_process`` ran on it); when every file is the old
        folder's at the same path and none was added or removed, leave ``out`` alone (files under
        ``derived``, which ``post_process`` makes from the others, do not count). ``reuse_derived``:
        ``post_process`` is given the spare's ``derived`` folder in place, to reuse what it can
        (the search index's shards); otherwise it finds none there."""
        self._remove_extras()
        kept_derived = self._base_derived()
        if not self.remake_derived and self._trust_out and self._unchanged(derived):
            return self._leave(kept_derived, derived)
        if kept_derived and not (reuse_derived and post_process and kept_derived == derived):
            self._bin = trash(self.tmp / kept_derived, self.out)
        sync_files(self._written)
        fsync_dir(self.tmp)
        copying = self._start_copy()
        try:
            if post_process is not None:
                self._processed = True
                post_process(self.tmp)
        except BaseException:
            if copying is not None:
                remove_site(copying.done())
            raise
        copy = copying.done() if copying else None  # before the swap: it links from the staging folder
        staged = {**{p: (self.hashes[p], *self.status[p]) for p in self.hashes},
                  MARKER: (file_hash(MARKER_TEXT), *self.status[MARKER])}
        old = swap(self.tmp, self.out)
        self.out_marker = marker_id(self.out)
        self._settle(old, derived)
        if copy is not None:
            self._spare_from_copy(copy, staged, derived)
        _KNOWN[self._out_root] = (staged, self.spare, self.out_marker)
        if self._bin is not None:
            if self.leave_old:
                self.left = self._bin
            else:
                remove_site(self._bin)
        return Written(len(self._written), self._linked)

    # -- finishing -----------------------------------------------------------------------------

    def _remove_extras(self) -> None:
        """Remove what the spare held and the build did not stage (but its derived folder)."""
        folders = set()
        for relative in list(self.base):
            try:
                os.unlink(os.path.join(self._root, relative))
            except FileNotFoundError:
                pass
            del self.base[relative]
            folders.add(os.path.dirname(relative))
        remove_empty_folders(self._root, folders)

    def _base_derived(self) -> str | None:
        derived = self.record.derived if self.record else None
        return derived if derived and os.path.isdir(os.path.join(self._root, derived)) else None

    def _unchanged(self, derived: str | None) -> bool:
        """Every staged file is the output's at the same path, and the output has no other."""
        if len(self._as_out) != len(self.hashes) + 1:  # the marker is one of them
            return False
        if self.old is not None:
            prior = {name for name in self.old if not (derived and name.split("/", 1)[0] == derived)}
            return prior == {*self.hashes, MARKER}
        prior = {name for name in self.listing if not (derived and name.split("/", 1)[0] == derived)}
        return prior == {*self.hashes, MARKER} and all(self._out_holds(p, self.hashes[p]) for p in self.hashes)

    def _leave(self, kept_derived: str | None, derived: str | None) -> Written:
        """Nothing changed: the output stays; the staging folder goes back to be the spare."""
        files = {**{p: (self.hashes[p], *self.status[p]) for p in self.hashes},
                 MARKER: (file_hash(MARKER_TEXT), *self.status[MARKER])}
        if self.record is None:
            if not self.copy_spare or self.leave_old:
                remove_site(self.tmp)
                return Written(0, 0)
            # a staging folder made anew holds the output's files, linked: with the output's
            # derived folder linked in too, it is a spare as it stands
            try:
                kept_derived = self._link_derived(self.tmp, derived)
            except OSError:  # links refused: no spare, as before
                remove_site(self.tmp)
                return Written(0, 0)
        self._make_spare(self.tmp, files, kept_derived)
        _KNOWN[self._out_root] = (dict(self.listing), self.spare, self.out_marker)
        return Written(0, 0)

    def _settle(self, old: Path | None, derived: str | None) -> None:
        """The replaced site becomes the spare, with the listing it was written with; without
        one it is removed (or left for the caller)."""
        if old is None:
            return
        if not self._listing_is_out:
            if self.leave_old:
                self.left = old
            else:
                remove_site(old)
            return
        files = {p: e for p, e in self.listing.items() if not (derived and p.split("/", 1)[0] == derived)}
        self._make_spare(old, files, derived if derived and (old / derived).is_dir() else None)

    def _start_copy(self) -> _Copy | None:
        """When no replaced site will become the spare (the first build into a folder, or one whose
        old site no listing describes), a spare is made of the new site itself, linked file by file
        into a folder beside it while ``post_process`` runs (the search index: minutes of Pagefind
        at 10,000 pages in a clean build), so the first edit after it finds a spare to bring up to
        date instead of linking every file of the site into a new folder (seconds of system time)."""
        if not self.copy_spare or self.leave_old or (self._listing_is_out and self.out.exists()):
            return None
        return _Copy(copy_folder(self.out), self.tmp, list(self.hashes))

    def _spare_from_copy(self, folder: Path, staged: dict, derived: str | None) -> None:
        """The copy becomes the spare, with the new site's listing (it holds the same files, linked)
        and, linked in now, the derived folder ``post_process`` made."""
        if self.spare is not None:  # the replaced site became the spare after all
            remove_site(folder)
            return
        try:
            held = self._link_derived(folder, derived)
        except OSError:
            remove_site(folder)
            return
        marker = keep_copy(folder, self.out)
        if marker is not None:
            found = os.lstat(spare_path(self.out) / MARKER)
            files = {p: e for p, e in staged.items() if p != MARKER}
            files[MARKER] = (file_hash(MARKER_TEXT), found.st_size, found.st_mtime_ns)
            self.spare = Spare(marker, files, held)

    def _link_derived(self, folder: Path, derived: str | None) -> str | None:
        """Link the output's ``derived`` folder into ``folder``; gives its name if there was one."""
        if not derived or not (self.out / derived).is_dir():
            return None
        link_into(self.out, folder, [f"{derived}/{p}" for p in output_files(self.out / derived)])
        return derived

    def _make_spare(self, folder: Path, files: dict, derived: str | None) -> None:
        marker = keep_spare(folder, self.out)
        if marker is not None:
            spare = spare_path(self.out)
            found = os.lstat(spare / MARKER)
            files[MARKER] = (file_hash(MARKER_TEXT), found.st_size, found.st_mtime_ns)
            self.spare = Spare(marker, files, derived)

    def _abandon(self) -> None:
        """The build failed before the swap: the output is untouched. A claimed spare goes back
        as it is listed (what this build added removed; what it replaced no longer has the listed
        times, so it is not trusted); any other staging folder is removed."""
        part = os.path.join(self._root, PART)
        if os.path.lexists(part):
            os.unlink(part)
        remove_site(self._bin)
        if self.record is None or self._processed:
            remove_site(self.tmp)
            return
        added = [p for p in self.hashes if p not in self.record.files]
        for relative in added:
            try:
                os.unlink(os.path.join(self._root, relative))
            except OSError:
                pass
        remove_empty_folders(self._root, {os.path.dirname(p) for p in added})
        try:
            os.rename(self.tmp, spare_path(self.out))
        except OSError:
            remove_site(self.tmp)


class _Copy:
    """``swap.link_into`` run in a thread of its own (links wait on the disk, not on Python)."""

    def __init__(self, folder: Path, source: Path, paths: list[str]):
        self.folder, self.failed = folder, False
        self._thread = threading.Thread(target=self._run, args=(source, paths), daemon=True)
        self._thread.start()

    def _run(self, source: Path, paths: list[str]) -> None:
        try:
            link_into(source, self.folder, paths)
        except OSError:  # links refused (a limit, another file system): no spare, as before
            self.failed = True

    def done(self) -> Path | None:
        """The filled folder once every link is made; None (and nothing left) if one failed."""
        self._thread.join()
        if self.failed:
            remove_site(self.folder)
            return None
        return self.folder
