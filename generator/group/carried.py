"""What one grouping carries to the next, so that an edit costs what it changed.

Takes the grouping's articles (in grouping order, with their ranks) and their fingerprints, and
the state the last grouping left (``Carried``); gives the corpus ``Vocabulary``, the candidate
pairs and each article's weights key exactly as a grouping from scratch makes them, and which
pairs must be related again. The state holds the vocabulary's counts, each article's kept
sentences, the inverted indices from sentence keys and tokens to their holders, the candidate
index's buckets (candidate_rows.py) and each pair's relation.

An update follows the delta: articles whose fingerprint changed → the sentence keys whose counts
moved → the articles whose kept sentences those touch → the tokens whose frequencies moved →
the articles holding them (their weights keys and rarest names) → the buckets and candidate rows
those touch. Only the same articles in the same order and ranks, and the same number of copy
groups, are updated so; any other change (an article added, removed or reordered: the corpus
size is in every weight) builds the state afresh, as a clean grouping does. Either way the
result is the clean grouping's: tests/test_group_carried.py checks it on invented edits.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .candidate_rows import Candidates, add_counts
from .copies import index
from .holders import Holders
from .fingerprint import Fingerprint, Vocabulary
from .pair_cache import Fingerprints, LevelWatch, Printed, Printeds, weights_key
from .pieces import read_whole


class Rebuild(Exception):
    """The delta is not one an update handles: build the state afresh."""


@dataclass
class Carried:
    keys: tuple  # the articles' keys, in grouping order
    rank: tuple
    names: list[str]  # each article's fingerprint key (pair_cache.article_key)
    dates: list
    size: int
    exact: Counter
    template: Counter
    words: Counter
    neutral: Counter
    group: list[int]
    groups: int
    repeats: Counter
    extra: dict[int, Counter]  # each copy group's (by leader) share of ``repeats``
    masks: list[bytes]
    exact_holders: Holders  # sentence key -> the articles holding it
    template_holders: Holders  # line shape -> the articles holding it
    token_holders: Holders  # token -> the articles whose fingerprint holds it
    candidates: Candidates
    wkeys: list[str]
    # each linked candidate pair's relation (stories.relate: kind and strength); a pair none
    # holds for is not kept
    relations: dict[tuple[int, int], tuple] = field(default_factory=dict)

    def read_counts(self, vocab: Vocabulary) -> None:
        """Gives ``vocab`` (this state's, its counts final) plain copies of the counts it reads,
        each map read whole in a few queries: when an edit weighs many articles again, cheaper
        than a bucket at a time (pieces.py). The state's own maps stay as they are."""
        vocab.exact, vocab.template = Counter(read_whole(self.exact)), Counter(read_whole(self.template))
        vocab.words, vocab.neutral = Counter(read_whole(self.words)), Counter(read_whole(self.neutral))
        vocab._repeats = Counter(read_whole(self.repeats))

    def vocabulary(self) -> Vocabulary:
        """The Vocabulary these counts make (its per-build caches empty: worked out on use)."""
        vocab = Vocabulary([], [])
        vocab.size, vocab.exact, vocab.template = self.size, self.exact, self.template
        vocab.words, vocab.neutral = self.words, self.neutral
        vocab.group, vocab.groups, vocab._repeats = self.group, self.groups, self.repeats
        return vocab


def built(printed: list[Printed], rank: list, keys: tuple, dates: list) -> tuple[Carried, Vocabulary]:
    """The state of a grouping from scratch, and its Vocabulary."""
    prints = [p.fingerprint for p in printed]
    vocab = Vocabulary(prints, rank)
    exact_holders = Holders(index([{s.exact for s in p.sentences} for p in prints]))
    template_holders = Holders(index([{s.template for s in p.sentences} for p in prints]))
    token_holders = Holders(index([p.tokens for p in printed]))
    extra = {g: _extra([vocab._held(prints[i]) for i in members]) for g, members in _members(vocab.group).items()
             if len(members) > 1}
    carried = Carried(keys, tuple(rank), [p.name for p in printed], list(dates), vocab.size, vocab.exact,
                      vocab.template, vocab.words, vocab.neutral, vocab.group, vocab.groups,
                      Counter(vocab._repeats), extra, [vocab.mask(p) for p in prints], exact_holders,
                      template_holders, token_holders, Candidates.built(prints, vocab, rank),
                      [weights_key(p, vocab) for p in printed])
    vocab.levels.clear()  # the weights keys are made: the levels are not read again (memory)
    carried.built_now = True  # every map is new: stored whole (state.py)
    return carried, vocab


def updated(old: Carried, printed: Printeds, rank: list, keys: tuple, dates: list,
            before: dict[str, Printed]) -> tuple[Carried, Vocabulary, set[int], set[tuple[int, int]], set]:
    """``old`` moved to the new fingerprints (``printed``, looked up as asked for; ``before``: the
    fingerprints by key, old ones among them), its Vocabulary, the articles whose pairs must be
    related again, the pairs no longer candidates and the pairs new to them. Raises ``Rebuild``
    when the delta is not an edit of articles in place (``old`` is then spoilt: build afresh).
    Only the articles an edit touches are read: the state's maps may be pieces.PieceMap's."""
    if keys != old.keys or tuple(rank) != old.rank:
        raise Rebuild()
    state = old
    new = list(printed.names)
    changed = [i for i, (a, b) in enumerate(zip(new, state.names)) if a != b]
    redated = {i for i, (a, b) in enumerate(zip(dates, state.dates)) if a != b}
    state.dates = list(dates)
    if not changed:
        return state, state.vocabulary(), redated, set(), set()
    if any(state.names[i] not in before for i in changed):
        raise Rebuild()  # an old fingerprint is lost (a cache entry unreadable): nothing to subtract
    was = {i: before[state.names[i]] for i in changed}
    alive = set(new)
    for i in changed:  # an old fingerprint no article has any more: not carried further
        if state.names[i] not in alive:
            before.pop(state.names[i], None)
    moved_exact, moved_template = _recount_lines(state, {i: p.fingerprint for i, p in was.items()},
                                                 {i: printed[i].fingerprint for i in changed})
    for i in changed:
        state.token_holders.discard(set(was[i].tokens) - set(printed[i].tokens), i)
        state.token_holders.add(set(printed[i].tokens) - set(was[i].tokens), i)
    state.names = new
    vocab = state.vocabulary()
    touched = sorted(set(changed).union(*(state.exact_holders.get(k) for k in moved_exact),
                                        *(state.template_holders.get(k) for k in moved_template)))
    prints = Fingerprints(printed)
    watch = LevelWatch(vocab)
    moved_words, moved_names, rekept = _recount_tokens(state, vocab, prints,
                                                       {i: p.fingerprint for i, p in was.items()}, touched, watch)
    evidence = {i: len(vocab.kept(prints[i])) for i in rekept}
    group, lines_moved = state.candidates.regroup(prints, vocab, rank, touched, evidence)
    if len(set(group)) != state.groups:
        raise Rebuild()  # every story weight moves: nothing is left to update
    regrouped = [i for i, (a, b) in enumerate(zip(group, state.group)) if a != b]
    old_group, state.group = state.group, group
    vocab.group = group
    moved_names |= _recount_repeats(state, old_group, vocab, prints, set(rekept) | set(regrouped), watch)
    named = set(rekept).union(*(state.token_holders.get(t) for t in moved_names))
    dropped, added = state.candidates.renamed(prints, vocab, rank, named, set(rekept), regrouped, lines_moved)
    # New weights keys only where a weight's level moved (grid.py): the holders of a common word
    # whose count moved within its cell keep theirs, and their pairs are not related again.
    rekeyed = set(rekept).union(changed, *(state.token_holders.get(t) for t in watch.moved(moved_words | moved_names)))
    rescored = set(changed)
    for i in rekeyed:
        key = weights_key(printed[i], vocab)
        if key != state.wkeys[i]:
            state.wkeys[i] = key
            rescored.add(i)
    vocab.levels.clear()
    return state, vocab, rescored | redated, dropped, added


def _members(group: list[int]) -> dict[int, list[int]]:
    members: dict[int, list[int]] = {}
    for i, g in enumerate(group):
        members.setdefault(g, []).append(i)
    return members


def _extra(helds: list[frozenset[str]]) -> Counter:
    """A copy group's further copies of each token (copies.repeats, for one group)."""
    counts = Counter(t for held in helds for t in held)
    return Counter({t: c - 1 for t, c in counts.items() if c > 1})


def _recount_lines(state: Carried, was: dict, now: dict) -> tuple[set, set]:
    """The sentence keys' counts moved from the old fingerprints to the new; gives those moved."""
    moved_exact, moved_template = set(), set()
    for i in was:
        old_exact, new_exact = {s.exact for s in was[i].sentences}, {s.exact for s in now[i].sentences}
        old_template, new_template = {s.template for s in was[i].sentences}, {s.template for s in now[i].sentences}
        add_counts(state.exact, old_exact - new_exact, -1, moved_exact)
        add_counts(state.exact, new_exact - old_exact, 1, moved_exact)
        add_counts(state.template, old_template - new_template, -1, moved_template)
        add_counts(state.template, new_template - old_template, 1, moved_template)
        state.exact_holders.discard(old_exact - new_exact, i)
        state.exact_holders.add(new_exact - old_exact, i)
        state.template_holders.discard(old_template - new_template, i)
        state.template_holders.add(new_template - old_template, i)
    return moved_exact, moved_template


def _kept(p: Fingerprint, mask: bytes) -> tuple:
    return tuple(s for s, kept in zip(p.sentences, mask) if kept)


def _words_of(p: Fingerprint, kept: tuple) -> frozenset[str]:
    return p.headline.union(*(s.words for s in kept))


def _held_of(p: Fingerprint, kept: tuple) -> frozenset[str]:
    return p.title_names.union(p.quotes, *(s.neutral for s in kept))


def _recount_tokens(state: Carried, vocab: Vocabulary, prints: list, was: dict, touched: list[int],
                    watch: LevelWatch):
    """The word and name counts moved for the articles whose kept sentences (or fingerprint)
    changed; gives the words and the names whose counts moved, and those articles."""
    moved_words: set[str] = set()
    moved_names: set[str] = set()
    rekept = []
    for i in touched:
        mask = vocab.mask(prints[i])
        if i not in was and mask == state.masks[i]:
            continue
        rekept.append(i)
        before = was.get(i, prints[i])
        old_kept, new_kept = _kept(before, state.masks[i]), vocab.kept(prints[i])
        old_words, new_words = _words_of(before, old_kept), _words_of(prints[i], new_kept)
        old_held, new_held = _held_of(before, old_kept), _held_of(prints[i], new_kept)
        watch.note((old_words ^ new_words) | (old_held ^ new_held))
        add_counts(state.words, old_words - new_words, -1, moved_words)
        add_counts(state.words, new_words - old_words, 1, moved_words)
        add_counts(state.neutral, old_held - new_held, -1, moved_names)
        add_counts(state.neutral, new_held - old_held, 1, moved_names)
        state.masks[i] = mask
    return moved_words, moved_names, rekept


def _recount_repeats(state: Carried, old_group: list[int], vocab: Vocabulary, prints: list,
                     touched: set[int], watch: LevelWatch) -> set[str]:
    """The copy groups' further copies recounted for every group, before and after, holding an
    article whose names or copy group changed; gives the tokens whose story counts moved."""
    moved: set[str] = set()
    before, after = _members(old_group), _members(state.group)
    # every group that lost, gained or changed a member, before and after: a group led by the
    # same article may have lost one to another group
    around = set(touched).union(*(before[old_group[i]] for i in touched), *(after[state.group[i]] for i in touched))
    delta: Counter = Counter()
    for g in {old_group[i] for i in around}:
        delta.subtract(state.extra.pop(g, Counter()))
    for g in {state.group[i] for i in around}:
        if len(after[g]) > 1:
            state.extra[g] = _extra([vocab._held(prints[i]) for i in after[g]])
            delta.update(state.extra[g])
    watch.note(t for t, c in delta.items() if c)
    for t, c in delta.items():
        if c:
            add_counts(state.repeats, (t,), c, moved)
    return moved
