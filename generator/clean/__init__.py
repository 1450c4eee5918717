"""Clean one raw article: drop boilerplate, find its metadata, detect its language.

Takes a ``RawArticle`` and the site config; gives an ``Article``, or a ``Rejection`` when nothing
that reads as article text is left. The page is read the way a person reads it:

1. notices (machine translation, "originally published on X") become metadata;
2. the head: chrome above the headline (navigation, ads, the outlet's name), the headline, then a
   metadata zone (byline, date, credits, a standfirst) down to the first real paragraph;
3. the body, from the first real paragraph to the end matter (author bio, tags, share bars,
   comments), with the blocks the block classifier (``block_classifier``) judges boilerplate
   dropped wherever they sit: on an HTML page only when it is confident, and never all of them;
4. metadata by precedence: what the source structured (JSON-LD, feed fields, front matter), then
   what the page prints (byline, site name, affiliate notes, bios), then the URL's domain.

An article over ``limits.MAX_ARTICLE_BLOCKS`` or ``limits.MAX_ARTICLE_CHARS`` is rejected before
any of this; the loops over blocks and sentences check the file's time budget (``limits``). Then
every string of the raw article loses the characters no page or feed can carry (``carriable``).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from .. import limits
from ..config import SiteConfig
from ..model import Article, Block, PartialDate, RawArticle, Rejection
from . import block_classifier, headline
from . import metadata as meta
from .block_features import guess_language, units
from .carriable import carriable
from .furniture import block_prints
from .blob import cut_injections, is_blob, leading_stamp, paragraphs, sentences
from .dates import find_date, parse_date
from .language import detect_language, load_detector
from .rules import Rules, load_rules, normalize
from ..stage_reads import Corpus, StageReads

# What the stage reads of the config (``clean_article`` and ``prepare``): the cache key of every
# file's cleaning is derived from it (``incremental.py``; tests/test_stage_reads.py checks it).
READS = StageReads("clean", ("languages", "language"), Corpus.EACH_FILE)

# The article-level floor, in words (a CJK character counts half): below it the page is a stub or a
# listing, not an article. No block is measured against it.
MIN_BODY_UNITS = 40
HEADLINE_AGAIN_WITHIN = 3  # kept blocks: a headline said again further down is a quotation of it
TITLE_SEPARATOR = re.compile(r"\s[|–—-]\s")
MIN_EXTRACTED_UNITS = 15  # an HTML page's main content as the extractor found it: shorter is a stub
NOTICE_MAX_WORDS = 60
ZONE_DATE_BLOCKS = 20  # a metadata zone is a few lines; dates are not looked for further down
TEXT_FORMS = ("text",)
BLOB_LANGUAGES = ("en", "fr", "es", "de", "it", "pt")  # what a blob's sentences may be cut as


@dataclass
class _Found:
    """What the head, zone and tail said about the article (mutable while one article is read)."""

    title: str | None = None
    dek: str | None = None
    date: PartialDate | None = None
    author: str | None = None
    publisher: str | None = None
    machine_translated: bool = False
    syndicated: bool = False
    originally_published_by: str | None = None
    notices: list[str] = field(default_factory=list)


def clean_article(raw: RawArticle, config: SiteConfig) -> Article | Rejection:
    too_big = limits.article_over_limit(raw)
    if too_big:
        return Rejection(_name(raw), f"{raw.form}: {too_big}")
    raw = carriable(raw)
    rules = load_rules()
    found = _Found()
    blocks = _prepare(raw, rules, found)
    blocks = _take_notices(blocks, rules, found)
    limits.check_time("cleaning")
    keep = _keep_odds(blocks, raw, rules)
    body = _read_layout(raw, blocks, rules, found, keep)
    size = sum(units(b.text) for b in body if b.kind != "link")
    if size < MIN_BODY_UNITS and not _unfiltered(raw):
        # The extractor chose these blocks as the page's content: the classifier may thin it, never
        # empty it. Read the page again keeping every block it gave.
        body = _read_layout(raw, blocks, rules, found, {id(b): 1.0 for b in blocks})
        size = sum(units(b.text) for b in body if b.kind != "link")
    if size < (MIN_BODY_UNITS if _unfiltered(raw) else MIN_EXTRACTED_UNITS):
        return Rejection(_name(raw), f"{raw.form}: no article text left after removing boilerplate "
                                     f"({round(size)} words)")
    limits.check_time("cleaning")
    return _article(raw, config, rules, found, tuple(body), blocks)


def prepare(config: SiteConfig) -> None:
    """Load once what cleaning needs (rules, language models, the date parser), so that the
    first file to need them does not pay for it out of its own time budget."""
    load_rules()
    block_classifier.load_models()
    guess_language("the warm-up loads every stop-word list once")
    for languages in (config.languages, BLOB_LANGUAGES):
        load_detector(languages)
    parse_date("March 2024")


def _keep_odds(blocks: list[Block], raw: RawArticle, rules: Rules) -> Mapping[int, float]:
    """The classifier's keep probability of each block, by the block's identity in this list
    (each worked out when the layout first asks about it: ``block_classifier.KeepOdds``)."""
    return block_classifier.KeepOdds(blocks, raw.title, _unfiltered(raw), rules)


def _name(raw: RawArticle) -> str:
    """How a rejection names the article: its file, and its item inside a multi-article file."""
    return raw.source if not raw.item else f"{raw.source} [{raw.item}]"


# --- 1. blocks ready to read ----------------------------------------------------------------------

def _prepare(raw: RawArticle, rules: Rules, found: _Found) -> list[Block]:
    """Blobs become sentences grouped into paragraphs; injected spans are cut from text forms."""
    if raw.form not in TEXT_FORMS:
        return list(raw.blocks)
    lines = [b.text for b in raw.blocks]
    if not is_blob(lines):
        return [Block(b.kind, cut_injections(b.text, rules, blob=False)) for b in raw.blocks]
    candidates = _blob_sentences(lines, raw, rules, found)
    odds = block_classifier.keep_probabilities(candidates, raw.title, True, rules)
    floor = block_classifier.drop_below(True)
    kept = [b.text for b, p in zip(candidates, odds) if p >= floor]
    return [Block("p", p) for p in paragraphs(kept)]


def _blob_sentences(lines: list[str], raw: RawArticle, rules: Rules, found: _Found) -> list[Block]:
    """A blob's sentences up to its end matter, without notices: what the classifier judges."""
    stamp, text = leading_stamp(" ".join(lines))
    found.date = parse_date(stamp)
    text = cut_injections(text, rules)
    language = detect_language(text, BLOB_LANGUAGES, raw.language, "en")
    candidates = []
    for sentence in limits.timed(sentences(text, language), "cleaning"):
        if rules.starts_tail(sentence) and candidates:
            break
        if not _notice(sentence, rules, found):
            candidates.append(Block("p", sentence))
    return candidates


def classifier_units(raw: RawArticle) -> tuple[list[Block], bool]:
    """The blocks the classifier judges for one raw article, and whether they are text-form:
    a blob's sentences, or the prepared blocks (the training script labels these)."""
    raw = carriable(raw)
    rules = load_rules()
    found = _Found()
    if raw.form in TEXT_FORMS and is_blob([b.text for b in raw.blocks]):
        return _blob_sentences([b.text for b in raw.blocks], raw, rules, found), True
    return _take_notices(_prepare(raw, rules, found), rules, found), _unfiltered(raw)


def _unfiltered(raw: RawArticle) -> bool:
    """Whether no extractor has screened the blocks (every form but a full HTML page): those are
    judged with the classifier's text-form weights."""
    return raw.form != "html"


def _take_notices(blocks: list[Block], rules: Rules, found: _Found) -> list[Block]:
    return [b for b in blocks if not _notice(b.text, rules, found)]


def _notice(text: str, rules: Rules, found: _Found) -> bool:
    """Record a translation or syndication notice; True when the block is only that notice."""
    if meta.word_count(text) > NOTICE_MAX_WORDS or not rules.self_reference.search(text):
        return False
    if meta.machine_translation_notice(text, rules):
        found.machine_translated = True
        found.notices.append(text)
        return True
    is_notice, outlet = meta.originally_published_by(text, rules)
    if is_notice:
        found.syndicated = True
        found.originally_published_by = found.originally_published_by or outlet
        found.notices.append(text)
        return True
    return False


# --- 2. and 3. head, zone, body, tail ------------------------------------------------------------

def _read_layout(raw: RawArticle, blocks: list[Block], rules: Rules, found: _Found,
                 keep: Mapping[int, float]) -> list[Block]:
    first = next((i for i, b in enumerate(blocks) if b.kind != "link" and meta.body_paragraph(b.text, rules)), None)
    if first is None:  # no paragraph of prose shape (a table, a list): the classifier's first keep
        floor = block_classifier.drop_below(_unfiltered(raw))
        first = next((i for i, b in enumerate(blocks) if b.kind != "link" and keep[id(b)] >= floor
                      and _plain(b.text) != _plain(raw.title or "")), None)
    if first is None:
        return []
    evidence = _evidence(raw, blocks, first)
    title_at = _title_index(raw, blocks[:first], rules, evidence)
    if title_at is not None:
        head, zone = blocks[:title_at], blocks[title_at + 1:first]
        found.title = blocks[title_at].text
    elif raw.form in TEXT_FORMS:
        head, zone = [], blocks[:first]
    else:
        head, zone, first = [], [], 0
    # What the source structured wins over what the page prints (``_article``): a form that
    # gives its outlet or date has no masthead or head date to look for.
    if not raw.publisher:
        found.publisher = headline.masthead_name([b.text for b in head], evidence, rules)
    kept_heading = _read_zone(zone, rules, found)
    if not raw.date:
        _read_head_dates(head, found)
    found.author = found.author or headline.head_author([b.text for b in head + zone], rules)
    body = blocks[first:]
    end = _tail_start(body, rules, found)
    kept = _keep_body(body[:end], raw, rules, found, keep)
    if kept_heading and _plain(kept_heading.text) in _headlines(found, raw):
        kept_heading = None  # the headline said again above the body
    return ([kept_heading] if kept_heading else []) + kept


def _title_index(raw: RawArticle, head: list[Block], rules: Rules, evidence: headline.Evidence) -> int | None:
    return headline.headline_index(head, evidence, raw.form in TEXT_FORMS, rules)


def _evidence(raw: RawArticle, blocks: list[Block], first: int) -> headline.Evidence:
    """What the headline and masthead are checked against (``headline``)."""
    opening = " ".join(b.text for b in blocks[first:first + 3] if b.kind != "link")
    return headline.Evidence(url=raw.url, site_name=raw.publisher, title=raw.title, body=opening,
                             texts=tuple(b.text for b in blocks))


def _read_zone(zone: list[Block], rules: Rules, found: _Found) -> Block | None:
    """Bylines and dates between headline and body; a standfirst; a subheading just above the body."""
    heading = None
    for i, block in enumerate(limits.timed(zone, "cleaning")):
        text = block.text
        if rules.boilerplate_category(text):
            continue
        date = find_date(text) if i < ZONE_DATE_BLOCKS else None
        if meta.is_byline(text, rules) or date:
            found.author = found.author or meta.byline_author(text, rules)
            found.date = found.date or date
        elif not meta.headline_like(text):
            continue
        elif i == 0 and found.title:
            found.dek = text
        elif i == len(zone) - 1:
            heading = Block("h2", text, "")
    return heading


def _read_head_dates(head: list[Block], found: _Found) -> None:
    for block in head:
        if not found.date and meta.word_count(block.text) <= 16:
            found.date = find_date(block.text)


def _tail_start(body: list[Block], rules: Rules, found: _Found) -> int:
    """Where the end matter starts: an author bio, tags, share bar, comments… after the body began."""
    for i, block in enumerate(limits.timed(body[1:], "cleaning"), start=1):
        name = meta.bio_name(block.text, rules)
        about = _about_name(block.text, rules)
        if name or about or rules.starts_tail(block.text):
            _read_tail(body[i:], rules, found, name or about)
            # The name and job-title lines just above a bio ("Andy Meek", "Senior Reporter") go too.
            while i > 1 and meta.word_count(body[i - 1].text) <= 6 and not meta.body_paragraph(body[i - 1].text, rules):
                i -= 1
            return i
    return len(body)


def _about_name(text: str, rules: Rules) -> str | None:
    probe = normalize(text)
    for pattern in rules.about:
        match = pattern.search(probe)
        if match:
            return meta.person_name(match.group("name"), rules)
    return None


def _read_tail(tail: list[Block], rules: Rules, found: _Found, name: str | None) -> None:
    """Authors named in the end matter: "About Post Author" / "Chris Jones", or a bio's subject."""
    if name and " " in name:
        found.author = found.author or name
    for block, following in zip(tail, tail[1:]):
        if rules.starts_tail(block.text) and normalize(block.text).lower().startswith("about"):
            found.author = found.author or meta.person_name(following.text, rules)


def _keep_body(body: list[Block], raw: RawArticle, rules: Rules, found: _Found,
               keep: Mapping[int, float]) -> list[Block]:
    """Blocks the classifier does not judge boilerplate; the headline said again at the top goes."""
    kept: list[Block] = []
    floor = block_classifier.drop_below(_unfiltered(raw))
    titles = _headlines(found, raw)
    for i, block in enumerate(limits.timed(body, "cleaning")):
        if block.kind == "link":
            if not rules.boilerplate_container(block.cls):
                kept.append(block)
            continue
        text = block.text
        if not text or (kept and kept[-1].text == text) or keep[id(block)] < floor:
            continue
        if _plain(text) in titles and sum(b.kind != "link" for b in kept) < HEADLINE_AGAIN_WITHIN:
            continue
        kept.append(_as_heading(block, raw) if block.kind == "p" and _is_subheading(block, body[i + 1:], rules) else block)
    return kept


def _headlines(found: _Found, raw: RawArticle) -> set[str]:
    """The headline as a body may repeat it: whole, or without the outlet after a separator
    ("Meal prep for beginners | The Blog")."""
    found_titles = {_plain(t) for t in (found.title, raw.title) if t}
    return found_titles | {_plain(TITLE_SEPARATOR.split(t)[0]) for t in found_titles if TITLE_SEPARATOR.search(t)}


def _plain(text: str) -> str:
    """A line as compared with the headline: case, spacing and end punctuation aside."""
    return " ".join(normalize(text).casefold().split()).strip(" .:!?»«\"'“”’")


def _is_subheading(block: Block, rest: list[Block], rules: Rules) -> bool:
    if not meta.headline_like(block.text) and block.kind not in ("h1", "h2", "h3", "h4"):
        return False
    following = next((b for b in rest if b.kind != "link"), None)
    return following is not None and meta.body_paragraph(following.text, rules)


def _as_heading(block: Block, raw: RawArticle) -> Block:
    return replace(block, kind="h2") if raw.form in TEXT_FORMS else block


# --- 4. metadata ---------------------------------------------------------------------------------

def _article(raw: RawArticle, config: SiteConfig, rules: Rules, found: _Found,
             body: tuple[Block, ...], blocks: list[Block]) -> Article:
    text = "\n\n".join(b.text for b in body if b.kind != "link")
    title = raw.title or found.title
    publisher = (raw.publisher or found.publisher
                 or next(iter(meta.publisher_mentions([b.text for b in blocks], rules)), None)
                 or next(iter(meta.publisher_mentions([b.text for b in raw.blocks], rules)), None)
                 or meta.outlet_from_url(raw.url, [b.text for b in blocks])
                 or headline.printed_outlet([b.text for b in blocks], [b.text for b in blocks], rules))
    summary = found.dek or (raw.summary if raw.summary and not raw.summary.endswith("…") else None)
    return Article(
        source=raw.source,
        item=raw.item,
        form=raw.form,
        title=title or meta.derive_headline(text),
        title_derived=not title,
        blocks=body,
        summary=summary or meta.summarize(text),
        date=raw.date or found.date or raw.fallback_date,
        author=raw.author or found.author,
        publisher=publisher,
        url=raw.url,
        language=detect_language(text, config.languages, raw.language, config.language),
        machine_translated=found.machine_translated,
        originally_published_by=found.originally_published_by,
        syndication_notice=found.syndicated,
        notices=tuple(found.notices),
        block_prints=block_prints(blocks),
    )
