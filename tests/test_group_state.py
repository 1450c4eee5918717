"""The grouping's carried state kept in pieces between builds (group/state.py, group/pieces.py):
each build loads it from the file as a new process would, and regroups exactly as a grouping
from scratch does, after edits of every kind (bodies rewritten, articles added and removed,
copy groups merged and split); an edit rewrites only a few of the file's rows."""
from __future__ import annotations

import sqlite3

from generator.group.pair_cache import GroupCache
from generator.group.pieces import PieceMap, Pieces, renewed
from generator.group.state import load, save
from generator.group.stories import find_stories

from invented import article_text
from test_group_carried import EDITS, assert_carried_as_from_scratch, corpus, noise, told, with_text


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


def _topical_corpus() -> list:
    """The carried corpus (a wire story, its retelling, noise) beside stories about bees and
    pesticides, a topic's members, so that edits move stories on and off a topic."""
    from test_group_topics import BACKGROUND, MEMBERS, corpus_story

    stories = [corpus_story(src, *value) for src, value in sorted({**MEMBERS, **BACKGROUND}.items())]
    return corpus() + [c.article for s in stories for c in s.copies]


def _bees(articles, source: str):
    return with_text(articles, source, lambda s: ["A pesticide sprayed near the orchards killed every bee in the hives",
                                                  "Beekeepers asked for the neonicotinoid to be banned"])


def test_stories_and_topics_through_the_pieces_file_equal_a_clean_grouping_after_each_edit(tmp_path):
    """group_all with the state saved and loaded between builds (its stories, components and
    topic results read from and written to the file's maps) against group_all from nothing."""
    from generator.group import group_all
    from test_group_topics import bees_config

    config = bees_config(tmp_path)
    path = tmp_path / "state.sqlite"
    articles, cache = _topical_corpus(), GroupCache()
    group_all(articles, config, cache)
    steps = [("a noise article rewritten about bees: onto the topic", lambda a: _bees(a, "other-017.txt")),
             ("a member rewritten off the topic", _off_topic),
             ("a retelling split off its story", EDITS["a retelling split off its story"]),
             ("a copy made of another story: two stories merge", EDITS["a copy made of another story"]),
             ("a new article", EDITS["a new article"]),
             ("a removed article", EDITS["a removed article"]),
             ("a changed body", EDITS["a changed body"])]
    for name, edit in steps:
        cache = carried_over(cache, path)
        before = {s.primary.article.source: s.topic for s in group_all(articles, config, GroupCache())}
        articles = edit(articles)
        found = group_all(articles, config, cache)
        assert _outcome(found) == _outcome(group_all(articles, config, GroupCache())), name
        if "topic" in name:  # the edit really moved a story between topics
            after = {s.primary.article.source: s.topic for s in found}
            assert any(before.get(source) != topic for source, topic in after.items()), name


def _off_topic(articles) -> list:
    from dataclasses import replace

    from generator.model import Block

    return [replace(a, title="A hiking trail opens above the valley", blocks=(Block("p", article_text(997)),))
            if a.source == "m1.txt" else a for a in articles]


def _outcome(stories) -> list:
    return [(s, s.topic, s.topic_score, s.evidence) for s in stories]


def test_an_edit_rewrites_only_the_stories_and_topic_results_it_changed(tmp_path):
    """Each story's making, each component's groups and each story's topic results are rows of
    their own: after one edit, only the buckets holding what changed are written again."""
    from generator.group import group_all
    from test_group_topics import bees_config

    config = bees_config(tmp_path)
    path = tmp_path / "state.sqlite"
    articles = [*_topical_corpus(), *(noise(n) for n in range(130, 700))]
    cache = GroupCache()
    group_all(articles, config, cache)
    cache = carried_over(cache, path)
    group_all(EDITS["a changed body"](articles), config, cache)
    for found in (cache.stories.stories, cache.topics.terms, cache.topics.facets):
        assert isinstance(found, PieceMap) and found.buckets >= 10
        assert len(list(found.changes())) <= 4, found.name  # the edited story's, old and new


def test_a_piece_map_renewed_from_a_dict_changes_only_the_entries_that_moved(tmp_path):
    values = {n: ("kept", n) for n in range(1000)}
    made = PieceMap.laid_out("m", values)
    pieces = Pieces(tmp_path / "p.sqlite")
    pieces.save({"core": 1}, [made])
    again = PieceMap(Pieces(tmp_path / "p.sqlite"), "m", made.buckets)
    again.size = len(values)
    new = {n: again[n] for n in range(1, 1000)}  # the very values read back: unchanged
    new[5], new[2000] = ("moved", 5), ("new", 2000)
    assert renewed(again, new) is again and again == new
    assert len(list(again.changes())) <= 3  # entry 0 gone, entry 5 moved, entry 2000 added
    assert renewed({"a": 1}, new) is new
