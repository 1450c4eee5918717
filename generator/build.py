"""The build: seeds folder and config in, a mapping of output files out (and what was left out).

ingest (read every seed file) → clean (one ``Article`` per raw article) → group (stories, then
topics) → render (pages, feeds, sitemap). Nothing here writes: ``write.write_site`` does, so a
build that fails at any stage leaves the previous site untouched.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .clean import clean_article
from .config import SiteConfig
from .group.stories import find_stories
from .group.topics import assign_topics
from .ingest import read_file, seed_files
from .model import Article, Rejection, Story
from .render import render_site


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


def clean_file(path: Path, source: str, config: SiteConfig) -> list[Article | Rejection]:
    """One seed file read and cleaned: its articles, and a rejection for each part that has none."""
    raws, rejections = read_file(path, source)
    return [*rejections, *(clean_article(raw, config) for raw in raws)]


def clean_all(seeds: Path, config: SiteConfig) -> tuple[list[Article], list[Rejection]]:
    results = [r for path in seed_files(seeds) for r in clean_file(path, path.relative_to(seeds).as_posix(), config)]
    return split_results(results)


def split_results(results) -> tuple[list[Article], list[Rejection]]:
    articles = [r for r in results if not isinstance(r, Rejection)]
    return articles, [r for r in results if isinstance(r, Rejection)]


def group_all(articles: list[Article], config: SiteConfig) -> list[Story]:
    return assign_topics(find_stories(articles, config.overrides, config.language), config)


def build_site(config: SiteConfig, seeds: Path) -> BuildResult:
    articles, rejections = clean_all(seeds, config)
    stories = group_all(articles, config)
    files = render_site(config, [s for s in stories if s.topic])
    return BuildResult(files, tuple(articles), tuple(stories), tuple(rejections))
