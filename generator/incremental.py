"""Incremental builds: redo only what changed inputs require, and still give the same bytes.

A ``Builder`` holds a ``cache.Store`` (None: build everything) and gives each stage of the
pipeline (``build.build`` orders them) wrapped in its cache. Each stage is keyed by everything its
result depends on:

1. scan: every seed file's content hash. With the code version, the config and the theme files
   it makes the site key. When that equals the key of the last write to the output folder and
   the folder still holds what was written (paths, sizes, times), the build is done: nothing is
   read, imported or written, and the last build's report is shown again.
2. clean: a file's articles and rejections are stored under (code, the config fields the cleaner
   reads, its path, its content hash); only new and changed files are read and cleaned
   (``parallel.py``). All files' results are also kept together on a ``cache.Shelf`` by seeds
   folder, so a build loads them in a few reads; the outlet-furniture pass judges again only the
   outlets with a changed article.
3. group: the last grouping's state is carried in pieces (``group/state.py``, ``group/pieces.py``):
   an edit reads and rewrites only the counts, indices, fingerprints and pair scores it touches,
   rescores only the pairs whose weights moved, and makes again only the stories and facet
   results whose inputs changed (``group/carried.py``, ``group/reuse.py``, ``group/topic_cache.py``).
   A changed config field the grouping reads (``group.READS``) or a code change starts it afresh.
4. render: pages are reused a unit at a time (``render/units.py``): a story's article pages, a
   page of a topic's timeline or the archive, a week's edition, the home page; each unit is keyed
   by the digests of the story views it shows (``render/digests.py``), the config fields the
   render reads and its templates' sources, and an unchanged unit's pages are the last build's,
   with no view made and no page keyed. An article the clean stage names by its origin (its
   file's cache key, its place in the file, the blocks its furniture left: ``render_carry.article_origins``)
   takes the digest carried under that name, so only new and changed articles are digested. A
   feed is made only when its items changed, and then from the last build's file, its unchanged
   items taken by the offsets carried beside it, only the changed ones made anew
   (``render/feed_files.py``). Kept files are hard-linked from the old output folder into the
   new one unread, when their size and time are still those the last write left (else read back
   and checked). What the render carries to the next build (each unit's pages, each article's
   digest, each feed's items, the slugs, what each template reads) is stored by output folder,
   a part at a time (``render_carry.py``): a part the build left as it was is not written again.
   With ``DIGEST_RENDER_SPLIT=1``, when most pages are to be made (a clean build), a forked
   helper renders and stages most of the article pages beside this process (``render/split.py``;
   off by default, for its memory).
5. link check: each page's links and ids are kept by (path, content hash) and taken as the
   pages are rendered, so only new and changed pages are parsed (many of them: in a helper
   process, on the other core); and only they are judged,
   unless a file is gone, a page lost an id or a new file stands before an old one
   (``linkbook.py``).
6. write: each file goes into the new folder as it is rendered (``write.Staging``), unchanged
   ones hard-linked from the old folder, and the folder is still replaced atomically. The
   listing kept for the next build takes each file's size and time from the staging (what it
   wrote, or the old file it linked); of the search index's files only new ones are read.

A clean build and an incremental one give byte-identical sites, since every shortcut is keyed by
all its result depends on (tests/test_incremental.py checks it). What a stage reads of the config
is declared beside the stage (its ``READS``, ``stage_reads.py``) and the keys are derived from
that declaration in one place (``stage_key``); tests/test_stage_reads.py fails when a stage reads
a field it does not declare.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING
from pathlib import Path

from .cache import RACY_NS, THEMES, Scan, Shelf, Store, code_version, file_hash, key, scan_seeds, tree_digest
from .config import SiteConfig
from .limits import LimitExceeded, read_regular_file
from .model import Rejection
from .progress import Timings
from .stage_reads import StageReads, config_part
from . import output_listing
from .output_listing import SEARCH_FOLDER
from .write import MARKER, Staging

if TYPE_CHECKING:  # imported where used: a build with nothing to do never loads them
    from .linkbook import LinkBook



@dataclass(frozen=True)
class Report:
    """What a build tells the curator, kept so an up-to-date build can say it again."""

    rejections: tuple[Rejection, ...]
    unpublished: tuple[str, ...]  # one line per story no topic claimed, per topic example naming no
    # article, and per curator's note that shows nowhere (notes.py)
    stories: tuple[str, ...]  # the published stories and their copies (--verbose)
    counts: str  # "3 stories from 5 articles, 0 off-topic, 0 skipped, 32 files"


@dataclass(frozen=True)
class Manifest:
    """The last write to an output folder: its key, its report, its files and page keys."""

    site_key: str
    report: Report
    files: dict[str, tuple[str, int, int]]  # path -> (content hash, size, mtime_ns)
    pages: dict[str, str]  # page key -> content hash
    # the spare folder beside the output (write.Spare): its marker, and where its files differ
    # from ``files`` (None: it has no such file), and its derived folder
    spare: tuple | None = None
    out_marker: tuple[int, int] | None = None  # the output folder's marker: which folder ``files`` lists
    # each folder of the output (POSIX path, "" the top) and its mtime_ns once written: a file
    # added or removed by hand changes its folder's time, so ``output_listing.intact`` needs no walk
    folders: dict[str, int] | None = None


@dataclass(frozen=True)
class Scanned:
    """The seeds' content hashes, the site key they make, and the last write to the output."""

    hashes: dict[str, str]
    site_key: str
    manifest: Manifest | None
    up_to_date: bool  # the output folder holds exactly the build these inputs make
    intact: bool | None = None  # the output holds exactly its listing (None: not checked)


@dataclass(frozen=True)
class Rendered:
    """What the render stage staged: how many files, the page keys, each page's links."""

    files: int
    pages: dict[str, str]  # page key -> content hash (memo.py), for the next build
    links: LinkBook


class Builder:
    """The stages, each wrapped in its cache; ``build.build`` calls them in order. ``serve`` keeps
    one Builder for its whole session, so what it loads stays in memory."""

    def __init__(self, store: Store | None, timings: Timings | None = None):
        self.store = store
        self.timings = timings or Timings()
        self._printed: dict = {}  # fingerprints the cleaning's workers made, until the group stage
        self._origins: dict = {}  # each article's origin (``article_origins``), until the render
        self._fresh: set = set()  # the file keys whose results are not their hash's (changed since the scan)

    def scan(self, config: SiteConfig, seeds: Path, out: Path) -> Scanned:
        with self.timings.stage("scan") as note:
            hashes = self._scan(seeds)
            site_key = key(code_version(), repr(config), tree_digest(theme_folders(config)),
                           *(part for item in hashes.items() for part in item))
            manifest = self._manifest(out)
            note(f"{len(hashes)} files")
        intact = output_listing.intact(out, manifest) if manifest and manifest.site_key == site_key else None
        return Scanned(hashes, site_key, manifest, bool(intact), intact)

    def stage(self, out: Path, scanned: Scanned, force: bool = False) -> Staging:
        """The new output folder the render fills, swapped in by ``write`` (write.py)."""
        manifest = scanned.manifest
        return Staging(out, force=force, listing=manifest.files if manifest else None, spare=output_listing.spare_of(manifest),
                       listing_marker=getattr(manifest, "out_marker", None), trust_out=scanned.intact is not False,
                       copy_spare=self.store is not None)

    def write(self, scanned: Scanned, report: Report, rendered: Rendered, staging: Staging,
              post_process=None) -> None:
        """Swap the staged site in and remember what was written; ``post_process`` (the search
        index) runs on the new folder before it is swapped in."""
        out = staging.out
        with self.timings.stage("write") as note:
            release_memory()  # the search index is a process of its own, as big as the site
            if getattr(post_process, "takes_files", False):
                post_process = partial(post_process, files=staging.hashes)
            written = staging.finish(post_process, derived=SEARCH_FOLDER, reuse_derived=True)
            note(f"{written.written} written, {written.linked} unchanged"
                 if written.written or written.linked else "nothing changed")
            if self.store:
                before = scanned.manifest.files if scanned.manifest else {}
                swapped = bool(written.written or written.linked)
                if swapped or not before:
                    # nothing swapped in and no listing: the output's own files are the ones to list
                    listing = output_listing.listing(out, staging.hashes, staging.status if swapped else {})
                    listing.update(output_listing.derived_listing(out, SEARCH_FOLDER, before))
                    folders = output_listing.folder_times(out, listing)
                else:  # nothing was swapped in: the output is the one listed
                    listing, folders = before, getattr(scanned.manifest, "folders", None)
                self.store.put("sites", _out_key(out), Manifest(scanned.site_key, report, listing, rendered.pages,
                                                                output_listing.spare_entry(staging.spare, listing), staging.out_marker,
                                                                folders))

    def _scan(self, seeds: Path) -> dict[str, str]:
        """Every seed's content hash; files whose status is unchanged since the last scan are not
        read again. The scan is stored when something changed, or when the stored one still has
        files too recently changed to trust (they are read each time until then)."""
        name = key("seeds folder", str(seeds.resolve()))
        previous = self.store.get("scans", name) if self.store else None
        previous = previous if isinstance(previous, Scan) else None
        scan = scan_seeds(seeds, previous)
        newest = max((max(s[1], s[2]) for s in scan.signatures.values()), default=0)
        if self.store and (previous is None or previous.signatures != scan.signatures
                           or newest >= previous.taken_ns - RACY_NS):
            self.store.put("scans", name, scan)
        return scan.hashes

    def _manifest(self, out: Path) -> Manifest | None:
        found = self.store.get("sites", _out_key(out)) if self.store else None
        return found if isinstance(found, Manifest) else None

    def clean(self, config: SiteConfig, seeds: Path, scan: dict[str, str]):
        """Every seed file's articles and rejections (stored ones, or read and cleaned now), and the
        files' keys, in file order."""
        from .clean import READS as CLEAN_READS
        from .clean.furniture import split_prints
        from .ingest import record_source, scanned_seeds, seed_files, source_of
        from .parallel import clean_files

        with self.timings.stage("clean") as note:
            settings = stage_key(CLEAN_READS, config)
            # the seed files as the scan found them (the folder is not listed a second time); a
            # caller with no scan (an empty one names no file) has the folder listed
            relatives = scanned_seeds(scan) if scan else [p.relative_to(seeds).as_posix() for p in seed_files(seeds)]
            files = [(relative, source_of(relative)) for relative in relatives]
            # a page ``add`` fetched is read with its provenance record: a changed record is a changed file
            file_keys = [key(settings, source, scan.get(source, "new"), scan.get(record_source(source), ""))
                         for _, source in files]
            shelf = Shelf(self.store, "cleaned", key(settings, "seeds folder", str(seeds.resolve()))) if self.store else None
            stored = shelf.load() if shelf else {}
            results = {k: stored[k] for k in file_keys if k in stored}
            jobs = []
            for (relative, source), file_key in zip(files, file_keys):
                if file_key in results:
                    continue
                cached = self.store.get("files", file_key) if self.store else None  # another folder's
                if cached is None:
                    jobs.append((seeds / relative, source, file_key))
                else:
                    results[file_key] = cached
            self.timings.progress.stage("clean", total=len(jobs))
            self._printed = {}
            unsure = set()

            def arrived(at: int, outcome: tuple) -> None:  # stored as it comes, while the workers clean on
                path, source, file_key = jobs[at]
                result = results[file_key] = (*split_prints(outcome[0]), outcome[1])  # (articles, prints, rejections)
                if self.store and _unchanged(path, scan.get(source)):
                    self.store.put("files", file_key, result)
                else:
                    unsure.add(file_key)  # changed since the scan: these results are not its hash's

            # the workers fingerprint what they clean too, for the group stage (parallel.py)
            clean_files([(path, source) for path, source, _ in jobs], config, self.timings.progress.advance,
                        prints=self._printed, arrived=arrived)
            if shelf:
                shelf.save({k: v for k, v in results.items() if k not in unsure})
            # no origin for the articles of a file changed since the scan: its key does not name
            # them. A file cleaned now has one: its results are stored under its key, so the next
            # build reads these very articles, and a clean build leaves every article's digest
            self._fresh = unsure
            articles, rejections = self._furniture(settings, seeds, file_keys, results)
            note(f"{len(jobs)} cleaned, {len(file_keys) - len(jobs)} from cache; "
                 f"{len(articles)} articles, {len(rejections)} rejected")
        return articles, rejections, file_keys

    def _furniture(self, settings: str, seeds: Path, file_keys: list[str], results: dict):
        """The articles in file order after the one corpus-level cleaning step, an outlet's
        recurring furniture (``clean.furniture``): it runs on the stored per-file results, so each
        file's cleaning stays cached on its own, and only outlets with a changed article are
        judged again (the last build's outcomes are stored by seeds folder). Each article's origin
        is noted for the render (``article_origins``), but those of files changed since the scan."""
        from .clean.furniture import furniture_pass

        articles = [a for k in file_keys for a in results[k][0]]
        prints = [p for k in file_keys for p in results[k][1]]
        names = [f"{k}/{at}" for k in file_keys for at in range(len(results[k][0]))]
        name = key(settings, "furniture", str(seeds.resolve()))
        previous = self.store.get("furniture", name) if self.store else None
        articles, outcomes = furniture_pass(articles, names, previous if isinstance(previous, dict) else None, prints)
        if self.store and outcomes != previous:
            self.store.put("furniture", name, outcomes)
        if self.store:
            from .render_carry import article_origins

            self._origins = article_origins(articles, names, outcomes, self._fresh)
        return articles, [r for k in file_keys for r in results[k][2]]

    def group(self, config: SiteConfig, articles, file_keys: list[str]):
        """The stories, with topics, grouped with what the last grouping carries (group/state.py):
        when no article changed, nothing is scored, clustered or made again, so the stories are
        not stored whole as well."""
        from .group import group_all
        from .group.state import save

        with self.timings.stage("group") as note:
            printed, self._printed = self._printed, {}
            cache = self._group_cache()
            for name, made in printed.items():  # made by the cleaning's workers
                cache.prints.setdefault(name, made)
            cache.origins = self._origins  # what made each article: its key is carried under it
            try:
                stories = group_all(articles, config, cache)
            finally:
                cache.origins = {}
            if self.store:  # the carried state in pieces: an edit rewrites the few it changed
                save(cache, self._pieces)
            note(f"{len(articles)} articles grouped into {len(stories)} stories; "
                 f"{cache.misses} pairs scored, {cache.hits} reused")
        return stories

    def _group_cache(self):
        """What the last grouping carries (pair_cache.py, group/state.py), its big maps read only
        where this grouping asks; a serve session keeps it in memory from build to build."""
        from .group.pair_cache import GroupCache
        from .group.pieces import Pieces
        from .group.state import load

        if not self.store:
            return GroupCache()
        kept = getattr(self, "_kept_group", None)
        if kept is not None:
            return kept
        folder = self.store.root / "group-state"
        name = f"{key(code_version(), 'group pieces')}.sqlite"
        for stale in folder.glob("*.sqlite*") if folder.is_dir() else ():
            if not stale.name.startswith(name):  # another code version's: never read again
                stale.unlink(missing_ok=True)
        self._pieces = Pieces(folder / name)
        found = load(self._pieces) or GroupCache()
        if self.store.remember:
            self._kept_group = found
        return found

    def render(self, config: SiteConfig, stories, staging: Staging, manifest: Manifest | None) -> Rendered:
        """Every output file, put in ``staging`` as it is made, each page's links taken as it
        passes; pages whose inputs did not change are linked from the old folder unread."""
        with self.timings.stage("render") as note:
            memo = self._memo(manifest, staging, config)
            book = self._link_book(config.base_url, manifest)
            from .render import render_site
            from .render.split import Staged

            stager = Staged(staging, book)  # a helper process may stage the article pages (render/split.py)
            try:
                render_site(config, [s for s in stories if s.topic], memo=memo, sink=stager.sink, stager=stager)
            except BaseException:
                book.close()  # its helper process, if it started one, ends now
                raise
            if memo:
                from .render_carry import keep

                keep(self.store, _carry_name(staging.out), memo)
                note(f"{len(book.paths)} files; {memo.rendered} pages rendered, {memo.reused} unchanged")
        return Rendered(len(book.paths), memo.pages if memo else {}, book)

    def links(self, rendered: Rendered) -> list[str]:
        """The broken internal links and anchors of the staged site (linkbook.py): each page's
        links were kept by its path and bytes or taken as it was rendered, and only the pages
        that changed are judged when nothing else can have broken."""
        book = rendered.links
        with self.timings.stage("links") as note:
            broken = book.problems()
            if self.store and book.parsed:
                self.store.put("links", _links_name(book.base_url), book.seen.compacted())
                self.store.keep_latest("links", 1)
            note(f"{len(broken)} broken; {book.parsed} pages parsed, {len(book.pages) - book.parsed} kept; "
                 f"{book.checked} checked")
            book.close()
        return broken

    def _memo(self, manifest: Manifest | None, staging: Staging, config: SiteConfig):
        from .memo import PageMemo
        from .render import READS

        if not self.store:
            return None
        # The made files' keys hash what each is made from; the salt adds every config field the
        # render reads, so that one it reads outside the templates cannot go unnoticed.
        carried = self.carried_render(staging.out) if manifest else None
        previous = manifest.pages if manifest and isinstance(manifest.pages, dict) else {}
        memo = PageMemo(stage_key(READS, config), previous, staging.out, trust=staging.kept,
                        carried=carried if isinstance(carried, dict) else None,
                        bytecode=self.store.root / "templates")
        memo.origins, self._origins = self._origins, {}
        return memo

    def carried_render(self, out: Path) -> dict:
        """What the render into ``out`` left for the next one (render_carry.py)."""
        from .render_carry import carried

        return carried(self.store, _carry_name(out))

    def _link_book(self, base_url: str, manifest: Manifest | None) -> LinkBook:
        from .linkbook import LinkBook, LinkTable

        kept = self.store.get("links", _links_name(base_url)) if self.store else None
        kept = kept if isinstance(kept, LinkTable) else LinkTable()
        if manifest is None:
            return LinkBook(base_url, kept)
        previous = {path: digest for path, (digest, _, _) in manifest.files.items()
                    if path != MARKER and path.split("/", 1)[0] != SEARCH_FOLDER}
        return LinkBook(base_url, kept, previous)


def stage_key(reads: StageReads, config: SiteConfig) -> str:
    """The key of everything a stage's result depends on besides the corpus: the code, and the
    config fields the stage declares it reads (``stage_reads.py``), never a list kept here."""
    return key(code_version(), config_part(reads, config))


def _carry_name(out: Path) -> str:
    """What the render leaves for the next build into the same output folder (memo.PageMemo.carry)."""
    return key(code_version(), "render carry", str(Path(out).resolve()))


def _links_name(base_url: str) -> str:
    return key(code_version(), "links", base_url)


def release_memory() -> None:
    """Collect what the stages left and hand the free memory back to the system (glibc keeps
    freed memory for reuse otherwise), so the processes started next do not add to it."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim this way
        pass


def theme_folders(config: SiteConfig) -> tuple[Path, ...]:
    """Every folder the render reads templates and static files from (a superset of the theme
    lookup in render/theme.py: every theme beside the config, and the generator's own)."""
    return (config.root / "templates", config.root / "static", config.root / "themes", THEMES)


def make_report(config: SiteConfig, articles, rejections, stories, files: int) -> Report:
    """What the build tells the curator: skipped files, unpublished stories, the listing, counts."""
    from .notes import attach_notes

    published = [s for s in stories if s.topic]
    unpublished = [s for s in stories if not s.topic]
    lines = tuple(f"not published (no topic above {config.topic_threshold:g}): {s.primary.article.source}"
                  f" — best score {s.topic_score:.2f}" for s in unpublished)
    sources = {a.source for a in articles}
    lines += tuple(f"example not found: topic {topic.slug!r} names {example!r}, which is no article of this "
                   f"build (no such file in the seeds folder, or it was skipped)"
                   for topic in config.topics for example in topic.examples if example not in sources)
    lines += attach_notes(config.notes, stories).problems
    listing = []
    for story in published:
        listing.append(f"[{story.topic}] {story.id} {story.primary.article.title}")
        listing += [f"    {c.relation:<11} {c.article.source} {c.article.item or ''}".rstrip() for c in story.copies]
    counts = (f"{len(published)} stories from {len(articles)} articles, {len(unpublished)} off-topic, "
              f"{len(rejections)} skipped, {files} files")
    return Report(tuple(rejections), lines, tuple(listing), counts)


def _out_key(out: Path) -> str:
    return key("output folder", str(Path(out).resolve()))


def _unchanged(path: Path, scanned: str | None) -> bool:
    """The file still holds what the scan hashed, so its results may be stored under that hash.
    A FIFO, a device or a file over the size limit is never read: its line is not stored."""
    try:
        return scanned is not None and file_hash(read_regular_file(path)) == scanned
    except (OSError, LimitExceeded):
        return False
