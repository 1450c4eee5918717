"""The week's edition: the stories first published in one ISO week, by topic, as an email.

Takes the ``PageContext`` and the topics' ``TopicView`` records (stories newest first, notes on
them); gives, for every ISO week that holds at least one story dated to the day, the ``Page``
records of ``editions/<YYYY-Www>/``: ``index.html`` (the edition as a page of the site, every
story of the week), ``email.html`` (the self-contained email), ``edition.txt`` (its plain-text
alternative) and ``edition.eml`` (both in one MIME message, ``mail.py``); then the ``editions/``
page listing every edition. A story is in the edition of the week of its date, as the site shows
it; a story dated only to the month or the year is in none. Only weeks the corpus holds are
made, and each edition reads only that week's stories.

The email is laid out in tables with inline styles (what mail clients keep; the site's strict
CSP is why the site's own page of the edition is a separate one), links absolute from the base
URL, light by default with a dark scheme under ``prefers-color-scheme``, nothing fetched from
anywhere. It stays at most ``MAX_EDITION_BYTES`` (Gmail clips a message past 102 KB): when a
week is too long for that, it lists as many stories as fit, taken from the topics in turn, and
links each topic's page for the rest. Templates: ``email.html`` and ``email.txt`` stand alone
(an email cannot use the site's layout); ``edition.html`` and ``editions.html`` extend
``base.html``; a ``templates/`` folder beside the config overrides any of them. A week is
one unit (``units.py``), keyed by its stories' views, so an unchanged week is not rendered or
encoded again.
"""
from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import nh3
from markupsafe import Markup

from ..memo import Kept, digest_of
from ..model import PartialDate, Story
from . import seo
from .mail import edition_email
from .listing import Listing
from .pages import Page, PageContext, TopicView
from .text import MONTHS
from .theme import render_template
from .urls import EDITIONS
from .views import StoryView

MAX_EDITION_BYTES = 100_000
SUMMARY_MAX = 400  # characters of a story's summary an edition shows
# The email's two parts, the edition's page on the site, the editions page.
HTML_TEMPLATE, TEXT_TEMPLATE = "email.html", "email.txt"
PAGE_TEMPLATE, LIST_TEMPLATE = "edition.html", "editions.html"
EMAIL_FILE, HTML_FILE, TEXT_FILE = "edition.eml", "email.html", "edition.txt"
Content = bytes | Kept  # a file's bytes, or the memo's word that the old site's file is unchanged


@dataclass(frozen=True)
class EditionStory:
    title: str
    link: str  # absolute
    language: str
    date: str
    outlet: str
    summary: str
    note: Markup | None  # links absolute
    note_text: str  # the note as plain text, links written out
    others: int  # how many other copies the site has

    @property
    def meta(self) -> str:
        """"21 May 2024 · Outlet · and 2 other copies": the line under its title."""
        parts = [self.date] if self.date else []
        parts.append(self.outlet)
        if self.others:
            parts.append(f"and {self.others} other {'copy' if self.others == 1 else 'copies'}")
        return " · ".join(parts)


@dataclass(frozen=True)
class EditionTopic:
    title: str
    link: str  # absolute
    stories: tuple[EditionStory, ...]
    more: int  # stories of this topic and week left out to keep the email under its size limit


@dataclass(frozen=True)
class Edition:
    week: str  # "2024-W21"
    label: str  # "Week 21, 2024"
    span: str  # "20–26 May 2024"
    relative: str  # "editions/2024-W21/"
    link: str  # absolute: the edition on the web
    email: str  # root-relative links of its files, for the site's pages
    text: str
    html: str
    count: int  # stories the week holds
    topics: tuple[EditionTopic, ...]
    newest: PartialDate | None  # its newest story's date, for the sitemap

    @property
    def subject(self) -> str:
        return f"{self.label} ({self.span})"


@dataclass(frozen=True)
class EmailSite:
    """What an email shows of the site, every link absolute."""

    title: str
    description: str
    language: str
    home: str
    editions: str
    feed: str


def iso_week(story: StoryView) -> str | None:
    """``YYYY-Www`` of a story's date, if it is known to the day."""
    return week_of(story.date.value if story.date else None)


def week_of(date: PartialDate | None) -> str | None:
    """``YYYY-Www`` of a date known to the day, else None."""
    if date is None or date.day is None:
        return None
    year, week, _ = dt.date(date.year, date.month, date.day).isocalendar()
    return f"{year:04d}-W{week:02d}"


def week_span(week: str) -> tuple[str, str, dt.date]:
    """("Week 21, 2024", "20–26 May 2024", its Sunday) for "2024-W21"."""
    year, number = int(week[:4]), int(week[6:])
    monday, sunday = dt.date.fromisocalendar(year, number, 1), dt.date.fromisocalendar(year, number, 7)
    if (monday.year, monday.month) == (sunday.year, sunday.month):
        span = f"{monday.day}–{sunday.day} {MONTHS[sunday.month - 1]} {sunday.year}"
    elif monday.year == sunday.year:
        span = f"{monday.day} {MONTHS[monday.month - 1]} – {sunday.day} {MONTHS[sunday.month - 1]} {sunday.year}"
    else:
        span = f"{_day(monday)} – {_day(sunday)}"
    return f"Week {number}, {year}", span, sunday


def _day(date: dt.date) -> str:
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def weeks_of(topics: Sequence[TopicView]) -> dict[str, dict[str, Listing]]:
    """Week -> topic slug -> that week's stories of the topic (newest first), newest week first;
    found from the stories' dates, so no view is made for it."""
    weeks: dict[str, dict[str, list[Story]]] = {}
    known: dict[PartialDate, str | None] = {}  # a week per distinct date: many stories share one
    for topic in topics:
        date_of = topic.stories.views.date
        for story in topic.stories.stories:
            date = date_of(story)
            week = known.get(date, "") if date is not None else None
            if week == "":
                week = known[date] = week_of(date)
            if week:
                weeks.setdefault(week, {}).setdefault(topic.slug, []).append(story)
    views = topics[0].stories.views if topics else None
    return {week: {slug: views.listing(stories) for slug, stories in by_topic.items()}
            for week, by_topic in sorted(weeks.items(), reverse=True)}


def render_editions(ctx: PageContext, topics: Sequence[TopicView]) -> Iterator[Page]:
    """Every week's page and email files, then the editions page listing them. A week is one unit
    (units.py), keyed by its stories' views."""
    site = email_site(ctx)
    editions = []
    for week, by_topic in weeks_of(topics).items():
        label, span, _ = week_span(week)
        relative = f"{EDITIONS}{week}/"
        chosen = [(t, by_topic[t.slug]) for t in topics if t.slug in by_topic]
        edition = Edition(week, label, span, relative, ctx.urls.absolute(relative),
                          ctx.urls.link(relative + EMAIL_FILE), ctx.urls.link(relative + TEXT_FILE),
                          ctx.urls.link(relative + HTML_FILE), sum(len(s) for _, s in chosen), (),
                          seo.newest(s.newest() for _, s in chosen))
        parts = lambda: ("edition", week, *(f"{t.slug}:{','.join(s.digests)}" for t, s in chosen))  # noqa: E731
        yield from ctx.unit((PAGE_TEMPLATE, HTML_TEMPLATE, TEXT_TEMPLATE), parts,
                            lambda: _edition_files(ctx, site, edition, chosen))
        editions.append(edition)
    listed = tuple(editions)
    yield from ctx.unit((LIST_TEMPLATE,), lambda: ("editions", *(f"{e.week}:{e.count}:{e.newest!r}" for e in listed)),
                        lambda: [render_editions_page(ctx, listed)])


def _edition_files(ctx: PageContext, site: EmailSite, edition: Edition, chosen: list[tuple[TopicView, Listing]]) -> list[Page]:
    """A week's page of the site, its email's HTML and text, and the email file of both."""
    relative = edition.relative
    html, text = fit(ctx, site, edition, [(t, tuple(_story(ctx, s) for s in stories)) for t, stories in chosen])
    return [render_edition_page(ctx, edition, chosen),
            Page(relative + HTML_FILE, html, edition.newest, in_sitemap=False),
            Page(relative + TEXT_FILE, text, edition.newest, in_sitemap=False),
            Page(relative + EMAIL_FILE, email_file(ctx, relative + EMAIL_FILE, f"{site.title}: {edition.subject}", html, text),
                 edition.newest, in_sitemap=False)]


def render_edition_page(ctx: PageContext, edition: Edition, topics: list[tuple[TopicView, Listing]]) -> Page:
    """The edition as a page of the site (its layout, its stylesheet): every story of the week."""
    heading = f"{edition.label}: {edition.span}"
    description = (f"The {edition.count} {'story' if edition.count == 1 else 'stories'} of {ctx.site.title} "
                   f"dated {edition.span}, by topic.")
    meta = ctx.meta(heading, description, edition.relative)
    sections = tuple(replace(topic, stories=stories) for topic, stories in topics)
    content = ctx.render(PAGE_TEMPLATE, meta, edition=_listed(ctx, edition), topics=sections)
    return Page(edition.relative, content, edition.newest)


def email_site(ctx: PageContext) -> EmailSite:
    urls = ctx.urls
    return EmailSite(ctx.site.title, ctx.site.description, ctx.site.language, urls.absolute(""),
                     urls.absolute(EDITIONS), urls.absolute("feed.json"))


def fit(ctx: PageContext, site: EmailSite, edition: Edition,
        topics: list[tuple[TopicView, tuple[EditionStory, ...]]]) -> tuple[Content, Content]:
    """The edition's HTML and text with as many stories as keep the HTML under the size limit
    (all of them, nearly always): found by halving, each try a real render, so the bound holds.
    A part the memo hands back unchanged fits: only parts that fit were ever written."""
    order = _in_turn([stories for _, stories in topics])

    def render(count: int) -> tuple[Content, Content]:
        kept = set(order[:count])
        cut = tuple(EditionTopic(t.title, ctx.urls.absolutize(t.link),
                                 tuple(s for i, s in enumerate(stories) if (n, i) in kept),
                                 sum(1 for i in range(len(stories)) if (n, i) not in kept))
                    for n, (t, stories) in enumerate(topics))
        values = {"site": site, "edition": replace(edition, topics=cut)}
        return _render(ctx, HTML_TEMPLATE, values), _render(ctx, TEXT_TEMPLATE, values)

    def fits(content: Content) -> bool:
        return isinstance(content, Kept) or len(content) <= MAX_EDITION_BYTES

    best = render(len(order))
    if fits(best[0]):
        return best
    low, high = 0, len(order) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if fits(render(middle)[0]):
            low = middle
        else:
            high = middle - 1
    return render(low)


def _render(ctx: PageContext, template: str, values: dict) -> Content:
    return render_template(ctx.env, template, values)


def email_file(ctx: PageContext, path: str, subject: str, html: Content, text: Content) -> Content:
    """The ``.eml`` of the two parts; with a memo, the last build's file when its parts and
    subject are the same (the ``email`` package's encoding costs more than rendering the parts)."""
    memo = ctx.memo
    if memo is None:
        return edition_email(subject, text=text.decode(), html=html.decode())
    return memo.made_file(path, (subject, digest_of(html), digest_of(text)), lambda: edition_email(
        subject, text=_bytes(memo, text).decode(), html=_bytes(memo, html).decode()))


def _bytes(memo, content: Content) -> bytes:
    """A part's bytes: a kept one is the old site's file, still in place while the new one is made."""
    if isinstance(content, Kept):
        return memo.old_root.joinpath(*content.source.split("/")).read_bytes()
    return content


def _in_turn(lists: list[tuple]) -> list[tuple[int, int]]:
    """(list, index) pairs taking each list's first item, then each one's second, and so on."""
    longest = max((len(items) for items in lists), default=0)
    return [(n, i) for i in range(longest) for n, items in enumerate(lists) if i < len(items)]


def _story(ctx: PageContext, story: StoryView) -> EditionStory:
    primary = story.primary
    note = story.note  # note_html keeps only absolute links: nothing to resolve
    return EditionStory(primary.title, ctx.urls.absolutize(primary.link), primary.language,
                        story.date.text if story.date else "", primary.outlet, _short(primary.summary),
                        note, plain_text(note) if note else "", len(story.others))


def _short(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SUMMARY_MAX else text[:SUMMARY_MAX - 1].rsplit(" ", 1)[0] + "…"


_LINK = re.compile(r'<a\s[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', re.S)


def plain_text(markup: str) -> str:
    """Sanitized markup as plain text: each link's address written after its words."""
    with_urls = _LINK.sub(lambda m: f"{m.group(2)} ({html_lib.unescape(m.group(1))})", markup)
    with_breaks = re.sub(r"</(p|li|h\d|blockquote)>", "\n", with_urls)
    text = html_lib.unescape(nh3.clean(with_breaks, tags=set()))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def render_editions_page(ctx: PageContext, editions: tuple[Edition, ...]) -> Page:
    description = f"Every weekly edition of {ctx.site.title}: the week's stories by topic, ready to send by email."
    meta = ctx.meta("Editions", description, EDITIONS)
    content = ctx.render(LIST_TEMPLATE, meta, editions=tuple(_listed(ctx, e) for e in editions))
    return Page(EDITIONS, content, seo.newest(e.newest for e in editions))


@dataclass(frozen=True)
class ListedEdition:
    week: str
    label: str
    span: str
    count: int
    link: str  # root-relative, like every link of the site's own pages
    email: str
    text: str
    html: str


def _listed(ctx: PageContext, edition: Edition) -> ListedEdition:
    return ListedEdition(edition.week, edition.label, edition.span, edition.count,
                         ctx.urls.link(edition.relative), edition.email, edition.text, edition.html)
