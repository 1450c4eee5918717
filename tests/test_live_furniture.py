"""A preview's furniture step (live_furniture.py) gives an edited article exactly what the whole
pass (clean.furniture.furniture_pass) gives it, and declines when the edit changes its outlet's
furniture. Articles invented, in English and French (test_clean_furniture's)."""
from __future__ import annotations

from dataclasses import replace

from generator.clean.furniture import block_prints, furniture_pass, split_prints
from generator.live_furniture import furnished, outlets_steps
from generator.model import Block
from test_clean_furniture import FURNITURE, SHARED_REAL, STORIES, article


def stored(*articles):
    """One file's cleaning results as a build stores them: articles, their prints apart, rejections."""
    return (*split_prints(articles), [])


def outlets_of(results: dict):
    return list(outlets_steps(results))[-1]


def a_corpus(language: str) -> dict:
    """Three articles of one outlet (two stories and a third), two with its furniture, one file each."""
    one, two = STORIES[language]
    first = article(1, [*one[:2], *FURNITURE[language], SHARED_REAL[language], *one[2:]], language)
    second = article(2, [*two[:3], *FURNITURE[language], SHARED_REAL[language], two[3]], language)
    third = article(3, [*reversed(one)], language, publisher="Another Outlet")
    return {f"file{n}": stored(a) for n, a in enumerate((first, second, third))}


def whole_pass(results: dict, key: str):
    order = list(results)
    cleaned = furniture_pass([results[k][0][0] for k in order], prints=[results[k][1][0] for k in order])[0]
    return cleaned[order.index(key)]


def test_an_edited_body_gets_the_blocks_the_whole_pass_keeps():
    for language in STORIES:
        results = a_corpus(language)
        outlets = outlets_of(results)
        old, old_prints = results["file0"][0][0], results["file0"][1][0]
        blocks = (*old.blocks, Block("p", "A sentence the edit added, about the hall alone."))
        new = replace(old, blocks=blocks, block_prints=block_prints(blocks))
        after = {**results, "file0": stored(new)}
        mine = furnished(outlets, old, new, old_prints)
        assert mine == whole_pass(after, "file0"), language
        assert not any(f in mine.text for f in FURNITURE[language]) and "the edit added" in mine.text


def test_an_edit_that_makes_a_line_stop_recurring_is_left_to_the_whole_pass():
    for language in STORIES:
        results = a_corpus(language)
        old, old_prints = results["file0"][0][0], results["file0"][1][0]
        # without its furniture lines, the other article's are no longer furniture: only the pass can say
        blocks = tuple(b for b in old.blocks if b.text not in FURNITURE[language])
        new = replace(old, blocks=blocks, block_prints=block_prints(blocks))
        assert furnished(outlets_of(results), old, new, old_prints) is None, language


def test_an_article_of_an_outlet_with_one_article_keeps_what_the_pass_keeps():
    results = a_corpus("en")
    old, old_prints = results["file2"][0][0], results["file2"][1][0]
    blocks = (Block("p", "More from the Gazette"), *old.blocks)
    new = replace(old, blocks=blocks, block_prints=block_prints(blocks))
    mine = furnished(outlets_of(results), old, new, old_prints)
    assert mine == whole_pass({**results, "file2": stored(new)}, "file2")


def test_the_counts_carried_over_an_edit_are_the_counts_made_afresh():
    results = a_corpus("fr")
    old = results["file1"][0][0]
    blocks = old.blocks[1:]
    edited = {k: v for k, v in results.items() if k != "file1"} | {"file1b": stored(replace(
        old, blocks=blocks, block_prints=block_prints(blocks)))}
    carried = list(outlets_steps(edited, (outlets_of(results), results)))[-1]
    assert carried == outlets_of(edited)
