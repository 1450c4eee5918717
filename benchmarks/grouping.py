"""Grouping quality and cost on the adversarial corpus (adversarial.py), the grouping stage alone.

    python benchmarks/grouping.py 1000 [--seed 12] [--years 2024-2024] [--angles] [--edit]

Takes N; prints one JSON object: stories found and true, pairwise precision and recall (over
pairs of articles put in one story), the pairs scored, the wall-clock and CPU seconds (the
machine may be shared: CPU seconds are what the grouping itself took), the largest story and
this process's peak memory. ``--edit`` (``DIGEST_EDIT=1``) then adds a sentence to one article
and groups again with topics (``group_all``, the digest's config) through the cache the first
grouping left, as a build after one edit does, and reports that regrouping's seconds.
"""
from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections import Counter
from dataclasses import replace
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adversarial import corpus_from_command_line  # noqa: E402

from generator.config import load_config  # noqa: E402
from generator.group import group_all  # noqa: E402
from generator.group.pair_cache import GroupCache  # noqa: E402
from generator.model import Block  # noqa: E402
from generator.group.stories import find_stories  # noqa: E402


def pairs(groups) -> set:
    return {pair for group in groups for pair in combinations(sorted(group), 2)}


def score(found: list[set], gold: dict) -> dict:
    truth: dict = {}
    for key, story in gold.items():
        truth.setdefault(story, set()).add(key)
    got, want = pairs(found), pairs(truth.values())
    hit = len(got & want)
    return {"stories": len(found), "true_stories": len(truth),
            "pair_precision": round(hit / len(got), 4) if got else 1.0,
            "pair_recall": round(hit / len(want), 4) if want else 1.0,
            "largest_story": max(len(g) for g in found), "true_pairs": len(want), "found_pairs": len(got)}


def timed(work):
    start, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, round(time.perf_counter() - start, 2), round(time.process_time() - cpu, 2)


def edited(articles: list, cache: GroupCache) -> dict:
    """One article gains a sentence; the regrouping, topics included, through the kept cache."""
    config = load_config(Path(__file__).resolve().parents[1] / "digest.toml")
    group_all(articles, config, cache)  # what the last build left: the stories with topics
    cache = cache.kept()
    changed = articles[len(articles) // 2]
    articles[len(articles) // 2] = replace(changed, blocks=changed.blocks + (
        Block("p", "A spokesperson confirmed the figures on Tuesday."),))
    misses = cache.misses
    _, seconds, cpu = timed(lambda: group_all(articles, config, cache))
    return {"edit_seconds": seconds, "edit_cpu_seconds": cpu, "edit_pairs_scored": cache.misses - misses}


def main() -> None:
    edit = "--edit" in sys.argv or os.environ.get("DIGEST_EDIT") == "1"
    sys.argv = [a for a in sys.argv if a != "--edit"]
    corpus = corpus_from_command_line(__doc__.splitlines()[0])
    cache = GroupCache()
    stories, seconds, cpu = timed(lambda: find_stories(list(corpus.articles), cache=cache))
    found = [{c.article.key for c in s.copies} for s in stories]
    result = {"articles": len(corpus.articles), **score(found, corpus.gold), "pairs_scored": cache.misses,
              "seconds": seconds, "cpu_seconds": cpu}
    result["story_sizes"] = dict(sorted(Counter(len(g) for g in found).items()))
    if edit:
        result.update(edited(list(corpus.articles), cache))
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
