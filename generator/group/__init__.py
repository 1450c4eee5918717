"""Group articles into stories, then stories into topics: ``group_all`` runs both.

Takes cleaned ``Article``s and the config; gives ``Story``s with their copies' relations and each
story's topic (None: not published). ``stories.py`` finds the stories (with ``fingerprint.py``'s
pair scores, reused through ``pair_cache.py``), ``topics.py`` scores them against the topics.
"""
from __future__ import annotations

from ..config import SiteConfig
from ..model import Article, Story
from .pair_cache import GroupCache
from .stories import find_stories
from .topic_profile import known_stems, learn_stems
from .topics import assign_topics
from ..stage_reads import Corpus, StageReads

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
    return stories
