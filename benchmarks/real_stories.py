"""Story grouping on real news: the ScrapingHub pages built as one digest, scored on hand labels.

    python benchmarks/real_stories.py [--bench DIR] [--cache FILE] [--candidates N] [--show]

The 181 real pages of the ScrapingHub extraction benchmark were captured in 2019 from many outlets
on the same days, so several events are covered by two to four outlets. Every page is cleaned as
the build does (one topic that takes everything, as ``score_extraction.py`` configures it) and
the cleaned articles are grouped by ``find_stories``. ``real_stories.json`` beside this script
holds the labels: the events covered more than once, each a list of page ids, judged by reading
headline and lead (same event = same story). Prints one JSON object: pairwise precision and
recall of the pages put in one story against the labels, then (``--show``) the wrong and missed
pairs with their headlines. ``--candidates N`` lists the N most alike pairs by headline and lead
(word overlap) that are not labelled, for checking the labels again. ``--cache`` keeps the cleaned
articles in a file, so that trying grouping changes does not clean the pages again.
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import pickle
import re
import sys
import tempfile
from collections import Counter
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.config import load_config  # noqa: E402
from generator.group.stories import find_stories  # noqa: E402
from generator.seed_file import clean_seeds  # noqa: E402

HERE = Path(__file__).resolve().parent
LABELS = HERE / "real_stories.json"
CONFIG = """\
[site]
title = "Real news"
description = "Real pages of the ScrapingHub benchmark, built as one digest."
base_url = "https://real-news.invalid/"
language = "en"
languages = ["en", "de", "fr", "es", "it", "pt", "ru", "ja", "ko", "id"]
topic_threshold = 0.0

[[topics]]
slug = "everything"
title = "Everything"
  [[topics.facets]]
  name = "common words"
  terms = ["the", "and", "of", "a", "to", "in", "de", "la", "el", "der", "die", "o", "e"]
"""


def cleaned_articles(bench: Path, cache: Path | None) -> list:
    if cache and cache.exists():
        return pickle.loads(cache.read_bytes())
    with tempfile.TemporaryDirectory(prefix="real-stories-") as work:
        seeds = Path(work) / "seeds"
        seeds.mkdir()
        for path in sorted((bench / "html").glob("*.html.gz")):
            with gzip.open(path, "rb") as f:
                (seeds / f"{path.name.split('.')[0]}.html").write_bytes(f.read())
        (Path(work) / "digest.toml").write_text(CONFIG, encoding="utf-8")
        articles, _ = clean_seeds(seeds, load_config(Path(work) / "digest.toml"))
    if cache:
        cache.write_bytes(pickle.dumps(articles))
    return articles


def page_id(article) -> str:
    return Path(article.source).stem


def pairs(groups) -> set[tuple[str, str]]:
    return {pair for group in groups for pair in combinations(sorted(group), 2)}


def score(found: list[set[str]], events: list[list[str]]) -> dict:
    got, want = pairs(found), pairs(events)
    hit = got & want
    return {"precision": round(len(hit) / len(got), 3) if got else 1.0,
            "recall": round(len(hit) / len(want), 3) if want else 1.0,
            "pairs_found": len(got), "pairs_labelled": len(want), "pairs_right": len(hit),
            "wrong": sorted(got - want), "missed": sorted(want - got)}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]{4,}", text.casefold())}


def alike_pairs(articles: list, labelled: set, n: int) -> list[tuple[float, str, str]]:
    """The ``n`` pairs most alike by headline and lead (IDF-weighted word overlap), not labelled."""
    bags = {page_id(a): _words(a.title + " " + a.text[:400]) for a in articles}
    df = Counter(w for bag in bags.values() for w in bag)
    idf = {w: math.log(len(bags) / d) for w, d in df.items()}
    scored = []
    for x, y in combinations(sorted(bags), 2):
        shared = bags[x] & bags[y]
        if shared and (x, y) not in labelled:
            union = sum(idf[w] for w in bags[x] | bags[y])
            scored.append((round(sum(idf[w] for w in shared) / union, 3), x, y))
    return sorted(scored, reverse=True)[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", type=Path, default=HERE.parents[1] / "shared" / "benchmarks" / "scrapinghub")
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--candidates", type=int, default=0)
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()
    articles = cleaned_articles(args.bench, args.cache)
    events = json.loads(LABELS.read_text(encoding="utf-8"))["events"]
    stories = find_stories(articles)
    found = [{page_id(c.article) for c in s.copies} for s in stories]
    result = score([g for g in found if len(g) > 1], [e["pages"] for e in events])
    title = {page_id(a): a.title for a in articles}
    if args.show:
        for kind in ("wrong", "missed"):
            for x, y in result[kind]:
                print(f"{kind}: {x} {title.get(x, '(rejected)')!r} ~ {y} {title.get(y, '(rejected)')!r}")
    for s, x, y in alike_pairs(articles, pairs(e["pages"] for e in events), args.candidates):
        print(f"alike {s}: {x} {title[x]!r} ~ {y} {title[y]!r}")
    print(json.dumps({k: v for k, v in result.items() if k not in ("wrong", "missed")}))


if __name__ == "__main__":
    main()
