"""Joining linked articles into stories: a file joins a story because it matches the story (its
leader, or most of its members), not one member, so a chain of pairwise links does not become one
giant story; curator joins always hold and curator separations always win."""
from __future__ import annotations

from generator.group.clusters import Link, cluster

NAMES = [f"file-{i}.txt" for i in range(12)]


def groups_of(size, links, separate=(), rank=None):
    found, why = cluster(size, links, list(separate), rank or list(range(size)), NAMES)
    return found, why


def test_a_chain_of_single_links_does_not_make_one_story():
    # 0-1, 1-2, 2-3, ... each pair shares one span with the next, nothing more
    chain = [Link(i, i + 1, "rewrite", 0.6) for i in range(9)]
    found, _ = groups_of(10, chain)
    assert max(len(g) for g in found) <= 3
    assert len(found) >= 4


def test_copies_that_all_link_make_one_story():
    links = [Link(a, b, "syndicated", 1.9) for a in range(4) for b in range(a + 1, 4)]
    found, why = groups_of(5, links)
    assert found == [[0, 1, 2, 3], [4]]
    assert len(why[0]) == 3 and all("pairs linked" in line for line in why[0])


def test_a_translation_that_matches_most_of_the_story_joins_it():
    # original 0, syndicated 1, rewrite 2 all linked; the translation 3 links 0 and 1, not the rewrite
    links = [Link(0, 1, "syndicated", 1.9), Link(0, 2, "rewrite", 1.2), Link(1, 2, "rewrite", 1.1),
             Link(0, 3, "translation", 1.1), Link(1, 3, "translation", 1.0)]
    assert groups_of(4, links)[0] == [[0, 1, 2, 3]]


def test_a_file_linked_only_to_one_follower_of_a_big_story_stays_out():
    story = [Link(a, b, "syndicated", 1.9) for a in range(4) for b in range(a + 1, 4)]
    stray = Link(3, 4, "rewrite", 0.7)  # one shared paragraph with the last copy only
    found, _ = groups_of(5, [*story, stray])
    assert [4] in found


def test_a_file_linked_to_the_leader_joins():
    story = [Link(a, b, "syndicated", 1.9) for a in range(3) for b in range(a + 1, 3)]
    found, why = groups_of(4, [*story, Link(0, 3, "rewrite", 0.9)])
    assert found == [[0, 1, 2, 3]]
    assert any("leaders linked" in line for line in why[0])


def test_the_leader_follows_the_rank_not_the_index():
    story = [Link(a, b, "syndicated", 1.9) for a in range(3) for b in range(a + 1, 3)]
    # file 2 leads (earliest); a file linked only to it joins, one linked only to file 0 does not
    found, _ = groups_of(5, [*story, Link(2, 3, "rewrite", 0.9), Link(0, 4, "rewrite", 0.9)], rank=[2, 1, 0, 3, 4])
    assert [0, 1, 2, 3] in found and [4] in found


def test_curator_joins_hold_without_any_scores():
    found, why = groups_of(3, [Link(0, 2, "curator", 10.0)])
    assert found == [[0, 2], [1]]
    assert "curator" in why[0][0]


def test_curator_separation_wins_over_links():
    links = [Link(0, 1, "syndicated", 1.9), Link(1, 2, "syndicated", 1.9), Link(0, 2, "syndicated", 1.9)]
    found, _ = groups_of(3, links, separate=[{0, 2}])
    assert not any(0 in g and 2 in g for g in found)


def test_same_links_in_any_order_give_the_same_stories():
    links = [Link(0, 1, "syndicated", 1.9), Link(2, 3, "rewrite", 0.8), Link(1, 2, "rewrite", 0.5),
             Link(0, 2, "rewrite", 0.6), Link(4, 5, "translation", 0.9)]
    assert groups_of(6, links)[0] == groups_of(6, list(reversed(links)))[0]
