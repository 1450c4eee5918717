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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .cache import file_hash
from .swap import (MARKER, MARKER_TEXT, PART, fsync_dir, keep_spare, marker_id, remove_empty_folders, remove_site,
                   spare_path, swap, sync_files, trash)


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
            return self._leave(kept_derived)
        if kept_derived and not (reuse_derived and post_process and kept_derived == derived):
            self._bin = trash(self.tmp / kept_derived, self.out)
        sync_files(self._written)
        fsync_dir(self.tmp)
        if post_process is not None:
            self._processed = True
            post_process(self.tmp)
        staged = {**{p: (self.hashes[p], *self.status[p]) for p in self.hashes},
                  MARKER: (file_hash(MARKER_TEXT), *self.status[MARKER])}
        old = swap(self.tmp, self.out)
        self.out_marker = marker_id(self.out)
        self._settle(old, derived)
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

    def _leave(self, kept_derived: str | None) -> Written:
        """Nothing changed: the output stays; the staging folder goes back to be the spare."""
        if self.record is None:
            remove_site(self.tmp)
            return Written(0, 0)
        files = {**{p: (self.hashes[p], *self.status[p]) for p in self.hashes},
                 MARKER: (file_hash(MARKER_TEXT), *self.status[MARKER])}
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
