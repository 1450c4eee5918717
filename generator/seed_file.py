"""Each seed file through ingest and clean, inside its limits: its articles, or lines saying why not.

Takes the seeds folder (or one file in it) and the config; gives cleaned ``Article`` records and
``Rejection`` lines. A file is read and cleaned within one time budget (``limits.time_budget``);
a file over a limit is one line. A bug met while reading a file, or cleaning one of its
articles, becomes that file's (or that item's) line — "internal error while cleaning:
ValueError: …" — so one odd file cannot stop the build; the rest of the file's items still
count. Only ``Exception`` is caught (an interrupt still stops the build), and only here: errors of
the later stages (grouping, rendering, writing) are the build's own and are never hidden.
"""
from __future__ import annotations

from pathlib import Path

from . import limits
from .clean import clean_article, prepare
from .config import SiteConfig
from .ingest import read_file, seed_files, seed_source
from .model import Article, RawArticle, Rejection


def clean_seeds(folder: Path, config: SiteConfig) -> tuple[list[Article], list[Rejection]]:
    articles: list[Article] = []
    rejections: list[Rejection] = []
    paths = seed_files(folder)
    if paths:
        prepare(config)  # shared start-up work is no file's to pay for
    for path in paths:
        found, rejected = clean_file(path, seed_source(path, folder), config)
        articles.extend(found)
        rejections.extend(rejected)
    return articles, rejections


def clean_file(path: Path, source: str, config: SiteConfig) -> tuple[list[Article], list[Rejection]]:
    """One file's articles and lines; a file that runs out of time is one line, nothing else."""
    articles: list[Article] = []
    try:
        with limits.time_budget():
            raws, rejections = _read(path, source)
            for raw in raws:
                limits.check_time("cleaning")
                cleaned = _clean(raw, config)
                (rejections if isinstance(cleaned, Rejection) else articles).append(cleaned)
    except limits.LimitExceeded as exc:
        return [], [Rejection(source, str(exc))]
    return articles, rejections


def _read(path: Path, source: str) -> tuple[list[RawArticle], list[Rejection]]:
    try:
        return read_file(path, source)
    except limits.LimitExceeded:
        raise
    except Exception as exc:  # a reader's bug: this file's line, not the build's end
        return [], [Rejection(source, limits.internal_error("reading", exc))]


def _clean(raw: RawArticle, config: SiteConfig) -> Article | Rejection:
    try:
        return clean_article(raw, config)
    except limits.LimitExceeded:
        raise
    except Exception as exc:  # the cleaner's bug: this article's line, not the build's end
        name = raw.source if not raw.item else f"{raw.source} [{raw.item}]"
        return Rejection(name, limits.internal_error("cleaning", exc))
