"""What the templates show, worked out once: stories, copies and dates as plain, ready records.

Takes the published ``Story`` records with ``Urls``; gives ``StoryView``/``CopyView``/``DateView``
records whose fields are display strings, links and sanitized markup, so templates only lay
things out and never decide. Also the one ordering every listing and feed uses: newest first,
undated last, ties broken by story id.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

from ..model import Copy, PartialDate, Story
from .text import body_html, human_date, is_web_url, language_name
from .urls import Urls

UNKNOWN_AUTHOR = "Unknown author"
UNKNOWN_OUTLET = "Unknown outlet"
RELATION_LABELS = {"original": "original", "syndicated": "syndicated copy", "rewrite": "rewrite",
                   "translation": "translation"}


@dataclass(frozen=True)
class DateView:
    value: PartialDate
    iso: str  # for <time datetime>
    text: str  # "21 May 2024", "March 2024" or "2024"
    inherited: bool  # a copy that states no date shows its story's, and says so

    @classmethod
    def of(cls, date: PartialDate | None, inherited: bool = False) -> "DateView | None":
        return cls(date, date.iso, human_date(date), inherited) if date else None


@dataclass(frozen=True)
class CopyView:
    """One article as its page and the listings show it."""

    key: tuple[str, str]  # the article's (source, item)
    title: str
    page_title: str  # unique among article pages
    link: str  # root-relative link to its page on this site
    relative: str  # its location, e.g. "articles/<slug>/"
    author: str
    author_known: bool
    outlet: str
    outlet_known: bool
    language: str  # the code
    language_name: str
    relation: str
    relation_label: str
    date: DateView | None
    summary: str
    original_url: str | None  # only http(s)
    machine_translated: bool
    originally_published_by: str | None


@dataclass(frozen=True)
class StoryView:
    id: str
    primary: CopyView
    others: tuple[CopyView, ...]
    date: DateView | None  # the story's date (its primary's, else its earliest copy's)

    @property
    def copies(self) -> tuple[CopyView, ...]:
        return (self.primary, *self.others)


def newest_first(stories: Iterable[Story]) -> list[Story]:
    """Dated stories newest first, then undated ones; story id breaks ties so order is stable."""
    def key(story: Story):
        date = story.date
        return (date is None, tuple(-part for part in date.sort_key) if date else (), story.id)
    return sorted(stories, key=key)


def copy_view(copy: Copy, urls: Urls, page_title: str | None = None) -> CopyView:
    article = copy.article
    relative = urls.article_page(article)
    return CopyView(
        key=article.key,
        title=article.title,
        page_title=page_title or article.title,
        link=urls.link(relative),
        relative=relative,
        author=article.author or UNKNOWN_AUTHOR,
        author_known=bool(article.author),
        outlet=article.publisher or UNKNOWN_OUTLET,
        outlet_known=bool(article.publisher),
        language=article.language,
        language_name=language_name(article.language),
        relation=copy.relation,
        relation_label=RELATION_LABELS.get(copy.relation, copy.relation),
        date=DateView.of(copy.date, inherited=copy.article.date is None),
        summary=article.summary,
        original_url=article.url if is_web_url(article.url) else None,
        machine_translated=article.machine_translated,
        originally_published_by=article.originally_published_by,
    )


def story_view(story: Story, urls: Urls, page_titles: dict[tuple[str, str], str]) -> StoryView:
    def view(copy: Copy) -> CopyView:
        return copy_view(copy, urls, page_titles.get(copy.article.key))
    return StoryView(
        id=story.id,
        primary=view(story.primary),
        others=tuple(view(c) for c in story.others),
        date=DateView.of(story.date),
    )


def article_bodies(stories: Iterable[Story]) -> dict[tuple[str, str], Markup]:
    """Each article's sanitized body, made once for its page and the feeds."""
    return {c.article.key: body_html(c.article.blocks, c.article.url) for s in stories for c in s.copies}


def unique_page_titles(stories: Iterable[Story]) -> dict[tuple[str, str], str]:
    """A distinct page title per article: a shared title gets its outlet, then a number."""
    copies = sorted((c for s in stories for c in s.copies), key=lambda c: c.article.key)
    counts = Counter(c.article.title for c in copies)
    titles = {}
    for c in copies:
        title = c.article.title
        if counts[title] > 1:
            title = f"{title} ({c.article.publisher or UNKNOWN_OUTLET}, {language_name(c.article.language)})"
        titles[c.article.key] = title
    return _numbered(titles)


def _numbered(titles: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    seen: Counter[str] = Counter()
    counts = Counter(titles.values())
    result = {}
    for key, title in titles.items():
        seen[title] += 1
        result[key] = f"{title} ({seen[title]})" if counts[title] > 1 else title
    return result
