"""Grouping quality and cost on the adversarial corpus (adversarial.py), the grouping stage alone.

    python benchmarks/grouping.py 1000 [--seed 12] [--years 2024-2024]

Takes N; prints one JSON object: stories found and true, pairwise precision and recall (over
pairs of articles put in one story), the pairs scored, the wall-clock and CPU seconds (the
machine may be shared: CPU seconds are what the grouping itself took) and the largest story.
"""
from __future__ import annotations

import json
import sys
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adversarial import corpus_from_command_line  # noqa: E402

from generator.group.pair_cache import GroupCache  # noqa: E402
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


def main() -> None:
    corpus = corpus_from_command_line(__doc__.splitlines()[0])
    cache = GroupCache()
    start, cpu = time.perf_counter(), time.process_time()
    stories = find_stories(list(corpus.articles), cache=cache)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    found = [{c.article.key for c in s.copies} for s in stories]
    result = {"articles": len(corpus.articles), **score(found, corpus.gold), "pairs_scored": cache.misses,
              "seconds": round(seconds, 2),
              "cpu_seconds": round(cpu, 2)}
    result["story_sizes"] = dict(sorted(Counter(len(g) for g in found).items()))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
