"""serve's first answer to an edit: the edited articles' own pages, before anything is regrouped.

Takes what the last build cleaned and grouped (``Last``, kept by ``LiveBuilder``), indexed once
after that build (``Index``: each outlet's articles, each story's place in its topic, the site's
unique slugs, page titles and descriptions) and the seed files a change touched; gives
``preview``: the article pages of the stories holding those files' articles, by output path,
rendered as the whole build renders them when the edit leaves the grouping as it is. The work
is the changed files' cleaning, their outlets' furniture step and the render of those stories
with their topic neighbours (an article page links the stories before and after its own), a
fraction of a second at any corpus size. The whole build follows (``live.py``) and its pages
replace these; a preview never reaches the output folder.

A preview is given only when its pages are the whole site's: an edited article keeps its key,
title, outlet, language and date (so its address, page title and place are the last build's),
a changed description stays unique and the edit leaves its outlet's furniture as it was;
anything else (a file that gives other articles, a changed title, the config or a template)
gives no preview, and the whole build answers alone. New and removed files in the same change
are left to the build; the known files' pages are previewed meanwhile.
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from .config import SiteConfig
from .incremental import Builder
from .live_furniture import Outlets, furnished, outlets_steps
from .model import Article, Story


@dataclass(frozen=True)
class Last:
    """What the last build cleaned and grouped: the raw results (articles before the furniture
    step without their block prints, the prints, rejections: as the build stores them) by file key in file order, and the stories; the slugs its render knew."""

    config: SiteConfig
    results: dict
    stories: tuple[Story, ...]
    known_slugs: dict[str, str]


cleaning = threading.Lock()  # held by a build's clean stage and by a preview's cleaning


class LiveBuilder(Builder):
    """A ``Builder`` that keeps what its last build cleaned and grouped (references to what the
    store holds anyway) for ``index`` and ``preview``."""

    def __init__(self, store, timings=None):
        super().__init__(store, timings)
        self.last: Last | None = None
        self._results, self._slugs = None, {}
        self._cleaning = False  # this build holds ``cleaning``

    def clean(self, config, seeds, scan):
        cleaning.acquire()
        self._cleaning = True
        try:
            return super().clean(config, seeds, scan)
        finally:
            self._done_cleaning()

    def _furniture(self, settings, seeds, file_keys, results):
        self._done_cleaning()  # every file is cleaned: the furniture pass, the stage's longest part, uses no model
        self._results = {k: results[k] for k in file_keys}
        return super()._furniture(settings, seeds, file_keys, results)

    def _done_cleaning(self) -> None:
        if self._cleaning:
            self._cleaning = False
            cleaning.release()

    def group(self, config, articles, file_keys):
        stories = super().group(config, articles, file_keys)
        if self._results is not None:
            self.last = Last(config, self._results, tuple(stories), self._slugs)
            self._results = None
        return stories

    def render(self, config, stories, staging, manifest):
        rendered = super().render(config, stories, staging, manifest)
        self.remember_slugs(staging.out)
        return rendered

    def remember_slugs(self, out: Path) -> None:
        """The slugs of the titles the render into ``out`` last made (its carry), for the index."""
        carried = self.carried_render(out) if self.store else None
        if isinstance(carried, dict) and isinstance(carried.get("slugs"), dict):
            self._slugs = dict(carried["slugs"])
            if self.last is not None:
                self.last = replace(self.last, known_slugs=self._slugs)


@dataclass(frozen=True)
class Index:
    """``Last`` looked up the ways a preview needs, made once per build (off the page's path)."""

    last: Last
    keys_by_source: dict[str, str]
    outlets: Outlets
    story_at: dict[tuple[str, str], int]  # article key -> its story's place in last.stories
    story_place: dict[str, int]  # story id -> its place in last.stories
    topic_order: dict[str, tuple[str, ...]]  # topic -> its published story ids, newest first
    place: dict[str, tuple[str, int]]  # published story id -> (topic, place)
    slugs: dict[tuple[str, str], str]
    titles: dict[tuple[str, str], str]
    descriptions: dict[tuple[str, str], str]
    description_counts: Counter


def index_steps(last: Last, previous: Index | None = None) -> Iterator[Index | None]:
    """``last`` indexed for previews, in parts: yields None after each part (a caller may stop
    there, and start again later), then the ``Index``. ``previous``: the last index, whose
    outlet counts are carried over (``live_furniture.outlets_steps``) and no longer valid once
    this one is given."""
    from .render import published_stories
    from .render.urls import assign_slugs
    from .render.views import description, unique_descriptions, unique_page_titles

    keys_by_source = {a.source: k for k, (articles, *_) in last.results.items() for a in articles}
    story_at = {c.article.key: n for n, s in enumerate(last.stories) for c in s.copies}
    published = published_stories(last.config, last.stories)
    topic_order: dict[str, list[str]] = {}
    for story in published:
        topic_order.setdefault(story.topic, []).append(story.id)
    place = {sid: (topic, n) for topic, ids in topic_order.items() for n, sid in enumerate(ids)}
    yield None
    copies = [c.article for s in published for c in s.copies]
    slugs = assign_slugs(copies, dict(last.known_slugs))
    yield None
    titles = unique_page_titles(published)
    yield None
    descriptions = unique_descriptions(published)
    yield None
    carried = (previous.outlets, previous.last.results) if previous is not None else None
    for outlets in outlets_steps(last.results, carried):
        if outlets is None:
            yield None  # from scratch: nothing of ``previous`` is changed until the last step
    yield Index(last, keys_by_source, outlets, story_at, {s.id: n for n, s in enumerate(last.stories)},
                {t: tuple(ids) for t, ids in topic_order.items()}, place, slugs, titles, descriptions,
                Counter(description(a) for a in copies))


def index(last: Last) -> Index:
    """``last`` indexed for previews, in one go."""
    for made in index_steps(last):
        if made is not None:
            return made
    raise AssertionError("index_steps ends with the index")


def preview(found: Index, seeds: Path, changed: Iterable[Path], laps: dict | None = None) -> dict[str, bytes]:
    """The article pages of the stories holding the changed seed files' articles, as the whole
    build renders them if they stay in their stories; {} when that cannot be promised.
    ``laps`` gets the seconds of its steps (waiting for the build's cleaning, cleaning, the rest)."""
    laps = {} if laps is None else laps
    fresh = cleaned(found, seeds, changed, laps)
    start = time.perf_counter()
    edited = _furnished(found, fresh) if fresh else {}
    descriptions = _descriptions(found, edited)
    if descriptions is None:
        return {}
    stories = {}  # place in last.stories -> the story with its edited articles
    for key, article in edited.items():
        if key in found.story_at:
            n = found.story_at[key]
            stories[n] = _with(stories.get(n, found.last.stories[n]), key, article)
    touched = {story.id for story in stories.values()}
    near = sorted(found.story_place[sid] for sid in _neighbourhood(found, touched))
    pages = _render(found, [stories.get(n, found.last.stories[n]) for n in near], touched, descriptions)
    laps["render"] = time.perf_counter() - start
    return pages


def warm(found: Index, seeds: Path) -> None:
    """Clean one known seed file of each kind and render the newest story's pages, results
    unused: the cleaning loads its models and the render compiles its templates on first use."""
    firsts: dict[str, str] = {}
    for source in sorted(found.keys_by_source):
        firsts.setdefault(Path(source).suffix, source)
    cleaned(found, seeds, [Path(seeds) / source for source in firsts.values()])
    for ids in found.topic_order.values():
        story = found.last.stories[found.story_place[ids[0]]]
        _render(found, [story], {story.id}, found.descriptions)
        return


def cleaned(found: Index, seeds: Path, changed: Iterable[Path], laps: dict | None = None) -> dict:
    """The changed files' cleaning results by file key; {} unless each is a known seed file
    whose articles keep their keys."""
    from .ingest import seed_source
    from .parallel import clean_files

    seeds = Path(seeds).resolve()
    jobs = []
    for path in sorted({Path(p).resolve() for p in changed}):
        if not path.is_relative_to(seeds):
            return {}  # the config, a template: any page may change
        source = seed_source(path, seeds)
        # a new file (or an editor's scratch file), a removed one: only the build can place
        # its articles; the known files' pages are previewed meanwhile
        if source in found.keys_by_source and path.is_file():
            jobs.append((path, source))
    if not jobs:
        return {}
    start = time.perf_counter()
    with cleaning:  # never beside the build's own cleaning (its models are shared)
        waited = time.perf_counter()
        cleaned = clean_files(jobs, found.last.config)
    if laps is not None:
        laps["wait"], laps["clean"] = waited - start, time.perf_counter() - waited
    fresh = dict(zip((found.keys_by_source[s] for _, s in jobs), cleaned))
    for file_key, (articles, _) in fresh.items():
        if [a.key for a in articles] != [a.key for a in found.last.results[file_key][0]]:
            return {}
    return fresh


def _furnished(found: Index, fresh: dict) -> dict[tuple[str, str], Article]:
    """The fresh articles after the furniture step (``live_furniture``), by key; {} when one no
    longer is the article the last build placed (another title, outlet, language or date), or
    when the edit changes its outlet's furniture."""
    edited = {}
    for k, (articles, _) in fresh.items():
        for at, raw in enumerate(articles):
            old, old_prints = found.last.results[k][0][at], found.last.results[k][1][at]
            article = furnished(found.outlets, old, raw, old_prints)
            if article is None or _placed_as(old) != _placed_as(article):
                return {}
            edited[article.key] = article
    return edited


def _placed_as(article: Article) -> tuple:
    """What an article's address, page title, order and outlet are made of."""
    return article.key, article.title, article.publisher, article.language, article.date, article.url


def _descriptions(found: Index, edited: dict) -> dict | None:
    """The site's descriptions with the edited articles' own; None when one is no longer unique
    (telling it apart would renumber others)."""
    from .render.views import description

    changed = {}
    for key, article in edited.items():
        n = found.story_at.get(key)
        if n is None:
            continue
        old = next(c.article for c in found.last.stories[n].copies if c.article.key == key)
        before, after = description(old), description(article)
        if before == after:
            continue
        if found.description_counts[before] != 1 or after in found.description_counts \
                or after in found.descriptions.values():
            return None
        changed[key] = after
    return {**found.descriptions, **changed} if changed else found.descriptions


def _with(story: Story, key, article: Article) -> Story:
    return replace(story, copies=tuple(replace(c, article=article) if c.article.key == key else c
                                       for c in story.copies))


def _neighbourhood(found: Index, touched: set[str]) -> set[str]:
    """The touched published stories and the stories before and after each in its topic."""
    near = set()
    for sid in touched:
        if sid in found.place:
            topic, n = found.place[sid]
            near.update(found.topic_order[topic][max(0, n - 1):n + 2])
    return near


def _render(found: Index, subset: list[Story], touched: set[str], descriptions: dict) -> dict[str, bytes]:
    """The touched stories' article pages, rendered with their topic neighbours alone; {} when
    an address, page title or description among them would not be the whole site's."""
    from .render import render_site
    from .render.urls import Urls, assign_slugs, output_file
    from .render.views import unique_descriptions, unique_page_titles

    part = [c.article for s in subset for c in s.copies]
    if not part or not (_agree(found.slugs, assign_slugs(part, dict(found.last.known_slugs)), part)
                        and _agree(found.titles, unique_page_titles(subset), part)
                        and _agree(descriptions, unique_descriptions(subset), part)):
        return {}
    config = found.last.config
    urls = Urls(config.base_url, config.base_path, found.slugs)
    wanted = {output_file(urls.article_page(c.article)) for s in subset if s.id in touched for c in s.copies}
    pages: dict[str, bytes] = {}

    def sink(path: str, content) -> None:
        if path in wanted:
            pages[path] = bytes(content)
    render_site(config, subset, sink=sink)
    return pages


def _agree(whole: dict, part: dict, articles) -> bool:
    return all(whole.get(a.key) == part.get(a.key) for a in articles)
