"""Regrouping with the pair cache: after an edit, the stories are exactly those of a grouping from
scratch, and only the pairs whose inputs changed are scored again."""
from __future__ import annotations

from dataclasses import replace

import random

from generator.group.fingerprint import Vocabulary, compare
from generator.group.grid import level
from generator.group.pair_cache import GroupCache
from generator.group.stories import far_apart, find_stories
from generator.model import Block
from test_group_stories import deal, french, make, original, puffins, rewrite, syndicated, walkout


def corpus():
    return [original(), syndicated(), rewrite(), french(), deal(), walkout(), puffins()]


def edited(articles, source: str, sentence: str):
    """The corpus with one sentence added to one article's last paragraph."""
    def edit(article):
        last = article.blocks[-1]
        return replace(article, blocks=(*article.blocks[:-1], Block(last.kind, f"{last.text} {sentence}")))
    return [edit(a) if a.source == source else a for a in articles]


def far_pairs(articles) -> int:
    """The pairs judged by their containment alone (one language, weeks apart): never scored."""
    return sum(far_apart(a, b) for n, a in enumerate(articles) for b in articles[n + 1:])


def test_a_pair_weeks_apart_is_judged_without_being_scored():
    cache = GroupCache()
    far = far_pairs(corpus())
    assert far  # the rewrite of a story weeks later, say
    assert find_stories(corpus(), cache=cache) == find_stories(corpus())
    assert cache.far == far and cache.misses == 21 - far and cache.hits == 0


def test_a_regrouping_after_an_edit_equals_a_grouping_from_scratch():
    cache = GroupCache()
    assert find_stories(corpus(), cache=cache) == find_stories(corpus())
    far = far_pairs(corpus())
    assert cache.hits == 0 and cache.misses == 21 - far  # 7 articles: every pair judged once

    # "harbour" is already in other articles: its weight changes for all of them
    changed = edited(corpus(), "sauna-roundup.txt", "The harbour master welcomed the plan.")
    cache = cache.kept()
    assert find_stories(changed, cache=cache) == find_stories(changed)
    # more than the edited article's own 6 pairs are scored again (the weights moved), not all
    assert 6 - far < cache.misses < 21 - far and cache.hits == 21 - far - cache.misses


def test_an_unchanged_corpus_scores_no_pair_again():
    cache = GroupCache()
    find_stories(corpus(), cache=cache)
    cache = cache.kept()
    assert find_stories(corpus(), cache=cache) == find_stories(corpus())
    assert cache.misses == 0 and cache.hits == 21


def test_an_added_article_to_a_small_corpus_rescores_every_pair():
    # below the grid's exact range (grid.py) the corpus size is read exactly, and it is in every
    # weight: nothing can be reused
    cache = GroupCache()
    find_stories(corpus(), cache=cache)
    bigger = corpus() + edited([puffins("puffins-2.txt")], "puffins-2.txt", "Wardens counted them twice.")
    cache = cache.kept()
    assert find_stories(bigger, cache=cache) == find_stories(bigger)
    assert cache.hits == 0


# One report, two rewordings of it that hold the very same names and numbers (no copy of it, nor
# of each other), and a retelling; a second report and a rewording of it.
LOCKS = ("The locks on the Varne canal at Osterby will close for 6 weeks from 2 May, the Varne trust said.",
         "The trust found the oak gates of the 1887 lock rotten at the waterline.",
         "Boats bound for Kell will have to moor at the Osterby basin and wait.",
         "The new gates will cost 1.8 million crowns, the trust said.")
ORCHARD = ("The Brisling orchard at Haddow will be sold at auction on 9 April, the Maelor estate said.",
           "The estate said the 140 apple trees on the orchard were planted in 1921.",
           "A group of Haddow villagers hopes to raise the money to buy the orchard.",
           "The guide price is 310,000 crowns, the estate said on the day.")
LOCKS_RETOLD = ("Osterby's canal users face 6 weeks without the Varne locks from 2 May.",
                "Rot was found in the oak gates of the 1887 lock at the waterline, and new ones will cost 1.8 million crowns.",
                "Skippers heading to Kell must tie up in the Osterby basin until the work ends.")


def worded(sentences, word):
    """The sentences with "the" put in other words: other lines, the same names and numbers."""
    return tuple(s.replace("the ", f"{word} ").replace("The ", f"{word.title()} ") for s in sentences)


def test_a_cached_score_is_never_one_worked_out_under_other_copy_groups():
    """Both corpora hold the same number of articles and of copy groups and every token in as many
    articles; only which articles are copies of each other differs, so how many stories hold the
    names the retelling shares with the report does."""
    def corpus(locks_copy, orchard_copy):
        return [make("locks-retold.txt", LOCKS_RETOLD), make("locks.txt", LOCKS),
                make("locks-2.txt", locks_copy), make("locks-3.txt", worded(LOCKS, "this")),
                make("orchard.txt", ORCHARD), make("orchard-2.txt", orchard_copy)]

    # first the report has a verbatim copy and the orchard story a rewording; then the other way round
    first, second = corpus(LOCKS, worded(ORCHARD, "that")), corpus(worded(LOCKS, "that"), ORCHARD)
    cache = GroupCache()
    scored = {}
    for articles in (first, second):
        printed = cache.fingerprints(articles)
        vocab = Vocabulary([p.fingerprint for p in printed])
        cached = cache.scorer(printed, vocab)(0, 1)
        assert cached == compare(printed[0].fingerprint, printed[1].fingerprint, vocab)
        scored[vocab.groups, vocab.stories("osterby")] = cached
    assert list(scored) == [(5, 3), (5, 4)]
    assert len(set(scored.values())) == 2  # the stories holding a name changed the scores


def test_an_articles_key_is_never_given_for_other_text():
    """An article's fingerprint key (pair_cache.article_key) survives pickling, and an article
    renewed with other blocks or title the way the furniture pass renews one (its attributes
    copied) gets its new text's key, never the old one: a stale key would reuse old scores."""
    import pickle

    from generator.clean.furniture import _renewed
    from generator.group.pair_cache import article_key

    article = corpus()[0]
    key = article_key(article)
    again = pickle.loads(pickle.dumps(article))
    assert article_key(again) == key
    trimmed = _renewed(again, blocks=again.blocks[1:])
    retitled = _renewed(again, title=again.title + " (updated)")
    for renewal in (trimmed, retitled):
        fresh = replace(renewal)  # the same values, nothing kept
        assert article_key(renewal) == article_key(fresh) != key
    assert article_key(_renewed(again, block_prints=("x",))) == key


# A corpus past the grid's exact range: invented reports, each with names of its own, told in
# words from one shared pool, so that every pool word is in most articles (a common word).
POOL = "wardens boats harbour river meeting council village station bridge winter".split()
SYLLABLES = "ka lo mi ren tu vas zor bel din fa gor hul".split()
SIZE = 80  # on the grid: 80 and 81 read as one level


def invented(k: int, words=POOL, syllables=SYLLABLES, filler: int = 0) -> object:
    """The k-th report: four lines of names and pool words, and ``filler`` lines of names alone
    (one shape in every report: template lines, no evidence, but words for the cleaning)."""
    draw = random.Random(k)
    name = lambda: "".join(draw.choice(syllables) for _ in range(3)).title()  # noqa: E731
    told = lambda: " ".join(draw.sample(words, min(4, len(words))))  # noqa: E731
    sentences = tuple(f"{name()} and {name()} met {told()}." for _ in range(4))
    sentences += tuple(f"{name()} and {name()} met {name()} at {name()}." for _ in range(filler))
    return make(f"report-{k:03d}.txt", sentences, title=f"{name()} {name()} report")


def steady_words(articles) -> dict[str, list[str]]:
    """For each article, the pool words it lacks whose count one more holder leaves on its level
    (held by most articles: common words)."""
    printed = GroupCache().fingerprints(articles)
    vocab = Vocabulary([p.fingerprint for p in printed])
    steady = [w for w in POOL if vocab.df(w) >= 64 and level(vocab.df(w)) == level(vocab.df(w) + 1)]
    return {a.source: [w for w in steady if w not in p.tokens] for a, p in zip(articles, printed)}


def test_an_edit_adding_common_words_rescores_only_the_edited_articles_pairs():
    articles = [invented(k) for k in range(SIZE)]
    lacking = steady_words(articles)
    target = max(lacking, key=lambda source: (len(lacking[source]), source))
    words = lacking[target]
    assert len(words) >= 2
    cache = GroupCache()
    find_stories(articles, cache=cache)
    changed = edited(articles, target, f"Later the {words[0]} and the {words[1]} were seen again.")
    cache = cache.kept()
    assert find_stories(changed, cache=cache) == find_stories(changed)
    # each of those words is in dozens of other articles; their weights stayed on their levels
    assert cache.misses == len(articles) - 1  # every pair is a candidate in a corpus this small


def test_an_added_article_rescores_only_its_own_pairs_and_a_removed_one_none():
    articles = [invented(k) for k in range(SIZE)]
    assert level(len(articles)) == level(len(articles) + 1)
    steady = sorted(set().union(*steady_words(articles).values()))
    assert len(steady) >= 4
    cache = GroupCache()
    find_stories(articles, cache=cache)
    # names no other article holds, and only words whose levels one more holder leaves
    bigger = articles + [invented(999, steady, "qua xe yo wim sep".split())]
    cache = cache.kept()
    assert find_stories(bigger, cache=cache) == find_stories(bigger)
    assert cache.misses == len(articles)  # the new article with each of the others
    cache = cache.kept()
    assert find_stories(articles, cache=cache) == find_stories(articles)
    assert cache.misses == 0


def test_article_keys_are_carried_by_origin_and_an_edited_article_gets_its_own():
    # the clean stage names each article by what made it (render_carry.article_origins): an
    # article under a known origin keeps its key; an edited one comes under a new origin
    articles = corpus()
    cache = GroupCache(origins={id(a): (a, f"file-{n}/0") for n, a in enumerate(articles)})
    assert find_stories(articles, cache=cache) == find_stories(corpus())
    first = dict(cache.origin_keys)
    assert len(first) == len(articles)

    changed = edited(corpus(), "sauna-roundup.txt", "The harbour master welcomed the plan.")
    origins = {id(a): (a, f"file-{n}/0" if a.source != "sauna-roundup.txt" else "file-new/0")
               for n, a in enumerate(changed)}
    cache = cache.kept()
    cache.origins = origins
    assert find_stories(changed, cache=cache) == find_stories(changed)
    assert "file-new/0" in cache.origin_keys and cache.origin_keys["file-new/0"] not in first.values()
    assert {k: v for k, v in cache.origin_keys.items() if k != "file-new/0"} == \
        {k: v for k, v in first.items() if k in cache.origin_keys}


def _counted(groups: int, stories: dict[str, int]) -> Vocabulary:
    """A vocabulary of ``groups`` copy groups in which each name is held by so many of them."""
    from collections import Counter

    vocab = Vocabulary([], [])
    vocab.size, vocab.groups = groups, groups
    vocab.neutral, vocab._repeats = Counter(stories), Counter()
    return vocab


def test_a_common_names_story_count_leaves_the_weights_keys_where_only_rare_names_weigh():
    from generator.group.event import rare
    from generator.group.pair_cache import weight_levels

    # 5,000 stories: a name in more than 5% of them is the corpus' subject, never event evidence
    before = _counted(5000, {"Acme": 400, "Zorb": 10})
    after = _counted(5000, {"Acme": 440, "Zorb": 11})
    assert before.story_level("Acme") != after.story_level("Acme")  # its level moved...
    assert not rare({"Acme"}, before.story_level, level(5000)) and not rare({"Acme"}, after.story_level, level(5000))
    # ...but the event evidence reads it as not rare either way: its story level keys as one value
    assert weight_levels(("Acme",), before)[1] == weight_levels(("Acme",), after)[1]
    # a rare name's story level is keyed as it is
    assert weight_levels(("Zorb",), before)[1] == 10 and weight_levels(("Zorb",), after)[1] == 11
