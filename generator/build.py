"""The build: seeds folder and config in, a mapping of output files out (and what was left out).

ingest (read every seed file) → clean (one ``Article`` per raw article) → group (stories, then
topics) → render (pages, feeds, sitemap). Nothing here writes: ``write.write_site`` does, so a
build that fails at any stage leaves the previous site untouched.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import SiteConfig
from .group.pair_cache import GroupCache
from .group.stories import find_stories
from .group.topics import assign_topics
from .model import Article, Rejection, Story
from .render import render_site
from .seed_file import clean_file as clean_seed_file, clean_seeds


@dataclass(frozen=True)
class BuildResult:
    files: dict[str, bytes]
    articles: tuple[Article, ...]
    stories: tuple[Story, ...]  # every story; those with topic None are not published
    rejections: tuple[Rejection, ...]

    @property
    def published(self) -> tuple[Story, ...]:
        return tuple(s for s in self.stories if s.topic)

    @property
    def unpublished(self) -> tuple[Story, ...]:
        return tuple(s for s in self.stories if not s.topic)


def clean_all(seeds: Path, config: SiteConfig) -> tuple[list[Article], list[Rejection]]:
    """Every seed file read and cleaned within its limits (``seed_file``); a line for each left out."""
    return clean_seeds(seeds, config)


def clean_file(path: Path, source: str, config: SiteConfig) -> list[Article | Rejection]:
    """One seed file read and cleaned within its limits: its rejections, then its articles."""
    articles, rejections = clean_seed_file(path, source, config)
    return [*rejections, *articles]


def split_results(results) -> tuple[list[Article], list[Rejection]]:
    articles = [r for r in results if not isinstance(r, Rejection)]
    return articles, [r for r in results if isinstance(r, Rejection)]


def group_all(articles: list[Article], config: SiteConfig, cache: GroupCache | None = None) -> list[Story]:
    """Stories with their topics; ``cache`` holds what the last grouping worked out (pair_cache.py)."""
    return assign_topics(find_stories(articles, config.overrides, config.language, cache), config)


def build_site(config: SiteConfig, seeds: Path) -> BuildResult:
    articles, rejections = clean_all(seeds, config)
    stories = group_all(articles, config)
    files = render_site(config, [s for s in stories if s.topic])
    return BuildResult(files, tuple(articles), tuple(stories), tuple(rejections))
