"""A built project past the weights grid's exact range (grid.py): an edit adding common words and
an added file score again only the pairs they must, and the site is a clean build's, byte for byte."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from render_helpers import read_tree
from test_group_pair_cache import SIZE, edited, invented, steady_words
from test_incremental import ROOT, build, clean_build


def write_seed(folder: Path, article) -> None:
    body = "\n\n".join(block.text for block in article.blocks)
    (folder / article.source.replace(".txt", ".md")).write_text(
        f"---\ntitle: {article.title}\ndate: 2025-03-0{1 + len(article.source) % 9}\n---\n\n{body}\n", encoding="utf-8")


def scored(result) -> tuple[int, int]:
    found = re.search(r"(\d+) pairs scored, (\d+) reused", result.stdout + result.stderr)
    assert found, result.stdout
    return int(found.group(1)), int(found.group(2))


def test_a_common_word_edit_and_an_added_file_score_only_their_own_pairs(tmp_path):
    project = tmp_path
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "themes", project / "themes")
    shutil.copy(ROOT / "digest.toml", project)
    (project / "seeds").mkdir()
    articles = [invented(k, filler=2) for k in range(SIZE)]
    for article in articles:
        write_seed(project / "seeds", article)
    build(project, "-v")

    lacking = steady_words(articles)
    target = max(lacking, key=lambda source: (len(lacking[source]), source))
    words = lacking[target]
    sentence = f"Later the {words[0]} and the {words[1]} were seen again."
    seed = project / "seeds" / target.replace(".txt", ".md")
    seed.write_text(seed.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
    # every pair is a candidate in a corpus this small: the edited article's are scored again
    assert scored(build(project, "-v"))[0] == SIZE - 1
    assert read_tree(project / "site") == clean_build(project)

    steady = sorted(set().union(*steady_words(edited(articles, target, sentence)).values()))
    assert len(steady) >= 2
    write_seed(project / "seeds", invented(999, steady, "qua xe yo wim sep".split(), filler=4))
    assert scored(build(project, "-v"))[0] == SIZE
    assert read_tree(project / "site") == clean_build(project)
