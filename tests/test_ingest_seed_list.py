"""The build names the seed files from its scan of the folder (``ingest.scanned_seeds``) instead of
listing the folder again: the list must be exactly what ``seed_files`` lists, in its order."""
from __future__ import annotations

import os
from pathlib import Path

from generator.cache import scan_seeds
from generator.ingest import record_source, scanned_seeds, seed_files, seed_source, source_of


def _tree(seeds: Path) -> None:
    files = ["b.txt", "a.html", "README.md", "notes/README.md", "z/deep/one.md", "z/deep/.hidden.txt",
             ".git/config", "x.html.provenance.json", "x.html", "kept.provenance.json/inside.txt",
             "sub/.cache/page.html", "sub/page 2.html", "sub/Ärger.txt", "10.txt", "9.txt", "sub/zz/a.txt"]
    for name in files:
        path = seeds / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"text of {name}", encoding="utf-8")
    (seeds / "linked.txt").symlink_to(seeds / "b.txt")
    (seeds / "broken.txt").symlink_to(seeds / "gone.txt")
    (seeds / "folder-link").symlink_to(seeds / "sub", target_is_directory=True)
    os.mkfifo(seeds / "sub" / "pipe")
    (seeds / "empty").mkdir()


def test_the_scan_names_the_files_seed_files_lists_in_its_order(tmp_path):
    seeds = tmp_path / "seeds"
    _tree(seeds)
    listed = seed_files(seeds)
    named = scanned_seeds(scan_seeds(seeds).hashes)
    assert [seeds / relative for relative in named] == listed
    assert "sub/pipe" in named and "notes/README.md" in named  # listed, so that each gets its line
    assert not any(n.startswith(".") or "/." in n or "provenance" in n or n == "README.md" for n in named)


def test_names_and_record_names_are_the_ones_the_paths_give(tmp_path):
    seeds = tmp_path / "seeds"
    (seeds / "sub").mkdir(parents=True)
    for name in ("sub/a\x01b.txt", "plain.txt", "sub/caf\udce9.txt"):
        with open(os.path.join(seeds, name), "w") as handle:
            handle.write("x")
    for relative in scanned_seeds(scan_seeds(seeds).hashes):
        assert source_of(relative) == seed_source(seeds / relative, seeds)
    assert record_source("sub/page.html") == "sub/page.html.provenance.json"
