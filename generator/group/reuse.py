"""Clustering and story making over only what an edit touched, the rest kept from the last build.

Takes the grouping's articles (in grouping order), their links, the curator's separations, the
ranks and names the clustering reads, a function making one story, and the ``Kept`` results of
the last grouping; gives the groups, their merges and the stories, exactly as clustering all the
articles and making every story would.

The clustering never joins articles no chain of links joins (clusters.py), so each component of
the link graph is clustered on its own: one whose members, links, ranks and names are those of
the last build keeps its groups. A story reads its members' metadata (never their text), its
links and its merges: one whose inputs are the last build's is made again from what it was (its
id, each copy's relation and inherited date, its evidence) around the new article records.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..model import Article, Copy, Story
from .clusters import Link, cluster
from .pieces import read_whole, renewed


@dataclass
class Kept:
    """The last grouping's components (by members) and stories (by group), each with its inputs."""

    settings: tuple = ()
    components: dict = field(default_factory=dict)  # members -> (inputs, groups, merges)
    # group -> (inputs, id, each copy's place in the group, (relation, inherited date) each, evidence)
    stories: dict = field(default_factory=dict)


def story_fields(article: Article) -> tuple:
    """What a story reads of one member (stories._story): its metadata, not its text."""
    return (article.key, article.identity, article.language, article.machine_translated,
            article.syndication_notice, article.date, article.title_derived, bool(article.author),
            bool(article.publisher), bool(article.url))


def clustered(articles: list[Article], links: list[Link], separate: list[set[int]], rank: list, names: list[str],
              kept: Kept, settings: tuple) -> tuple[list[list[int]], dict]:
    """``cluster``'s groups and merges, reusing each component whose inputs did not change."""
    if kept.settings != settings:
        kept.settings, kept.components, kept.stories = settings, {}, {}
    of = list(range(len(articles)))

    def find(i: int) -> int:
        while of[i] != i:
            of[i] = of[of[i]]
            i = of[i]
        return i

    for link in links:
        a, b = find(link.a), find(link.b)
        if a != b:
            of[max(a, b)] = min(a, b)
    members: dict[int, list[int]] = {}
    for i in range(len(articles)):
        members.setdefault(find(i), []).append(i)
    inside: dict[int, list[Link]] = {}
    for link in links:
        inside.setdefault(find(link.a), []).append(link)
    groups, merges, components, todo = [], {}, {}, []
    last = read_whole(kept.components)  # a pieces file's: read in a few queries
    for root, found in members.items():
        if root not in inside:
            groups.append(found)
            continue
        chosen = set(found)
        inputs = (tuple((l.a, l.b, l.kind, l.score) for l in inside[root]), tuple(rank[i] for i in found),
                  tuple(names[i] for i in found), tuple(tuple(sorted(s & chosen)) for s in separate))
        before = last.get(tuple(found))
        if before is not None and before[0] == inputs:
            groups += before[1]
            merges.update(before[2])
            components[tuple(found)] = before
        else:
            todo.append((tuple(found), inputs))
    if todo:
        made, why = _cluster_only(sorted(i for found, _ in todo for i in found),
                                  [l for found, _ in todo for l in inside[found[0]]], separate, rank, names)
        where = {i: found for found, _ in todo for i in found}
        done: dict = {found: ([], {}) for found, _ in todo}
        for group in made:
            if group[0] in where:
                done[where[group[0]]][0].append(group)
                if group[0] in why:
                    done[where[group[0]]][1][group[0]] = why[group[0]]
        for found, inputs in todo:
            components[found] = (inputs, *done[found])
            groups += done[found][0]
            merges.update(done[found][1])
    kept.components = renewed(kept.components, components, last)
    return sorted(groups, key=lambda g: g[0]), merges


def _cluster_only(members: list[int], links: list[Link], separate: list[set[int]], rank: list,
                  names: list[str]) -> tuple[list[list[int]], dict]:
    """``cluster`` over only these articles (in index order): renumbered from 0 in that order,
    which keeps every order the clustering reads, so an edit's few components cost what they
    hold, not the corpus size."""
    local = {g: k for k, g in enumerate(members)}
    made, why = cluster(len(members), [Link(local[l.a], local[l.b], l.kind, l.score, l.scores) for l in links],
                        [{local[i] for i in apart if i in local} for apart in separate],
                        [rank[g] for g in members], [names[g] for g in members])
    return [[members[k] for k in group] for group in made], {members[k]: lines for k, lines in why.items()}


def stories_of(articles: list[Article], groups: list[list[int]], links: list[Link], merges: dict,
               make: Callable[[list[int], list[Link], list[str]], Story], kept: Kept) -> list[Story]:
    """Each group's story, made again from its last build's where its inputs are the same."""
    group_of = {i: g for g, found in enumerate(groups) for i in found}
    inside: list[list[Link]] = [[] for _ in groups]  # each group's own links, in link order
    for link in links:
        if group_of[link.a] == group_of[link.b]:
            inside[group_of[link.a]].append(link)
    stories, made = [], {}
    last = read_whole(kept.stories)
    for g, found in enumerate(groups):
        joined = merges.get(found[0], [])
        inputs = (tuple(story_fields(articles[i]) for i in found),
                  tuple((l.a, l.b, l.kind, l.score) for l in inside[g]), tuple(joined))
        before = last.get(tuple(found))
        if before is not None and before[0] == inputs:
            _, story_id, order, copies, evidence = before
            story = Story(id=story_id, copies=tuple(Copy(articles[found[at]], relation, inherited)
                                                    for at, (relation, inherited) in zip(order, copies)),
                          evidence=evidence)
            made[tuple(found)] = before
        else:
            story = make(found, inside[g], joined)
            slot = {id(articles[i]): at for at, i in enumerate(found)}
            made[tuple(found)] = (inputs, story.id, tuple(slot[id(c.article)] for c in story.copies),
                                  tuple((c.relation, c.inherited_date) for c in story.copies), story.evidence)
        stories.append(story)
    kept.stories = renewed(kept.stories, made, last)
    return stories
