"""Group copies of one story: syndicated copies, rewrites and translations of the same news.

Takes cleaned articles and the curator's overrides; gives ``Story`` records (topic not yet set)
whose copies carry a relation label, primary (least derived copy) first. Candidate pairs
(candidates.py) are scored (fingerprint.py), linked when a relation holds, and linked articles are
joined into stories that do not chain (clusters.py).
Overrides win: ``exclude`` drops a file, ``same_story`` joins files, ``separate`` keeps files
apart even when the scores would join them, ``primary`` chooses a story's primary.

Story ids are a hash of the smallest member identity (its URL, else its seeds path), so they are
stable across builds and do not move when unrelated files are added.
"""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from dataclasses import replace

from ..config import Overrides
from ..model import Article, Copy, Story
from .carried import Rebuild, built, updated
from .clusters import Link
from .fingerprint import COPY_CONTAINMENT, PairScores, containment
from .pair_cache import Fingerprints, GroupCache
from .reuse import Kept, clustered, stories_of
from .parallel_scores import score_pairs

# Thresholds fitted on the development corpus; see README "How stories are found".
SYNDICATED_CONTAINMENT = COPY_CONTAINMENT  # share of 5-word shingles: near-verbatim copies
REWRITE_SCORE = 0.35  # words (TF-IDF cosine) + word_alignment, same language
TRANSLATION_SCORE = 0.60  # names (IDF cosine) + name_alignment, across languages
MIN_ALIGNMENT = 0.15  # a rewrite retells the facts in order; shared vocabulary alone is the topic
NEWS_WINDOW = 14  # days: a rewrite of one piece of news appears within this of it
# A retelling tells each headline's news; where one is not told by the other (a feature's clever
# headline, or a story recalling another's news as background), the facts must align more, the
# event's rare names, numbers and quotes be shared more, and the figures be kept.
HEADLINE_MIN, UNTOLD_EVIDENCE = 0.30, 0.40
# A retelling from another angle whose sentences align less: the same words and the event's rare
# names, numbers and quotes, and most of each headline told by the other.
EVENT_WORDS, EVENT_ALIGNMENT, EVENT_SCORE, EVENT_HEADLINE = 0.30, 0.10, 0.15, 0.45
# Two pages sharing a verbatim block yet no copies are one publisher's pages (its "about us", its
# furniture) or a follow-up repeating background: the rest must show the event's own evidence.
SHARED_BLOCK = 2  # lines
FIGURES_KEPT = 0.5  # share of the numbers (of the side holding fewer) a translation keeps
# Articles an edit weighs again (their pairs rescored) from which the corpus counts are read whole
# rather than a few pieces at a time (carried.Carried.read_counts): about what reading them costs
WHOLE_COUNTS = 200
RANK = {"original": 0, "syndicated": 1, "rewrite": 2, "translation": 3}


def relate(scores: PairScores, days_apart: int | None = None) -> tuple[str, float] | None:
    """The relation a pair's scores support, with its strength, or None. A verbatim copy may be
    republished any time, and a translation made weeks later; a same-language retelling more than
    ``NEWS_WINDOW`` days from the other copy is other news told alike (a follow-up, the next issue
    of a recurring page)."""
    if scores.same_language and scores.containment >= SYNDICATED_CONTAINMENT:
        return "syndicated", 1.0 + scores.containment
    if scores.same_language:
        if days_apart is not None and days_apart > NEWS_WINDOW:
            return None
        untold = scores.headline < HEADLINE_MIN
        if untold and (scores.word_alignment + scores.event < UNTOLD_EVIDENCE or scores.figures < FIGURES_KEPT):
            return None  # one headline's news is not told by the other: the facts must align more
        if scores.copied >= SHARED_BLOCK and scores.event < EVENT_SCORE:
            return None
        rewrite = scores.words + scores.word_alignment
        if rewrite >= REWRITE_SCORE and scores.word_alignment >= MIN_ALIGNMENT:
            return "rewrite", rewrite
        told = (scores.words >= EVENT_WORDS and scores.word_alignment >= EVENT_ALIGNMENT
                and scores.event >= EVENT_SCORE and scores.headline >= EVENT_HEADLINE)
        return ("rewrite", rewrite + scores.event) if told else None
    translation = scores.names + scores.name_alignment
    if scores.figures < FIGURES_KEPT:
        return None  # a translation keeps the figures; other news on one subject has its own
    return ("translation", translation) if translation >= TRANSLATION_SCORE else None


def relate_far(containment: float) -> tuple[str, float] | None:
    """``relate`` of a same-language pair more than ``NEWS_WINDOW`` days apart, which reads only
    the pair's containment: a verbatim copy, or nothing."""
    return ("syndicated", 1.0 + containment) if containment >= SYNDICATED_CONTAINMENT else None


def far_apart(a: Article, b: Article) -> bool:
    """Whether the pair is one language and more than ``NEWS_WINDOW`` days apart: ``relate``
    then reads only its containment (``relate_far``), so the rest of its scores are not made."""
    if a.language != b.language:
        return False
    days = days_apart(a, b)
    return days is not None and days > NEWS_WINDOW


def days_apart(a: Article, b: Article) -> int | None:
    """Days between the two copies' dates, as close as their precision allows; None if one is undated."""
    if not a.date or not b.date:
        return None
    (a0, a1), (b0, b1) = _span(a.date), _span(b.date)
    return max(0, (b0 - a1).days, (a0 - b1).days)


def _span(date) -> tuple[dt.date, dt.date]:
    """The first and last day a partial date can mean."""
    month0, month1 = (date.month, date.month) if date.month else (1, 12)
    day1 = date.day or calendar.monthrange(date.year, month1)[1]
    return dt.date(date.year, month0, date.day or 1), dt.date(date.year, month1, day1)


def find_links(articles: list[Article], cache: GroupCache | None = None, rank: list | None = None) -> list[Link]:
    """The pairs a relation holds for, in pair order. With a cache that carries the last
    grouping's state (carried.py), only the pairs whose inputs an edit changed are related again,
    and only their articles' fingerprints are read."""
    cache = cache if cache is not None else GroupCache()
    cache.misses = cache.far = 0
    rank = rank if rank is not None else list(range(len(articles)))
    printed = cache.printed(articles, cache.article_keys(articles))
    keys, dates = tuple(a.key for a in articles), [a.date for a in articles]
    fresh = None
    if cache.carried is not None:
        try:
            carried, vocab, fresh, dropped, added = updated(cache.carried, printed, rank, keys, dates, cache.prints)
        except Rebuild:
            fresh = None
        except BaseException:
            cache.carried = None  # half updated: never carried further
            raise
    if fresh is None:
        cache.carried = None
        carried, vocab = built(printed, rank, keys, dates)
    cache.carried = carried
    pairs = carried.candidates.pairs(len(articles))
    links = carried.relations  # each linked pair's relation (kind, strength)
    if fresh is None:
        links.clear()
        todo = pairs
    else:
        for pair in dropped:
            links.pop(pair, None)
        todo = sorted(added.union((i, j) for i, j in pairs if i in fresh or j in fresh)) if fresh or added else []
    wkeys, prints = carried.wkeys, Fingerprints(printed)
    # A pair far apart in time is judged by its containment alone (relate_far): cheap, so it is
    # worked out each time rather than kept; the rest are scored in full, or reused.
    far = [far_apart(articles[i], articles[j]) for i, j in todo]
    near = [pair for pair, apart in zip(todo, far) if not apart]
    keyed = [(wkeys[i], wkeys[j]) for i, j in near]
    getattr(cache.scores, "preload", len)(keyed)
    lacking = [near[at] for at in cache.lacking(keyed)]  # on every core when there are many (parallel_scores.py)
    weighed = {i for pair in lacking for i in pair} | {i for pair, apart in zip(todo, far) if apart for i in pair}
    if fresh is not None and len(weighed) >= WHOLE_COUNTS:
        carried.read_counts(vocab)
    # read before any worker forks
    printed.preload(sorted(weighed))
    cache.prefill([(wkeys[i], wkeys[j]) for i, j in lacking], score_pairs(prints, vocab, lacking))
    last = {}  # each article's last pair: its corpus weights are let go after it (memory)
    for k, (i, j) in enumerate(todo):
        last[i] = last[j] = k
    for k, (i, j) in enumerate(todo):
        if far[k]:
            found = relate_far(containment(prints[i], prints[j], vocab))
        else:
            scores = cache.score((wkeys[i], wkeys[j]), prints[i], prints[j], vocab)
            found = relate(scores, days_apart(articles[i], articles[j]))
        if found:
            links[(i, j)] = found
        else:
            links.pop((i, j), None)
        for done in {i, j}:
            if last[done] == k:
                vocab.forget(prints[done])
    cache.far = sum(far)
    cache.hits = len(pairs) - cache.misses - cache.far
    return [Link(i, j, kind, score) for (i, j), (kind, score) in sorted(links.items())]


def find_stories(articles: list[Article], overrides: Overrides = Overrides(), language: str = "en",
                 cache: GroupCache | None = None) -> list[Story]:
    articles, rank = grouping_order(articles, overrides)
    links = find_links(articles, cache, rank) + _curator_links(articles, overrides)
    names = [a.source + (f" [{a.item}]" if a.item else "") for a in articles]
    kept = Kept() if cache is None or cache.stories is None else cache.stories
    settings = (repr(overrides), language, _keys_digest(articles))
    groups, merges = clustered(articles, links, _separations(articles, overrides), rank, names, kept, settings)

    def make(members: list[int], inside: list[Link], joined: list[str]) -> Story:
        return _story([articles[i] for i in members], inside, articles, overrides, language, joined)

    stories = stories_of(articles, groups, links, merges, make, kept)
    if cache is not None:
        cache.stories = kept
    return sorted(distinct_ids(stories), key=lambda s: s.id)


def _keys_digest(articles: list[Article]) -> str:
    """A hash of the articles' keys in order: what the kept components' indices refer to (the
    keys themselves are a quarter of a megabyte at 10,000 articles, stored every build)."""
    joined = "\x00".join(f"{a.source}\x00{a.item or ''}" for a in articles)  # a path, an id: neither holds a NUL
    return hashlib.blake2b(joined.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def grouping_order(articles: list[Article], overrides: Overrides) -> tuple[list[Article], list[int]]:
    """The articles the grouping compares (the curator's exclusions dropped), in its order, and
    each one's rank for leading its story (clusters.py)."""
    excluded = set(overrides.exclude)
    articles = sorted((a for a in articles if a.source not in excluded), key=lambda a: a.key)
    order = list(map(_leader_order, articles))  # each worked out once, in one pass
    leading = sorted(range(len(articles)), key=order.__getitem__)
    rank = [0] * len(articles)
    for position, i in enumerate(leading):
        rank[i] = position
    return articles, rank


def _curator_links(articles: list[Article], overrides: Overrides) -> list[Link]:
    index = {}
    for i, article in enumerate(articles):
        index.setdefault(article.source, []).append(i)
    links = []
    for group in overrides.same_story:
        members = [i for source in group for i in index.get(source, [])]
        links += [Link(a, b, "curator", 10.0, None) for a, b in zip(members, members[1:])]
    return links


def _separations(articles: list[Article], overrides: Overrides) -> list[set[int]]:
    return [{i for i, a in enumerate(articles) if a.source in group} for group in overrides.separate]


def _leader_order(article: Article) -> tuple:
    """Which copy leads its group while stories form: the earliest that does not say it is a copy."""
    return (article.syndication_notice, article.machine_translated, *_flat_age(article))


def _story(members: list[Article], links: list[Link], articles: list[Article], overrides: Overrides,
           language: str, merges: list[str]) -> Story:
    relations = label_relations(members, [(articles[l.a], articles[l.b], l.kind) for l in links])
    copies = [Copy(a, relations[a.key]) for a in members]
    copies.sort(key=lambda c: _primary_order(c, overrides, language))
    primary = copies[0]
    date = primary.article.date or min((c.article.date for c in copies if c.article.date), default=None)
    copies = [c if c.article.date or not date else Copy(c.article, c.relation, inherited_date=date) for c in copies]
    evidence = tuple(f"{articles[l.a].source} ~ {articles[l.b].source}: {l.kind} ({l.score:.2f})" for l in links)
    evidence += tuple(f"joined {line}" for line in merges)
    return Story(id=story_id(members), copies=tuple(copies), evidence=evidence)


def story_id(members: list[Article]) -> str:
    anchor = min(a.identity for a in members)
    return "s-" + hashlib.sha256(anchor.encode("utf-8")).hexdigest()[:12]


def distinct_ids(stories: list[Story]) -> list[Story]:
    """The stories with one id each. Two stories share an id when their earliest identities are
    one address: two files naming one canonical URL (a section page, a reused link) that the
    grouping keeps apart. The story whose first copy key sorts first keeps the id, so ids stay as
    they were wherever nothing clashes; each other one takes an id of that address and its own
    first key (pages, feeds and the JSON Feed's ``id`` would otherwise mix the two)."""
    by_id: dict[str, list[Story]] = {}
    for story in stories:
        by_id.setdefault(story.id, []).append(story)
    if len(by_id) == len(stories):
        return stories
    distinct = []
    for same in by_id.values():
        if len(same) == 1:  # most ids: nothing to order
            distinct.append(same[0])
            continue
        by_key = sorted((min(c.article.key for c in story.copies), n) for n, story in enumerate(same))
        distinct.append(same[by_key[0][1]])
        for first_key, n in by_key[1:]:
            own = "\n".join((same[n].id, *first_key))
            distinct.append(replace(same[n], id="s-" + hashlib.sha256(own.encode("utf-8")).hexdigest()[:12]))
    return distinct


def label_relations(members: list[Article], links: list[tuple[Article, Article, str]]) -> dict:
    """original / syndicated / rewrite / translation for each member of one story.

    Translations are the copies in another language than the story's (or flagged as machine
    translated). Among the rest, near-verbatim copies form groups; the group holding the earliest
    dated copy is the source (undated counts as latest), other groups are rewrites of it. In the
    source group the earliest copy without a "republished from" notice is the original and the
    others are syndicated; if every copy there carries such a notice, all are syndicated.
    """
    base = _base_language(members)
    translated = {a.key for a in members if a.machine_translated or a.language != base}
    rest = [a for a in members if a.key not in translated]
    verbatim = _verbatim_groups(rest, [(a, b) for a, b, kind in links if kind == "syndicated"])
    labels = {key: "translation" for key in translated}
    if not rest:
        return labels
    source = min(verbatim, key=lambda group: min(_age(a) for a in group))
    for group in verbatim:
        if group is not source:
            labels.update({a.key: "rewrite" for a in group})
    unmarked = sorted((a for a in source if not a.syndication_notice), key=_age)
    for article in source:
        labels[article.key] = "original" if unmarked and article is unmarked[0] else "syndicated"
    return labels


def _base_language(members: list[Article]) -> str:
    candidates = [a for a in members if not a.machine_translated] or members
    counts: dict[str, int] = {}
    for article in candidates:
        counts[article.language] = counts.get(article.language, 0) + 1
    earliest = min(candidates, key=_age).language
    return max(counts, key=lambda lang: (counts[lang], lang == earliest, lang))


def _verbatim_groups(articles: list[Article], pairs: list[tuple[Article, Article]]) -> list[list[Article]]:
    group_of = {a.key: [a] for a in articles}
    for a, b in pairs:
        ga, gb = group_of.get(a.key), group_of.get(b.key)
        if ga is None or gb is None or ga is gb:
            continue
        ga.extend(gb)
        for article in gb:
            group_of[article.key] = ga
    unique = {id(g): g for g in group_of.values()}
    return sorted(unique.values(), key=lambda g: min(a.key for a in g))


def _age(article: Article) -> tuple:
    """Earliest first; an undated copy counts as the latest; ties go to the fuller metadata."""
    date = article.date.sort_key if article.date else (9999, 99, 99)
    return (date, -article.completeness, article.key)


def _flat_age(article: Article) -> tuple:
    """``_age`` as one flat tuple (it orders alike: its parts have fixed lengths): the grouping
    orders every article by it each build, and flat tuples compare faster."""
    date = article.date.sort_key if article.date else (9999, 99, 99)
    return (*date, -article.completeness, *article.key)


def _primary_order(copy: Copy, overrides: Overrides, language: str) -> tuple:
    """The least derived copy first; among equals, one in the site's language, then the fullest."""
    article = copy.article
    chosen = article.source in overrides.primary
    return (not chosen, RANK[copy.relation], article.language != language, -article.completeness, _age(article))
