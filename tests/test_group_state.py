"""The grouping's carried state kept in pieces between builds (group/state.py, group/pieces.py):
each build loads it from the file as a new process would, and regroups exactly as a grouping
from scratch does, after edits of every kind (bodies rewritten, articles added and removed,
copy groups merged and split); an edit rewrites only a few of the file's rows."""
from __future__ import annotations

import sqlite3

from generator.group.pair_cache import GroupCache
from generator.group.pieces import PieceMap, Pieces
from generator.group.state import load, save
from generator.group.stories import find_stories

from test_group_carried import EDITS, assert_carried_as_from_scratch, corpus, told


def carried_over(cache: GroupCache, path) -> GroupCache:
    """The cache saved, then loaded by a new ``Pieces`` as the next build's process does."""
    save(cache, Pieces(path))
    found = load(Pieces(path))
    assert found is not None
    return found


def test_a_run_of_edits_through_the_pieces_file_stays_exact(tmp_path):
    path = tmp_path / "state.sqlite"
    articles, cache = corpus(), GroupCache()
    find_stories(articles, cache=cache)
    for edit in ("a changed body", "a new article", "a copy moved to another story", "a removed article",
                 "a copy made of another story", "a rare name made common", "a copy made its own",
                 "a retelling split off its story", "a line made background", "a redated article"):
        cache = carried_over(cache, path)
        articles = EDITS[edit](articles)
        assert told(find_stories(articles, cache=cache)) == told(find_stories(articles)), edit
        assert_carried_as_from_scratch(cache, articles)


def test_an_edit_reads_and_writes_only_a_few_pieces(tmp_path):
    path = tmp_path / "state.sqlite"
    cache = GroupCache()
    find_stories(corpus(), cache=cache)
    laid_out = save(cache, Pieces(path))
    cache = load(Pieces(path))
    edited = EDITS["a changed body"](corpus())
    assert told(find_stories(edited, cache=cache)) == told(find_stories(edited))
    # the fingerprints of the articles the edit touched, not all of them
    assert len(cache.prints._loaded) < cache.prints.buckets / 2
    assert save(cache, Pieces(path)) < laid_out / 2
    assert load(Pieces(path)) is not None


def test_an_unchanged_regrouping_through_the_file_scores_nothing(tmp_path):
    path = tmp_path / "state.sqlite"
    cache = GroupCache()
    find_stories(corpus(), cache=cache)
    cache = carried_over(cache, path)
    assert told(find_stories(corpus(), cache=cache)) == told(find_stories(corpus()))
    assert cache.misses == 0


def test_a_damaged_file_is_no_state_and_the_grouping_is_built_afresh(tmp_path):
    path = tmp_path / "state.sqlite"
    path.write_bytes(b"not a database, a torn write")
    assert load(Pieces(path)) is None
    with sqlite3.connect(path.with_name("other.sqlite")) as db:
        db.execute("CREATE TABLE buckets (map TEXT, bucket INTEGER, value BLOB, PRIMARY KEY (map, bucket))")
        db.execute("INSERT INTO buckets VALUES ('group pieces 1', 0, x'00ff')")
    assert load(Pieces(path.with_name("other.sqlite"))) is None


def test_a_piece_map_reads_as_the_dict_it_was_made_from(tmp_path):
    values = {("a", 1): "x", "b": None, 7: [1, 2], b"k": 3.5}
    made = PieceMap.laid_out("m", values, per_bucket=2)
    pieces = Pieces(tmp_path / "p.sqlite")
    pieces.save({"core": 1}, [made])
    again = PieceMap(Pieces(tmp_path / "p.sqlite"), "m", made.buckets)
    again.size = len(values)
    assert again == values and again.get("missing") is None and 7 in again
    counts = PieceMap(None, "c", 3, counter=True)
    counts["t"] += 2
    counts["t"] -= 2
    assert counts["t"] == 0 and "t" not in counts and len(counts) == 0
