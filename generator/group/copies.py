"""Which articles are verbatim copies of each other: the corpus' copy groups.

Takes each article's evidence lines (the keys of its kept sentences that other articles hold
too), how many evidence lines it has, and each article's rank for leading (smallest first);
gives each article's copy group, named by its leader. Two articles are one copy group when they
share at least ``COPY_SHARE`` of the shorter one's evidence lines, and ``COPY_LINES`` of them: a
wire story 30 outlets ran is one group, a follow-up repeating three lines of an earlier story
stays its own.

The Vocabulary learns the groups once per grouping, so that how common a name is counts
*stories*, not copies (the candidate index and the event evidence both read it), and the
candidate index pairs articles through the same line buckets (``bucket_pairs``).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from typing import Callable, Iterable

MAX_BUCKET = 40  # a line more articles share than this is paired through its leaders
STAR = 6  # in a big bucket, the leading holders every other one is paired with
COPY_SHARE = 0.5  # share of the shorter side's evidence lines two verbatim copies both hold
COPY_LINES = 2  # and at least this many


def index(keys: list) -> dict:
    """Each key's holders, in article order."""
    buckets: dict = defaultdict(list)
    for i, held in enumerate(keys):
        for key in held:
            buckets[key].append(i)
    return buckets


def bucket_pairs(members: list[int], rank: list) -> Iterable[tuple[int, int]]:
    """The pairs a bucket of holders makes: all of them when it is small, else each holder with
    the ``STAR`` leading ones (a wire story many outlets ran: its copies need their leaders only,
    and all pairs would be quadratic)."""
    if len(members) <= MAX_BUCKET:
        return combinations(members, 2)
    leaders = sorted(members, key=lambda i: (rank[i], i))[:STAR]
    return ((a, b) for a in leaders for b in members if a != b)


def copy_groups(lines: list[set[int]], evidence: list[int], rank: list) -> list[int]:
    """Each article's copy group, named by its leader (the smallest rank); ``lines[i]`` are the
    i-th article's evidence lines held by another article too, ``evidence[i]`` how many it has."""
    shared: dict[int, Counter] = defaultdict(Counter)
    for members in index(lines).values():
        if len(members) >= 2:
            for a, b in bucket_pairs(members, rank):
                shared[min(a, b)][max(a, b)] += 1
    leader = list(range(len(lines)))

    def find(i: int) -> int:
        while leader[i] != i:
            leader[i] = leader[leader[i]]
            i = leader[i]
        return i

    for a in sorted(shared):
        for b, count in sorted(shared[a].items()):
            if count >= max(COPY_LINES, COPY_SHARE * min(evidence[a], evidence[b])):
                ra, rb = find(a), find(b)
                if ra != rb:
                    ra, rb = sorted((ra, rb), key=lambda i: (rank[i], i))
                    leader[rb] = ra
    return [find(i) for i in range(len(lines))]


def repeats(group: list[int], held: Callable[[int], frozenset[str]]) -> dict[str, int]:
    """For each token, how many of its holders are further copies in a copy group that holds it
    already: a token's articles less these are the copy groups (stories) holding it. ``held(i)``
    gives the i-th article's tokens; only articles in a group of two or more are read."""
    members: dict[int, list[int]] = defaultdict(list)
    for i, g in enumerate(group):
        members[g].append(i)
    extra: Counter = Counter()
    for copies in members.values():
        if len(copies) > 1:
            counts = Counter(t for i in copies for t in held(i))
            extra.update({t: c - 1 for t, c in counts.items() if c > 1})
    return dict(extra)
