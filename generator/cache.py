"""The incremental build's memory: content keys, and a store of past results on disk.

Takes file contents, the config and the generator's own source; gives keys and stored values.

- ``key(*parts)``: a sha256 of the parts, so any change to any part is a new key.
- ``code_version()``: a hash of every file of the ``generator`` package, the Python version and
  the names (with versions) of every installed distribution: editing the code or upgrading a
  library invalidates every stored result instead of serving one the new code would not give.
- ``scan_seeds(folder)`` and ``tree_digest(folders)``: content hashes of the inputs, by path;
  a seed whose file status is unchanged since the last scan is not read again.
- ``Store``: pickled values by (kind, key) under ``<root>/<kind>/``, each written to a temporary
  file and renamed into place, so a build killed while writing leaves the old entry, the new one
  or none, never a torn one. A value that does not load is a miss, never an error. Unpickling
  runs code, so the cache folder is trusted exactly as much as the project folder that holds it.
- ``Shelf``: many small values by content key in a few entries of a ``Store`` (loaded in a few
  reads; after an edit only the entry holding the changed key is written).

Nothing here decides what to rebuild; ``incremental.py`` does, with these keys.
"""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
import stat
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .limits import MAX_FILE_BYTES, LimitExceeded, read_regular_file

CACHE_DIR = ".digest-cache"
PACKAGE = Path(__file__).resolve().parent
# The generator's own themes: inside the package when it was installed from a wheel (setup.py
# copies them there), else the checkout's top-level themes/ folder.
THEMES = PACKAGE / "themes" if (PACKAGE / "themes").is_dir() else PACKAGE.parent / "themes"
RACY_NS = 2_000_000_000  # a file changed this close to the last scan is read again (FAT times are 2 s)
_FORMAT = b"digest-cache 1"


def key(*parts: str | bytes) -> str:
    """A hex key for the parts; each is length-prefixed, so ("ab", "c") and ("a", "bc") differ."""
    chunks = [_FORMAT]  # one sha256 of the joined parts: the same digest as updating part by part
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        chunks += (len(data).to_bytes(8, "little"), data)
    return hashlib.sha256(b"".join(chunks)).hexdigest()[:40]


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """What the output may depend on besides the inputs: this package, Python, the libraries."""
    files = sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    parts = [sys.version]
    for path in files:
        parts += [path.relative_to(PACKAGE).as_posix(), file_hash(path.read_bytes())]
    return key(*parts, *_installed_distributions())


def _installed_distributions() -> list[str]:
    """Names of the ``*.dist-info`` folders on the import path: they carry every version."""
    found = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found.update(n for n in names if n.endswith((".dist-info", ".egg-info")))
    return sorted(found)


@dataclass(frozen=True)
class Scan:
    """Content hashes by seeds-relative path, and the file status each hash was taken at."""

    hashes: dict[str, str]
    signatures: dict[str, tuple[int, int, int, int]]  # size, mtime_ns, ctime_ns, inode
    taken_ns: int  # when the scan started


def scan_seeds(folder: Path, previous: Scan | None = None) -> Scan:
    """Every file under the folder (hidden ones too, links not followed) and its content hash: a
    superset of what ingest reads, so any change to what it reads changes the scan.

    A file whose status (size, times, inode) is the one ``previous`` recorded keeps its hash
    without being read, as git's index does, unless it was changed within ``RACY_NS`` of that
    scan: a write just after it could have left the same times, so such a file is read again.
    Any write changes ctime, which no program can set back."""
    taken = time.time_ns()
    hashes, signatures = {}, {}
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        # plain strings, not Path objects: a no-change build of 10,000 files is mostly this loop
        inside = Path(dirpath).relative_to(folder).as_posix()
        prefix = "" if inside == "." else inside + "/"
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            relative = prefix + name
            try:
                status = os.lstat(path)
                if stat.S_ISLNK(status.st_mode):
                    hashes[relative] = "link"
                    continue
                if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE_BYTES:
                    # never opened: a FIFO would block, a device never ends; the build gives
                    # each of these its line without reading it either
                    hashes[relative] = f"unread: {stat.S_IFMT(status.st_mode)} {status.st_size} {status.st_mtime_ns}"
                    continue
                signature = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
                if previous and previous.signatures.get(relative) == signature \
                        and max(status.st_mtime_ns, status.st_ctime_ns) < previous.taken_ns - RACY_NS:
                    hashes[relative] = previous.hashes[relative]
                else:
                    hashes[relative] = file_hash(read_regular_file(path))
                signatures[relative] = signature
            except LimitExceeded as exc:  # it changed kind or size since the lstat
                hashes[relative] = f"unread: {exc}"
            except OSError as exc:
                hashes[relative] = f"unreadable: {exc.errno}"
    return Scan(hashes, signatures, taken)


def tree_digest(folders: Iterable[Path]) -> str:
    """One key for every file under the folders that exist (themes, templates, static files)."""
    parts = []
    for folder in folders:
        parts.append(str(folder))
        if folder.is_dir():
            parts += [f"{path}={digest}" for path, digest in scan_seeds(folder).hashes.items()]
    return key(*parts)


class Store:
    """Pickled values on disk by (kind, key), with an in-memory layer for a long-running serve.

    ``defer`` (serve): ``put`` and ``keep_latest`` only change the memory layer until ``flush``,
    so pickling the grouping's cache is not paid between a save and its page showing."""

    def __init__(self, root: Path, remember: bool = False, defer: bool = False):
        self.root = Path(root)
        self.remember = remember or defer
        self.defer = defer
        self._memory: dict[tuple[str, str], object] = {}
        self._pending: dict[tuple[str, str], object] = {}
        self._trims: dict[str, int] = {}

    def get(self, kind: str, name: str, default=None):
        if (kind, name) in self._memory:
            return self._memory[(kind, name)]
        try:
            with open(self._path(kind, name), "rb") as handle, no_collection(freeze=True):
                value = pickle.load(handle)
        except Exception:  # missing, torn, or written by other code: all the same, a miss
            return default
        if self.remember:
            self._memory[(kind, name)] = value
        return value

    def put(self, kind: str, name: str, value) -> None:
        if self.remember:
            self._memory[(kind, name)] = value
        if self.defer:
            self._pending[(kind, name)] = value
            return
        self._write(kind, name, value)

    def flush(self, pause: Callable[[], bool] = lambda: False) -> None:
        """Write what ``defer`` held back, then trim as ``keep_latest`` was asked to; stop (the
        rest stays held) as soon as ``pause()`` is true."""
        while self._pending:
            if pause():
                return
            (kind, name), value = next(iter(self._pending.items()))
            self._write(kind, name, value)
            del self._pending[(kind, name)]
        trims, self._trims = self._trims, {}
        for kind, count in trims.items():
            self._trim(kind, count)

    def _write(self, kind: str, name: str, value) -> None:
        path = self._path(kind, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        try:
            with open(tmp, "wb") as handle, no_collection():
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)  # a cache that cannot be written only makes builds slower

    def keep_latest(self, kind: str, count: int) -> None:
        """Remove all but the ``count`` most recently written entries of a kind (big ones)."""
        if self.defer:
            self._trims[kind] = count
            return
        self._trim(kind, count)

    def _trim(self, kind: str, count: int) -> None:
        folder = self.root / kind
        if not folder.is_dir():
            return
        entries = sorted(folder.rglob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for stale in entries[count:]:
            stale.unlink(missing_ok=True)
        # the memory layer keeps no more than the disk of this kind: an entry ``defer`` held back
        # and replaced before any flush is never written, and must not stay here either
        kept = {entry.stem for entry in entries[:count]}
        self._memory = {k: v for k, v in self._memory.items() if k[0] != kind or k[1] in kept}

    def _path(self, kind: str, name: str) -> Path:
        return self.root / kind / name[:2] / f"{name}.pickle"


class Shelf:
    """Many small values by content key, kept in ``SHARDS`` entries of one store name instead of
    one entry each: loading 10,000 of them is 64 reads, not 10,000, and after one edit only the
    entry holding the changed key is written again. Each entry maps keys to values; a key
    determines its value (a content key), so an entry is written only when its set of keys
    changes. ``load`` reads every entry once; ``save(values)`` keeps exactly ``values``."""

    SHARDS = 64

    def __init__(self, store: Store, kind: str, name: str):
        self.store, self.kind, self.name = store, kind, name
        self._entries: list[dict] = []

    def load(self) -> dict:
        """Every stored value by key (entries missing or unreadable count as empty)."""
        self._entries = []
        for shard in range(self.SHARDS):
            entry = self.store.get(self.kind, self._entry_name(shard))
            self._entries.append(entry if isinstance(entry, dict) else {})
        return {k: v for entry in self._entries for k, v in entry.items()}

    def save(self, values: dict) -> int:
        """Store exactly ``values``, writing only the entries whose keys changed; gives how many."""
        entries: list[dict] = [{} for _ in range(self.SHARDS)]
        for k in sorted(values):
            entries[self._shard(k)][k] = values[k]
        loaded = self._entries or [None] * self.SHARDS
        written = 0
        for shard, (entry, old) in enumerate(zip(entries, loaded)):
            if old is None or entry.keys() != old.keys():
                self.store.put(self.kind, self._entry_name(shard), entry)
                written += 1
        self._entries = entries
        return written

    def _shard(self, k: str) -> int:
        return int(k[:2], 16) * self.SHARDS // 256  # keys are hex digests: evenly spread

    def _entry_name(self, shard: int) -> str:
        return key(self.name, str(shard))


@contextmanager
def no_collection(freeze: bool = False):
    """No cyclic garbage collection while a value is loaded or stored: unpickling the grouping's
    cache makes millions of objects, and the collector, run every 700 of them, walked them over and
    over (five times the load's own cost). Nothing is freed meanwhile that would not be after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            # What was loaded is live data the build keeps: frozen, the collector no longer walks
            # it in every later collection (the walks of the grouping's state cost ~5 s of an
            # edit at 10k). Frozen objects are still freed by reference counting when dropped;
            # cached values are plain data with no cycles, so nothing is kept that would be freed.
            gc.freeze()
        if was_enabled:
            gc.enable()
