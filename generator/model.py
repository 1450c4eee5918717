"""The small frozen records the pipeline stages hand to one another.

ingest gives ``RawArticle`` (what a reader found in one file or feed item) or ``Rejection``;
clean turns a ``RawArticle`` into an ``Article``; group gathers articles into ``Story``
records made of ``Copy`` entries; render turns stories into output files.
Nothing here does I/O.
"""
from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass, field

RELATIONS = ("original", "syndicated", "rewrite", "translation")
_LINE_BREAKS = re.compile(r"\s*[\n\r\t\v\f\x85\u2028\u2029]+\s*")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@functools.total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A calendar date known to the year, the month or the day, never padded with guesses.

    Dates order by ``sort_key``: a year alone sorts before any day of that year, so copies of
    one story dated "2024" and "2024-03-01" still compare (the fields themselves cannot: None < 3).
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year out of range: {self.year}")
        if self.month is None and self.day is not None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")
        if self.day is not None and not 1 <= self.day <= calendar.monthrange(self.year, self.month)[1]:
            raise ValueError(f"no day {self.day} in {self.year:04d}-{self.month:02d}")

    @property
    def iso(self) -> str:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: exactly as precise as the source."""
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key < other.sort_key

    def rfc3339(self) -> str:
        """The first instant the date can mean, for formats that demand a full timestamp."""
        return f"{self.year:04d}-{self.month or 1:02d}-{self.day or 1:02d}T00:00:00Z"


@dataclass(frozen=True)
class Block:
    """One unit of body text: a paragraph, subheading, quote, list item or plain link.

    ``text`` is what the classifier reads; ``html`` is the inline markup kept from the source
    (links and emphasis only), sanitized again when the body is rendered.
    """

    kind: str  # "p", "h2", "h3", "h4", "quote", "li", "row" (a data table's row), "link"
    text: str
    html: str = ""
    href: str | None = None  # for kind "link": an embed turned into a plain link
    cls: str = ""  # class and id tokens of the source element and its ancestors (HTML forms)


@dataclass(frozen=True)
class RawArticle:
    """What a reader found for one article, before cleaning.

    Structured forms (WordPress, feeds, HTML meta, front matter) fill the metadata fields;
    plain-text forms leave them empty and the cleaner finds them in ``blocks``.
    """

    source: str  # path relative to the seeds folder, with forward slashes
    item: str | None  # guid/id/link of the item inside a multi-article file
    form: str  # reader name: "wordpress", "html", "feed", "jsonfeed", "markdown", "text"
    blocks: tuple[Block, ...]
    title: str | None = None
    date: PartialDate | None = None
    author: str | None = None
    publisher: str | None = None
    url: str | None = None
    language: str | None = None  # declared by the source; a prior, not the answer
    summary: str | None = None
    # A date of last resort, used only when neither the metadata nor the text gives one (the
    # server's Last-Modified of a page ``add`` fetched: when the page last changed, not when
    # the story was published).
    fallback_date: PartialDate | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.item or "")


@dataclass(frozen=True)
class Rejection:
    """A seeds file (or an item in it) that yields no article, and why, in one line."""

    source: str
    reason: str

    def __str__(self) -> str:
        """One line, whatever the reason holds: breaks become spaces, other controls escapes."""
        line = _LINE_BREAKS.sub(" ", f"skipped {self.source}: {self.reason}".strip())
        return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", line)


@dataclass(frozen=True)
class Article:
    """A cleaned article with everything a page, a feed and the grouping need."""

    source: str
    item: str | None
    form: str
    title: str
    title_derived: bool  # True when the source had no title and we made a short headline
    blocks: tuple[Block, ...]
    summary: str
    date: PartialDate | None
    author: str | None
    publisher: str | None
    url: str | None
    language: str
    machine_translated: bool = False
    originally_published_by: str | None = None  # "originally published on X" notices
    syndication_notice: bool = False  # the copy says it is republished from elsewhere
    notices: tuple[str, ...] = ()  # notices removed from the body, kept as metadata
    # Short digests of every block the cleaner judged, kept or dropped, for the one corpus-level
    # cleaning pass (``clean.furniture``), which empties this field once it has read it.
    block_prints: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.item or "")

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks if b.kind != "link")

    @property
    def identity(self) -> str:
        """What the article is, independent of slug, date and base URL: its URL, else its file."""
        if self.url:
            return self.url
        return f"seed:{self.source}#{self.item or ''}"

    @property
    def completeness(self) -> int:
        """How many metadata fields are known; ties between copies go to the fullest."""
        known = (self.title_derived is False, self.date, self.author, self.publisher, self.url)
        return sum(1 for value in known if value)


@dataclass(frozen=True)
class Copy:
    """One article in a story, with how it relates to the story's original."""

    article: Article
    relation: str  # one of RELATIONS
    inherited_date: PartialDate | None = None  # a date the copy lacks, taken from its story

    @property
    def date(self) -> PartialDate | None:
        return self.article.date or self.inherited_date


@dataclass(frozen=True)
class Story:
    """One piece of news: its copies, primary (least derived) first, and its topic."""

    id: str
    copies: tuple[Copy, ...]
    topic: str | None = None
    topic_score: float = 0.0
    evidence: tuple[str, ...] = field(default=(), compare=False)

    @property
    def primary(self) -> Copy:
        return self.copies[0]

    @property
    def others(self) -> tuple[Copy, ...]:
        return self.copies[1:]

    @property
    def date(self) -> PartialDate | None:
        dates = [c.date for c in self.copies if c.date]
        return self.primary.date or (min(dates) if dates else None)
