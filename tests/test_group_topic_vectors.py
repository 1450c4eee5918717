"""The array form of the topic profiles (topic_vectors.py) gives the dictionary form's numbers to
the last bit: each story's cosine to a profile and each member's leave-one-out cosine, on small
invented corpora of every shape (tiny topics whose stories are longer than the profile, seeds
longer than the centroid, one member, none, empty stories), whatever ids the stems were given."""
from __future__ import annotations

import math
import random
from collections import Counter

from generator.group import topic_profile as tp
from generator.group.topic_vectors import LOOKUP_LIMIT, Corpus, TermTable


def dictionary_form(counts: list[Counter], seed_counts: Counter, mine: list[int]) -> list[float]:
    """The plain computation: vectors, profile and ``_LeaveOneOut`` as dictionaries."""
    df = Counter(w for c in counts for w in c)
    n = len(counts)
    idf = {w: math.log((1 + n) / (1 + d)) + 1 for w, d in df.items()}
    vectors = [tp._vector(c, idf) for c in counts]
    seed = tp._vector(seed_counts, idf)
    centroid, k = tp._added(*(vectors[i] for i in mine)), len(mine)
    full = tp._normalised(tp._added(seed, {w: v / k for w, v in centroid.items()} if k else {}))
    found = [tp.cosine(v, full) for v in vectors]
    leave_out = tp._LeaveOneOut(seed, centroid, k)
    for i in mine:
        found[i] = leave_out.similarity(vectors[i])
    return found


def invented_corpus(rnd: random.Random) -> tuple[list[Counter], Counter, list[int]]:
    vocabulary = [f"{rnd.choice('bdfklmprst')}{rnd.choice('aeiou')}{i}" for i in range(rnd.randint(5, 120))]
    stories = []
    for _ in range(rnd.randint(1, 30)):
        size = rnd.choice((0, 1, 3, rnd.randint(1, len(vocabulary))))
        words = rnd.sample(vocabulary, min(size, len(vocabulary)))
        stories.append(Counter({w: rnd.choice((1, 2, 3, rnd.randint(1, 60))) for w in words}))
    if rnd.random() < 0.1:
        stories[0][vocabulary[0]] = LOOKUP_LIMIT + rnd.randint(1, 9)  # a word repeated past the log table
    seed = Counter({w: rnd.randint(1, 4) for w in rnd.sample(vocabulary, rnd.randint(0, len(vocabulary)))})
    seed["unseen"] = 2  # a seed word no story has: the IDF does not know it
    mine = sorted(rnd.sample(range(len(stories)), min(len(stories), rnd.choice((0, 1, 1, 2, rnd.randint(0, len(stories)))))))
    return stories, seed, mine


def array_form(counts: list[Counter], seed: Counter, mine: list[int], stems: dict[str, int]) -> list[float]:
    corpus = Corpus(TermTable.of(counts, stems), len(counts))
    return corpus.similarities(corpus.seed(seed), mine).tolist()


def test_the_array_form_gives_the_dictionary_forms_cosines_to_the_bit():
    rnd = random.Random(15)
    for _ in range(400):
        counts, seed, mine = invented_corpus(rnd)
        assert array_form(counts, seed, mine, {}) == dictionary_form(counts, seed, mine)


def test_the_cosines_do_not_depend_on_the_ids_the_stems_were_given():
    rnd = random.Random(16)
    for _ in range(100):
        counts, seed, mine = invented_corpus(rnd)
        history = [f"gone{i}" for i in range(rnd.randint(0, 50))] + sorted({w for c in counts for w in c})
        rnd.shuffle(history)  # an earlier build's stems, in another order, some used no more
        stems = {w: i for i, w in enumerate(history)}
        assert array_form(counts, seed, mine, stems) == array_form(counts, seed, mine, {})


def test_a_story_about_the_profiles_words_is_closer_than_one_about_others():
    counts = [Counter(bee=3, hive=2, pesticide=1), Counter(bee=1, hive=1, spray=2), Counter(tram=2, council=3),
              Counter(bee=2, pesticide=2, field=1)]
    found = array_form(counts, Counter(bee=1, pesticide=1), [0, 1, 3], {})
    assert found[2] == 0.0 < min(found[0], found[1], found[3])
