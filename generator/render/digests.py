"""Digests of what the render is made from, so a page key need not write out a whole view.

Takes the published ``Story`` records and the per-article strings the render gives each copy
(its slug, unique page title and description) and the note on each story; gives a digest per
article (of the whole cleaned record), per story (its id, topic and copies) and per story view
(the story's digest with everything else ``views.story_view`` makes it from). The render's units
(``units.py``) are keyed by the views' digests, so keying a listing that holds every story costs
one short string per story, and no view or body is made for a page that is not rendered.

Equal digests mean equal inputs (each is a hash of a canonical serialization), and each view is a
pure function of its inputs, so equal digests mean equal views: a digest can only fail to match
where the values are equal (a harmless render), never match where they differ.
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import marshal
import operator
import pickle
from collections.abc import Mapping

from ..model import Article, Block, PartialDate, Story


def _pickled(value) -> bytes:
    """A serialization that depends on the value alone: no memo, so two equal records give the
    same bytes whether or not they share their parts (a record read from the cache and one just
    made)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo: the records are trees, and sharing must not change the bytes
    pickler.dump(value)
    return buffer.getvalue()


def digest(*parts: bytes | str) -> str:
    """A digest of the parts, told apart however they split: strings with no NUL are joined by
    one (a single hash call: this is called for every story of every build), anything else is
    written length-prefixed; the two forms are tagged apart."""
    try:
        joined = "\x00".join(parts)
    except TypeError:  # a bytes part
        joined = None
    if joined is not None and joined.count("\x00") == len(parts) - 1:
        return hashlib.blake2b(b"j" + joined.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()
    h = hashlib.blake2b(b"l", digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


_FIELDS = operator.attrgetter(*(f.name for f in dataclasses.fields(Article) if f.name not in ("blocks", "date")))
_BLOCK = operator.attrgetter(*(f.name for f in dataclasses.fields(Block)))
_DATES, _BLOCKS = {PartialDate, type(None)}, {Block}


def article_digest(article: Article) -> str:
    """A digest of the whole record. Its fields as plain tuples in ``marshal``'s version 0 (no
    sharing, no interning: the bytes depend on the values alone; twice as fast as pickling the
    records); a field holding anything marshal cannot write (a record, a str subclass) makes it
    the record pickled instead, under another tag."""
    date = article.date
    exact = type(article) is Article and type(date) in _DATES and set(map(type, article.blocks)) <= _BLOCKS
    try:
        if exact:  # a subclass may hold more than the fields read here
            plain = marshal.dumps((_FIELDS(article), tuple(map(_BLOCK, article.blocks)),
                                   None if date is None else (date.year, date.month, date.day)), 0)
            return digest("plain", plain)
    except ValueError:
        pass
    return digest("pickled", _pickled(article))


ARTICLES = "articles"  # the memo's carried entry: each article's digest by its origin


def article_digests(stories, memo) -> dict[tuple[str, str], str]:
    """Each article's digest by key. An article whose origin the memo knows (``memo.origins``:
    by identity, the article and a name of what exactly made it, as the clean stage gives: its
    file's cache key, its place in the file, the blocks its outlet's furniture left it) takes the
    digest the last build carried under that name; only the others are digested. The names are
    carried to the next build."""
    origins = getattr(memo, "origins", None) or {}
    last = memo.carried.get(ARTICLES)
    last = last if isinstance(last, dict) else {}
    carry: dict[str, str] = {}
    found: dict[tuple[str, str], str] = {}
    for story in stories:
        for copy in story.copies:
            article = copy.article
            if article.key in found:
                continue
            origin = origins.get(id(article))
            if origin is None or origin[0] is not article:
                found[article.key] = article_digest(article)
                continue
            made = last.get(origin[1])
            if made is None:
                made = article_digest(article)
            found[article.key] = carry[origin[1]] = made
    memo.carry[ARTICLES] = carry
    return found


def story_digest(story: Story, by_article: dict[tuple[str, str], str]) -> str:
    """One story's digest; ``by_article``: the articles' digests so far, added to."""
    parts = [story.id, repr((story.topic, story.topic_score))]
    for copy in story.copies:
        found = by_article.get(copy.article.key)
        if found is None:
            found = by_article[copy.article.key] = article_digest(copy.article)
        parts += [found, repr((copy.relation, copy.inherited_date))]
    return digest(*parts)


def view_digest(story: Story, story_key: str, slugs: Mapping[tuple[str, str], str],
                page_titles: Mapping[tuple[str, str], str], descriptions: Mapping[tuple[str, str], str],
                note: str | None, base: str) -> str:
    """What ``views.story_view`` makes a story's view from, besides the code: the story, each
    copy's slug, page title and description, the note's markup and the links' base."""
    keys = [c.article.key for c in story.copies]
    return digest("view", story_key, base, repr(note),
                  repr(tuple((slugs.get(k), page_titles.get(k), descriptions.get(k)) for k in keys)))
