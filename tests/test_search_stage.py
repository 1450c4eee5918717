"""What Pagefind is given to read: a view of each page that it indexes to the same bytes as the page."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from generator.search import pagefind_executable
from generator.search_stage import pagefind_view
from render_helpers import read_tree


VIEWED = ('<!doctype html><html lang="fr"><head><title>Quai</title><meta name="description" content="Grues du port">'
          '</head><body><nav><a href="/">Accueil</a><h2>Autres récits</h2><ul><li>Marées hautes</li></ul></nav>'
          '<article class="article" data-pagefind-body><h1>Les grues du quai nord</h1>'
          '<p data-pagefind-ignore>Par la rédaction</p><span data-pagefind-meta="outlet">Le Phare</span>'
          '<p>Les grues du quai nord ont repris le travail.</p><img src="/grue.png" alt="Une grue"></article>'
          '<footer><p>Pied de page</p></footer></body></html>')


def pagefind_tree(tmp_path: Path, name: str, pages: dict[str, bytes]) -> dict[str, bytes]:
    """What Pagefind writes for these pages (made in one folder, in path order), by file."""
    site = tmp_path / name
    for relative, data in sorted(pages.items()):
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_bytes(data)
    out = tmp_path / f"{name}-index"
    subprocess.run([str(pagefind_executable()), "--site", str(site), "--output-path", str(out),
                    "--force-language", "en", "--silent"], check=True, capture_output=True, timeout=120)
    return read_tree(out)


def test_pagefind_indexes_a_pages_view_to_the_same_bytes_as_the_page(tmp_path):
    """The stage holds what Pagefind reads of each page, not the page: the index must not differ."""
    pages = {f"articles/{n}/index.html": VIEWED.replace("nord", word).encode()
             for n, word in enumerate(["nord", "sud", "est"])}
    views = {path: pagefind_view(page) for path, page in pages.items()}
    assert all(b"<nav>" not in view and b"Pied de page" not in view and b"Le Phare" in view for view in views.values())
    assert pagefind_tree(tmp_path, "pages", pages) == pagefind_tree(tmp_path, "views", views)


@pytest.mark.parametrize("outside", ['<h1>Le titre du site</h1>', '<img src="/logo.png" alt="">',
                                     '<meta data-pagefind-meta="image:/une.png">', '<span data-pagefind-filter="lieu">Brest</span>'])
def test_a_page_pagefind_reads_outside_its_article_is_indexed_whole(outside):
    """A heading or image before the article (Pagefind takes the first), or a Pagefind attribute anywhere
    outside it: the view would lose what Pagefind reads there, so there is none."""
    assert pagefind_view(VIEWED.replace("<nav>", f"{outside}<nav>").encode()) is None
    after = pagefind_view(VIEWED.replace("<footer>", f"<footer>{outside}").encode())
    assert (after is None) == ("data-pagefind" in outside)


def test_a_page_without_a_marked_article_has_no_view():
    assert pagefind_view(VIEWED.replace(" data-pagefind-body", "").encode()) is None
    assert pagefind_view(VIEWED.replace("<article class=\"article\"", "<main").encode()) is None


def test_the_stage_is_made_in_memory_and_what_killed_builds_left_there_is_cleared(tmp_path, monkeypatch):
    from generator import search_stage

    memory = tmp_path / "shm"
    memory.mkdir()
    monkeypatch.setattr(search_stage, "RAM_FOLDER", str(memory))
    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = memory / f"digest-pagefind-{gone.pid}-abc123"
    (stale / "shard" / "articles").mkdir(parents=True)
    running = memory / f"digest-pagefind-{os.getppid()}-def456"
    running.mkdir()
    other = memory / "someone-elses"
    other.mkdir()
    stage = search_stage.stage_root(tmp_path / "site", ".pagefind-stage")
    assert stage.parent == memory and stage.name.startswith(f"digest-pagefind-{os.getpid()}-")
    assert not stale.exists() and running.is_dir() and other.is_dir()
    monkeypatch.setattr(search_stage, "RAM_NEEDED", 1 << 62)  # a memory folder too full: the site's own
    assert search_stage.stage_root(tmp_path / "site", ".pagefind-stage") == tmp_path / "site" / ".pagefind-stage"
