"""The cache's keys and store: content decides, a changed file is always seen, a bad entry is a miss."""
from __future__ import annotations

import os

from generator.cache import RACY_NS, Scan, Store, file_hash, key, scan_seeds


def seeds(tmp_path):
    folder = tmp_path / "seeds"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("one")
    (folder / "sub" / "b.txt").write_text("two")
    (folder / ".hidden").write_text("three")
    return folder


def trusted(scan: Scan) -> Scan:
    """The scan as if it had been taken long after its files last changed, with marked hashes."""
    return Scan({name: "remembered" for name in scan.hashes}, scan.signatures, scan.taken_ns + 10 * RACY_NS)


def test_keys_separate_their_parts():
    assert key("ab", "c") != key("a", "bc") and key("a") == key("a") and key(b"a") == key("a")


def test_every_file_is_hashed_hidden_ones_too_and_links_are_not_followed(tmp_path):
    folder = seeds(tmp_path)
    (folder / "link.txt").symlink_to(folder / "a.txt")
    scan = scan_seeds(folder)
    assert scan.hashes == {"a.txt": file_hash(b"one"), "sub/b.txt": file_hash(b"two"),
                           ".hidden": file_hash(b"three"), "link.txt": "link"}


def test_a_file_whose_status_is_unchanged_is_not_read_again(tmp_path):
    folder = seeds(tmp_path)
    again = scan_seeds(folder, trusted(scan_seeds(folder)))
    assert set(again.hashes.values()) == {"remembered"}


def test_a_write_that_keeps_size_and_mtime_is_still_seen(tmp_path):
    folder = seeds(tmp_path)
    previous = trusted(scan_seeds(folder))
    path = folder / "a.txt"
    before = path.stat()
    path.write_text("ONE")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # only ctime still tells
    again = scan_seeds(folder, previous)
    assert again.hashes["a.txt"] == file_hash(b"ONE") and again.hashes["sub/b.txt"] == "remembered"


def test_files_changed_just_before_the_last_scan_are_read_again(tmp_path):
    folder = seeds(tmp_path)
    first = scan_seeds(folder)
    racy = Scan({name: "remembered" for name in first.hashes}, first.signatures, first.taken_ns)
    assert "remembered" not in scan_seeds(folder, racy).hashes.values()


def test_a_torn_or_foreign_entry_is_a_miss(tmp_path):
    store = Store(tmp_path / "cache")
    store.put("files", "k" * 40, ["value"])
    assert store.get("files", "k" * 40) == ["value"]
    path = next((tmp_path / "cache" / "files").rglob("*.pickle"))
    path.write_bytes(path.read_bytes()[:5])
    assert store.get("files", "k" * 40, "missed") == "missed"
    assert store.get("files", "z" * 40) is None


def test_only_the_latest_entries_of_a_kind_are_kept(tmp_path):
    store = Store(tmp_path / "cache")
    for number in range(4):
        store.put("groups", f"{number}" * 40, number)
        os.utime(next((tmp_path / "cache").rglob(f"{number}" * 40 + ".pickle")), ns=(number, number))
    store.keep_latest("groups", 2)
    assert [store.get("groups", f"{n}" * 40) for n in range(4)] == [None, None, 2, 3]


def test_a_shelf_gives_back_what_was_saved_and_an_edit_rewrites_one_entry(tmp_path):
    from generator.cache import Shelf, key

    store = Store(tmp_path / "cache")
    values = {key("file", str(n)): [n] for n in range(500)}
    first = Shelf(store, "cleaned", "folder")
    assert first.load() == {}
    assert first.save(values) == Shelf.SHARDS  # nothing was there: every entry is written
    second = Shelf(store, "cleaned", "folder")
    assert second.load() == values
    edited = {**values, key("file", "new"): ["new"]}
    del edited[key("file", "3")]
    written = second.save(edited)
    assert 1 <= written <= 2  # the entries holding the removed and the added key
    assert Shelf(store, "cleaned", "folder").load() == edited
    assert Shelf(store, "cleaned", "another folder").load() == {}


def test_a_shelf_entry_that_does_not_load_is_empty_not_an_error(tmp_path):
    from generator.cache import Shelf, key

    store = Store(tmp_path / "cache")
    values = {key("file", str(n)): n for n in range(200)}
    Shelf(store, "cleaned", "folder").save(values)
    torn = sorted((tmp_path / "cache" / "cleaned").rglob("*.pickle"))[0]
    torn.write_bytes(torn.read_bytes()[:10])
    loaded = Shelf(store, "cleaned", "folder").load()
    assert 0 < len(loaded) < len(values) and all(values[k] == v for k, v in loaded.items())


def test_a_deferring_store_answers_from_memory_and_writes_only_when_flushed(tmp_path):
    store = Store(tmp_path / "cache", defer=True)
    store.put("groups", "a" * 40, "first")
    assert store.get("groups", "a" * 40) == "first"
    assert not (tmp_path / "cache").exists()  # nothing on disk yet
    store.put("groups", "b" * 40, "second")
    store.keep_latest("groups", 1)
    store.flush(pause=lambda: True)  # a change waits: nothing is written
    assert not (tmp_path / "cache").exists()
    store.flush()
    assert Store(tmp_path / "cache").get("groups", "b" * 40) == "second"
    assert len(list((tmp_path / "cache" / "groups").rglob("*.pickle"))) == 1  # trimmed after writing
    assert store.get("groups", "a" * 40) is None  # and the memory holds no more than the disk
