"""The furniture step (``clean.furniture``) for a preview's edited articles, without judging their
outlets again.

Takes the last build's raw cleaning results (articles before the furniture step, by file key);
gives ``Outlets``: each outlet's number of distinct articles and how many of its articles hold
each block print (what ``furniture_pass`` counts), with each file's prints kept by file key
(a content key: a file's prints never change, so only new files' blocks are printed in a
later build). ``furnished(outlets, old, new)`` gives an edited article after the step exactly
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
    distinct: dict[str, int]  # outlet -> distinct article keys among its articles
    seen: dict[str, Counter]  # outlet -> print -> how many of its articles hold it
    prints: dict[str, tuple[frozenset[str], ...]]  # file key -> each article's prints


def article_prints(article: Article) -> frozenset[str]:
    """The prints the pass counts for one article: its judged blocks' and its own blocks'."""
    return frozenset(article.block_prints) | {_print(b.text) for b in article.blocks if b.kind != "link"}


def outlets_steps(results: dict, known: dict) -> Iterator[Outlets | None]:
    """``Outlets`` of ``results`` (file key -> (articles, rejections)); ``known``: prints by file
    key from earlier builds, added to and pruned to these files. Yields None between chunks of
    files (a caller may stop there; ``known`` keeps what was printed), then the ``Outlets``."""
    for n, k in enumerate(k for k in results if k not in known):
        known[k] = tuple(article_prints(a) for a in results[k][0])
        if n % CHUNK == CHUNK - 1:
            yield None
    for stale in [k for k in known if k not in results]:
        del known[stale]
    keys: dict[str, set] = {}
    seen: dict[str, Counter] = {}
    for k, (articles, _) in results.items():
        for article, prints in zip(articles, known[k]):
            outlet = _outlet(article)
            if outlet:
                keys.setdefault(outlet, set()).add(article.key)
                seen.setdefault(outlet, Counter()).update(prints)
    yield Outlets({o: len(s) for o, s in keys.items()}, seen, dict(known))


def furnished(outlets: Outlets, file_key: str, at: int, old: Article, new: Article) -> Article | None:
    """``new`` (article ``at`` of file ``file_key``, which was ``old``) after the furniture step."""
    cleared = replace(new, block_prints=()) if new.block_prints else new
    outlet = _outlet(new)
    if outlet != _outlet(old):
        return None
    if not outlet:
        return cleared  # no outlet: the pass judges nothing
    recurring, per_block = set(), ()
    if outlets.distinct.get(outlet, 0) >= MIN_ARTICLES:
        seen, before, after = outlets.seen[outlet], outlets.prints[file_key][at], article_prints(new)
        for p in before ^ after:
            if (seen[p] >= MIN_ARTICLES) != (seen[p] - (p in before) + (p in after) >= MIN_ARTICLES):
                return None
        recurring = {p for p in after if seen[p] - (p in before) + 1 >= MIN_ARTICLES}
        per_block = [_print(b.text) if b.kind != "link" else None for b in new.blocks]
    kept = _kept_blocks(cleared, recurring, per_block)
    return cleared if kept is None else replace(cleared, blocks=tuple(cleared.blocks[at] for at in kept))
