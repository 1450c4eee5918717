"""Sort stories into the curator's topics: faceted term rules from ``digest.toml``, checked
against how close each story is to what the topic is about.

Takes stories and the config; gives the stories with ``topic`` and ``topic_score`` set (None when
no topic fits: such a story is not published) and the evidence (matched terms per facet, the
similarity to each topic and the decision).
The facet rule: every facet must be matched; a facet's score is the weighted count of its terms'
occurrences and their other forms in the story's language (title ×3, lead ×2, rest ×1); the
topic's score is its weakest facet's, per copy, so a story must be about all the topic joins.
The similarity (topic_profile.py): a TF-IDF cosine to a profile made of the topic's words, the
curator's example files and the stories the facet rule confirms, with bars calibrated on those
members. It changes a decision in two cases only, and only where the topic has enough members:
a story that misses exactly one facet is published when it is as close as a typical member; a
story that passes weakly (under twice the threshold, every facet only in the body) is not when
it is farther than every member. The best topic wins; copies inherit their story's topic. A
curator's pin wins over everything.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum
from functools import lru_cache

from ..config import SiteConfig, Topic
from ..model import Story
from .fingerprint import COMMON_CAPITALS
from .topic_cache import TopicCache, story_key
from .topic_profile import MIN_MEMBERS, STEMMERS, Bars, Profiles, build_profiles, stem

TITLE_WEIGHT, LEAD_WEIGHT, BODY_WEIGHT = 3.0, 2.0, 1.0
MAX_HITS_PER_TERM = 5  # one term repeated twenty times is not twenty times the evidence
LEAD_CHARS = 600
MIN_FORM_CHARS = 5  # shorter terms ("cine", "film") only as written: their stems are too short to tell words apart
WEAK_FACTOR = 2.0  # a facet score under twice the threshold, every facet only in the body, is a weak pass


SENTENCE_START = re.compile(r"(?:^|[.!?…][\"”’»)\]]*\s+|\n\s*)$")


@lru_cache(maxsize=1024)
def term_pattern(term: str, forms: bool = False) -> re.Pattern:
    """A term (or, with ``forms``, a term's common start and the rest of its word) followed by the
    end of a word. It starts with the term itself, so the regex engine jumps to candidates; the
    start of the word is checked by ``_starts_word`` (a look-behind first would make the engine
    try every position of every text, for every term)."""
    rest = r"[^\W_]*" if forms else ""
    return re.compile(rf"{re.escape(term)}{rest}(?!\w)")


def _starts_word(text: str, at: int) -> bool:
    before = text[at - 1] if at else " "
    return not (before.isalnum() or before in "_-")


@lru_cache(maxsize=4096)
def word_form(term: str, language: str) -> tuple[str, str] | None:
    """How a term's other forms are found in a language: the part of it they all start with and
    its last word's stem ("filmmak" for "filmmaker"), or None when only the term itself counts
    (no stemmer, a short or common word like "Her", or a stem the term does not start with)."""
    last = term.rsplit(" ", 1)[-1]
    if language not in STEMMERS or len(last) < MIN_FORM_CHARS or not last.isalpha() or last.lower() in COMMON_CAPITALS:
        return None
    root = stem(last.lower(), language)
    if not last.lower().startswith(root) or len(root) < MIN_FORM_CHARS - 1:
        return None
    return term[:len(term) - len(last) + len(root)], root


def count_hits(term: str, zone: Zone) -> int:
    """Occurrences of a term as a whole word: a capitalised term case-sensitively, a lower-case
    one in any case. Its other forms in the zone's language count too (a word that starts like it
    and has the same Snowball stem: "filmmaking", "cinéaste" for "cinéastes"). A one-word term
    that is also a common word ("Her") does not count at a sentence start, where it is the
    pronoun, not the film."""
    text = zone.text if term != term.lower() else zone.lowered
    form = word_form(term, zone.language)
    needle = form[0] if form else term
    if needle not in text:  # most terms are in few zones: a plain substring test rules them out
        return 0
    pattern = term_pattern(needle, bool(form))
    ambiguous = " " not in term and term.lower() in COMMON_CAPITALS and term != term.lower()
    hits, at = 0, 0
    while hits < MAX_HITS_PER_TERM and (match := pattern.search(text, at)):
        if not _starts_word(text, match.start()):
            at = match.start() + 1  # inside a longer word: look again from the next character
            continue
        at = match.end()
        if form and match.group() != term and stem(match.group().rsplit(" ", 1)[-1].lower(), zone.language) != form[1]:
            continue
        if ambiguous and SENTENCE_START.search(text[max(0, match.start() - 8):match.start()]):
            continue
        hits += 1
    return hits


@dataclass(frozen=True)
class Zone:
    """A part of a story's text (a title, a lead, the rest) with its weight and language;
    lower-cased once for all the lower-case terms."""

    text: str
    lowered: str
    weight: float
    language: str = "en"

    @classmethod
    def of(cls, text: str, weight: float, language: str = "en") -> Zone:
        return cls(text, text.lower(), weight, language)


def _zones(story: Story) -> list[Zone]:
    zones = []
    for copy in story.copies:
        article = copy.article
        body, language = article.text, article.language or "en"
        zones += [Zone.of(article.title, TITLE_WEIGHT, language), Zone.of(body[:LEAD_CHARS], LEAD_WEIGHT, language),
                  Zone.of(body[LEAD_CHARS:], BODY_WEIGHT, language)]
    return zones


@dataclass(frozen=True)
class FacetResult:
    """A topic's facet rule for one story: its score (weakest facet's, per copy), each facet's
    score, whether any facet was matched only in the body, and the evidence lines."""

    score: float
    facet_scores: tuple[float, ...]
    body_only: bool
    evidence: tuple[str, ...]


def score_topic(story: Story, topic: Topic, zones: list[Zone]) -> tuple[float, tuple[str, ...]]:
    """The topic's score for a story (its weakest facet's) and the matched terms as evidence."""
    result = facet_result(story, topic, zones)
    return result.score, result.evidence


def facet_result(story: Story, topic: Topic, zones: list[Zone]) -> FacetResult:
    facet_scores, evidence, body_only = [], [], False
    copies = len(story.copies)  # so a story with five copies is not five times as on-topic
    texts = _joined(zones)
    for facet in topic.facets:
        total, prominent, matched = 0.0, 0.0, []
        for term in facet.terms:
            if not _anywhere(term, texts):
                continue
            counts = [(count_hits(term, zone), zone.weight) for zone in zones]
            hits = sum(c * w for c, w in counts)
            if hits:
                total += hits
                prominent += sum(c for c, w in counts if w > BODY_WEIGHT)
                matched.append(term)
        body_only = body_only or (total > 0 and not prominent)
        facet_scores.append(total * facet.weight / copies)
        evidence.append(f"{topic.slug} / {facet.name}: {', '.join(matched) or 'no term'} ({total:g})")
    return FacetResult(min(facet_scores), tuple(facet_scores), body_only, tuple(evidence))


def _joined(zones: list[Zone]) -> dict[str, tuple[str, str]]:
    """The zones' texts and lower-cased texts joined, by language."""
    by_language: dict[str, list[Zone]] = {}
    for zone in zones:
        by_language.setdefault(zone.language, []).append(zone)
    return {language: ("\x00".join(z.text for z in found), "\x00".join(z.lowered for z in found))
            for language, found in by_language.items()}


def _anywhere(term: str, texts: dict[str, tuple[str, str]]) -> bool:
    """Whether ``count_hits``' own first test (its needle is in the zone) passes in some zone:
    most terms are in none of a story's, and one test of the joined texts rules them out."""
    lower = term == term.lower()
    for language, (text, lowered) in texts.items():
        form = word_form(term, language)
        if (form[0] if form else term) in (lowered if lower else text):
            return True
    return False


def _seed_texts(stories: list[Story], config: SiteConfig) -> dict[str, list[tuple[str, str]]]:
    """What the curator said each topic is about: its title and description, each facet term in
    every site language (a term may be any of them), and the cleaned text of its example files."""
    wanted = {source for topic in config.topics for source in topic.examples}
    found = [c.article for s in stories for c in s.copies if c.article.source in wanted]
    seeds = {}
    for topic in config.topics:
        pieces = [(f"{topic.title}. {topic.description}", config.language)]
        terms = " ".join(t for f in topic.facets for t in f.terms)
        pieces += [(terms, language) for language in config.languages]
        examples = set(topic.examples)
        pieces += [(f"{a.title}\n{a.text}", a.language or "en") for a in found if a.source in examples]
        seeds[topic.slug] = pieces
    return seeds


def assign_topics(stories: list[Story], config: SiteConfig, kept: TopicCache | None = None) -> list[Story]:
    """Score every story on every topic's facets, build the topics' profiles from what the facets
    confirm, then decide each story (see the module docstring). ``kept`` holds each story's facet
    results and stem counts from the last build (topic_cache.py; and takes this one's)."""
    pins = dict(config.overrides.pin)
    cache = kept if kept is not None else TopicCache()
    keys = [story_key(s, cache.article_keys) for s in stories]
    facets = cache.facet_results(stories, keys, config.topics,
                                 lambda s: tuple(facet_result(s, t, _zones(s)) for t in config.topics))
    t = config.topic_threshold
    members: dict[str, list[int]] = {topic.slug: [] for topic in config.topics}
    for i, results in enumerate(facets):
        strong = [(r.score, k) for k, r in enumerate(results) if r.score >= t and not r.body_only]
        if strong:
            members[config.topics[max(strong)[1]].slug].append(i)
    seeds = _seed_texts(stories, config)
    profiles = build_profiles(stories, seeds, members, cache.table(stories, keys))
    calibrations = {slug: _calibration(bars) for slug, bars in profiles.bars.items()}
    return [_assign(s, i, facets[i], profiles, calibrations, config, pins) for i, s in enumerate(stories)]


def _assign(story: Story, index: int, results: list[FacetResult], profiles: Profiles, calibrations: dict[str, str],
            config: SiteConfig, pins: dict[str, str]) -> Story:
    pinned = next((pins[c.article.source] for c in story.copies if c.article.source in pins), None) if pins else None
    t = config.topic_threshold
    evidence, passing, near = [], [], []
    for topic, result in zip(config.topics, results):
        similarity = profiles.similarity[topic.slug][index]
        decision = _decide(result, similarity, profiles.bars[topic.slug], t)
        evidence += result.evidence
        evidence.append(_similarity_line(topic.slug, similarity, calibrations[topic.slug], decision))
        if decision is Decision.FACETS:
            passing.append((result.score, topic.slug))
        elif decision is Decision.SIMILAR:
            near.append((similarity, topic.slug))
    evidence = tuple(evidence)
    if pinned:
        return replace(story, topic=pinned, topic_score=float("inf"), evidence=story.evidence + evidence + (f"pinned to {pinned}",))
    best = max(r.score for r in results)
    if passing:
        score, chosen = max(passing)
    elif near:
        score, chosen = best, max(near)[1]
    else:
        score, chosen = best, None
    return replace(story, topic=chosen, topic_score=score, evidence=story.evidence + evidence)


class Decision(Enum):
    FACETS = "published: every facet matched"
    SIMILAR = "published: one facet missed, the others in its title or lead, and as close to the topic as a typical member"
    FAR = "not published: facets matched only weakly, and farther from the topic than every member"
    MISSED = "not published: facets not matched"


def _decide(result: FacetResult, similarity: float, bars: Bars | None, threshold: float) -> Decision:
    """The facet rule, relaxed or tightened only where the topic's own members say so."""
    if result.score >= threshold:
        weak = result.body_only and result.score < WEAK_FACTOR * threshold
        return Decision.FAR if weak and bars and similarity < bars.lowest else Decision.FACETS
    missed = sum(score < threshold for score in result.facet_scores)
    # Only a story about what its other facets name (matched in a title or lead) is relaxed.
    if missed == 1 and not result.body_only and bars and similarity >= bars.typical:
        return Decision.SIMILAR
    return Decision.MISSED


def _similarity_line(slug: str, similarity: float, calibration: str, decision: Decision) -> str:
    return f"{slug} / similarity to the topic: {similarity:.3f} ({calibration}) → {decision.value}"


def _calibration(bars: Bars | None) -> str:
    """A topic's bars in words: the same for every story's line, so worked out once a build."""
    return (f"{'all topics’ ' if bars.pooled else ''}members {bars.members}, typical {bars.typical:.3f}, "
            f"lowest {bars.lowest:.3f}" if bars else f"fewer than {MIN_MEMBERS} members: no relaxation")
