"""The candidate index kept from one grouping to the next, and updated where an edit touched it.

Takes fingerprints, the corpus ``Vocabulary`` and the ranks; gives the copy groups (copies.py)
and the candidate pairs (candidates.py) exactly as those modules make them from scratch, keeping
what they are made of: each article's keys (evidence lines, shingle sketch, rarest names), each
key's bucket of holders, the copy groups' line counts between articles, and each article's best
candidates. After an edit only the buckets whose holders changed are read again, and only the
rows (an article's shared-key counts) of the articles in them are summed again.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import combinations

from .candidates import (EXACT_PAIRS_UP_TO, MIN_SHARED, NAME_BUCKET, PER_ARTICLE, _sketch, _tally,
                         _tally_names, name_keys)
from .copies import COPY_LINES, COPY_SHARE, MAX_BUCKET, STAR, bucket_pairs, index
from .fingerprint import Vocabulary
from .holders import Holders

LINES, SKETCH, NAMES = 0, 1, 2  # the three kinds of keys, each with its own buckets


@dataclass
class Candidates:
    keys: list[list[list]]  # keys[kind][i]: the i-th article's keys of that kind
    buckets: list[Holders]  # buckets[kind][key]: its holders
    evidence: list[int]  # each article's kept sentences (copies.copy_groups' ``evidence``)
    lines: dict[tuple[int, int], int]  # evidence lines two articles share through the buckets
    copies: set[tuple[int, int]]  # the pairs close enough to be one copy group
    best: list[list[int]]  # each article's best candidates (candidates.py)
    chosen: Counter  # pair -> how many of its two articles chose it
    exact: bool  # a corpus small enough to score every pair
    ordered: list = field(default_factory=list)  # the chosen pairs, sorted

    @classmethod
    def built(cls, prints: list, vocab: Vocabulary, rank: list) -> Candidates:
        keys = [[sorted(vocab.shared_lines(p)) for p in prints], [_sketch(p, vocab) for p in prints],
                [name_keys(p, vocab) for p in prints]]
        found = [index(held) for held in keys]
        buckets = [Holders(kind) for kind in found]
        evidence = [len(vocab.kept(p)) for p in prints]
        lines: dict[tuple[int, int], int] = Counter()
        for members in found[LINES].values():
            _count_bucket(lines, members, rank, 1)
        made = cls(keys, buckets, evidence, dict(lines), set(), [[] for _ in prints], Counter(),
                   len(prints) <= EXACT_PAIRS_UP_TO)
        made.copies = {pair for pair in made.lines if made._copies(pair)}
        if not made.exact:
            shared: dict[int, Counter] = defaultdict(Counter)
            _tally(found[LINES], MIN_SHARED, rank, shared)
            _tally(found[SKETCH], MIN_SHARED, rank, shared)
            _tally_names(found[NAMES], vocab.group, rank, shared)
            for a, counts in shared.items():
                made.best[a] = _best(counts)
            for a, best in enumerate(made.best):
                made.chosen.update((min(a, b), max(a, b)) for b in best)
            made.ordered = sorted(made.chosen)
        return made

    def pairs(self, size: int) -> list[tuple[int, int]]:
        if self.exact:
            return list(combinations(range(size), 2))
        return self.ordered

    def _copies(self, pair: tuple[int, int]) -> bool:
        a, b = pair
        return self.lines.get(pair, 0) >= max(COPY_LINES, COPY_SHARE * min(self.evidence[a], self.evidence[b]))

    def regroup(self, prints: list, vocab: Vocabulary, rank: list, touched: list[int],
                evidence: dict[int, int]) -> tuple[list[int], dict]:
        """The copy groups after the ``touched`` articles' evidence lines (and ``evidence``: the
        counts of kept sentences that moved) changed; gives them and the line buckets changed,
        each with its holders before."""
        moved = self._rekey(LINES, {i: sorted(vocab.shared_lines(prints[i])) for i in touched})
        recheck = set()
        for key, before in moved.items():
            after = self.buckets[LINES].get(key)
            recheck |= _count_bucket(self.lines, sorted(before), rank, -1)
            recheck |= _count_bucket(self.lines, list(after), rank, 1)
        for i, count in evidence.items():
            self.evidence[i] = count
            for key in self.keys[LINES][i]:
                recheck.update((min(i, b), max(i, b)) for b in self.buckets[LINES].get(key) if b != i)
        for pair in recheck:
            if self._copies(pair):
                self.copies.add(pair)
            else:
                self.copies.discard(pair)
        return _components(len(prints), self.copies, rank), moved

    def renamed(self, prints: list, vocab: Vocabulary, rank: list, named: set[int], rekept: set[int],
                regrouped: list[int], lines_moved: dict) -> tuple[set, set]:
        """The candidates after the articles in ``named`` may have other rarest names, those in
        ``rekept`` other kept sentences, those in ``regrouped`` another copy group, and the line
        buckets ``lines_moved`` other holders; gives the pairs no longer chosen and the pairs
        newly chosen."""
        sketch_moved = self._rekey(SKETCH, {i: _sketch(prints[i], vocab) for i in rekept})
        names_moved = self._rekey(NAMES, {i: name_keys(prints[i], vocab) for i in sorted(named)})
        for i in regrouped:  # a big name bucket pairs holders through their copy groups' leads
            for key in self.keys[NAMES][i]:
                found = self.buckets[NAMES].get(key)
                if len(found) > NAME_BUCKET:
                    names_moved.setdefault(key, set(found))
        if self.exact:
            return set(), set()
        rows = set()
        for kind, moved in ((LINES, lines_moved), (SKETCH, sketch_moved), (NAMES, names_moved)):
            for key, before in moved.items():
                rows |= before.union(self.buckets[kind].get(key))
        before = set()
        leaders: dict = {}
        for a in sorted(rows):
            best = _best(self._row(a, vocab.group, rank, leaders))
            for b in self.best[a]:
                pair = (min(a, b), max(a, b))
                before.add(pair)
                self.chosen[pair] -= 1
                if not self.chosen[pair]:
                    del self.chosen[pair]
            for b in best:
                self.chosen[(min(a, b), max(a, b))] += 1
            self.best[a] = best
        dropped = {pair for pair in before if pair not in self.chosen}
        for pair in dropped:
            del self.ordered[bisect_left(self.ordered, pair)]
        added = set()
        for a in rows:
            for b in self.best[a]:
                pair = (min(a, b), max(a, b))
                if pair not in before:
                    at = bisect_left(self.ordered, pair)
                    if at == len(self.ordered) or self.ordered[at] != pair:
                        self.ordered.insert(at, pair)
                        added.add(pair)
        return dropped, added

    def _rekey(self, kind: int, keys: dict[int, list]) -> dict:
        """Sets the articles' new keys of a kind; gives each bucket whose holders changed, with
        its holders before."""
        moved: dict = {}
        buckets = self.buckets[kind]
        for i, new in keys.items():
            old = self.keys[kind][i]
            if new == old:
                continue
            old_set, new_set = set(old), set(new)
            for key in old_set ^ new_set:
                moved.setdefault(key, set(buckets.get(key)))
            buckets.discard(old_set - new_set, i)
            buckets.add(new_set - old_set, i)
            self.keys[kind][i] = new
        return moved

    def _row(self, a: int, group: list[int], rank: list, leaders: dict) -> Counter:
        """How many keys the a-th article shares with each other (candidates.py's ``shared[a]``)."""
        row: Counter = Counter()
        for kind in (LINES, SKETCH):
            for key in self.keys[kind][a]:
                members = self.buckets[kind].get(key)
                if len(members) <= MAX_BUCKET:
                    row.update(dict.fromkeys(members, MIN_SHARED))
                    continue
                lead = leaders.get((kind, key))
                if lead is None:
                    lead = leaders[(kind, key)] = set(sorted(members, key=lambda i: (rank[i], i))[:STAR])
                if a in lead:
                    row.update(dict.fromkeys(members, MIN_SHARED))
                row.update(dict.fromkeys(lead, MIN_SHARED))
        for key in self.keys[NAMES][a]:
            members = self.buckets[NAMES].get(key)
            if len(members) <= NAME_BUCKET:
                row.update(dict.fromkeys(members, 1))
                continue
            leads = leaders.get((NAMES, key))
            if leads is None:
                leads = {}
                for i in sorted(members, key=lambda i: (rank[i], i)):
                    leads.setdefault(group[i], i)
                leads = leaders[(NAMES, key)] = set(leads.values())
            mine = a in leads
            for b in members:
                if group[b] != group[a]:
                    row[b] += mine + (b in leads)
        row.pop(a, None)
        return row


def _best(counts: Counter) -> list[int]:
    best = sorted((b for b, c in counts.items() if c >= MIN_SHARED), key=lambda b: (-counts[b], b))
    return best[:PER_ARTICLE]


def add_counts(counter: dict, keys, by: int, moved: set) -> None:
    """Adds ``by`` to each key's count (a count come to 0 is dropped, as a Counter would never
    hold it) and notes each key in ``moved``."""
    for k in keys:
        value = counter.get(k, 0) + by
        if value:
            counter[k] = value
        else:
            counter.pop(k, None)
        moved.add(k)


def _count_bucket(lines: dict, members: list[int], rank: list, by: int) -> set[tuple[int, int]]:
    """Adds ``by`` to the line count of each pair the bucket makes (copies.copy_groups); gives them."""
    touched = set()
    if len(members) >= 2:
        add_counts(lines, [(min(a, b), max(a, b)) for a, b in bucket_pairs(members, rank)], by, touched)
    return touched


def _components(size: int, pairs: set[tuple[int, int]], rank: list) -> list[int]:
    """Each article's copy group, named by its leader: the smallest (rank, index) of its component."""
    leader = list(range(size))

    def find(i: int) -> int:
        while leader[i] != i:
            leader[i] = leader[leader[i]]
            i = leader[i]
        return i

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            ra, rb = sorted((ra, rb), key=lambda i: (rank[i], i))
            leader[rb] = ra
    return [find(i) for i in range(size)]
