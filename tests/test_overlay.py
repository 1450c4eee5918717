"""overlay.Recorder: what a render records instead of staging, the overlay it gives (only what
differs from the served folder) and the folder its replay makes (what the staging would)."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.output_listing import listing as _listing
from generator.overlay import Recorder
from generator.write import Staging
from render_helpers import read_tree

OLD = {"index.html": b"<p>home</p>", "a/index.html": b"<p>page a</p>", "b/index.html": b"<p>page b</p>",
       "feed.xml": b"<rss/>"}


def served(tmp_path: Path) -> tuple[Path, dict]:
    """A folder written as a build writes it, and the listing the build keeps of it."""
    out = tmp_path / "site"
    with Staging(out) as staging:
        for name, data in OLD.items():
            staging.put(name, data)
        staging.finish()
        listing = _listing(out, staging.hashes, staging.status)
    return out, listing


def recorder(out: Path, listing: dict, budget: int = 1 << 20) -> Recorder:
    return Recorder(out, listing, lambda: Staging(out, listing=listing), budget)


def test_the_overlay_holds_what_changed_and_what_is_gone_and_the_replay_makes_the_new_folder(tmp_path):
    out, listing = served(tmp_path)
    record = recorder(out, listing)
    record.put("index.html", b"<p>home</p>")  # the same bytes: linked, not held
    record.put("a/index.html", b"<p>page a, edited</p>")
    record.put("c/index.html", b"<p>a new page</p>")
    record.keep("moved/index.html", "feed.xml", listing["feed.xml"][0])  # an old file under a new path
    overlay = record.overlay()
    assert overlay.files == {"a/index.html": b"<p>page a, edited</p>", "c/index.html": b"<p>a new page</p>",
                             "moved/index.html": b"<rss/>"}
    assert overlay.gone == {"b/index.html", "feed.xml"}
    assert read_tree(out) == {**OLD, ".digest-site": read_tree(out)[".digest-site"]}  # nothing written yet
    assert record.read("index.html") == b"<p>home</p>"

    with Staging(out, listing=listing) as staging:
        assert record.replay(staging)
        staging.finish()
    files = read_tree(out)
    del files[".digest-site"]
    assert files == {"index.html": b"<p>home</p>", "a/index.html": b"<p>page a, edited</p>",
                     "c/index.html": b"<p>a new page</p>", "moved/index.html": b"<rss/>"}


def test_a_replay_told_to_stop_leaves_the_folder_as_it_was(tmp_path):
    out, listing = served(tmp_path)
    record = recorder(out, listing)
    record.put("a/index.html", b"<p>page a, edited</p>")
    with pytest.raises(RuntimeError), Staging(out, listing=listing) as staging:
        assert record.replay(staging, stop=lambda: True) is False
        raise RuntimeError("left as the build leaves it: the staging is dropped")
    assert read_tree(out)["a/index.html"] == OLD["a/index.html"]
    assert not list(tmp_path.glob("site.tmp-*"))


@pytest.mark.parametrize("path", ["../outside.html", "/etc/passwd", "a/../../x", "a\\b", "a\x00b", ".digest-site"])
def test_a_path_the_staging_would_refuse_is_refused_before_anything_is_served(tmp_path, path):
    out, listing = served(tmp_path)
    with pytest.raises(ValueError):
        recorder(out, listing).put(path, b"x")


def test_past_its_budget_the_recorder_stages_to_disk_and_holds_nothing(tmp_path):
    out, listing = served(tmp_path)
    with recorder(out, listing, budget=10) as record:
        record.put("index.html", b"<p>home</p>")  # unchanged: nothing held
        assert record.spilled is None
        record.put("a/index.html", b"<p>page a, edited</p>")  # over ten bytes held: to disk
        assert record.spilled is not None and record.held == 0 and not record.files
        record.put("b/index.html", b"<p>page b, edited</p>")
        assert record.read("a/index.html") == b"<p>page a, edited</p>"
        record.spilled.finish()
    files = read_tree(out)
    assert files["a/index.html"] == b"<p>page a, edited</p>" and files["b/index.html"] == b"<p>page b, edited</p>"
    assert "feed.xml" not in files
