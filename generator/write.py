"""The write stage: put a rendered site on disk, replacing the old output folder atomically.

Takes ``{output-relative POSIX path: bytes}`` (from ``generator.render.render_site``) and the
output folder, or the files one at a time through a ``Staging`` (the build's way: each page goes
to disk as it is rendered, and none is held); gives the folder holding exactly those files.
Everything goes into a sibling ``<out>.tmp-<pid>`` first and is synced; only then are the two
folders swapped, in one step where the system can (``swap.py``). If anything fails before the
swap, the old output is left exactly as it was; a build killed at any moment leaves the old or
the new site whole. Paths are checked before anything is written: an absolute path, ``..``, a
NUL or a backslash is refused with ``ValueError``. A non-empty folder that this stage did not
write (no ``.digest-site`` marker) is never replaced, so a mistyped ``--out`` cannot delete it.
An optional ``post_process(folder)`` runs on the finished staged folder before the swap (the
search index is built there), so whatever it adds is swapped in with the rest, or not at all.

Work in proportion to the change (double buffering): the site a swap replaces is not removed
but kept beside the output as the *spare* (``.<out>.spare``), with its listing (``Spare``: each
file's content hash, size and time, as the build that wrote it left them). The next build claims
the spare as its staging folder and brings it up to date: a file the spare already holds (its
size and time still the listed ones) is left as it is; one the output folder holds is hard-linked
from there; only the others are written. Nothing is ever written into an existing file: a file
that changes is written (or linked) under a temporary name and renamed over the old one, so the
spare and the output, which share the storage of every unchanged file, never see each other's
changes, and the output is complete and unchanged until the swap. After the swap only what the
spare held and the build does not is removed. Without a listing to trust (the first build, a
spare another process took), the staging folder starts empty and every unchanged file is linked
from the output; and since no listed site is replaced to become the spare, the build (with
``copy_spare``) makes one of the new site, linked file by file while the search index runs, so
that the next build again writes only what changed. When every file equals the output's at the same path and none was
added or removed, there is nothing to swap and nothing is done (files under the ``derived``
folder that ``post_process`` makes from the others do not count). Where links are refused
(another file system, a link limit), the file is written instead.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping
from pathlib import Path, PurePosixPath

from .cache import file_hash
from .swap import (MARKER, MARKER_TEXT, PART, check_replaceable, claim_spare, clear_leftovers, drop_spare, has_status, marker_id,
                   output_files, remove, remove_site, same_bytes, spare_path)
from .write_finish import _KNOWN, Finishing, Spare, Written

__all__ = ["MARKER", "MARKER_TEXT", "Spare", "Staging", "Written", "check_path", "output_files", "remove_site",
           "spare_path", "write_site"]


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


def write_site(files: Mapping[str, bytes], out: Path, *, force: bool = False,
               post_process: Callable[[Path], None] | None = None, derived: str | None = None,
               known_same: Collection[str] = ()) -> Written:
    """Replace ``out`` with exactly ``files``, atomically. ``force`` skips the marker check.

    ``post_process`` is called with the staged folder once every file is in it; ``derived``
    names the folder it makes from the other files (the search index), which is made again
    whenever anything else changed. ``known_same``: paths the caller has checked are unchanged
    in the old folder, so they are not read to compare."""
    for name in files:
        check_path(name)  # every path is checked before anything is written
    with Staging(out, force=force, trusted=known_same) as staging:
        for name, data in files.items():
            staging.put(name, data)
        return staging.finish(post_process, derived)


class Staging(Finishing):
    """A new output folder filled one file at a time (``put``, ``keep``), then swapped in for
    ``out`` by ``finish``; leaving the ``with`` block any other way leaves the old folder as it
    was. So a build may write each page as it is rendered and hold none.

    ``listing``: what the last build left in ``out`` (path -> content hash, size, mtime_ns, as
    ``incremental.Manifest`` keeps it): an old file whose size and time are still the listed
    ones holds the listed bytes, so it is linked or passed over without being read. ``spare``:
    the spare folder's listing, as the last build gave it (``self.spare`` after ``finish``).
    Either, when not given, is what this process last left there."""

    def __init__(self, out: Path, *, force: bool = False,
                 listing: Mapping[str, tuple[str, int, int]] | None = None, trusted: Collection[str] = (),
                 remake_derived: bool = False, leave_old: bool = False, spare: Spare | None = None,
                 listing_marker: tuple[int, int] | None = None, trust_out: bool = True, copy_spare: bool = False):
        self.out = Path(out).absolute()
        # serve's two steps (build.py): the second stages the served folder's own files again
        # and must still make the derived folder anew and swap; the first leaves what is to be
        # removed for the caller to remove (``remove_site(staging.left)``) once the page is shown.
        self.remake_derived, self.leave_old = remake_derived, leave_old
        # when no replaced site can become the spare, make one of the new site (write_finish._start_copy)
        self.copy_spare = copy_spare
        self.left: Path | None = None
        self.spare: Spare | None = None  # after finish: the listing of the spare beside ``out``
        clear_leftovers(self.out)
        check_replaceable(self.out, force)
        current = marker_id(self.out)
        known_listing, known_spare, known_marker = _KNOWN.get(str(self.out), ({}, None, None))
        if current is not None and known_marker == current:  # what this process last did here
            listing, spare, listing_marker = known_listing, known_spare, known_marker
        self.listing = listing or {}
        # the listing is the output folder's own (its marker is the one it was made with), so the
        # output may become the spare with it as its listing; else it only guides, file by file
        self._listing_is_out = bool(self.listing) and current is not None and listing_marker == current
        # ``trust_out`` False: the output was changed by hand (a file added, say), so it is
        # replaced even when every listed file is as staged, and not kept as the spare
        self._trust_out = trust_out
        self._listing_is_out = self._listing_is_out and trust_out
        self.out_marker = current  # after finish: the output's marker, for the next listing
        record = spare
        self.trusted = set(trusted)
        self.hashes: dict[str, str] = {}  # each staged file's content hash
        self.status: dict[str, tuple[int, int]] = {}  # each staged file's (size, mtime_ns)
        self.tmp = self.out.with_name(f"{self.out.name}.tmp-{os.getpid()}")
        self._root, self._out_root = str(self.tmp), str(self.out)
        self._written: list[str] = []
        self._linked = 0
        self._as_out: set[str] = set()  # staged paths holding the output's bytes at the same path
        self._checked: set[str] = set()  # base files whose status was found to be the listed one
        self._processed = False  # post_process ran on the folder: its state is no longer known here
        self._bin: Path | None = None  # where the spare's derived folder went, if it is not reused
        self._part = PART  # the file in the making (a helper process staging beside this one has its own)
        remove(self.tmp)
        self.tmp.parent.mkdir(parents=True, exist_ok=True)
        self.record = record if record is not None and claim_spare(self.out, self.tmp, record.marker) else None
        if record is None:
            # a spare no listing describes can never be claimed, and while it is there the site
            # this build replaces cannot become the spare (``keep_spare``): every later build would
            # stage every file anew and remove the replaced site whole
            drop_spare(self.out)
        # what the staging folder holds that this build has not staged (yet): the spare's files
        self.base: dict[str, tuple[str, int, int]] = dict(self.record.files) if self.record else {}
        self.old = None if self.listing else output_files(self.out)  # no listing: compared by bytes
        if self.record:
            self.base.pop(MARKER, None)
            found = os.lstat(os.path.join(self._root, MARKER))
            self.status[MARKER] = (found.st_size, found.st_mtime_ns)
            self._linked += 1
            if self._out_listed(MARKER, file_hash(MARKER_TEXT)):
                self._as_out.add(MARKER)
        else:
            self.tmp.mkdir()
            self._first_marker()  # first: a folder cut short is still ours

    def _first_marker(self) -> None:
        """The new folder's marker, straight under its name (there is nothing there to replace):
        linked from the output's when that holds the same bytes."""
        source, target = os.path.join(self._out_root, MARKER), os.path.join(self._root, MARKER)
        with open(target, "xb") as handle:  # its own inode: which folder a listing describes
            handle.write(MARKER_TEXT)
        self._written.append(target)
        if same_bytes(source, MARKER_TEXT):
            self._as_out.add(MARKER)
        found = os.lstat(target)
        self.status[MARKER] = (found.st_size, found.st_mtime_ns)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None and self.tmp.exists():
            self._abandon()

    def put(self, relative: str, data: bytes) -> str:
        """Stage one file; gives its content hash. Bytes the folder or the output already holds
        are not written again."""
        self._check_new(relative)
        digest = file_hash(data)
        self._put(relative, data, digest)
        self.hashes[relative] = digest
        return digest

    def kept(self, source: str, digest: str) -> bool:
        """Whether the output's ``source`` (or the staging folder's, from the spare) is still the
        file the listing says holds ``digest``, so ``keep`` can stage it unread."""
        return self._holds(source, digest) or self._out_holds(source, digest)

    def keep(self, relative: str, source: str, digest: str) -> None:
        """Stage the old folder's ``source`` (``kept`` said it holds ``digest``) as ``relative``,
        without reading it where it can be linked."""
        self._check_new(relative)
        if source == relative and (self._out_listed(relative, digest) or self.old is not None):
            self._as_out.add(relative)  # without a listing, the caller vouches for the output's file
        if self._holds(relative, digest):
            self._take_base(relative)
        elif source != relative and self._holds(source, digest):
            self._link_in(os.path.join(self._root, source), relative)
        elif not self._link_in(os.path.join(self._out_root, source), relative):
            with open(os.path.join(self._out_root, source), "rb") as handle:
                data = handle.read()
            if file_hash(data) != digest:
                raise OSError(f"{source}: changed in the old output folder during the build")
            self._write(relative, data)
        self.hashes[relative] = digest

    def read(self, relative: str) -> bytes:
        """A staged file's bytes, read back."""
        with open(os.path.join(self._root, _checked(relative)), "rb") as handle:
            return handle.read()

    # -- a forked process staging some files beside this one (render/split.py) -------------

    def mark(self) -> tuple:
        """What is staged so far: a fork of this process gives ``since(mark)`` back to ``absorb``."""
        return set(self.hashes), len(self._written), self._linked, dict(self.base), set(self._as_out), set(self._checked)

    def as_helper(self) -> None:
        """This process is a fork that stages other paths than the build's, at the same time."""
        self._part = f"{PART}-{os.getpid()}"

    def since(self, mark: tuple) -> dict:
        """What this process staged after ``mark``: paths no other process stages."""
        hashes, written, linked, base, as_out, checked = mark
        new = [p for p in self.hashes if p not in hashes]
        return {"hashes": {p: self.hashes[p] for p in new}, "status": {p: self.status[p] for p in new},
                "written": self._written[written:], "linked": self._linked - linked,
                "gone": [p for p in base if p not in self.base],
                "base": {p: v for p, v in self.base.items() if base.get(p) != v},
                "as_out": self._as_out - as_out, "checked": self._checked - checked}

    def absorb(self, found: dict) -> None:
        """What a fork of this process staged (its ``since``), as if staged here."""
        self.hashes.update(found["hashes"])
        self.status.update(found["status"])
        self._written += found["written"]
        self._linked += found["linked"]
        for path in found["gone"]:
            self.base.pop(path, None)
        self.base.update(found["base"])
        self._as_out |= found["as_out"]
        self._checked |= found["checked"]

    # -- what the folders hold ---------------------------------------------------------------

    def _holds(self, relative: str, digest: str) -> bool:
        """The staging folder holds ``digest`` at ``relative``: staged so, or the spare's file
        there is listed so and still has the listed size and time."""
        if relative in self.hashes:
            return self.hashes[relative] == digest
        entry = self.base.get(relative)
        if entry is None or entry[0] != digest:
            return False
        if relative not in self._checked:
            if not has_status(os.path.join(self._root, relative), entry):
                self.base[relative] = ("", *entry[1:])  # not the listed file: still removed if not staged
                return False
            self._checked.add(relative)
        return True

    def _out_listed(self, relative: str, digest: str) -> bool:
        entry = self.listing.get(relative)
        return entry is not None and entry[0] == digest

    def _out_holds(self, relative: str, digest: str) -> bool:
        """The output folder's file is still the one the listing says holds ``digest``."""
        entry = self.listing.get(relative)
        return entry is not None and entry[0] == digest and \
            has_status(os.path.join(self._out_root, relative), entry)

    def _out_same(self, relative: str, data: bytes, digest: str) -> bool:
        """The output folder's file holds ``data``: checked, listed (and unchanged), or compared."""
        if relative in self.trusted:
            return True
        entry = self.listing.get(relative)
        path = os.path.join(self._out_root, relative)
        if entry is not None and has_status(path, entry):
            return entry[0] == digest
        return same_bytes(path, data)

    # -- staging one file ----------------------------------------------------------------------

    def _put(self, relative: str, data: bytes, digest: str) -> None:
        if self._holds(relative, digest):
            self._take_base(relative)
            same = self._out_listed(relative, digest) or not self.listing and self._out_same(relative, data, digest)
        else:
            same = self._out_same(relative, data, digest)
            if not (same and self._link_in(os.path.join(self._out_root, relative), relative)):
                self._write(relative, data)
        if same:
            self._as_out.add(relative)

    def _take_base(self, relative: str) -> None:
        """The spare's file is already the one to stage: nothing to do but note it."""
        entry = self.base.pop(relative)
        self.status[relative] = entry[1:]
        self._linked += 1

    def _link_in(self, source: str, relative: str) -> bool:
        """Hard-link ``source`` in at ``relative`` (under a temporary name, then renamed over
        whatever the spare had there); False where links are refused."""
        part = os.path.join(self._root, self._part)
        try:
            os.link(source, part, follow_symlinks=False)
        except OSError:
            return False
        found = os.lstat(part)
        self._place(part, relative)
        self.status[relative] = (found.st_size, found.st_mtime_ns)
        self._linked += 1
        return True

    def _write(self, relative: str, data: bytes) -> None:
        part = os.path.join(self._root, self._part)
        with open(part, "xb") as handle:
            handle.write(data)
            handle.flush()
            found = os.fstat(handle.fileno())  # nothing writes to it after this: its final time
        target = self._place(part, relative)
        self.status[relative] = (found.st_size, found.st_mtime_ns)
        self._written.append(target)

    def _place(self, part: str, relative: str) -> str:
        """Rename the file in the making to ``relative``, its folders made; a file or folder of
        the spare's in the way that the build does not stage is removed first."""
        target = os.path.join(self._root, relative)
        try:
            self._make_parent(relative)
            if os.path.isdir(target) and not os.path.islink(target):
                self._clear_base_under(relative)
            os.replace(part, target)
        except BaseException:
            if os.path.lexists(part):
                os.unlink(part)
            raise
        if os.path.lexists(part):  # it was already a link to the same file: rename did nothing
            os.unlink(part)
        self.base.pop(relative, None)
        return target

    def _make_parent(self, relative: str) -> None:
        parts = relative.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            if prefix in self.base and prefix not in self.hashes:  # a spare's file where a folder goes
                os.unlink(os.path.join(self._root, prefix))
                del self.base[prefix]
        if parts:
            os.makedirs(os.path.join(self._root, *parts), exist_ok=True)

    def _clear_base_under(self, folder: str) -> None:
        """Remove the spare's files under ``folder`` (a file goes there), none of them staged."""
        inside = [p for p in (*self.base, *self.hashes) if p.startswith(folder + "/")]
        if any(p in self.hashes for p in inside):
            return  # the rename fails: a file and a folder of the same path were both staged
        for path in inside:
            del self.base[path]
        remove(Path(self._root, folder))

    def _check_new(self, relative: str) -> None:
        _checked(relative)
        if relative in (MARKER, PART):
            raise ValueError(f"output path {relative!r} is reserved for the generator")
        if relative in self.hashes:
            raise ValueError(f"output path {relative!r} given twice")
