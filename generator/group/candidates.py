"""Which pairs of articles are worth scoring: an inverted index over rare evidence.

Takes fingerprints and the corpus ``Vocabulary``; gives sorted index pairs ``(i, j)``, i < j.
Small corpora score every pair. Larger ones index each article under its evidence lines (a
verbatim copy shares them), the smallest hashes of its shingles (a bottom-k sketch), and its
rarest names and numbers (rewrites and translations keep those).

How common a name is counts *stories*, not copies: articles that hold most of each other's
evidence lines verbatim are one copy group (``copy_groups``), and a name's frequency is the
number of copy groups holding it. A wire story 40 outlets ran holds its names 40 times over, yet
they are as rare as any story's: a rewrite of it must still find it through them. A name held by
more than ``NAME_BUCKET`` copy groups is too common to point anywhere; a bucket holding more
articles than that but few groups pairs each holder with each other group's leader (earliest
first), which is what joining needs (clusters.py joins a copy linked to its story's leader).
A line or shingle held by more than ``MAX_BUCKET`` articles is not background (background
lines are no evidence and not indexed): it is a wire story many outlets ran, and each of its
holders is paired with the ``STAR`` holders that lead.
A pair is a candidate when it shares enough keys, and each article keeps only its
``PER_ARTICLE`` best candidates, so the pairs scored grow as N × PER_ARTICLE at most, not N²/2.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

from .fingerprint import Fingerprint, Vocabulary

EXACT_PAIRS_UP_TO = 120  # below this every pair is scored: cheap, and nothing can be missed
RARE_NAMES = 32  # an article's rarest shared names and numbers used as keys
NAME_BUCKET = 20  # a name or number more copy groups hold than this is too common to point anywhere
SKETCH = 4  # its smallest shingle hashes
MAX_BUCKET = 40  # a line or shingle more articles share than this is paired through its leaders
PER_ARTICLE = 24  # candidates an article keeps, best first
MIN_SHARED = 2  # weight of shared keys a pair needs: two names, or one line or shingle
STAR = 6  # in a big bucket of a line or shingle, the leading holders every other one is paired with
COPY_SHARE = 0.5  # share of the shorter side's evidence lines two verbatim copies both hold


def candidate_pairs(prints: list[Fingerprint], vocab: Vocabulary, rank: list | None = None) -> list[tuple[int, int]]:
    """``rank[i]`` orders the articles for leadership (smallest first); index order without it."""
    if len(prints) <= EXACT_PAIRS_UP_TO:
        return list(combinations(range(len(prints)), 2))
    rank = rank if rank is not None else list(range(len(prints)))
    lines = [_line_keys(p, vocab) for p in prints]
    shared: dict[int, Counter] = defaultdict(Counter)
    line_shared = _tally(_index(lines), MIN_SHARED, rank, shared)
    sketches = [_sketch(p, vocab) for p in prints]
    _tally(_index(sketches), MIN_SHARED, rank, shared)
    group = copy_groups([len(vocab.kept(p)) for p in prints], line_shared, rank)
    names = _name_keys(prints, vocab, group)
    _tally_names(_index(names), group, rank, shared)
    pairs = set()
    for a, counts in shared.items():
        best = sorted((b for b, c in counts.items() if c >= MIN_SHARED), key=lambda b: (-counts[b], b))
        pairs.update((min(a, b), max(a, b)) for b in best[:PER_ARTICLE])
    return sorted(pairs)


def copy_groups(evidence: list[int], line_shared: dict[int, Counter], rank: list) -> list[int]:
    """Each article's copy group, named by its leader (the smallest rank): articles are joined
    when they share at least ``COPY_SHARE`` of the shorter one's ``evidence`` lines, and two of
    them. A follow-up repeating three lines of an earlier story stays its own group."""
    leader = list(range(len(evidence)))

    def find(i: int) -> int:
        while leader[i] != i:
            leader[i] = leader[leader[i]]
            i = leader[i]
        return i

    for a in sorted(line_shared):
        for b, count in sorted(line_shared[a].items()):
            if count >= max(MIN_SHARED, COPY_SHARE * min(evidence[a], evidence[b])):
                ra, rb = find(a), find(b)
                if ra != rb:
                    ra, rb = sorted((ra, rb), key=lambda i: (rank[i], i))
                    leader[rb] = ra
    return [find(i) for i in range(len(evidence))]


def _index(keys: list) -> dict:
    buckets: dict = defaultdict(list)
    for i, held in enumerate(keys):
        for key in held:
            buckets[key].append(i)
    return buckets


def _tally(buckets: dict, weight: int, rank: list, shared: dict[int, Counter]) -> dict[int, Counter]:
    """Adds ``weight`` to ``shared`` for the pairs of each bucket (through its ``STAR`` leaders
    when it is big); gives the count of keys each of those pairs shares."""
    counted: dict[int, Counter] = defaultdict(Counter)
    for members in buckets.values():
        if len(members) < 2:
            continue
        if len(members) <= MAX_BUCKET:
            pairs = combinations(members, 2)
        else:
            leaders = sorted(members, key=lambda i: (rank[i], i))[:STAR]
            pairs = ((a, b) for a in leaders for b in members if a != b)
        for a, b in pairs:
            shared[a][b] += weight
            shared[b][a] += weight
            counted[min(a, b)][max(a, b)] += 1
    return counted


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
    return {s.exact for s in vocab.kept(p) if vocab.exact[s.exact] >= 2}


def _sketch(p: Fingerprint, vocab: Vocabulary) -> list[tuple[str, int]]:
    shingles = sorted(set().union(*(s.hashes for s in vocab.kept(p))))
    return [("s", h) for h in shingles[:SKETCH]]


def _name_keys(prints: list[Fingerprint], vocab: Vocabulary, group: list[int]) -> list[list[str]]:
    """Each article's ``RARE_NAMES`` rarest names and numbers (held by one article only: no key),
    rarest by the stories holding them: a name more than ``NAME_BUCKET`` articles hold counts its
    copy groups, any other its holders (at most as many as its groups)."""
    neutral = [p.title_names.union(*(s.neutral for s in vocab.kept(p))) for p in prints]
    common = frozenset(t for t, n in vocab.neutral.items() if n > NAME_BUCKET)
    groups: dict[str, set[int]] = defaultdict(set)
    for i, held in enumerate(neutral):
        for t in common.intersection(held):
            groups[t].add(group[i])
    stories = {t: len(g) for t, g in groups.items()}
    df = vocab.neutral
    keys = []
    for held in neutral:
        rare = [(stories.get(t) or df[t], -vocab.idf(t), t) for t in held if df[t] >= 2]
        keys.append([t for count, _, t in sorted(r for r in rare if r[0] <= NAME_BUCKET)[:RARE_NAMES]])
    return keys
