"""The listing a build keeps of the search index's files (``output_listing.derived_listing``):
what it says of each file must be what the folder holds, whether a shard was kept or made anew."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from generator.cache import file_hash
from generator.output_listing import derived_listing


def _shard(bundle: Path, name: str, fragment: bytes) -> None:
    (bundle / name / "fragment").mkdir(parents=True)
    (bundle / name / "pagefind-entry.json").write_bytes(b'{"version": "1"}')
    (bundle / name / "fragment" / "one.pf_fragment").write_bytes(fragment)


def _as_folder_has_it(out: Path) -> dict:
    found = {}
    for path in sorted(p for p in (out / "pagefind").rglob("*") if p.is_file()):
        status = path.lstat()
        found[path.relative_to(out).as_posix()] = (file_hash(path.read_bytes()), status.st_size, status.st_mtime_ns)
    return found


def test_the_listing_says_what_each_file_holds_for_kept_and_remade_shards(tmp_path):
    out = tmp_path / "site"
    bundle = out / "pagefind"
    _shard(bundle, "aaaa", b"first words")
    _shard(bundle, "bbbb", b"other words")
    (bundle / "shards.json").write_text('{"shards": ["aaaa", "bbbb"]}')
    first = derived_listing(out, "pagefind", {})
    assert first == _as_folder_has_it(out)
    assert derived_listing(out, "pagefind", first) == first  # nothing changed: the same listing

    # a shard of the same name made again (its files new ones) and a new one beside it
    shutil.rmtree(bundle / "bbbb")
    _shard(bundle, "bbbb", b"changed words, longer")
    _shard(bundle, "cccc", b"third")
    os.unlink(bundle / "aaaa" / "fragment" / "one.pf_fragment")
    os.link(tmp_path / "site" / "pagefind" / "bbbb" / "fragment" / "one.pf_fragment",
            bundle / "aaaa" / "fragment" / "one.pf_fragment")  # not the listed file: entry file kept
    again = derived_listing(out, "pagefind", first)
    expected = _as_folder_has_it(out)
    assert {k: v for k, v in again.items() if not k.startswith("pagefind/aaaa/")} == \
        {k: v for k, v in expected.items() if not k.startswith("pagefind/aaaa/")}
    assert set(again) == set(expected)
