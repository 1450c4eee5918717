"""Which pairs of articles are worth scoring: an inverted index over rare evidence.

Takes fingerprints and the corpus ``Vocabulary``; gives sorted index pairs ``(i, j)``, i < j.
Small corpora score every pair. Larger ones index each article under its evidence lines (a
verbatim copy shares them), the smallest hashes of its shingles (a bottom-k sketch), and its
rarest names and numbers (rewrites and translations keep those).

How common a name is counts *stories*, not copies: articles that hold most of each other's
evidence lines verbatim are one copy group (copies.py, learnt once by the ``Vocabulary``), and a
name's frequency is the number of copy groups holding it (``Vocabulary.stories``). A wire story
40 outlets ran holds its names 40 times over, yet they are as rare as any story's: a rewrite of
it must still find it through them. A name held by more than ``NAME_BUCKET`` copy groups is too
common to point anywhere; a bucket holding more articles than that but few groups pairs each
holder with each other group's leader (earliest first), which is what joining needs (clusters.py
joins a copy linked to its story's leader).
A line or shingle held by more than ``copies.MAX_BUCKET`` articles is not background (background
lines are no evidence and not indexed): it is a wire story many outlets ran, and each of its
holders is paired with the ``copies.STAR`` holders that lead (``copies.bucket_pairs``).
A pair is a candidate when it shares enough keys, and each article keeps only its
``PER_ARTICLE`` best candidates, so the pairs scored grow as N × PER_ARTICLE at most, not N²/2.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

from .copies import bucket_pairs, index
from .fingerprint import Fingerprint, Vocabulary

EXACT_PAIRS_UP_TO = 120  # below this every pair is scored: cheap, and nothing can be missed
RARE_NAMES = 32  # an article's rarest shared names and numbers used as keys
NAME_BUCKET = 20  # a name or number more copy groups hold than this is too common to point anywhere
SKETCH = 4  # its smallest shingle hashes
PER_ARTICLE = 24  # candidates an article keeps, best first
MIN_SHARED = 2  # weight of shared keys a pair needs: two names, or one line or shingle


def candidate_pairs(prints: list[Fingerprint], vocab: Vocabulary, rank: list | None = None) -> list[tuple[int, int]]:
    """``rank[i]`` orders the articles for leadership (smallest first); index order without it
    (the same rank the ``Vocabulary`` was given)."""
    if len(prints) <= EXACT_PAIRS_UP_TO:
        return list(combinations(range(len(prints)), 2))
    rank = rank if rank is not None else list(range(len(prints)))
    shared: dict[int, Counter] = defaultdict(Counter)
    _tally(index([_line_keys(p, vocab) for p in prints]), MIN_SHARED, rank, shared)
    _tally(index([_sketch(p, vocab) for p in prints]), MIN_SHARED, rank, shared)
    _tally_names(index(_name_keys(prints, vocab)), vocab.group, rank, shared)
    pairs = set()
    for a, counts in shared.items():
        best = sorted((b for b, c in counts.items() if c >= MIN_SHARED), key=lambda b: (-counts[b], b))
        pairs.update((min(a, b), max(a, b)) for b in best[:PER_ARTICLE])
    return sorted(pairs)


def _tally(buckets: dict, weight: int, rank: list, shared: dict[int, Counter]) -> None:
    """Adds ``weight`` to ``shared`` for the pairs of each bucket (through its ``STAR`` leaders
    when it is big)."""
    for members in buckets.values():
        if len(members) < 2:
            continue
        for a, b in bucket_pairs(members, rank):
            shared[a][b] += weight
            shared[b][a] += weight


def _tally_names(buckets: dict, group: list[int], rank: list, shared: dict[int, Counter]) -> None:
    """A name's holders in a small bucket are paired with each other; in a bucket of many copies
    of few stories, each holder with the leading holder of every other copy group."""
    for members in buckets.values():
        if len(members) < 2:
            continue
        if len(members) <= NAME_BUCKET:
            pairs = combinations(members, 2)
        else:
            leads: dict[int, int] = {}
            for i in sorted(members, key=lambda i: (rank[i], i)):
                leads.setdefault(group[i], i)
            pairs = ((lead, b) for lead in leads.values() for b in members if group[b] != group[lead])
        for a, b in pairs:
            shared[a][b] += 1
            shared[b][a] += 1


def _line_keys(p: Fingerprint, vocab: Vocabulary) -> set[int]:
    return vocab.shared_lines(p)


def _sketch(p: Fingerprint, vocab: Vocabulary) -> list[tuple[str, int]]:
    shingles = sorted(set().union(*(s.hashes for s in vocab.kept(p))))
    return [("s", h) for h in shingles[:SKETCH]]


def _name_keys(prints: list[Fingerprint], vocab: Vocabulary) -> list[list[str]]:
    """Each article's ``RARE_NAMES`` rarest names and numbers (held by one article only: no key),
    rarest by the copy groups (stories) holding them (``Vocabulary.stories``)."""
    return [name_keys(p, vocab) for p in prints]


def name_keys(p: Fingerprint, vocab: Vocabulary) -> list[str]:
    """One article's name keys (``_name_keys``)."""
    held = p.title_names.union(*(s.neutral for s in vocab.kept(p)))
    df = vocab.neutral
    rare = [(vocab.stories(t), -vocab.idf(t), t) for t in held if df[t] >= 2]
    return [t for count, _, t in sorted(r for r in rare if r[0] <= NAME_BUCKET)[:RARE_NAMES]]
