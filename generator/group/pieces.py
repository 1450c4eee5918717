"""The grouping's carried state on disk in small pieces, so an edit reads and writes what it touches.

Takes named maps (``PieceMap``: dict-like, keys of str, int, bytes or tuples of those) and one
small ``core`` value; gives them back in a later build, each map's entries read only when asked
for. A map's entries are spread by a stable hash of their key over buckets (about ``PER_BUCKET``
entries each); a bucket is one row of an SQLite table (the standard library's ``sqlite3``), read
on the first access to a key it holds and written again only when one of its entries changed.
So a build that touches a few hundred keys of a map of 300,000 reads and writes a few hundred
rows, not the map: the whole-state pickle this replaces cost seconds to load and store at 10,000
articles.

Every build's changes are one transaction: a build killed while saving leaves the state of the
build before, never half of one. Rows are pickled, so the file is trusted exactly as much as the
cache folder that holds it (cache.py). A file that does not open or does not read as this
format counts as no state: the grouping is then built afresh.
"""
from __future__ import annotations

import pickle
import sqlite3
from zlib import crc32
from pathlib import Path
from typing import Iterator

from ..cache import no_collection

PER_BUCKET = 48  # entries a bucket holds on average when its map is laid out
_FORMAT = "group pieces 2"  # 2: the stories and topic results in maps too


def spot(key) -> int:
    """A hash of a key that is the same in every process (``hash`` of a str is not; of an int
    and a tuple of ints it is, and the file is named by the Python version: cache.code_version)."""
    kind = type(key)
    if kind is int:
        return key & 0xFFFFFFFF
    if kind is str:
        return crc32(key.encode("utf-8", "surrogatepass"))
    if kind is tuple:
        if all(type(part) is int for part in key):
            return hash(key) & 0xFFFFFFFF
        h = 0x345678
        for part in key:
            h = ((h * 1000003) ^ spot(part)) & 0xFFFFFFFF
        return h
    if kind is bytes:
        return crc32(key)
    raise TypeError(f"no stable hash for a key of type {kind.__name__}")


class PieceMap:
    """A dict whose entries live in a ``Pieces`` file and are read a bucket at a time on use.
    ``counter``: a missing key reads as 0 and a count set to 0 is dropped, as a Counter's."""

    def __init__(self, pieces: Pieces | None, name: str, buckets: int, counter: bool = False,
                 values: dict | None = None):
        self._pieces, self.name, self.buckets, self.counter = pieces, name, max(1, buckets), counter
        self._loaded: dict[int, dict] = {}
        self._dirty: set[int] = set()
        self.size = 0
        if values is not None:  # laid out now (a grouping from scratch): every bucket is new
            loaded = [{} for _ in range(self.buckets)]
            count = self.buckets
            for k, v in values.items():
                loaded[spot(k) % count][k] = v
            self._loaded = dict(enumerate(loaded))
            self._dirty = set(self._loaded)
            self.size = len(values)

    @classmethod
    def laid_out(cls, name: str, values: dict, counter: bool = False, per_bucket: int = PER_BUCKET) -> PieceMap:
        return cls(None, name, -(-len(values) // per_bucket), counter, values)

    def _bucket(self, key) -> dict:
        b = spot(key) % self.buckets
        found = self._loaded.get(b)
        if found is None:
            found = self._loaded[b] = self._pieces.read(self.name, b) if self._pieces else {}
        return found

    def preload(self, keys) -> None:
        """Reads the buckets of all ``keys`` in one query each few hundred (faster than one by one)."""
        wanted = sorted({spot(k) % self.buckets for k in keys} - set(self._loaded))
        if wanted and self._pieces:
            self._loaded.update(self._pieces.read_many(self.name, wanted))
        for b in wanted:
            self._loaded.setdefault(b, {})

    def get(self, key, default=None):
        found = self._bucket(key)
        if key in found:
            return found[key]
        return 0 if self.counter and default is None else default

    def __getitem__(self, key):
        found = self._bucket(key)
        if key in found:
            return found[key]
        if self.counter:
            return 0
        raise KeyError(key)

    def __contains__(self, key) -> bool:
        return key in self._bucket(key)

    def __setitem__(self, key, value) -> None:
        b = spot(key) % self.buckets
        found = self._bucket(key)
        if self.counter and not value:
            if found.pop(key, None) is not None:
                self.size -= 1
        else:
            self.size += key not in found
            found[key] = value
        self._dirty.add(b)

    def __delitem__(self, key) -> None:
        found = self._bucket(key)
        if self.counter and key not in found:
            return  # a count set to 0 is gone already
        del found[key]
        self.size -= 1
        self._dirty.add(spot(key) % self.buckets)

    def pop(self, key, *default):
        found = self._bucket(key)
        if key in found:
            self._dirty.add(spot(key) % self.buckets)
            self.size -= 1
            return found.pop(key)
        if default:
            return default[0]
        raise KeyError(key)

    def setdefault(self, key, value):
        found = self._bucket(key)
        if key not in found:
            self[key] = value
        return found[key]

    def __len__(self) -> int:
        return self.size

    def items(self) -> Iterator:
        """Every entry (reads every bucket: for tests and a compaction, never an edit's path)."""
        self.preload_all()
        for b in range(self.buckets):
            yield from self._loaded[b].items()

    def keys(self):
        return (k for k, _ in self.items())

    def values(self):
        return (v for _, v in self.items())

    def __iter__(self):
        return self.keys()

    def preload_all(self) -> None:
        self.preload_buckets(range(self.buckets))

    def preload_buckets(self, buckets) -> None:
        wanted = [b for b in buckets if b not in self._loaded]
        if wanted and self._pieces:
            self._loaded.update(self._pieces.read_many(self.name, wanted))
        for b in wanted:
            self._loaded.setdefault(b, {})

    def to_dict(self) -> dict:
        return dict(self.items())

    def __eq__(self, other) -> bool:
        if isinstance(other, list):  # a map of a list by index
            other = dict(enumerate(other))
        if isinstance(other, PieceMap):
            other = other.to_dict()
        return isinstance(other, dict) and self.to_dict() == other

    def changes(self) -> Iterator[tuple[int, dict]]:
        """The buckets changed since they were read, each with its entries."""
        for b in sorted(self._dirty):
            yield b, self._loaded[b]

    def saved(self, pieces: Pieces) -> None:
        self._pieces, self._dirty = pieces, set()


def read_whole(target):
    """Every entry of a ``PieceMap`` as one plain dict, its buckets read in a few queries, for a
    pass that looks up all its entries (a plain dict lookup, not a bucket's hash each); anything
    else is in memory already and is given as it is."""
    if not isinstance(target, PieceMap):
        return target
    target.preload_all()
    whole: dict = {}
    for found in target._loaded.values():
        whole.update(found)
    return whole


def renewed(target, new: dict, whole: dict | None = None):
    """``new`` in place of ``target``: a plain ``target`` is just replaced; a ``PieceMap`` is
    changed in place, entry by entry, where ``new`` holds another value (not the very one read
    from it) or lacks the key, so a save rewrites only the buckets of the entries that moved.
    ``whole``: ``read_whole(target)``, when the caller has it already."""
    if not isinstance(target, PieceMap):
        return new
    whole = read_whole(target) if whole is None else whole
    for k in whole.keys() - new.keys():
        del target[k]
    for k, v in new.items():
        if whole.get(k, _ABSENT) is not v:
            target[k] = v
    return target


_ABSENT = object()


class Pieces:
    """One SQLite file of maps' buckets and a core value; a build writes its changes in one go."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, isolation_level=None)
            # big pages and a rowid table: buckets are kilobytes (a "WITHOUT ROWID" table keeps
            # rows inside its key's tree, and inserting big rows there cost most of a clean save)
            self._db.execute("PRAGMA page_size=65536")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS buckets (map TEXT, bucket INTEGER, value BLOB,"
                             " PRIMARY KEY (map, bucket))")
        return self._db

    def core(self):
        """The core value last saved, or None (no file, another format, unreadable)."""
        try:
            row = self._connect().execute("SELECT value FROM buckets WHERE map = ? AND bucket = 0",
                                          (_FORMAT,)).fetchone()
            with no_collection(freeze=True):
                return pickle.loads(row[0]) if row else None
        except Exception:  # a torn or foreign file: no state, the grouping is built afresh
            self.close()
            return None

    def read(self, name: str, bucket: int) -> dict:
        row = self._connect().execute("SELECT value FROM buckets WHERE map = ? AND bucket = ?",
                                      (name, bucket)).fetchone()
        if not row:
            return {}
        with no_collection(freeze=True):  # kept for the build: later collections need not walk it
            return pickle.loads(row[0])

    def read_many(self, name: str, buckets: list[int]) -> dict[int, dict]:
        found = {}
        db = self._connect()
        for at in range(0, len(buckets), 500):
            chunk = buckets[at:at + 500]
            rows = db.execute(f"SELECT bucket, value FROM buckets WHERE map = ? AND bucket IN "
                              f"({','.join('?' * len(chunk))})", (name, *chunk))
            with no_collection(freeze=True):
                found.update((b, pickle.loads(v)) for b, v in rows)
        return found

    def save(self, core, maps: list[PieceMap], replaced: bool = False) -> int:
        """Writes the maps' changed buckets and the core in one transaction (``replaced``: every
        map was laid out anew, so the file's old rows go first); gives the rows written."""
        db = self._connect()
        with no_collection():
            rows = [(_FORMAT, 0, pickle.dumps(core, protocol=pickle.HIGHEST_PROTOCOL))]
            for found in maps:
                rows += [(found.name, b, pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))
                         for b, entries in found.changes()]
        db.execute("BEGIN")
        try:
            if replaced:
                db.execute("DELETE FROM buckets")
            db.executemany("INSERT OR REPLACE INTO buckets VALUES (?, ?, ?)", rows)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        for found in maps:
            found.saved(self)
        return len(rows)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
