"""Regrouping with the pair cache: after an edit, the stories are exactly those of a grouping from
scratch, and only the pairs whose inputs changed are scored again."""
from __future__ import annotations

from dataclasses import replace

from generator.group.pair_cache import GroupCache
from generator.group.stories import find_stories
from generator.model import Block
from test_group_stories import deal, french, original, puffins, rewrite, syndicated, walkout


def corpus():
    return [original(), syndicated(), rewrite(), french(), deal(), walkout(), puffins()]


def edited(articles, source: str, sentence: str):
    """The corpus with one sentence added to one article's last paragraph."""
    def edit(article):
        last = article.blocks[-1]
        return replace(article, blocks=(*article.blocks[:-1], Block(last.kind, f"{last.text} {sentence}")))
    return [edit(a) if a.source == source else a for a in articles]


def test_a_regrouping_after_an_edit_equals_a_grouping_from_scratch():
    cache = GroupCache()
    assert find_stories(corpus(), cache=cache) == find_stories(corpus())
    assert cache.hits == 0 and cache.misses == 21  # 7 articles: every pair scored once

    # "harbour" is already in other articles: its weight changes for all of them
    changed = edited(corpus(), "sauna-roundup.txt", "The harbour master welcomed the plan.")
    cache = cache.kept()
    assert find_stories(changed, cache=cache) == find_stories(changed)
    # more than the edited article's own 6 pairs are scored again (the weights moved), not all
    assert 6 < cache.misses < 21 and cache.hits == 21 - cache.misses


def test_an_unchanged_corpus_scores_no_pair_again():
    cache = GroupCache()
    find_stories(corpus(), cache=cache)
    cache = cache.kept()
    assert find_stories(corpus(), cache=cache) == find_stories(corpus())
    assert cache.misses == 0 and cache.hits == 21


def test_an_added_article_rescores_every_pair():
    # the corpus size is in every weight: nothing can be reused
    cache = GroupCache()
    find_stories(corpus(), cache=cache)
    bigger = corpus() + edited([puffins("puffins-2.txt")], "puffins-2.txt", "Wardens counted them twice.")
    cache = cache.kept()
    assert find_stories(bigger, cache=cache) == find_stories(bigger)
    assert cache.hits == 0
