"""Drop an outlet's furniture: blocks that recur across several of its articles and belong to none.

Takes every cleaned ``Article`` of a build (in build order); gives them back, each without the
body blocks that are the outlet's furniture. A newsletter box, a disclosure, a tagline or a
"more stories" heading is printed on many pages of one outlet, word for word, and is about none of
them; a real sentence two articles share (a quotation, a standard line of a follow-up) is about
their story. So the evidence is two-sided:

- repetition: the block's text (case and spacing aside) is in at least ``MIN_ARTICLES`` articles
  of one outlet (the same publisher, else the same registrable domain);
- cohesion: at most ``MAX_COHESION`` of its content words come back elsewhere in its own article
  (the classifier's measure, ``block_features``); in an article too short to judge, none;
- voice or shape: it is no sentence (no end mark: a heading, a tagline, a label), or it speaks to
  the reader (second person, an imperative) or names the outlet itself. A short block at the top
  or the foot of an article that names its own outlet and is about nothing in it needs no
  repetition: the outlet speaks of itself there ("This is the free edition of …"). "The company did not
  respond to our request for comment." recurs too, and stays: a sentence about a third party.

This is a pass over all articles after each file is cleaned, so each file's cleaning stays cached
on its own and the result depends only on the set of cleaned articles (what grouping is keyed by).
An outlet's outcome depends on its own articles only, so ``furniture_pass`` takes the outcome of
an outlet whose articles did not change from the last build's (an edit judges one outlet again).
An article never loses its last blocks to it.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import urlsplit

from ..model import Article, Block
from .block_features import (BARE_IMPERATIVE, EN_NOT_VERBS, HYPHEN_IMPERATIVE, IMPERATIVE, SECOND_PERSON,
                             SENTENCE_END, _stems, _words, stop_set)
from .metadata import fold, registrable_label

# French speaks to the reader in "-ez" ("Recevez", "Découvrez", "Inscrivez-vous"); only in French,
# since "Pérez" or "Martinez" open many a Spanish or English sentence.
FRENCH_IMPERATIVE = re.compile(r"^[A-ZÀ-Þ][a-zà-ÿ]{2,}ez\b")
MIN_ARTICLES = 2
MAX_COHESION = 0.34
SELF_NOTICE_WORDS = 40  # an outlet's note about itself at an article's edge is short
MIN_VOCABULARY = 20  # content words an article needs before a block's cohesion with it is judged


def _outlet(article: Article) -> str | None:
    return _outlet_of(article.publisher, article.url)


@lru_cache(maxsize=4096)  # an outlet's articles name it alike: each name is folded once
def _outlet_of(publisher: str | None, url: str | None) -> str | None:
    if publisher and fold(publisher):
        return "name:" + fold(publisher)
    try:
        host = urlsplit(url).hostname if url and "://" in url else None
    except ValueError:  # "http://[bad": a hostile URL names no domain, and must not stop the build
        host = None
    label = registrable_label(host) if host else None
    return "host:" + label if label else None


def _plain(text: str) -> str:
    return " ".join(text.casefold().split())


def _print(text: str) -> str:
    return hashlib.blake2b(_plain(text).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def block_prints(blocks) -> tuple[str, ...]:
    """The digests of an article's judged blocks (sorted, once each): what ``drop_outlet_furniture``
    counts, so that furniture the classifier already dropped in one article still counts there."""
    return tuple(sorted({_print(b.text) for b in blocks if b.kind != "link" and b.text.strip()}))


@dataclass(frozen=True)
class OutletOutcome:
    """What the pass decided for one outlet: its articles (by the caller's identities, in build
    order) and, for each, the indices of the blocks it keeps (None: all of them)."""

    members: tuple[str, ...]
    kept: tuple[tuple[int, ...] | None, ...]
    recurring: str = ""  # a digest of the outlet's recurring prints the outcome was judged with


def drop_outlet_furniture(articles: list[Article]) -> list[Article]:
    return furniture_pass(articles)[0]


def split_prints(articles) -> tuple[tuple[Article, ...], tuple[tuple[str, ...], ...]]:
    """The articles without their ``block_prints``, and those prints beside them: what a build
    stores of each file, so that the pass need not renew every unchanged article to empty them."""
    return (tuple(_renewed(a, block_prints=()) if a.block_prints else a for a in articles),
            tuple(a.block_prints for a in articles))


def furniture_pass(articles: list[Article], identities: list[str] | None = None,
                   previous: dict[str, OutletOutcome] | None = None,
                   prints: list[tuple[str, ...]] | None = None) -> tuple[list[Article], dict[str, OutletOutcome]]:
    """The articles without their outlets' furniture, and each outlet's outcome. ``identities``
    name the articles (the same name: the same article, as a file's cache key does); an outlet
    whose articles are by name those of its ``previous`` outcome takes that outcome unjudged,
    since an outlet's outcome depends on its own articles only. Without identities every outlet
    is judged and no outcome is given. ``prints``: each article's ``block_prints``, given apart
    (``split_prints``) by a caller whose articles hold none; then an article the pass keeps whole
    is given back as it came."""
    by_outlet: dict[str, list[int]] = defaultdict(list)
    for i, article in enumerate(articles):
        outlet = _outlet(article)
        if outlet:
            by_outlet[outlet].append(i)
    if prints is None:
        articles, prints = split_prints(articles)
    result = list(articles)
    outcomes: dict[str, OutletOutcome] = {}
    for outlet in sorted(by_outlet):
        members = by_outlet[outlet]
        names = tuple(identities[i] for i in members) if identities is not None else None
        known = (previous or {}).get(outlet)
        if names is not None and known is not None and known.members == names:
            kept, recurring = known.kept, known.recurring
        else:
            kept, recurring = _outlet_kept(prints, result, members, names=names, known=known)
        for i, keep in zip(members, kept):
            if keep is not None:
                result[i] = _renewed(result[i], blocks=tuple(result[i].blocks[at] for at in keep))
        if names is not None:
            outcomes[outlet] = OutletOutcome(names, kept, recurring)
    return result, outcomes


_CHECKED_INIT = hasattr(Article, "__post_init__") or hasattr(Article, "__slots__")


def _renewed(article: Article, **changes) -> Article:
    """``dataclasses.replace(article, **changes)`` without going through ``__init__`` (Article has
    no ``__post_init__`` to run): the pass renews every article of the build, and ``replace``'s
    field-by-field copy took most of an edit's cleaning stage at 10,000 articles."""
    if _CHECKED_INIT:  # a model with checks of its own is renewed through them
        return replace(article, **changes)
    renewed = object.__new__(Article)
    renewed.__dict__.update(article.__dict__)
    renewed.__dict__.update(changes)
    return renewed


def _outlet_kept(judged: list[tuple[str, ...]], cleared: list[Article], members: list[int],
                 names: tuple[str, ...] | None = None, known: OutletOutcome | None = None):
    """For each article of one outlet, the blocks it keeps (None: all), and a digest of what
    recurs: the outlet's furniture is what recurs in its articles, dropped ones counted too
    (``judged``: each article's ``block_prints``). An article's blocks depend only on itself and
    on what recurs, so when what recurs is what ``known`` (the outlet's last outcome) was judged
    with, an article ``known`` names (the same name: the same article) keeps its last outcome
    unjudged: an edit judges again the edited articles of its outlet, not all of them."""
    seen = Counter()
    prints: dict[int, list[str | None]] = {}  # each member's block prints, worked out once
    if len({cleared[i].key for i in members}) >= MIN_ARTICLES:
        for i in members:
            prints[i] = [_print(b.text) if b.kind != "link" else None for b in cleared[i].blocks]
            seen.update(set(judged[i]) | {p for p in prints[i] if p is not None})
    recurring = {p for p, n in seen.items() if n >= MIN_ARTICLES}
    digest = hashlib.blake2b("\n".join(sorted(recurring)).encode(), digest_size=16).hexdigest()
    last = dict(zip(known.members, known.kept)) if known is not None and names is not None \
        and known.recurring == digest else {}
    kept = tuple(last[names[at]] if last and names[at] in last else _kept_blocks(cleared[i], recurring, prints.get(i, ()))
                 for at, i in enumerate(members))
    return kept, digest


def _kept_blocks(article: Article, recurring: set[str], prints: Sequence[str | None]) -> tuple[int, ...] | None:
    """The indices of the blocks the article keeps, or None when it keeps them all; ``prints``:
    its blocks' prints (any, when nothing recurs)."""
    language = article.language.split("-")[0]
    voice = SECOND_PERSON.get(language, set())
    outlet = fold(article.publisher or "")
    last = len(article.blocks) - 1
    # The cheap tests first: most articles hold no suspect block, and then no word is stemmed.
    suspects = {at for at, block in enumerate(article.blocks) if block.kind != "link" and (
        (recurring and prints[at] in recurring and _furniture_voice(block.text, voice, outlet, language))
        or (at in (0, last) and _self_notice(block.text, outlet)))}
    if not suspects:
        return None
    stops = stop_set(language)
    # The outlet's own name is no content word: its furniture names it, and so may a credit line.
    name = set(_stems(_words(article.publisher or ""), stops))
    stems = [set(_stems(_words(b.text), stops)) - name for b in article.blocks]
    counts = Counter(s for block_stems in stems for s in block_stems)
    judged = len(counts) >= MIN_VOCABULARY
    kept = tuple(at for at, own in enumerate(stems) if at not in suspects or not _about_nothing_here(own, counts, judged))
    if len(kept) == len(article.blocks) or not any(article.blocks[at].kind != "link" for at in kept):
        return None
    return kept


def _furniture_voice(text: str, voice: set[str], outlet: str, language: str) -> bool:
    """No sentence, or one that addresses the reader, or that names the outlet itself."""
    bare = text.strip().rstrip(" *_")
    if not SENTENCE_END.search(bare):
        return True
    if any(w in voice for w in _words(bare)) or IMPERATIVE.search(bare) or HYPHEN_IMPERATIVE.search(bare[:60]):
        return True
    first = bare.split()[0]
    if language == "en" and BARE_IMPERATIVE.match(bare) and first.casefold() not in EN_NOT_VERBS:
        return True
    if language == "fr" and FRENCH_IMPERATIVE.match(first) and first.casefold() not in ("chez", "assez"):
        return True
    return bool(outlet) and len(outlet) >= 4 and outlet in fold(bare)


def _self_notice(text: str, outlet: str) -> bool:
    """A short block that names the outlet itself: at the top or the foot of an article and about
    nothing in it, the outlet speaking of itself (an edition note, a membership line, a credit),
    even on its only page here."""
    # the cheap tests first: folding a long paragraph costs more than all the rest
    return len(outlet) >= 4 and len(text.split()) <= SELF_NOTICE_WORDS and outlet in fold(text)


def _about_nothing_here(own: set[str], counts: Counter, judged: bool) -> bool:
    """Few of the block's content words are used anywhere else in its article."""
    if not own:
        return True
    if not judged:
        return False
    shared = sum(1 for s in own if counts[s] >= 2)
    return shared / len(own) <= MAX_COHESION
