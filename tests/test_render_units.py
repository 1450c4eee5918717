"""Pages reused a unit at a time: after an edit, the pages its unit shows are made again, the
others are the last build's, and the site is the one a clean render gives."""
from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from generator.cache import THEMES, file_hash
from generator.incremental import stage_key
from generator.memo import Kept, PageMemo
from generator.model import Block
from generator.render import READS, render_site
from render_helpers import sample_stories, site_config


def _write(folder: Path, files: dict) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    for path, content in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(content)


def _memo(config, folder: Path, last: PageMemo | None = None) -> PageMemo:
    """A memo over ``folder`` (the last build's site), trusting a file only if it holds its hash."""
    def trust(source: str, digest: str) -> bool:
        path = folder / source
        return path.is_file() and file_hash(path.read_bytes()) == digest
    if last is None:
        return PageMemo(stage_key(READS, config), {}, folder)
    return PageMemo(stage_key(READS, config), last.pages, folder, trust=trust, carried=last.carry)


def _render(config, stories, memo, theme_dirs=None) -> dict:
    files: dict = {}
    render_site(config, stories, theme_dirs, memo=memo, sink=files.__setitem__)
    return files


def _twice(tmp_path, change, config=None, theme_dirs=None, edit_theme=None):
    """The sample site rendered with a memo and written, then ``change`` made to its stories and
    rendered again with the first render's memo: the second render's files, which of them were
    handed on from the first, and a clean render of the changed stories."""
    config = config or site_config()
    folder = tmp_path / "site"
    first = _memo(config, folder)
    _write(folder, _render(config, sample_stories(), first, theme_dirs))
    if edit_theme:
        edit_theme()
    stories, new_config = change(sample_stories()), config
    if isinstance(stories, tuple):
        stories, new_config = stories
    second = _render(new_config, stories, _memo(new_config, folder, first), theme_dirs)
    kept = {path for path, content in second.items() if isinstance(content, Kept)}
    resolved = {path: (folder / content.source).read_bytes() if isinstance(content, Kept) else content
                for path, content in second.items()}
    return resolved, kept, render_site(new_config, stories, theme_dirs)


def _edited(stories, story_id: str, **fields):
    def edit(story):
        primary = replace(story.copies[0], article=replace(story.primary.article, **fields))
        return replace(story, copies=(primary, *story.copies[1:]))
    return [edit(s) if s.id == story_id else s for s in stories]


def _pages_of(site: dict, word: str) -> set[str]:
    return {path for path, content in site.items() if path.endswith(".html") and word.encode() in content}


def test_with_nothing_changed_every_page_is_the_last_builds(tmp_path):
    site, kept, clean = _twice(tmp_path, lambda stories: stories)
    assert site == clean
    assert {p for p in site if p.endswith(".html")} <= kept


def test_an_edited_story_makes_its_pages_and_its_listings_again_and_no_other_storys(tmp_path):
    body = (Block("p", "A paragraph written anew."),)
    site, kept, clean = _twice(tmp_path, lambda s: _edited(s, "s-her", blocks=body))
    assert site == clean
    her_pages = _pages_of(clean, "A paragraph written anew.")
    assert her_pages and not her_pages & kept
    # the other topic's article pages do not show this story: handed on unread
    perry = {p for p in _pages_of(clean, "Tyler Perry puts") if p.startswith("articles/")}
    assert perry and perry <= kept


def test_a_neighbours_new_title_remakes_the_pages_that_link_to_it(tmp_path):
    site, kept, clean = _twice(tmp_path, lambda s: _edited(s, "s-agencies", title="Agencies leave Sora"))
    assert site == clean
    # its new title gives it a new address, which the stories before and after it link to
    linking = {p for p in _pages_of(clean, "/articles/agencies-leave-sora/") if p.startswith("articles/")}
    assert len(linking) > 1 and not linking & kept


def test_a_renamed_topic_remakes_every_page_that_names_it(tmp_path):
    def rename(stories):
        config = site_config()
        topics = tuple(replace(t, title="Sora and the studios") if t.slug == "sora-in-hollywood" else t
                       for t in config.topics)
        return stories, replace(config, topics=topics)
    site, kept, clean = _twice(tmp_path, rename)
    assert site == clean
    assert not _pages_of(clean, "Sora and the studios") & kept


def test_an_edited_template_remakes_the_pages_it_lays_out(tmp_path):
    themes = tmp_path / "themes"
    shutil.copytree(THEMES, themes)
    article = themes / "default" / "templates" / "article.html"

    def edit_theme():
        article.write_text(article.read_text().replace("Other copies of this story", "The story elsewhere"))
    site, kept, clean = _twice(tmp_path, lambda s: s, theme_dirs=[themes], edit_theme=edit_theme)
    assert site == clean
    assert _pages_of(clean, "The story elsewhere") and not _pages_of(clean, "The story elsewhere") & kept


def test_an_article_template_that_lists_its_topic_depends_on_every_story_of_it(tmp_path):
    themes = tmp_path / "themes"
    shutil.copytree(THEMES, themes)
    article = themes / "default" / "templates" / "article.html"
    article.write_text(article.read_text().replace(
        "{% endblock %}", "<ul>{% for s in topic.stories %}<li>{{ s.primary.summary }}</li>{% endfor %}</ul>"
                          "{% endblock %}"))
    site, kept, clean = _twice(tmp_path, lambda s: _edited(s, "s-undated", summary="Now summarized."),
                               theme_dirs=[themes])
    assert site == clean
    # every article page of the topic lists the edited summary, none is the last build's
    assert len(_pages_of(clean, "Now summarized.")) > 2 and not _pages_of(clean, "Now summarized.") & kept


def test_a_damaged_old_page_is_made_again(tmp_path):
    config = site_config()
    folder = tmp_path / "site"
    first = _memo(config, folder)
    files = _render(config, sample_stories(), first)
    _write(folder, files)
    (folder / "about" / "index.html").write_bytes(b"tampered")
    second = _render(config, sample_stories(), _memo(config, folder, first))
    assert second["about/index.html"] == files["about/index.html"]


def test_two_stories_of_one_id_each_keep_their_own_pages(tmp_path):
    def same_id(stories):
        return [replace(s, id="s-perry") if s.id == "s-agencies" else s for s in stories]

    def edited(stories):
        return _edited(same_id(stories), "s-perry", blocks=(Block("p", "Only the first one changed."),))
    config = site_config()
    folder = tmp_path / "site"
    first = _memo(config, folder)
    _write(folder, _render(config, same_id(sample_stories()), first))
    second = _render(config, edited(sample_stories()), _memo(config, folder, first))
    resolved = {p: (folder / c.source).read_bytes() if isinstance(c, Kept) else c for p, c in second.items()}
    assert resolved == render_site(config, edited(sample_stories()))
    assert "articles/agencies-pull-clients-from-sora/index.html" in resolved  # each has its own pages
    assert b"Only the first one changed." in resolved["articles/tyler-perry-puts-800-million-studio-expansion-on-hold/index.html"]


def _origins(stories, besides=()) -> dict:
    """Each article by identity with a name of what made it, as the clean stage gives them
    (render_carry.article_origins): those in ``besides`` were cleaned now and have none."""
    return {id(c.article): (c.article, f"file/{c.article.key}") for s in stories for c in s.copies
            if all(c.article is not b for b in besides)}


def test_an_article_the_clean_stage_names_is_digested_once_then_carried(tmp_path, monkeypatch):
    from generator.render import digests

    config = site_config()
    folder = tmp_path / "site"
    first = _memo(config, folder)
    before = sample_stories()
    first.origins = _origins(before)
    _write(folder, _render(config, before, first))
    stories = _edited(before, "s-agencies", title="Agencies leave Sora")
    new = next(s for s in stories if s.id == "s-agencies").primary.article
    second = _memo(config, folder, first)
    second.origins = _origins(stories, besides=[new])
    digested = []
    real = digests.article_digest
    monkeypatch.setattr(digests, "article_digest", lambda article: digested.append(article.key) or real(article))
    files = _render(config, stories, second)
    assert digested == [new.key]  # every other article's digest is the one carried by its origin
    resolved = {p: (folder / c.source).read_bytes() if isinstance(c, Kept) else c for p, c in files.items()}
    assert resolved == render_site(config, stories)


def test_a_new_title_remakes_its_items_in_the_feeds_from_the_last_feeds_bytes(tmp_path, monkeypatch):
    from generator.render import feed_files, feed_parts

    cut = []
    real = feed_parts.split_feed
    monkeypatch.setattr(feed_files, "split_feed", lambda name, content: cut.append(name) or real(name, content))
    site, kept, clean = _twice(tmp_path, lambda s: _edited(s, "s-agencies", title="Agencies leave Sora"))
    assert site == clean
    feeds = {p for p in clean if p.endswith(("feed.json", "rss.xml", "atom.xml"))}
    assert {"feed.json", "rss.xml", "atom.xml"} <= feeds - kept  # the site's feeds hold the story
    # the first render cut the site's feeds it made whole (the topics' are made of their items);
    # the second took the old items by the offsets carried, cutting nothing
    assert cut == ["feed.json", "rss.xml", "atom.xml"]
    assert b"/articles/agencies-leave-sora/" in site["sitemap.xml"]
