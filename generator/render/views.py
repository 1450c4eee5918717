"""What the templates show, worked out once: stories, copies and dates as plain, ready records.

Takes the published ``Story`` records with ``Urls``; gives ``StoryView``/``CopyView``/``DateView``
records whose fields are display strings, links and sanitized markup, so templates only lay
things out and never decide. Also the one ordering every listing and feed uses: newest first,
undated last, ties broken by story id.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from markupsafe import Markup

from ..model import Article, Copy, PartialDate, Story
from .deferred import Deferred
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
    description: str  # for its meta description: the summary, unique among article pages
    original_url: str | None  # only http(s)
    machine_translated: bool
    originally_published_by: str | None


MAX_LISTED = 12  # other copies of a story a page lists by name


@dataclass(frozen=True)
class StoryView:
    id: str
    primary: CopyView
    others: tuple[CopyView, ...]
    date: DateView | None  # the story's date (its primary's, else its earliest copy's)
    note: Markup | None = None  # the curator's note on the story (notes.py), sanitized

    @property
    def copies(self) -> tuple[CopyView, ...]:
        return (self.primary, *self.others)

    @property
    def listed(self) -> tuple[CopyView, ...]:
        """The other copies a page names; the rest are counted (``unlisted``), so no page grows
        with the number of copies of a story."""
        return self.others[:MAX_LISTED]

    @property
    def unlisted(self) -> int:
        return max(0, len(self.others) - MAX_LISTED)


def newest_first(stories: Iterable[Story]) -> list[Story]:
    """Dated stories newest first, then undated ones; story id breaks ties so order is stable."""
    def key(story: Story):
        date = story.date
        return (date is None, tuple(-part for part in date.sort_key) if date else (), story.id)
    return sorted(stories, key=key)


def copy_view(copy: Copy, urls: Urls, page_title: str | None = None,
              description: str | None = None) -> CopyView:
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
        description=description or article.summary or article.title,
        original_url=article.url if is_web_url(article.url) else None,
        machine_translated=article.machine_translated,
        originally_published_by=article.originally_published_by,
    )


def story_view(story: Story, urls: Urls, page_titles: dict[tuple[str, str], str],
               descriptions: dict[tuple[str, str], str] | None = None, note: Markup | None = None) -> StoryView:
    def view(copy: Copy) -> CopyView:
        key = copy.article.key
        return copy_view(copy, urls, page_titles.get(key), (descriptions or {}).get(key))
    return StoryView(
        id=story.id,
        primary=view(story.primary),
        others=tuple(view(c) for c in story.others),
        date=DateView.of(story.date),
        note=note,
    )


def article_body(article: Article) -> Markup:
    """An article's sanitized body."""
    return body_html(article.blocks, article.url)


@dataclass(frozen=True)
class BodyCache:
    """The bodies made in one build, by article key: no input of any page (the page memo writes
    it as one constant), only what lets a body be made once for its page and the feeds."""

    made: dict = field(default_factory=dict, compare=False, hash=False)


def cached_body(article: Article, cache: BodyCache) -> Markup:
    """``article_body(article)``, made once per build."""
    found = cache.made.get(article.key)
    if found is None:
        found = cache.made[article.key] = article_body(article)
    return found


class Bodies(Mapping):
    """Each article's sanitized body by key, made when first asked for (an unchanged page of an
    incremental build never asks); ``page(key)`` gives it as a ``Deferred`` for a page's context,
    made only if the page is rendered."""

    def __init__(self, stories: Iterable[Story]):
        self.articles = {c.article.key: c.article for s in stories for c in s.copies}
        self.cache = BodyCache()

    def __getitem__(self, key: tuple[str, str]) -> Markup:
        return cached_body(self.articles[key], self.cache)

    def page(self, key: tuple[str, str]) -> Deferred:
        return Deferred(cached_body, (self.articles[key], self.cache))

    def __iter__(self):
        return iter(self.articles)

    def __len__(self) -> int:
        return len(self.articles)


def article_bodies(stories: Iterable[Story]) -> Bodies:
    """Each article's sanitized body, made once for the feeds, when asked for."""
    return Bodies(stories)


def page_title(article) -> str:
    return article.title


def description(article) -> str:
    """An article's meta description before it is told apart: its summary, else its title."""
    return " ".join((article.summary or article.title).split())


def unique_page_titles(stories: Iterable[Story]) -> dict[tuple[str, str], str]:
    """A distinct page title per article: a shared title gets its outlet, then a number."""
    return _distinct(stories, page_title)[0]


def unique_descriptions(stories: Iterable[Story]) -> dict[tuple[str, str], str]:
    """A distinct meta description per article: its summary (else its title), told apart the same way."""
    return _distinct(stories, description)[0]


def unique_texts(stories: Iterable[Story]) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], str]]:
    """``unique_page_titles`` and ``unique_descriptions`` together, in one pass over the copies
    (the render asks for both every build, and at 10,000 articles each pass is felt)."""
    titles, descriptions = _distinct(stories, page_title, description)
    return titles, descriptions


def _distinct(stories: Iterable[Story], *text_ofs) -> list[dict[tuple[str, str], str]]:
    """For each of ``text_ofs``, each article's text; one that several copies share gets its
    outlet and language, then, if still shared, a number in the order of the articles' keys. One
    pass over the copies for all of them: only the shared texts are sorted."""
    articles = {}
    counts = [Counter() for _ in text_ofs]
    for story in stories:
        for copy in story.copies:
            article = copy.article
            texts = tuple(text_of(article) for text_of in text_ofs)
            for count, text in zip(counts, texts):
                count[text] += 1
            articles[article.key] = (article, texts)  # of one key, the last copy's, as before
    return [_numbered(_told_apart(articles, count, at)) for at, count in enumerate(counts)]


def _told_apart(articles: dict, counts: Counter, at: int) -> dict[tuple[str, str], str]:
    texts = {}
    for key, (article, found) in articles.items():
        text = found[at]
        if counts[text] > 1:
            text = f"{text} ({article.publisher or UNKNOWN_OUTLET}, {language_name(article.language)})"
        texts[key] = text
    return texts


def _numbered(titles: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    counts = Counter(titles.values())
    result = dict(titles)
    seen: Counter[str] = Counter()
    for key in sorted(k for k, title in titles.items() if counts[title] > 1):
        title = titles[key]
        seen[title] += 1
        result[key] = f"{title} ({seen[title]})"
    return result


# The archive: every story once, grouped by the month it was published.


@dataclass(frozen=True)
class ArchiveEntry:
    story: StoryView
    topic_title: str
    topic_link: str


@dataclass(frozen=True)
class ArchiveGroup:
    id: str  # the section's anchor: "m-2024-05", "y-2024" or "undated"
    label: str  # "May 2024", "2024 (month not stated)" or "Date unknown"
    entries: tuple[ArchiveEntry, ...]


def archive_order(story: StoryView) -> tuple:
    """Newest first; a year-only date after that year's months, undated last, ties by story id."""
    date = story.date
    return (date is None, tuple(-p for p in date.value.sort_key) if date else (), story.id)


def archive_groups(entries: Iterable[ArchiveEntry]) -> tuple[ArchiveGroup, ...]:
    """Entries newest first, grouped by month; year-only dates after that year's months, undated last."""
    groups: dict[str, list[ArchiveEntry]] = {}
    labels: dict[str, str] = {}
    for entry in sorted(entries, key=lambda e: archive_order(e.story)):
        group_id, label = _month_of(entry.story.date)
        groups.setdefault(group_id, []).append(entry)
        labels[group_id] = label
    return tuple(ArchiveGroup(g, labels[g], tuple(e)) for g, e in groups.items())


def _month_of(date: DateView | None) -> tuple[str, str]:
    if date is None:
        return "undated", "Date unknown"
    value = date.value
    if value.month is None:
        return f"y-{value.year:04d}", f"{value.year} (month not stated)"
    return f"m-{value.year:04d}-{value.month:02d}", human_date(PartialDate(value.year, value.month))
