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
from dataclasses import dataclass, replace
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
    """A term followed by the end of a word. It starts with the term itself, so the regex engine
    jumps to candidates; the start of the word is checked by ``_starts_word`` (a look-behind
    first would make the engine try every position of every text, for every term)."""
    return re.compile(rf"{re.escape(term)}(?!\w)")


def _starts_word(text: str, at: int) -> bool:
    before = text[at - 1] if at else " "
    return not (before.isalnum() or before in "_-")


def count_hits(term: str, zone: Zone) -> int:
    """Occurrences of a term as a whole word: a capitalised term case-sensitively, a lower-case
    one in any case. A one-word term that is also a common word ("Her") does not count at a
    sentence start, where it is the pronoun, not the film."""
    text = zone.text if term != term.lower() else zone.lowered
    if term not in text:  # most terms are in few zones: a plain substring test rules them out
        return 0
    pattern = term_pattern(term)
    ambiguous = " " not in term and term.lower() in COMMON_CAPITALS and term != term.lower()
    hits, at = 0, 0
    while hits < MAX_HITS_PER_TERM and (match := pattern.search(text, at)):
        if not _starts_word(text, match.start()):
            at = match.start() + 1  # inside a longer word: look again from the next character
            continue
        at = match.end()
        if ambiguous and SENTENCE_START.search(text[max(0, match.start() - 8):match.start()]):
            continue
        hits += 1
    return hits


@dataclass(frozen=True)
class Zone:
    """A part of a story's text (a title, a lead, the rest) with its weight; lower-cased once for
    all the lower-case terms."""

    text: str
    lowered: str
    weight: float

    @classmethod
    def of(cls, text: str, weight: float) -> Zone:
        return cls(text, text.lower(), weight)


def _zones(story: Story) -> list[Zone]:
    zones = []
    for copy in story.copies:
        article = copy.article
        body = article.text
        zones += [Zone.of(article.title, TITLE_WEIGHT), Zone.of(body[:LEAD_CHARS], LEAD_WEIGHT),
                  Zone.of(body[LEAD_CHARS:], BODY_WEIGHT)]
    return zones


def score_topic(story: Story, topic: Topic, zones: list[Zone]) -> tuple[float, tuple[str, ...]]:
    """The topic's score for a story (its weakest facet's) and the matched terms as evidence."""
    facet_scores, evidence = [], []
    for facet in topic.facets:
        total, matched = 0.0, []
        for term in facet.terms:
            hits = sum(count_hits(term, zone) * zone.weight for zone in zones)
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
    zones = _zones(story)
    results = [(score_topic(story, topic, zones), topic) for topic in config.topics]
    evidence = tuple(line for (_, lines), _ in results for line in lines)
    if pinned:
        return replace(story, topic=pinned, topic_score=float("inf"), evidence=story.evidence + evidence + (f"pinned to {pinned}",))
    (best, _), topic = max(results, key=lambda r: r[0][0])
    chosen = topic.slug if best >= config.topic_threshold else None
    return replace(story, topic=chosen, topic_score=best, evidence=story.evidence + evidence)
