"""Topic assignment through the cache a build keeps (topic_cache.py) gives what assignment without
it gives, evidence included, after every kind of change: a story edited, moved off its topic or
onto another, removed, two stories merged, an example file edited, a topic's terms changed; and
the cache holds only the last build's stories."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from generator.config import load_config
from generator.group import topic_cache
from generator.group.topic_cache import TopicCache
from generator.group.topics import assign_topics
from generator.model import Block, Copy
from test_group_topics import BACKGROUND, MEMBERS, bees_config, corpus_story


def outcome(stories) -> list:
    return [(s.id, s.topic, s.topic_score, s.evidence) for s in stories]


def corpus() -> list:
    return [corpus_story(src, *value) for src, value in sorted({**MEMBERS, **BACKGROUND}.items())]


def with_text(story, *sentences: str):
    article = replace(story.primary.article, blocks=tuple(Block("p", s) for s in sentences))
    return replace(story, copies=(Copy(article, "original"), *story.copies[1:]))


def edits(stories: list) -> list[list]:
    """Each corpus after one more change."""
    off = [with_text(stories[0], "The tram line will link the station to the campus.")] + stories[1:]
    onto = off[:5] + [with_text(off[5], "A pesticide sprayed near the fields killed every bee in the hives.",
                                "Beekeepers asked for the pesticide to be banned.")] + off[6:]
    merged = onto[:1] + [replace(onto[1], copies=onto[1].copies + onto[2].copies)] + onto[3:]
    return [off, onto, onto[:3] + onto[4:], merged]


def test_assignment_through_the_cache_equals_assignment_without_it_after_each_change(tmp_path):
    config, cache = bees_config(tmp_path, 'examples = ["m2.txt"]'), TopicCache()
    stories = corpus()
    assert outcome(assign_topics(stories, config, cache)) == outcome(assign_topics(stories, config))
    topics = []
    for edited in edits(stories):
        found = assign_topics(edited, config, cache)
        assert outcome(found) == outcome(assign_topics(edited, config))
        topics.append(found[0].topic)
        assert set(cache.terms) == {topic_cache.story_key(s) for s in edited}  # only this build's
    assert topics[0] is None  # the edit that took the first story off its topic did
    example = [s if s.primary.article.source != "m2.txt" else with_text(s, "Honeybee hives and a neonicotinoid.")
               for s in stories]
    assert outcome(assign_topics(example, config, cache)) == outcome(assign_topics(example, config))


def test_a_changed_topic_scores_every_story_again(tmp_path):
    stories, cache = corpus(), TopicCache()
    assign_topics(stories, bees_config(tmp_path), cache)
    path = tmp_path / "digest.toml"
    path.write_text(path.read_text().replace('"plaguicida"]', '"plaguicida", "tram"]'), encoding="utf-8")
    wider = load_config(path)
    assert outcome(assign_topics(stories, wider, cache)) == outcome(assign_topics(stories, wider))


def test_stems_left_over_by_edits_are_renumbered_without_changing_a_figure(tmp_path, monkeypatch):
    monkeypatch.setattr(topic_cache, "SPARE_STEMS", 0)
    config, cache, stories = bees_config(tmp_path), TopicCache(), corpus()
    assign_topics(stories, config, cache)
    for edited in edits(stories):
        assert outcome(assign_topics(edited, config, cache)) == outcome(assign_topics(edited, config))
        used = {i for ids, _ in cache.terms.values() for i in memoryview(ids).cast("i")}
        assert len(cache.stems) <= 2 * len(used) and sorted(cache.stems.values()) == list(range(len(cache.stems)))


def test_a_project_config_assigns_the_same_through_the_cache():
    config = load_config(Path(__file__).resolve().parents[1] / "digest.toml")
    stories, cache = corpus(), TopicCache()
    assign_topics(stories, config, cache)
    edited = edits(stories)[1]
    assert outcome(assign_topics(edited, config, cache)) == outcome(assign_topics(edited, config))
