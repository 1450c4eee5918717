"""The project's own five seed articles, cleaned and grouped for real: three stories, the Sora
coverage as one story of three copies (syndicated, rewrite, translation), and the two Altman/Her
articles under their topic. ``explain`` tells the same thing on the command line.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.group import group_all
from generator.seed_file import clean_seeds
from generator.config import load_config

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
CONFIG = load_config(ROOT / "digest.toml")
HER_A, HER_B = "000_feebb88253f5b859.txt", "001_9fec45a6e63bf252.txt"
SORA_COPY, SORA_REWRITE, SORA_FRENCH = "002_e05194bb93bbc408.txt", "003_d644b2a4013b7dbd.txt", "004_86e946a75bbc6824.txt"


@pytest.fixture(scope="module")
def built():
    articles, rejections = clean_seeds(SEEDS, CONFIG)
    return articles, rejections, group_all(articles, CONFIG)


def story_of(stories, source):
    return next(s for s in stories if any(c.article.source == source for c in s.copies))


def test_every_seed_is_read_and_cleaned(built):
    articles, rejections, _ = built
    assert rejections == []
    assert sorted(a.source for a in articles) == sorted([HER_A, HER_B, SORA_COPY, SORA_REWRITE, SORA_FRENCH])


def test_seeds_make_exactly_three_stories(built):
    _, _, stories = built
    assert len(stories) == 3
    assert len({s.id for s in stories}) == 3


def test_sora_coverage_is_one_story_with_002_as_primary(built):
    _, _, stories = built
    story = story_of(stories, SORA_COPY)
    assert [(c.article.source, c.relation) for c in story.copies] == [
        (SORA_COPY, "syndicated"), (SORA_REWRITE, "rewrite"), (SORA_FRENCH, "translation")]
    assert story.primary.article.source == SORA_COPY
    assert story.topic == "sora-in-hollywood"


def test_sora_copies_without_a_date_take_the_story_date(built):
    _, _, stories = built
    story = story_of(stories, SORA_COPY)
    assert story.primary.date.iso == "2024-03"
    assert {c.date.iso for c in story.copies} == {"2024-03"}


def test_french_seed_is_a_machine_translation(built):
    articles, _, _ = built
    french = next(a for a in articles if a.source == SORA_FRENCH)
    assert french.language == "fr"
    assert french.machine_translated is True


def test_altman_her_seeds_are_filed_under_altman_and_her(built):
    _, _, stories = built
    for source in (HER_A, HER_B):
        story = story_of(stories, source)
        assert story.topic == "altman-and-her"
        assert [c.article.source for c in story.copies] == [source]


def test_explain_names_the_relation_and_the_topic():
    done = subprocess.run([sys.executable, "-m", "generator", "explain", f"seeds/{SORA_FRENCH}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "translation" in done.stdout
    assert "sora-in-hollywood" in done.stdout
    assert SORA_COPY in done.stdout
    # why the file joined its story: the merge, with how many of the story's pairs link
    joined = [line for line in done.stdout.splitlines() if line.strip().startswith("joined ")]
    assert joined and any(SORA_FRENCH in line and "pairs linked" in line for line in joined)
    assert "evidence:" in done.stdout
