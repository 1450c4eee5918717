"""Filing stories under the curator's topics (digest.toml): a topic needs every one of its facets;
a story about neither facet pair is not published; the film "Her" is not the pronoun; a curator's
pin wins over the scores.

Stories are built directly from short invented articles and scored with the real config.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from generator.config import Overrides, load_config
from generator.group.topics import assign_topics
from generator.model import Article, Block, Copy, Story

CONFIG = load_config(Path(__file__).resolve().parents[1] / "digest.toml")

ALTMAN_HER = (
    "Sam Altman has said again that the 2013 film Her shaped how he thinks about voice assistants, in an "
    "interview recorded in San Francisco.",
    "The OpenAI chief told the podcast host that the movie, directed by Spike Jonze, was prescient about "
    "people forming bonds with software.",
    "He said the scene in which Theodore Twombly walks through a crowded plaza talking to his phone had "
    "stayed with him for years.",
    "Altman added that the company had not tried to copy any actor's voice, a point he has made repeatedly "
    "since last spring.",
    "The interview was recorded before the release of a new version of ChatGPT with a redesigned voice mode.",
    "Critics noted that the film ends with the assistant leaving its human companions behind.",
)
SORA_STUDIO = (
    "OpenAI has signed its first licensing deal with a Hollywood studio, giving Meridian Pictures early "
    "access to its Sora video model.",
    "Under the agreement, Meridian will use Sora to produce storyboards for 12 films over the next two years.",
    "The studio's president, Carla Osei, said the tool would cut the cost of planning action sequences by "
    "roughly 30 percent.",
    "Talent unions criticised the arrangement, saying actors had not been consulted about the use of their "
    "images.",
    "Meridian expects the first storyboards to be ready for a science fiction film shooting in Vancouver.",
)
DATA_CENTER = (
    "OpenAI has agreed to lease a new data center in Texas from the utility firm Lone Star Grid, in a deal "
    "worth 2.1 billion dollars.",
    "The site near Abilene will draw 300 megawatts of power when it is fully running in 2026, according to "
    "filings.",
    "Sam Altman said the extra capacity was needed to train larger models and to serve the growing number "
    "of ChatGPT users.",
    "Local officials welcomed the jobs but asked the company to publish how much water the cooling systems "
    "would use.",
    "Lone Star Grid said it would add two solar farms to the region to offset the new demand.",
)
SAFETY_CHIEF = (
    "OpenAI has named Dana Whitfield as its new head of safety research, the company said on Monday.",
    "Her appointment follows months of turmoil in the team that studies the risks of advanced models.",
    "Whitfield previously led a robotics lab at a university in Boston and advised two government agencies.",
    "Her first task will be to publish a review of how ChatGPT handles requests about weapons.",
    "Sam Altman said in a statement that she had the trust of researchers across the company.",
    "Her team will grow from 20 to 35 people by the end of the year, according to an internal memo.",
)


def story(source: str, sentences: tuple[str, ...], title: str | None = None) -> Story:
    blocks = tuple(Block("p", s) for s in sentences)
    article = Article(source=source, item=None, form="text", title=title or sentences[0][:60],
                      title_derived=False, blocks=blocks, summary=sentences[0], date=None, author=None,
                      publisher=None, url=None, language="en")
    return Story(id=f"s-{source}", copies=(Copy(article, "original"),))


def topic_of(s: Story, config=CONFIG) -> str | None:
    return assign_topics([s], config)[0].topic


def test_altman_and_the_film_her_is_filed_under_altman_and_her():
    assert topic_of(story("her.txt", ALTMAN_HER, "Altman on why Her still matters")) == "altman-and-her"


def test_sora_and_hollywood_is_filed_under_sora_in_hollywood():
    assert topic_of(story("sora.txt", SORA_STUDIO, "OpenAI signs a studio deal for Sora")) == "sora-in-hollywood"


def test_openai_story_with_neither_facet_is_not_published():
    [scored] = assign_topics([story("texas.txt", DATA_CENTER, "OpenAI leases a data center in Texas")], CONFIG)
    assert scored.topic is None
    assert scored.topic_score < CONFIG.topic_threshold


def test_pronoun_her_opening_sentences_is_not_the_film():
    [scored] = assign_topics([story("chief.txt", SAFETY_CHIEF, "OpenAI names a new safety chief")], CONFIG)
    assert scored.topic is None
    assert any("the film Her and its voice: no term" in line for line in scored.evidence)


def test_pronoun_her_opening_a_title_is_not_the_film():
    assert topic_of(story("chief.txt", SAFETY_CHIEF[:1] + SAFETY_CHIEF[2:], "Her first job at OpenAI")) is None


def test_pronoun_her_after_a_quoted_sentence_is_not_the_film():
    quoted = SAFETY_CHIEF[:1] + (
        'Whitfield told staff that the team would be rebuilt. "We will publish everything we find." Her first '
        "review will cover how ChatGPT handles questions about weapons.",) + SAFETY_CHIEF[4:5]
    assert topic_of(story("chief.txt", quoted, "OpenAI names a new safety chief")) is None


def test_sora_opening_its_sentences_still_counts_for_sora():
    sentences = (
        "Sora was shown to executives at three Hollywood studios last week, according to people who attended.",
        "Sora can turn a written prompt into a minute of video, and the demonstration included a chase scene.",
        "Several producers asked whether the clips could be used in finished films or only for planning.",
        "Sora is not yet available to the public, and no studio has announced a deal.",
    )
    assert topic_of(story("demo.txt", sentences, "Studios get a first look at a new video tool")) == "sora-in-hollywood"


def test_best_topic_wins_and_the_evidence_names_matched_terms():
    [scored] = assign_topics([story("her.txt", ALTMAN_HER, "Altman on why Her still matters")], CONFIG)
    assert scored.topic == "altman-and-her"
    assert scored.topic_score >= CONFIG.topic_threshold
    film_line = next(line for line in scored.evidence if line.startswith("altman-and-her / the film Her"))
    assert "Spike Jonze" in film_line and "Theodore Twombly" in film_line


def test_curator_pin_wins_over_the_scores():
    pinned = replace(CONFIG, overrides=Overrides(pin=(("texas.txt", "sora-in-hollywood"),)))
    assert topic_of(story("texas.txt", DATA_CENTER), pinned) == "sora-in-hollywood"
    assert topic_of(story("her.txt", ALTMAN_HER), pinned) == "altman-and-her"  # only the pinned file


def test_curator_pin_moves_an_on_topic_story():
    pinned = replace(CONFIG, overrides=Overrides(pin=(("her.txt", "sora-in-hollywood"),)))
    assert topic_of(story("her.txt", ALTMAN_HER), pinned) == "sora-in-hollywood"


def test_pin_on_any_copy_files_the_whole_story():
    her = story("her.txt", ALTMAN_HER)
    other = replace(her.copies[0].article, source="her-copy.txt")
    two_copies = replace(her, copies=her.copies + (Copy(other, "syndicated"),))
    pinned = replace(CONFIG, overrides=Overrides(pin=(("her-copy.txt", "sora-in-hollywood"),)))
    assert topic_of(two_copies, pinned) == "sora-in-hollywood"
