"""Sort stories into the curator's topics, by faceted term rules from ``digest.toml``.

Takes stories and the config; gives the stories with ``topic`` and ``topic_score`` set (None when
no topic fits: such a story is not published) and the evidence (matched terms per facet).
A topic matches when every one of its facets is matched; a facet's score is the weighted count
of its terms' occurrences (title ×3, lead ×2, rest ×1); the topic's score is its weakest facet's,
so a story must really be about all of what the topic joins. The best topic above the
threshold wins; copies inherit their story's topic. A curator's pin wins over everything.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..config import SiteConfig, Topic
from ..model import Story
from .fingerprint import COMMON_CAPITALS

TITLE_WEIGHT, LEAD_WEIGHT, BODY_WEIGHT = 3.0, 2.0, 1.0
MAX_HITS_PER_TERM = 5  # one term repeated twenty times is not twenty times the evidence
LEAD_CHARS = 600


SENTENCE_START = re.compile(r"(?:^|[.!?…][\"”’»)\]]*\s+|\n\s*)$")


@lru_cache(maxsize=512)
def term_pattern(term: str) -> re.Pattern:
    """Capitalised terms match case-sensitively as whole words; lower-case ones in any case."""
    flags = 0 if term != term.lower() else re.I
    return re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w])", flags)


def count_hits(term: str, text: str) -> int:
    """Occurrences of a term. A one-word term that is also a common word ("Her") does not count
    at a sentence start, where it is the pronoun, not the film."""
    pattern = term_pattern(term)
    ambiguous = " " not in term and term.lower() in COMMON_CAPITALS and term != term.lower()
    hits = 0
    for match in pattern.finditer(text):
        if ambiguous and SENTENCE_START.search(text[max(0, match.start() - 8):match.start()]):
            continue
        hits += 1
        if hits >= MAX_HITS_PER_TERM:
            break
    return hits


def _zones(story: Story) -> list[tuple[str, float]]:
    zones = []
    for copy in story.copies:
        article = copy.article
        body = article.text
        zones += [(article.title, TITLE_WEIGHT), (body[:LEAD_CHARS], LEAD_WEIGHT), (body[LEAD_CHARS:], BODY_WEIGHT)]
    return zones


def score_topic(story: Story, topic: Topic) -> tuple[float, tuple[str, ...]]:
    """The topic's score for a story (its weakest facet's) and the matched terms as evidence."""
    zones = _zones(story)
    facet_scores, evidence = [], []
    for facet in topic.facets:
        total, matched = 0.0, []
        for term in facet.terms:
            hits = sum(count_hits(term, text) * weight for text, weight in zones)
            if hits:
                total += hits
                matched.append(term)
        facet_scores.append(total * facet.weight)
        evidence.append(f"{topic.slug} / {facet.name}: {', '.join(matched) or 'no term'} ({total:g})")
    # Normalise by copies so a story with five copies is not five times as on-topic.
    return min(facet_scores) / len(story.copies), tuple(evidence)


def assign_topics(stories: list[Story], config: SiteConfig) -> list[Story]:
    pins = dict(config.overrides.pin)
    return [_assign(story, config, pins) for story in stories]


def _assign(story: Story, config: SiteConfig, pins: dict[str, str]) -> Story:
    pinned = next((pins[c.article.source] for c in story.copies if c.article.source in pins), None)
    results = [(score_topic(story, topic), topic) for topic in config.topics]
    evidence = tuple(line for (_, lines), _ in results for line in lines)
    if pinned:
        return replace(story, topic=pinned, topic_score=float("inf"), evidence=story.evidence + evidence + (f"pinned to {pinned}",))
    (best, _), topic = max(results, key=lambda r: r[0][0])
    chosen = topic.slug if best >= config.topic_threshold else None
    return replace(story, topic=chosen, topic_score=best, evidence=story.evidence + evidence)
