"""Which pairs of articles are worth scoring: an inverted index over rare evidence.

Takes fingerprints and the corpus ``Vocabulary``; gives sorted index pairs ``(i, j)``, i < j.
Small corpora score every pair. Larger ones index each article under its evidence lines (a
verbatim copy shares them), the smallest hashes of its shingles (a bottom-k sketch), and its
rarest names and numbers (rewrites and translations keep those). A name held by more than
``NAME_BUCKET`` articles is too common to point anywhere. A line or shingle held by that many is
not background (background lines are no evidence and not indexed): it is a wire story many
outlets ran, and each of its holders is paired with the ``STAR`` holders that lead (earliest
first), which is what joining needs (clusters.py joins a copy linked to its story's leader).
A pair is a candidate when it shares enough keys, and each article keeps only its
``PER_ARTICLE`` best candidates, so the pairs scored grow as N × PER_ARTICLE at most, not N²/2.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

from .fingerprint import Fingerprint, Vocabulary

EXACT_PAIRS_UP_TO = 120  # below this every pair is scored: cheap, and nothing can be missed
RARE_NAMES = 32  # an article's rarest shared names and numbers used as keys
NAME_BUCKET = 20  # a name or number more articles hold than this is too common to point anywhere
SKETCH = 4  # its smallest shingle hashes
MAX_BUCKET = 40  # a key more articles share than this is too common to point anywhere
PER_ARTICLE = 24  # candidates an article keeps, best first
MIN_SHARED = 2  # weight of shared keys a pair needs: two names, or one line or shingle
STAR = 6  # in a big bucket of a line or shingle, the leading holders every other one is paired with


def candidate_pairs(prints: list[Fingerprint], vocab: Vocabulary, rank: list | None = None) -> list[tuple[int, int]]:
    """``rank[i]`` orders the articles for leadership (smallest first); index order without it."""
    if len(prints) <= EXACT_PAIRS_UP_TO:
        return list(combinations(range(len(prints)), 2))
    rank = rank if rank is not None else list(range(len(prints)))
    buckets: dict[tuple[str, object], list[int]] = defaultdict(list)
    for i, p in enumerate(prints):
        for key in _keys(p, vocab):
            buckets[key].append(i)
    shared: dict[int, Counter] = defaultdict(Counter)
    for key, members in buckets.items():
        weight = 1 if key[0] == "n" else MIN_SHARED
        if len(members) < 2 or (len(members) > NAME_BUCKET and key[0] == "n"):
            continue
        if len(members) <= MAX_BUCKET:
            pairs = combinations(members, 2)
        else:
            leaders = sorted(members, key=lambda i: (rank[i], i))[:STAR]
            pairs = ((a, b) for a in leaders for b in members if a != b)
        for a, b in pairs:
            shared[a][b] += weight
            shared[b][a] += weight
    pairs = set()
    for a, counts in shared.items():
        best = sorted((b for b, c in counts.items() if c >= MIN_SHARED), key=lambda b: (-counts[b], b))
        pairs.update((min(a, b), max(a, b)) for b in best[:PER_ARTICLE])
    return sorted(pairs)


def _keys(p: Fingerprint, vocab: Vocabulary) -> set[tuple[str, object]]:
    kept = vocab.kept(p)
    keys: set[tuple[str, object]] = {("l", s.exact) for s in kept if vocab.exact[s.exact] >= 2}
    shingles = sorted(set().union(*(s.shingles for s in kept)))
    keys.update(("s", h) for h in shingles[:SKETCH])
    neutral = p.title_names.union(*(s.neutral for s in kept))
    rare = sorted((t for t in neutral if 2 <= vocab.neutral[t] <= NAME_BUCKET), key=lambda t: (-vocab.idf(t), t))
    keys.update(("n", t) for t in rare[:RARE_NAMES])
    return keys
