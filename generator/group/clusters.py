"""Join linked articles into stories without chaining.

Takes the number of articles, the scored links between them (strongest first decides), the
curator's joins (which always hold) and the groups the curator keeps apart; gives the groups,
each sorted, smallest member first, and one line of evidence per merge.

Single-link joining lets A–B–C–… chain through one shared span at a time. Here two groups join
only when the story matches the story: more than half of the pairs across them are linked, or
their leaders (each group's first article by the caller's order, the likely primary) are. A
link that fails is tried again after later merges, until nothing changes.
"""
from __future__ import annotations

from dataclasses import dataclass

MAJORITY = 0.5  # share of cross pairs that must be linked, strictly more than this


@dataclass(frozen=True)
class Link:
    a: int
    b: int
    kind: str  # "syndicated", "rewrite", "translation", "curator"
    score: float
    scores: object = None  # PairScores, for the evidence


def cluster(size: int, links: list[Link], separate: list[set[int]], rank: list,
            names: list[str]) -> tuple[list[list[int]], dict]:
    """Groups and, per group (by its smallest member), the lines saying why each merge happened.
    ``rank[i]`` orders articles for leadership: the smallest leads its group; ``names[i]`` is
    how the evidence names article i."""
    group = {i: [i] for i in range(size)}
    of = list(range(size))
    linked = {(min(l.a, l.b), max(l.a, l.b)) for l in links}
    why: dict[int, list[str]] = {}

    def merge(ga: int, gb: int, reason: str) -> None:
        keep, gone = (ga, gb) if rank[group[ga][0]] <= rank[group[gb][0]] else (gb, ga)
        why.setdefault(keep, []).extend(why.pop(gone, []))
        why[keep].append(reason)
        group[keep] = sorted(group[keep] + group.pop(gone), key=lambda i: rank[i])
        for i in group[keep]:
            of[i] = keep

    def kept_apart(ga: int, gb: int) -> bool:
        a, b = set(group[ga]), set(group[gb])
        return any(apart & a and apart & b for apart in separate)

    ordered = sorted(links, key=lambda l: (l.kind != "curator", -l.score, l.a, l.b))
    for link in (l for l in ordered if l.kind == "curator"):
        if of[link.a] != of[link.b] and not kept_apart(of[link.a], of[link.b]):
            merge(of[link.a], of[link.b], f"{names[link.a]} + {names[link.b]}: joined by the curator")
    changed = True
    while changed:
        changed = False
        for link in (l for l in ordered if l.kind != "curator"):
            ga, gb = of[link.a], of[link.b]
            if ga == gb or kept_apart(ga, gb):
                continue
            a, b = group[ga], group[gb]
            count = sum((min(x, y), max(x, y)) in linked for x in a for y in b)
            leaders = (min(a[0], b[0]), max(a[0], b[0])) in linked
            if leaders or count > MAJORITY * len(a) * len(b):
                merge(ga, gb, f"{names[link.a]} + {names[link.b]}: {link.kind} ({link.score:.2f}); "
                              f"{count} of {len(a) * len(b)} pairs linked{', leaders linked' if leaders else ''}")
                changed = True
    groups = sorted((sorted(g) for g in group.values()), key=lambda g: g[0])
    return groups, {min(group[g]): lines for g, lines in why.items()}
