"""A regrouping that carries the last grouping's state (group/carried.py) gives exactly what a
grouping from scratch gives, after any edit: its stories and evidence, and every count, index,
copy group, candidate pair and weights key it carries on."""
from __future__ import annotations

from dataclasses import replace

import pytest

from generator.group.carried import built
from generator.group.pair_cache import GroupCache
from generator.group.stories import find_stories, grouping_order
from generator.config import Overrides
from generator.model import Article, Block, PartialDate

from invented import article_text

# One report many outlets ran word for word, and a retelling of it in other words.
WIRE = ("The night ferry between Quorrin and Bellaport will stop running on 14 October, Saltmere Lines said.",
        "Saltmere blamed a 27 percent rise in fuel costs and said the route lost 4.6 million euros last year.",
        "About 310 crew members work on the Morwenna and the Cape Idrith, which sail six nights a week.",
        "The harbour master of Bellaport, Teodor Vasquin, called the decision a blow to freight hauliers.",
        "Passenger numbers on the night service fell to 188,000 in 2023, less than half the figure before.")
RETOLD = ("Saltmere Lines is scrapping its overnight crossing from Quorrin to Bellaport from 13 October.",
          "Fuel has become 27 percent dearer, the company explained, and the service lost 4.6 million euros.",
          "Hauliers moving freight stand to suffer most, according to Teodor Vasquin, who runs the port.",
          "Just 188,000 travellers used the overnight boats in 2023, under half of the earlier total.")
STOCK = "Subscribe to the Coastal Ledger newsletter for every morning's harbour news in one email."


def report(source: str, sentences, outlet: str, day: int, title: str = "", language: str = "en") -> Article:
    blocks = (Block("p", f"Filed by the {outlet} desk."),
              *(Block("p", " ".join(sentences[i:i + 2])) for i in range(0, len(sentences), 2)))
    return Article(source=source, item=None, form="text", title=title or sentences[0][:60], title_derived=False,
                   blocks=blocks, summary=sentences[0], date=PartialDate(2025, 10, day), author=None,
                   publisher=outlet, url=None, language=language)


def _sentences(n: int) -> list[str]:
    return [s for part in article_text(n).split("\n\n")[2:] for s in part.split(". ")]


def noise(n: int) -> Article:
    sentences = _sentences(n)
    if n % 40 < 4:  # four articles end with one stock line: background, not evidence
        sentences.append(STOCK)
    return report(f"other-{n:03d}.txt", sentences, f"Noise {n % 9}", 1 + n % 20)


def corpus() -> list[Article]:
    wire = [report(f"wire-{n:02d}.txt", WIRE, f"Outlet {n}", 9 + n % 3, "Saltmere Lines to end the night ferry")
            for n in range(8)]
    return [*(noise(n) for n in range(130)), *wire,
            report("retold.txt", RETOLD, "The Coastal Courier", 10, "No more sleeper sailings for the coast")]


def with_text(articles, source: str, change) -> list[Article]:
    """The corpus with one article's body sentences replaced by ``change(sentences)``."""
    def edit(article):
        sentences = [s for b in article.blocks[1:] for s in b.text.split(". ")]
        return replace(article, blocks=(article.blocks[0], *(Block("p", s) for s in change(sentences))))
    return [edit(a) if a.source == source else a for a in articles]


def told(stories):
    return [(s, s.evidence) for s in stories]


def assert_carried_as_from_scratch(cache: GroupCache, articles: list[Article]) -> None:
    ordered, rank = grouping_order(articles, Overrides())
    scratch, _ = built(GroupCache().fingerprints(ordered), rank, tuple(a.key for a in ordered),
                       [a.date for a in ordered])
    carried = cache.carried
    for name in ("names", "size", "group", "groups", "masks", "wkeys"):
        assert getattr(carried, name) == getattr(scratch, name), name
    for name in ("exact", "template", "words", "neutral", "repeats"):
        assert dict(getattr(carried, name)) == dict(getattr(scratch, name)), name
    assert carried.extra == scratch.extra
    for name in ("exact_holders", "template_holders", "token_holders"):
        assert getattr(carried, name) == getattr(scratch, name), name
    mine, theirs = carried.candidates, scratch.candidates
    assert mine.keys == theirs.keys and mine.buckets == theirs.buckets and mine.evidence == theirs.evidence
    assert mine.lines == theirs.lines and mine.copies == theirs.copies
    assert mine.best == theirs.best and mine.pairs(len(ordered)) == theirs.pairs(len(ordered))


def regrouped(cache: GroupCache, articles: list[Article]) -> GroupCache:
    """Groups with the carried cache, checks it against a grouping from scratch, gives the next cache."""
    assert told(find_stories(articles, cache=cache)) == told(find_stories(articles))
    assert_carried_as_from_scratch(cache, articles)
    return cache.kept()


EDITS = {
    "a changed body": lambda a: with_text(a, "other-017.txt", lambda s: s[:-1] + ["The ferry Morwenna docked at Quorrin."]),
    "a new article": lambda a: a + [report("late.txt", RETOLD[:3], "The Evening Post", 11)],
    "a removed article": lambda a: [x for x in a if x.source != "wire-03.txt"],
    "a retitled article": lambda a: [replace(x, title="Bellaport loses its sleeper boat") if x.source == "retold.txt"
                                     else x for x in a],
    "a stock line no longer background": lambda a: with_text(a, "other-002.txt", lambda s: [t for t in s if t != STOCK]),
    "a line made background": lambda a: with_text(a, "other-044.txt", lambda s: s + [STOCK]),
    "a rare name made common": lambda a: with_text(a, "other-050.txt", lambda s: s + [RETOLD[2]]),
    "a retelling split off its story": lambda a: with_text(a, "retold.txt", lambda s: [article_text(999)]),
    "a copy made of another story": lambda a: with_text(a, "other-090.txt", lambda s: list(WIRE)),
    "a copy made its own": lambda a: with_text(a, "wire-05.txt", lambda s: [article_text(998)]),
    # as many copy groups as before: one copy leaves its group for the retelling's
    "a copy moved to another story": lambda a: with_text(a, "wire-05.txt", lambda s: list(RETOLD)),
    "a byline added": lambda a: [replace(x, author="Ilse Varga", url="https://ledger.example/ferry")
                                 if x.source == "wire-06.txt" else x for x in a],
    "a redated article": lambda a: [replace(x, date=PartialDate(2025, 12, 1)) if x.source == "retold.txt" else x
                                    for x in a],
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_one_edit_regroups_as_a_grouping_from_scratch(edit):
    cache = GroupCache()
    find_stories(corpus(), cache=cache)
    regrouped(cache.kept(), EDITS[edit](corpus()))


def test_a_run_of_edits_carried_from_build_to_build_stays_exact():
    articles, cache = corpus(), GroupCache()
    find_stories(articles, cache=cache)
    cache = cache.kept()
    for edit in ("a changed body", "a stock line no longer background", "a copy moved to another story",
                 "a copy made of another story",
                 "a rare name made common", "a copy made its own", "a retelling split off its story"):
        articles = EDITS[edit](articles)
        cache = regrouped(cache, articles)


def test_an_edit_relates_again_only_the_pairs_it_touched():
    cache = GroupCache()
    find_stories(corpus(), cache=cache)
    cache = cache.kept()
    pairs = set(cache.carried.candidates.pairs(len(cache.carried.names)))
    at = cache.carried.keys.index(("wire-02.txt", ""))
    # a sentence of words no other article holds: no other article's weights move
    edited = with_text(corpus(), "wire-02.txt", lambda s: s + ["Zorbly quindle vantorp mexified."])
    assert told(find_stories(edited, cache=cache)) == told(find_stories(edited))
    assert cache.misses == sum(at in pair for pair in pairs) > 0 and cache.hits == len(pairs) - cache.misses


def test_an_unchanged_regrouping_relates_nothing_again():
    cache = GroupCache()
    find_stories(corpus(), cache=cache)
    cache = cache.kept()
    assert told(find_stories(corpus(), cache=cache)) == told(find_stories(corpus()))
    assert cache.misses == 0


def test_the_curators_overrides_between_two_builds_are_read_again():
    cache = GroupCache()
    find_stories(corpus(), cache=cache)
    cache = cache.kept()
    overrides = Overrides(separate=(("retold.txt", "wire-00.txt"),), primary=("wire-04.txt",))
    found = find_stories(corpus(), overrides, cache=cache)
    assert told(found) == told(find_stories(corpus(), overrides))
    assert any(s.primary.article.source == "wire-04.txt" for s in found)


def test_an_edit_whose_old_fingerprint_is_lost_regroups_from_scratch():
    cache = GroupCache()
    find_stories(corpus(), cache=cache)
    cache = cache.kept()
    at = cache.carried.keys.index(("other-017.txt", ""))
    del cache.prints[cache.carried.names[at]]  # a shard of the fingerprints' shelf was unreadable
    regrouped(cache, EDITS["a changed body"](corpus()))


def test_a_copy_moving_between_copy_groups_is_updated_in_place():
    cache = GroupCache()
    find_stories(corpus(), cache=cache)
    cache = cache.kept()
    carried = cache.carried
    regrouped(cache, EDITS["a copy moved to another story"](corpus()))
    assert cache.carried is carried  # updated, not built afresh
