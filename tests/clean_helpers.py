"""Cleaning a few invented lines as a plain-text scrape, for the cleaning tests."""
from __future__ import annotations

from pathlib import Path

from generator.clean import clean_article
from generator.config import SiteConfig, load_config
from generator.model import Article, Block, RawArticle

CONFIG = load_config(Path(__file__).resolve().parents[1] / "digest.toml")


def clean_lines(*lines: str, url: str | None = None, publisher: str | None = None,
                config: SiteConfig = CONFIG) -> Article:
    """The article the cleaner makes of these lines, one paragraph each; fails if it rejects them."""
    raw = RawArticle("scrape.txt", None, "text", tuple(Block("p", line) for line in lines),
                     url=url, publisher=publisher)
    article = clean_article(raw, config)
    assert isinstance(article, Article), article
    return article
