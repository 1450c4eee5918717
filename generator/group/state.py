"""The grouping cache from one build to the next, kept in pieces (pieces.py): ``load`` and ``save``.

Takes a ``GroupCache`` after a grouping, and a ``Pieces`` file; gives, in the next build, a
``GroupCache`` whose big maps (the fingerprints, the pair scores, the carried counts, inverted
indices and candidate buckets: carried.py, candidate_rows.py; each component's groups and each
story's making: reuse.py; each story's stem counts and facet results: topic_cache.py) read
their entries from the file only as the grouping asks for them, and whose small parts (each
article's key, rank, fingerprint key, copy group and weights key, the candidate pairs, the
links, the stems) come in one core value. The story and topic maps are read whole (every story
is looked up) but written a bucket at a time, as the entries an edit changed. ``save`` writes
only the buckets the grouping changed, unless the state was built afresh (an article added,
removed or reordered), or the stale pair scores and fingerprints an edit leaves behind
outnumber the live ones: then every map is laid out anew.
"""
from __future__ import annotations

from .carried import Carried
from .candidate_rows import Candidates
from .holders import Holders
from .pair_cache import GroupCache
from .pieces import PieceMap, Pieces
from .reuse import Kept
from .topic_cache import TopicCache

STALE_SLACK = 1000  # stale scores let stay beyond as many as there are live pairs
PRINTS_PER_BUCKET = 4  # a fingerprint is a few kilobytes: an edit reads a few of them
# the Carried fields kept as maps (counters: a missing key counts 0), then Candidates'
COUNTERS = ("exact", "template", "words", "neutral", "repeats")
MAPS = ("extra", "masks")
HOLDERS = ("exact_holders", "template_holders", "token_holders")
CANDIDATE_COUNTERS = ("lines", "chosen")


def _as_map(name: str, value, counter: bool = False, per_bucket: int | None = None) -> PieceMap:
    if isinstance(value, PieceMap):
        return value
    values = dict(enumerate(value)) if isinstance(value, list) else dict(value)
    return PieceMap.laid_out(name, values, counter, **({"per_bucket": per_bucket} if per_bucket else {}))


def _maps(cache: GroupCache, fresh: bool) -> list[PieceMap]:
    """Every map of the cache, made maps where they are still plain dicts and lists (``fresh``:
    laid out anew, from what they hold)."""
    def lay(name, value, counter=False, per_bucket=None):
        if fresh and isinstance(value, PieceMap):
            value = value.to_dict()
        return _as_map(name, value, counter, per_bucket)

    cache.prints = lay("prints", cache.prints, per_bucket=PRINTS_PER_BUCKET)
    cache.scores = lay("scores", cache.scores)
    found = [cache.prints, cache.scores]
    topics = cache.topics  # each story's stem counts and facet results (topic_cache.py)
    topics.terms, topics.facets = lay("topics.terms", topics.terms), lay("topics.facets", topics.facets)
    found += [topics.terms, topics.facets]
    kept = cache.stories  # each component's groups and each story's making (reuse.py)
    if kept is not None:
        kept.components = lay("stories.components", kept.components)
        kept.stories = lay("stories.stories", kept.stories)
        found += [kept.components, kept.stories]
    carried = cache.carried
    if carried is None:
        return found
    for name in COUNTERS:
        setattr(carried, name, lay(name, getattr(carried, name), counter=True))
    for name in MAPS:
        setattr(carried, name, lay(name, getattr(carried, name)))
    for name in HOLDERS:
        holders = getattr(carried, name)
        holders._found = lay(name, holders._found)
        found.append(holders._found)
    c = carried.candidates
    for name in CANDIDATE_COUNTERS:
        setattr(c, name, lay(f"candidates.{name}", getattr(c, name), counter=True))
    c.best = lay("candidates.best", c.best)
    for kind in range(3):
        c.keys[kind] = lay(f"candidates.keys{kind}", c.keys[kind])
        c.buckets[kind]._found = lay(f"candidates.buckets{kind}", c.buckets[kind]._found)
        found += [c.keys[kind], c.buckets[kind]._found]
    found += [getattr(carried, n) for n in COUNTERS + MAPS] + [getattr(c, n) for n in CANDIDATE_COUNTERS] + [c.best]
    return found


def _core(cache: GroupCache, stale: int) -> dict:
    """What is loaded whole: small per-article lists, the pairs and links, the stems, and the
    settings the kept stories were made under."""
    carried = cache.carried
    topics, kept = cache.topics, cache.stories
    core = {"stems": cache.stems, "topics": (topics.stems, topics.used_stems),
            "stories": None if kept is None else kept.settings, "stale": stale, "carried": None, "buckets": {},
            "origin_keys": cache.origin_keys}
    if carried is not None:
        c = carried.candidates
        core["carried"] = {
            "keys": carried.keys, "rank": carried.rank, "names": carried.names, "dates": carried.dates,
            "size": carried.size, "group": carried.group, "groups": carried.groups, "wkeys": carried.wkeys,
            "relations": carried.relations,
            "candidates": {"evidence": c.evidence, "copies": c.copies, "exact": c.exact, "ordered": c.ordered}}
    return core


def save(cache: GroupCache, pieces: Pieces) -> int:
    """Writes what the grouping changed (everything when it was built afresh); gives the rows."""
    carried = cache.carried
    live = 0 if carried is None else len(carried.names) ** 2 // 2 if carried.candidates.exact \
        else len(carried.candidates.ordered)
    rebuilt = not cache.from_pieces or getattr(carried, "built_now", False)
    stale = 0 if rebuilt else cache.stale + cache.misses  # each score made leaves an old one behind
    if not rebuilt and stale > live + STALE_SLACK:
        rebuilt, stale = True, 0  # compact: keep only what this grouping used
    if rebuilt:
        kept = cache.kept()
        cache.prints, cache.scores = dict(kept.prints), dict(kept.scores)
    maps = _maps(cache, fresh=rebuilt)
    core = _core(cache, stale)
    core["buckets"] = {m.name: (m.buckets, m.size) for m in maps}
    written = pieces.save(core, maps, replaced=rebuilt)
    cache.from_pieces, cache.stale = True, stale
    if carried is not None:
        carried.built_now = False
    return written


def load(pieces: Pieces) -> GroupCache | None:
    """The cache the last ``save`` left, its maps read on use; None when there is none."""
    core = pieces.core()
    if not isinstance(core, dict):
        return None
    sizes = core["buckets"]

    def opened(name: str, counter: bool = False) -> PieceMap:
        buckets, size = sizes[name]
        found = PieceMap(pieces, name, buckets, counter)
        found.size = size
        return found

    stems, used_stems = core["topics"]
    topics = TopicCache(stems, opened("topics.terms"), opened("topics.facets"), used_stems)
    kept = None if core["stories"] is None else Kept(core["stories"], opened("stories.components"),
                                                      opened("stories.stories"))
    cache = GroupCache(opened("prints"), opened("scores"), core["stems"], topics, stories=kept)
    cache.from_pieces, cache.stale = True, core["stale"]
    cache.origin_keys = core.get("origin_keys", {})
    state = core["carried"]
    if state is None:
        return cache
    held = [Holders() for _ in HOLDERS]
    for holders, name in zip(held, HOLDERS):
        holders._found = opened(name)
    c = state["candidates"]
    buckets = [Holders() for _ in range(3)]
    for kind, holders in enumerate(buckets):
        holders._found = opened(f"candidates.buckets{kind}")
    candidates = Candidates([opened(f"candidates.keys{kind}") for kind in range(3)], buckets, c["evidence"],
                            opened("candidates.lines", True), c["copies"], opened("candidates.best"),
                            opened("candidates.chosen", True), c["exact"], c["ordered"])
    counts = {name: opened(name, True) for name in COUNTERS}
    cache.carried = Carried(state["keys"], state["rank"], state["names"], state["dates"], state["size"],
                            counts["exact"], counts["template"], counts["words"], counts["neutral"], state["group"],
                            state["groups"], counts["repeats"], opened("extra"), opened("masks"), *held, candidates,
                            state["wkeys"], state["relations"])
    return cache

