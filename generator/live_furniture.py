"""The furniture step (``clean.furniture``) for a preview's edited articles, without judging their
outlets again.

Takes the last build's raw cleaning results (by file key: the articles before the furniture step,
without their block prints, the prints beside them, the rejections: what a build stores);
gives ``Outlets``: each outlet's articles (by key) and how many of its articles hold each block
print (what ``furniture_pass`` counts), counted afresh once, then per build only for the files
that came and went (file keys are content keys). ``furnished(outlets, old, new)`` gives an edited article after the step exactly
as the whole pass gives it, or None when the edit changes whether a print recurs in its outlet
(then other articles' furniture may change too, and only the build's pass can say).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace

from .clean.furniture import MIN_ARTICLES, _kept_blocks, _outlet, _print
from .model import Article

CHUNK = 500  # files printed between two pauses of the index


@dataclass(frozen=True)
class Outlets:
    keys: dict[str, Counter]  # outlet -> article key -> how many of its articles have it
    seen: dict[str, Counter]  # outlet -> print -> how many of its articles hold it
    files: frozenset[str]  # the file keys counted


def article_prints(article: Article, judged: tuple[str, ...] = ()) -> frozenset[str]:
    """The prints the pass counts for one article: its judged blocks' (``judged``, or those it
    still holds) and its own blocks'."""
    return frozenset(judged or article.block_prints) | {_print(b.text) for b in article.blocks if b.kind != "link"}


def outlets_steps(results: dict, previous: tuple[Outlets, dict] | None = None) -> Iterator[Outlets | None]:
    """``Outlets`` of ``results`` (file key -> (articles, prints, rejections)). From scratch, it yields
    None between chunks of files (a caller may stop there); with ``previous`` (the last
    ``Outlets`` and the results it counted) it counts only the files that came and went, in
    that ``Outlets``' counters (which it changes: the last one is done with), and yields at once."""
    if previous is None:
        keys: dict[str, Counter] = {}
        seen: dict[str, Counter] = {}
        for n, (articles, prints, _) in enumerate(results.values()):
            _count(keys, seen, articles, prints, 1)
            if n % CHUNK == CHUNK - 1:
                yield None
        yield Outlets(keys, seen, frozenset(results))
        return
    (last, before) = previous
    for k in sorted(last.files - results.keys()):
        _count(last.keys, last.seen, *before[k][:2], -1)
    for k in sorted(results.keys() - last.files):
        _count(last.keys, last.seen, *results[k][:2], 1)
    yield Outlets(last.keys, last.seen, frozenset(results))


def _count(keys: dict, seen: dict, articles, prints, step: int) -> None:
    for article, judged in zip(articles, prints):
        outlet = _outlet(article)
        if outlet:
            _add(keys.setdefault(outlet, Counter()), (article.key,), step)
            _add(seen.setdefault(outlet, Counter()), article_prints(article, judged), step)


def _add(counter: Counter, items, step: int) -> None:
    for item in items:
        counter[item] += step
        if counter[item] <= 0:
            del counter[item]


def furnished(outlets: Outlets, old: Article, new: Article, old_prints: tuple[str, ...] = ()) -> Article | None:
    """``new`` (an edited article, as cleaned, prints held; it was ``old``, whose prints the
    build stored apart as ``old_prints``) after the furniture step."""
    cleared = replace(new, block_prints=()) if new.block_prints else new
    outlet = _outlet(new)
    if outlet != _outlet(old):
        return None
    if not outlet:
        return cleared  # no outlet: the pass judges nothing
    recurring, per_block = set(), ()
    if len(outlets.keys.get(outlet, ())) >= MIN_ARTICLES:
        seen, before, after = outlets.seen[outlet], article_prints(old, old_prints), article_prints(new)
        for p in before ^ after:
            if (seen[p] >= MIN_ARTICLES) != (seen[p] - (p in before) + (p in after) >= MIN_ARTICLES):
                return None
        recurring = {p for p in after if seen[p] - (p in before) + 1 >= MIN_ARTICLES}
        per_block = [_print(b.text) if b.kind != "link" else None for b in new.blocks]
    kept = _kept_blocks(cleared, recurring, per_block)
    return cleared if kept is None else replace(cleared, blocks=tuple(cleared.blocks[at] for at in kept))
