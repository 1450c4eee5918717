"""serve's pages in memory: what a build changed, served before it reaches the output folder.

Takes the render's files one at a time, as ``write.Staging`` would (``Recorder``: ``put``,
``keep``, ``kept``, ``read``, ``out``), the served folder and its listing from the last write;
gives an ``Overlay``: the files whose bytes differ from the served folder's, and the paths the
new build no longer has. The preview server consults it before the folder (``live.py``), so the
page can reload as soon as the render ends; the folder itself is staged later, off the path to
the page, by replaying what was recorded into a real ``Staging`` (``replay``), which makes it
byte for byte what ``build`` writes.

Only changed files' bytes are held: a file equal to the served one is recorded as "link the
served file". When the changed bytes pass ``budget`` (a template edit re-renders every page),
the recorder turns into a real ``Staging`` at once (``spilled``), replaying what it holds and
passing every later call on, so memory stays bounded by the budget, not by the site.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .cache import file_hash
from .write import MARKER, Staging, check_path, output_files

BUDGET = 64 * 1024 * 1024  # bytes of changed files held for the overlay before it spills to disk
CHECK_EVERY = 256  # replayed files between two looks at whether a newer change waits


@dataclass(frozen=True)
class Overlay:
    """One build's changes over the served folder: bytes by output path, and paths it removed."""

    files: Mapping[str, bytes]
    gone: frozenset[str]


class Recorder:
    """A stand-in for ``Staging`` during serve's render: records each file instead of staging it."""

    def __init__(self, out: Path, listing: Mapping[str, tuple[str, int, int]], make_staging: Callable[[], Staging],
                 budget: int = BUDGET):
        self.out = Path(out).absolute()
        self.listing = listing
        self.old = output_files(self.out)
        self.budget, self._make_staging = budget, make_staging
        # path -> (served source, content hash, bytes); no bytes: the served ``source`` holds them
        self.files: dict[str, tuple[str, str, bytes | None]] = {}
        self.held = 0
        self.spilled: Staging | None = None

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if self.spilled is not None:
            self.spilled.__exit__(kind, value, traceback)

    def kept(self, source: str, digest: str) -> bool:
        """Whether the served ``source`` still is the file the last write listed with ``digest``."""
        if self.spilled is not None:
            return self.spilled.kept(source, digest)
        entry, known = self.old.get(source), self.listing.get(source)
        if entry is None or known is None or known[0] != digest:
            return False
        try:
            status = entry.stat(follow_symlinks=False)
        except OSError:
            return False
        return (status.st_size, status.st_mtime_ns) == tuple(known[1:])

    def put(self, relative: str, data: bytes) -> str:
        if self.spilled is not None:
            return self.spilled.put(relative, data)
        digest = file_hash(data)
        if self.kept(relative, digest):
            self._record(relative, relative, digest, None)
            return digest
        self._record(relative, relative, digest, data)
        self.held += len(data)
        if self.held > self.budget:
            self._spill()
        return digest

    def keep(self, relative: str, source: str, digest: str) -> None:
        if self.spilled is not None:
            return self.spilled.keep(relative, source, digest)
        self._record(relative, source, digest, None)

    def read(self, relative: str) -> bytes:
        if self.spilled is not None:
            return self.spilled.read(relative)
        source, _, data = self.files[relative]
        if data is not None:
            return data
        with open(self.old[source].path, "rb") as handle:
            return handle.read()

    def overlay(self) -> Overlay:
        """What differs from the served folder (its search index aside, which stays whole)."""
        from .search import BUNDLE

        changed = {path: self.read(path) for path, (source, _, data) in self.files.items()
                   if data is not None or source != path}
        gone = frozenset(path for path in self.old if path not in self.files and path != MARKER
                         and path.split("/", 1)[0] != BUNDLE)
        return Overlay(changed, gone)

    def replay(self, staging: Staging, stop: Callable[[], bool] = lambda: False) -> bool:
        """Stage every recorded file in a real ``Staging``, in the render's order; False (left
        unfinished) as soon as ``stop()`` says a newer change waits."""
        for done, (path, (source, digest, data)) in enumerate(self.files.items()):
            if done % CHECK_EVERY == 0 and stop():
                return False
            if data is not None:
                staging.put(path, data)
            elif staging.kept(source, digest):
                staging.keep(path, source, digest)
            else:
                raise OSError(f"{source}: changed in the output folder during the build")
        return True

    def _record(self, relative: str, source: str, digest: str, data: bytes | None) -> None:
        if relative not in self.old:  # a served file's path was checked when it was written
            check_path(relative)  # refused here as the staging would, before anything is served
        if relative == MARKER or relative in self.files:
            raise ValueError(f"output path {relative!r} is reserved or given twice")
        self.files[relative] = (source, digest, data)

    def _spill(self) -> None:
        """Over budget: stage what is held in a real folder and pass everything on to it."""
        staging = self._make_staging()
        try:
            self.replay(staging)
        except BaseException:
            _discard(staging)
            raise
        self.spilled, self.files, self.held = staging, {}, 0


def _discard(staging: Staging) -> None:
    """Remove a staging's folder without swapping it in (what leaving its ``with`` on an error does)."""
    staging.__exit__(Exception, None, None)


def page_path(parts: list[str], slash: bool) -> str:
    """The output file a request's path segments name: ``index.html`` of a folder."""
    inside = "/".join(parts)
    return f"{inside}/index.html" if inside and slash else ("index.html" if not inside else inside)

