"""Writing the site: exactly the rendered files, swapped in atomically, never outside the folder."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.cache import file_hash
from generator.write import MARKER, write_site
from render_helpers import read_tree

SITE = {"index.html": b"<p>new</p>", "articles/a/index.html": b"a", "static/style.css": b"css"}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".tmp-" in p.name or ".old-" in p.name)


def test_writes_exactly_the_given_files(tmp_path):
    out = tmp_path / "site"
    write_site(SITE, out)
    assert read_tree(out) == {**SITE, MARKER: read_tree(out)[MARKER]}
    assert leftovers(tmp_path) == []


def test_a_second_build_replaces_the_first_completely(tmp_path):
    out = tmp_path / "site"
    write_site({**SITE, "stale.html": b"old"}, out)
    write_site(SITE, out)
    assert "stale.html" not in read_tree(out)
    assert read_tree(out)["index.html"] == b"<p>new</p>"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("bad", ["../evil", "/etc/passwd", "a/../../b", "a\\b", "a\x00b", "", "a//b", "./a"])
def test_unsafe_paths_are_refused_and_the_old_site_survives(tmp_path, bad):
    out = tmp_path / "site"
    write_site(SITE, out)
    before = read_tree(out)
    with pytest.raises(ValueError):
        write_site({"index.html": b"replacement", bad: b"x"}, out)
    assert read_tree(out) == before
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "evil").exists()


def test_a_failure_while_writing_leaves_the_old_site_untouched(tmp_path):
    out = tmp_path / "site"
    write_site(SITE, out)
    before = read_tree(out)
    with pytest.raises(OSError):
        write_site({"index.html": b"replacement", "a": b"file", "a/b": b"under a file"}, out)
    assert read_tree(out) == before
    assert leftovers(tmp_path) == []


def test_a_folder_the_generator_did_not_write_is_never_replaced(tmp_path):
    out = tmp_path / "documents"
    out.mkdir()
    (out / "thesis.txt").write_bytes(b"precious")
    with pytest.raises(ValueError, match="not written by the generator"):
        write_site(SITE, out)
    assert read_tree(out) == {"thesis.txt": b"precious"}
    write_site(SITE, out, force=True)
    assert "thesis.txt" not in read_tree(out)


def test_an_empty_folder_is_fine_and_the_current_folder_is_refused(tmp_path, monkeypatch):
    out = tmp_path / "empty"
    out.mkdir()
    write_site(SITE, out)
    assert read_tree(out)["index.html"] == b"<p>new</p>"
    monkeypatch.chdir(out)
    with pytest.raises(ValueError, match="current folder"):
        write_site(SITE, Path("."), force=True)


def test_a_stale_temporary_folder_from_the_same_pid_is_cleared(tmp_path):
    out = tmp_path / "site"
    stale = tmp_path / f"site.tmp-{os.getpid()}"
    stale.mkdir()
    (stale / "junk").write_bytes(b"x")
    write_site(SITE, out)
    assert "junk" not in read_tree(out) and leftovers(tmp_path) == []


# What killed builds leave beside the output folder (see also test_write_killed.py).

def dead_pid() -> int:
    """The pid of a process that has ended and been reaped."""
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def leftover(parent: Path, name: str, files: dict[str, bytes]) -> Path:
    folder = parent / name
    folder.mkdir()
    for relative, data in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)
    return folder


def test_leftovers_of_a_dead_build_are_cleared_and_never_published(tmp_path):
    out = tmp_path / "site"
    write_site(SITE, out)
    pid = dead_pid()
    leftover(tmp_path, f"site.tmp-{pid}", {MARKER: b"", "junk.html": b"half"})
    leftover(tmp_path, f"site.old-{dead_pid()}", {})  # an empty one: killed right after its mkdir
    write_site(SITE, out)
    assert leftovers(tmp_path) == []
    assert "junk.html" not in read_tree(out)


@pytest.mark.skipif(os.name != "posix", reason="probes processes with os.kill(pid, 0)")
def test_leftovers_of_a_running_build_or_not_ours_are_left_alone(tmp_path):
    out = tmp_path / "site"
    running = leftover(tmp_path, f"site.tmp-{os.getppid()}", {MARKER: b"", "page.html": b"being written"})
    foreign = leftover(tmp_path, f"site.tmp-{dead_pid()}", {"thesis.txt": b"precious"})  # no marker
    write_site(SITE, out)
    assert read_tree(running) == {MARKER: b"", "page.html": b"being written"}
    assert read_tree(foreign) == {"thesis.txt": b"precious"}


def test_a_site_moved_aside_by_a_killed_build_is_put_back_first(tmp_path):
    out = tmp_path / "site"
    write_site(SITE, out)
    aside = out.with_name(f"site.old-{dead_pid()}")
    os.rename(out, aside)  # killed between moving the old site aside and the new one in
    write_site({**SITE, "index.html": b"<p>newer</p>"}, out)
    assert read_tree(out)["index.html"] == b"<p>newer</p>" and leftovers(tmp_path) == []


def test_without_an_atomic_exchange_the_site_is_still_replaced(tmp_path, monkeypatch):
    import generator.swap as swap

    monkeypatch.setattr(swap, "_exchange", lambda a, b: False)
    out = tmp_path / "site"
    write_site({**SITE, "stale.html": b"old"}, out)
    write_site(SITE, out)
    assert "stale.html" not in read_tree(out) and leftovers(tmp_path) == []


def test_unchanged_files_are_linked_from_the_old_site_and_changed_ones_written(tmp_path):
    out = tmp_path / "site"
    write_site(SITE, out)
    before = {name: (out / name).stat().st_ino for name in SITE}
    done = write_site({**SITE, "index.html": b"<p>newer</p>", "added.html": b"added"}, out)
    assert (out / "static/style.css").stat().st_ino == before["static/style.css"]
    assert (out / "index.html").read_bytes() == b"<p>newer</p>"
    assert (out / "index.html").stat().st_ino != before["index.html"]
    assert (done.written, done.linked) == (3, 2)  # index.html, added.html and a new folder's own marker; two linked
    assert leftovers(tmp_path) == []


def _identity(path):
    """The file as a replacement would change it; not its access time, which reading it moves, nor
    its change time, which a hard link to it (the spare folder's) moves."""
    info = path.stat()
    return info.st_ino, info.st_size, info.st_mtime_ns


def test_nothing_is_replaced_when_nothing_changed(tmp_path):
    out = tmp_path / "site"
    write_site(SITE, out)
    folder, page = out.stat().st_ino, _identity(out / "index.html")
    done = write_site(dict(SITE), out)
    assert (done.written, done.linked) == (0, 0)
    assert out.stat().st_ino == folder and _identity(out / "index.html") == page
    write_site({k: v for k, v in SITE.items() if k != "index.html"}, out)  # a removed page is a change
    assert "index.html" not in read_tree(out)


def test_a_failed_incremental_write_leaves_the_old_files_whole(tmp_path):
    out = tmp_path / "site"
    write_site(SITE, out)
    before = read_tree(out)
    with pytest.raises(OSError):  # fails after the unchanged files were linked into the new folder
        write_site({**SITE, "zz": b"file", "zz/under": b"under a file"}, out)
    assert read_tree(out) == before
    assert all((out / name).stat().st_nlink == 1 for name in SITE)
    assert leftovers(tmp_path) == []


def test_a_staged_site_is_invisible_until_finished_and_kept_files_are_the_old_ones(tmp_path):
    from generator.write import Staging, output_files

    out = tmp_path / "site"
    write_site(SITE, out)
    before, old_css = read_tree(out), (out / "static/style.css").stat().st_ino
    listing = {name: (file_hash(data), (out / name).stat().st_size, (out / name).stat().st_mtime_ns)
               for name, data in SITE.items()}
    with Staging(out, listing=listing) as staging:
        assert staging.kept("static/style.css", file_hash(b"css"))
        assert not staging.kept("static/style.css", file_hash(b"other"))
        staging.keep("static/moved.css", "static/style.css", file_hash(b"css"))
        staging.put("index.html", b"<p>streamed</p>")
        staging.put("articles/a/index.html", b"a")
        assert read_tree(out) == before  # nothing shows before the swap
        with pytest.raises(ValueError):
            staging.put("index.html", b"twice")
        done = staging.finish()
    assert read_tree(out) == {"index.html": b"<p>streamed</p>", "articles/a/index.html": b"a",
                              "static/moved.css": b"css", MARKER: before[MARKER]}
    assert (out / "static/moved.css").stat().st_ino == old_css  # linked, not written again
    assert (done.written, done.linked) == (2, 2)  # index.html and the marker; two linked
    assert leftovers(tmp_path) == [] and set(output_files(out)) == set(read_tree(out))


def test_a_build_that_fails_while_staging_leaves_the_old_site_and_nothing_beside_it(tmp_path):
    from generator.write import Staging

    out = tmp_path / "site"
    write_site(SITE, out)
    before = read_tree(out)
    with pytest.raises(RuntimeError):
        with Staging(out) as staging:
            staging.put("index.html", b"half a site")
            raise RuntimeError("the link check failed")
    assert read_tree(out) == before and leftovers(tmp_path) == []


def test_staging_the_served_files_again_remakes_the_derived_folder_and_keeps_the_old_site_as_the_spare(tmp_path):
    """serve's two steps (build.PageFirst): the first swaps the pages in, the replaced site kept
    as the spare; the second stages the same files again (from the spare, brought up to date)
    and must still run the index and swap."""
    from generator.write import Staging, spare_path

    out = tmp_path / "site"
    write_site(SITE, out)
    with Staging(out, leave_old=True) as first:
        for name, data in SITE.items():
            first.put(name, data)
        first.put("new.html", b"new")
        first.finish()
    spare = spare_path(out)
    assert first.left is None  # nothing to remove: the replaced site is the spare
    assert read_tree(spare) == {**SITE, MARKER: read_tree(out)[MARKER]}
    assert (out / "new.html").read_bytes() == b"new"
    with Staging(out, remake_derived=True) as again:
        for name in (*SITE, "new.html"):
            again.keep(name, name, file_hash((out / name).read_bytes()))
        done = again.finish(lambda folder: (folder / "index-of-all").write_bytes(b"made"), derived="index-of-all")
    assert read_tree(out) == {**SITE, "new.html": b"new", "index-of-all": b"made", MARKER: read_tree(out)[MARKER]}
    assert done.written == 0 and leftovers(tmp_path) == []


def test_a_spare_no_listing_describes_is_dropped_so_the_replaced_site_becomes_the_spare(tmp_path):
    """A spare left by other builds (a copied project, a build without the cache) is never claimed:
    it must not stay in the way of the next one, or every later build stages every file anew."""
    import shutil

    from generator import write_finish
    from generator.swap import marker_id
    from generator.write import Staging, spare_path

    out = tmp_path / "site"
    write_site(SITE, out)
    shutil.copytree(out, spare_path(out))  # a spare, but no listing of it anywhere
    write_finish._KNOWN.clear()  # a new process: nothing known of either folder
    listing = {}
    for name in (*SITE, MARKER):
        status = (out / name).stat()
        listing[name] = (file_hash((out / name).read_bytes()), status.st_size, status.st_mtime_ns)
    replaced = read_tree(out)
    with Staging(out, listing=listing, listing_marker=marker_id(out)) as staging:
        for name, data in SITE.items():
            staging.put(name, data + b" changed")
        staging.finish()
    assert staging.spare is not None and staging.spare.marker == marker_id(spare_path(out))
    assert {k: v for k, v in read_tree(spare_path(out)).items() if k != MARKER} == \
        {k: v for k, v in replaced.items() if k != MARKER}
    assert read_tree(out) == {**{k: v + b" changed" for k, v in SITE.items()}, MARKER: read_tree(out)[MARKER]}


def test_a_first_build_leaves_a_spare_of_itself_that_the_next_build_brings_up_to_date(tmp_path):
    """No replaced site can be the spare of a first build, so it makes one of the new site (linked,
    with the index the post-process made): the next build then writes only what changed, instead of
    linking every file into a new folder, and the site it replaces becomes the spare in turn."""
    from generator import write_finish
    from generator.write import Staging, spare_path

    out = tmp_path / "site"
    with Staging(out, copy_spare=True) as first:
        for name, data in SITE.items():
            first.put(name, data)
        first.finish(lambda folder: (folder / "index-of-all").mkdir() or (folder / "index-of-all" / "a").write_bytes(b"1"),
                     derived="index-of-all")
    spare = spare_path(out)
    assert {k: v for k, v in read_tree(spare).items() if k != MARKER} == {**SITE, "index-of-all/a": b"1"}
    assert all(os.path.samefile(spare / name, out / name) for name in (*SITE, "index-of-all/a"))
    assert first.spare is not None and first.spare.derived == "index-of-all" and set(first.spare.files) == {*SITE, MARKER}
    assert not os.path.samefile(spare / MARKER, out / MARKER)  # each folder its own marker
    write_finish._KNOWN.clear()  # the next build is another process: it has only the stored listings
    listing = {}
    for name in (*SITE, MARKER):
        status = (out / name).stat()
        listing[name] = (file_hash((out / name).read_bytes()), status.st_size, status.st_mtime_ns)
    from generator.swap import marker_id
    kept_inode = (out / "static/style.css").stat().st_ino
    with Staging(out, listing=listing, listing_marker=marker_id(out), spare=first.spare, copy_spare=True) as second:
        assert second.record is not None  # the spare was claimed
        for name, data in SITE.items():
            second.put(name, data + b" changed" if name == "index.html" else data)
        done = second.finish(lambda folder: None, derived="index-of-all", reuse_derived=True)
    assert done.written == 1
    assert read_tree(out) == {**SITE, "index.html": b"<p>new</p> changed", "index-of-all/a": b"1",
                              MARKER: read_tree(out)[MARKER]}
    assert (out / "static/style.css").stat().st_ino == kept_inode
    assert {k: v for k, v in read_tree(spare).items() if k != MARKER} == {**SITE, "index-of-all/a": b"1"}
    assert leftovers(tmp_path) == [] and not any(".copy-" in p.name for p in tmp_path.iterdir())


def test_a_failing_post_process_leaves_no_copy_beside_the_site(tmp_path):
    from generator.write import Staging, spare_path

    out = tmp_path / "site"

    def fail(folder):
        raise OSError("index failed")

    with pytest.raises(OSError), Staging(out, copy_spare=True) as staging:
        for name, data in SITE.items():
            staging.put(name, data)
        staging.finish(fail, derived="index-of-all")
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    assert not spare_path(out).exists()


def test_a_copy_left_by_a_killed_build_is_cleared(tmp_path):
    out = tmp_path / "site"
    leftover(tmp_path, f"site.copy-{dead_pid()}", {MARKER: b"", "page.html": b"half linked"})
    write_site(SITE, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
