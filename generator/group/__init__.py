"""Group articles into stories, then stories into topics: ``group_all`` runs both.

Takes cleaned ``Article``s and the config; gives ``Story``s with their copies' relations and each
story's topic (None: not published). ``stories.py`` finds the stories (with ``fingerprint.py``'s
pair scores, reused through ``pair_cache.py``), ``topics.py`` scores them against the topics.
"""
from __future__ import annotations

import os

# numpy (the topic vectors) starts OpenBLAS's thread pool when imported, and a process with a
# thread must not fork: the pair-scoring workers (parallel_scores.py) would silently give way to
# one process. The vectors are far too small to gain from BLAS threads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from ..config import SiteConfig  # noqa: E402
from ..model import Article, Story  # noqa: E402
from .pair_cache import GroupCache  # noqa: E402
from .stories import find_stories  # noqa: E402
from .topic_profile import known_stems, learn_stems  # noqa: E402
from .topics import assign_topics  # noqa: E402
from ..stage_reads import Corpus, StageReads  # noqa: E402

# What ``group_all`` reads of the config (whole topics: the topic profile reads their titles,
# descriptions and examples too); the grouping's cache key is derived from it (``incremental.py``).
READS = StageReads("group", ("overrides", "language", "languages", "topics", "topic_threshold"), Corpus.ALL_ARTICLES)


def group_all(articles: list[Article], config: SiteConfig, cache: GroupCache | None = None) -> list[Story]:
    """Stories with their topics; ``cache`` holds what the last grouping worked out (pair_cache.py)."""
    if cache is not None:
        learn_stems(cache.stems)
    topics = None if cache is None else cache.topics
    stories = assign_topics(find_stories(articles, config.overrides, config.language, cache), config, topics)
    if cache is not None:
        cache.stems = known_stems()
        cache.topics.article_keys = {}  # the articles' keys by id: not held past the grouping
    return stories
