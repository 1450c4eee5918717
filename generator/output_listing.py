"""What the last write left in an output folder, and whether the folder still holds it.

Takes the staging's hashes and file statuses (write.py) and a ``Manifest``'s stored listing;
gives the listing the next build keeps (path -> content hash, size, mtime_ns), the search
index's files with only new ones hashed, the spare folder's listing stored as where it differs
from the output's, each folder's time, and ``intact``: the folder holds exactly the listed files,
checked with one ``lstat`` per listed file and folder (the no-change build's whole check).
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import file_hash
from .swap import has_status
from .write import MARKER, MARKER_TEXT, Spare, output_files

if TYPE_CHECKING:
    from .incremental import Manifest

# The search index's folder (search.BUNDLE): named here so that a build with nothing to do does
# not import the search step (tests/test_incremental.py checks the two agree).
SEARCH_FOLDER = "pagefind"
SHARD_ENTRY = "pagefind-entry.json"  # every finished shard has one (search._finished)


def listing(out: Path, hashes: dict[str, str], known: dict[str, tuple[int, int]]) -> dict[str, tuple[str, int, int]]:
    """Each file the build staged, with its size and time: as the staging knew them (the file it
    wrote, or the old file it linked), else as the folder has them."""
    listing = {}
    for relative, digest in {**hashes, MARKER: file_hash(MARKER_TEXT)}.items():
        status = known.get(relative)
        if status is None:
            found = os.stat(out.joinpath(*relative.split("/")))
            status = (found.st_size, found.st_mtime_ns)
        listing[relative] = (digest, *status)
    return listing


def derived_listing(out: Path, folder: str, before: dict[str, tuple[str, int, int]]) -> dict[str, tuple[str, int, int]]:
    """The files the search index left under ``folder``: a file with the size and time the last
    listing gave it is that file still (a shard linked unchanged from the old site), so only the
    others are read and hashed. A shard (a folder named by a hash of all it is made from, search.py)
    whose entry file is still the listed one was linked or kept whole, every file of it sharing the
    listed ones' storage, so its files are taken from the last listing without a status each: an
    edit's listing then costs one status per shard, not one per file of the index."""
    listed: dict[str, dict[str, tuple[str, int, int]]] = {}
    prefix = folder + "/"
    for relative, entry in before.items():
        if relative.startswith(prefix):
            shard, _, rest = relative[len(prefix):].partition("/")
            if rest:
                listed.setdefault(shard, {})[relative] = entry
    listing = {}
    root = out / folder
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return listing
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            old = listed.get(entry.name, {})
            probe = old.get(f"{prefix}{entry.name}/{SHARD_ENTRY}")
            if probe is not None and has_status(os.path.join(entry.path, SHARD_ENTRY), probe):
                listing.update(old)
                continue
            found = {f"{prefix}{entry.name}/{name}": item for name, item in output_files(Path(entry.path)).items()}
        elif entry.is_file(follow_symlinks=False):
            found = {prefix + entry.name: entry}
        else:
            continue
        for relative, item in found.items():
            status = item.stat(follow_symlinks=False)
            known = before.get(relative)
            if known and known[1:] == (status.st_size, status.st_mtime_ns):
                listing[relative] = known
            else:
                listing[relative] = (file_hash(Path(item.path).read_bytes()), status.st_size, status.st_mtime_ns)
    return listing


def outside_index(listing: dict[str, tuple[str, int, int]]) -> dict[str, tuple[str, int, int]]:
    return {path: entry for path, entry in listing.items() if path.split("/", 1)[0] != SEARCH_FOLDER}


def spare_of(manifest: Manifest | None) -> Spare | None:
    """The spare folder's listing, from the manifest's files and where the spare differs."""
    stored = getattr(manifest, "spare", None)
    if stored is None:
        return None
    marker, differs, derived = stored
    files = outside_index(manifest.files)
    for path, entry in differs.items():
        if entry is None:
            files.pop(path, None)
        else:
            files[path] = entry
    return Spare(marker, files, derived)


def spare_entry(spare: Spare | None, listing: dict[str, tuple[str, int, int]]) -> tuple | None:
    """A spare's listing as the manifest keeps it: only where it differs from the output's."""
    if spare is None:
        return None
    files = outside_index(listing)
    differs = {path: entry for path, entry in spare.files.items() if files.get(path) != entry}
    differs.update((path, None) for path in files if path not in spare.files)
    return (spare.marker, differs, spare.derived)


def folder_times(out: Path, files) -> dict[str, int]:
    """Each folder holding a listed file (and the top, ""), with its mtime_ns as it is now."""
    folders = {""}
    for relative in files:
        at = relative.rfind("/")
        while at > 0 and relative[:at] not in folders:
            folders.add(relative[:at])
            at = relative.rfind("/", 0, at)
    root = str(out)
    return {folder: os.lstat(f"{root}/{folder}" if folder else root).st_mtime_ns for folder in sorted(folders)}


def intact(out: Path, manifest: Manifest) -> bool:
    """The folder holds exactly the listed files, with the sizes and times they were left with.

    Checked from the listing, not by walking the folder: each listed file's status, and each
    folder's time (adding, removing or renaming an entry sets it), so a file edited, removed or
    added by hand is noticed with one ``lstat`` per listed file and folder."""
    folders = getattr(manifest, "folders", None)
    if folders is None:  # a listing from before folders were kept
        return walked_intact(out, manifest.files)
    root = str(out)
    try:
        for folder, mtime in folders.items():
            found = os.lstat(f"{root}/{folder}" if folder else root)
            if found.st_mtime_ns != mtime or not stat.S_ISDIR(found.st_mode):
                return False
        for relative, (_, size, mtime) in manifest.files.items():
            found = os.lstat(f"{root}/{relative}")
            if found.st_mtime_ns != mtime or found.st_size != size or not stat.S_ISREG(found.st_mode):
                return False
    except OSError:
        return False
    return True


def walked_intact(out: Path, files: dict[str, tuple[str, int, int]]) -> bool:
    """The folder holds exactly the listed files, with the sizes and times they were left with."""
    found = output_files(out)
    if len(found) != len(files):
        return False
    for relative, entry in found.items():
        expected = files.get(relative)
        try:
            status = entry.stat(follow_symlinks=False)
        except OSError:
            return False
        if expected is None or (status.st_size, status.st_mtime_ns) != expected[1:]:
            return False
    return True
