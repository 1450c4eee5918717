"""Large corpora compare only candidate pairs; on the real seeds that finds exactly the same stories."""
from pathlib import Path

import generator.group.candidates as candidates
import generator.group.stories as stories
from generator.seed_file import clean_seeds
from generator.config import load_config

ROOT = Path(__file__).resolve().parents[1]


def grouped(articles):
    return [(s.id, [(c.article.key, c.relation) for c in s.copies]) for s in stories.find_stories(articles)]


def test_blocking_finds_the_same_stories_as_comparing_every_pair(monkeypatch):
    articles, _ = clean_seeds(ROOT / "seeds", load_config(ROOT / "digest.toml"))
    exhaustive = grouped(articles)
    monkeypatch.setattr(candidates, "EXACT_PAIRS_UP_TO", 0)  # force blocking on a small corpus
    assert grouped(articles) == exhaustive
    assert any(len(copies) == 3 for _, copies in exhaustive)  # the syndicated/rewrite/translation story
