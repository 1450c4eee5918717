"""Notes and the week's edition through a real build: invented seeds, cleaned, grouped, rendered.

One story in three copies (three outlets' Markdown with the same body), a curator's note written
for one copy's file, and an unrelated story a week later; then what a curator and a reader see:
the note on the topic page, the article pages, feed.json and the edition; the edition as an
email file that parses, links that resolve, bytes that repeat, a size bound that holds.
"""
from __future__ import annotations

import email
import json
import re
import shutil
from dataclasses import replace
from email import policy
from pathlib import Path

import pytest

from generator import build as pipeline
from generator.check import check_files
from generator.config import load_config
from generator.model import Copy, PartialDate, Story
from generator.notes import Notes, parse_note
from generator.render import render_site
from generator.render.edition import MAX_EDITION_BYTES
from invented import article_text
from render_helpers import article, file_for, links_of, read_tree, site_config, visible_text

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://digest.example.org/weekly/"
OUTLETS = (("alpha-wire.md", "Alpha Wire", "https://alpha.example/sora-test/"),
           ("beta-daily.md", "Beta Daily", "https://beta.example/news/sora/"),
           ("gamma-post.md", "Gamma Post", "https://gamma.example/p/123/"))
NOTE = ("---\nfile: beta-daily.md\n---\nWhy it matters: the first studio to put *numbers* on a "
        "[generated shoot](https://notes.example/why).\n")
WEEK = "editions/2024-W21/"


def seed(folder: Path, name: str, number: int, date: str, publisher: str, url: str) -> None:
    title, _, *paragraphs = article_text(number).split("\n\n")
    folder.joinpath(name).write_text(f"---\ntitle: {title}\ndate: {date}\npublisher: {publisher}\nurl: {url}\n---\n\n"
                                     + "\n\n".join(paragraphs), encoding="utf-8")


def make_project(folder: Path) -> Path:
    shutil.copytree(ROOT / "content", folder / "content")
    config = (ROOT / "digest.toml").read_text(encoding="utf-8")
    (folder / "digest.toml").write_text(re.sub(r'base_url = "[^"]*"', f'base_url = "{BASE}"', config), encoding="utf-8")
    seeds = folder / "seeds"
    seeds.mkdir()
    for name, publisher, url in OUTLETS:
        seed(seeds, name, 7, "2024-05-21", publisher, url)
    seed(seeds, "later.md", 11, "2024-05-29", "Delta News", "https://delta.example/a/")
    notes = folder / "content" / "notes"
    notes.mkdir()
    (notes / "studio-numbers.md").write_text(NOTE, encoding="utf-8")
    (notes / "lost.md").write_text("---\nfile: no-such-file.md\n---\nA note for a file that is gone.\n",
                                   encoding="utf-8")
    return folder


def build(project: Path, out: str = "site") -> tuple[dict[str, bytes], list[str]]:
    config = load_config(project / "digest.toml")
    told: list[str] = []
    pipeline.build(config, pipeline.BuildRequest(project / "seeds", project / out),
                   pipeline.make_builder(config, use_cache=False), told.append)
    return read_tree(project / out), told


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("edition"))


@pytest.fixture(scope="module")
def built(project):
    return build(project)


@pytest.fixture(scope="module")
def site(built):
    return built[0]


def feed_item(files: dict[str, bytes], title_word: str) -> dict:
    items = json.loads(files["feed.json"])["items"]
    return next(i for i in items if title_word in i["title"])


def _story_title() -> str:
    return article_text(7).split("\n\n")[0]


def test_the_three_copies_are_one_story_whose_note_shows_on_its_topic_and_article_pages(site):
    item = feed_item(site, _story_title()[:20])
    assert len(item["_digest"]["coverage"]) == 2  # one story of three copies, really grouped
    topic = visible_text(site["topics/sora-in-hollywood/index.html"])
    assert topic.index("Why it matters") < topic.index(_story_title())  # above the story
    assert "put numbers on a generated shoot" in topic
    pages = [p for p, c in site.items() if p.startswith("articles/") and b"generated shoot" in c]
    assert len(pages) == 3  # every copy's page
    for path in pages:  # shown above the article, outside the <article> the body is read from
        page = site[path].decode()
        assert page.index('class="curator-note"') < page.index("<article")
        assert "generated shoot" not in page[page.index("<article"):page.index("</article>")]


def test_the_note_is_in_the_feeds_before_the_body_and_as_a_digest_extension(site):
    item = feed_item(site, _story_title()[:20])
    assert item["_digest"]["note"]["file"] == "beta-daily.md"
    assert "<em>numbers</em>" in item["_digest"]["note"]["html"]
    html = item["content_html"]
    assert html.index("generated shoot") < html.index("<hr>") < html.index(article_text(7).split("\n\n")[2][:30])
    other = feed_item(site, article_text(11).split("\n\n")[0][:20])
    assert "note" not in other["_digest"] and "Curator" not in other["content_html"]
    for name in ("rss.xml", "atom.xml", "topics/sora-in-hollywood/feed.json"):
        assert "generated shoot" in site[name].decode(), name


def test_a_note_whose_file_is_gone_is_one_line_of_the_build(built):
    lines = [line for line in built[1] if "lost.md" in line]
    assert lines == ["note not shown: content/notes/lost.md names 'no-such-file.md': no article of this build "
                     "comes from that file (renamed, removed or skipped?)"]


def test_each_week_present_has_an_edition_with_only_its_stories(site):
    weeks = sorted({p.split("/")[1] for p in site if p.startswith("editions/20")})
    assert weeks == ["2024-W21", "2024-W22"]
    text = site[WEEK + "edition.txt"].decode()
    assert _story_title() in text and article_text(11).split("\n\n")[0] not in text
    assert "Why it matters: Why it matters: the first studio to put numbers on a generated shoot " \
           "(https://notes.example/why)." in " ".join(text.split())
    listing = visible_text(site["editions/index.html"])
    assert listing.index("Week 22, 2024") < listing.index("Week 21, 2024")  # newest first
    assert "20–26 May 2024" in listing


def test_the_eml_parses_into_the_html_and_text_of_the_edition(site):
    message = email.message_from_bytes(site[WEEK + "edition.eml"], policy=policy.default)
    assert message.get_content_type() == "multipart/alternative"
    assert "Week 21, 2024" in message["Subject"]
    html, text = message.get_body(("html",)), message.get_body(("plain",))
    # the same documents, in the CRLF line ends of mail
    assert html.get_content() == site[WEEK + "email.html"].decode().replace("\n", "\r\n")
    assert text.get_content() == site[WEEK + "edition.txt"].decode().replace("\n", "\r\n")
    assert "generated shoot" in html.get_content() and "generated shoot" in text.get_content()


def test_every_link_of_the_email_is_absolute_and_resolves_to_a_page_of_the_site(site):
    for name in ("email.html", "edition.txt"):
        content = site[WEEK + name]
        links = links_of(content) if name.endswith(".html") else re.findall(rb"https?://\S+", content)
        links = [link if isinstance(link, str) else link.decode() for link in links]
        assert links, name
        for link in links:
            assert link.startswith(("https://", "http://")), (name, link)
            if link.startswith(BASE):
                assert file_for(link, BASE) in site, (name, link)
        assert any(link.startswith(BASE + "articles/") for link in links)


def test_the_email_is_self_contained_light_and_dark(site):
    page = site[WEEK + "email.html"].decode()
    assert "<link rel=\"stylesheet\"" not in page and "<script" not in page and "<img" not in page
    assert "@media (prefers-color-scheme: dark)" in page and 'name="color-scheme" content="light dark"' in page
    assert 'style="margin:0;padding:0;background-color:#f4f4f1;"' in page  # the light scheme is the default
    assert "<table role=\"presentation\"" in page


def test_the_built_site_passes_check(site):
    assert check_files(site, BASE) == []


def test_same_inputs_same_bytes(project, site):
    again, _ = build(project, "site-again")
    editions = {p: c for p, c in site.items() if p.startswith("editions/")}
    assert editions == {p: c for p, c in again.items() if p.startswith("editions/")}


def test_the_note_survives_a_rename_of_the_story_primary(tmp_path):
    project = make_project(tmp_path)
    primary = feed_item(build(project)[0], _story_title()[:20])["_digest"]["source"]
    assert primary != "beta-daily.md"  # the note names another copy
    (project / "seeds" / primary).rename(project / "seeds" / "zz-renamed-original.md")
    files, told = build(project, "site-renamed")
    item = feed_item(files, _story_title()[:20])
    assert primary not in {item["_digest"]["source"], *(c["source"] for c in item["_digest"]["coverage"])}
    assert item["_digest"]["note"]["file"] == "beta-daily.md"
    assert "generated shoot" in visible_text(files["topics/sora-in-hollywood/index.html"])
    assert "generated shoot" in files[WEEK + "email.html"].decode()
    assert not [line for line in told if "studio-numbers.md" in line]


def crowded_week(count: int) -> tuple:
    """``count`` stories of one week and topic, each with a long summary and a note."""
    summary = "A long summary of what the studio said and did, in words enough to weigh. " * 8
    stories = [Story(f"s{n:04d}", (Copy(article(f"crowd-{n:04d}.md", f"Studio number {n} tests Sora",
                                                 date=PartialDate(2024, 5, 20 + n % 7), summary=summary), "original"),),
                     topic="sora-in-hollywood") for n in range(count)]
    notes = tuple(parse_note(f"content/notes/{n:04d}.md", f"---\nfile: crowd-{n:04d}.md\n---\n" + "It matters. " * 30)
                  for n in range(count))
    return stories, replace(site_config(), notes=Notes(notes))


def test_a_crowded_week_stays_under_the_size_limit_and_links_the_rest():
    stories, config = crowded_week(300)
    files = render_site(config, stories)
    email_html = files[WEEK + "email.html"]
    assert len(email_html) <= MAX_EDITION_BYTES
    shown = email_html.decode().count("tests Sora</a></h3>")
    assert 10 < shown < 300
    more = re.search(r"(\d+) more stories this week in Sora in Hollywood", visible_text(email_html))
    assert more and int(more.group(1)) == 300 - shown
    assert visible_text(files[WEEK + "index.html"]).count("tests Sora") == 300  # the site's page lists all
    assert files[WEEK + "edition.txt"].decode().count("tests Sora") == shown


def test_a_story_dated_only_to_the_month_is_in_no_edition():
    stories = [Story("s-month", (Copy(article("m.md", "Dated to the month", date=PartialDate(2024, 5)), "original"),),
                     topic="sora-in-hollywood")]
    files = render_site(site_config(), stories)
    assert not [p for p in files if p.startswith("editions/20")]
    assert "No edition yet" in visible_text(files["editions/index.html"])


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 600])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_email_renders_in_chromium_without_any_request_and_without_scrolling_sideways(
        browser, project, site, width, scheme):
    email_file = project / "site" / WEEK / "email.html"
    requests: list[str] = []
    page = browser.new_page(viewport={"width": width, "height": 800}, color_scheme=scheme)
    try:
        def route(request_route):
            if request_route.request.url != email_file.as_uri():
                requests.append(request_route.request.url)
                request_route.abort()
            else:
                request_route.continue_()
        page.route("**/*", route)
        page.goto(email_file.as_uri())
        assert requests == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        card = page.locator("table.em-card").first.bounding_box()
        assert card["width"] <= min(width, 600) and card["width"] >= min(width, 600) - 48
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == ("rgb(21, 21, 23)" if scheme == "dark" else "rgb(244, 244, 241)")
        assert page.get_by_text("Why it matters").first.is_visible()
    finally:
        page.close()


def test_a_templates_folder_beside_the_config_overrides_the_edition_templates(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copy(ROOT / "digest.toml", tmp_path)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "email.txt").write_text(
        "Our own words for {{ edition.label }}.\n{% for t in edition.topics %}{{ t.title }}\n{% endfor %}", encoding="utf-8")
    (tmp_path / "templates" / "editions.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>Back issues</h1>{% endblock %}', encoding="utf-8")
    stories = [Story("s1", (Copy(article("a.md", "A dated story", date=PartialDate(2024, 5, 21)), "original"),),
                     topic="sora-in-hollywood")]
    files = render_site(load_config(tmp_path / "digest.toml"), stories)
    message = email.message_from_bytes(files[WEEK + "edition.eml"], policy=policy.default)
    assert message.get_body(("plain",)).get_content() == "Our own words for Week 21, 2024.\r\nSora in Hollywood\r\n"
    listing = files["editions/index.html"].decode()
    assert "<h1>Back issues</h1>" in listing and '<nav class="site-nav"' in listing  # the base layout kept
    assert "<table" in files[WEEK + "email.html"].decode()  # the theme's own for the rest


def test_weeks_are_iso_weeks_and_their_spans_say_so_across_months_and_years():
    from generator.render.edition import iso_week, week_span
    from generator.render.views import DateView, StoryView
    def week(y, m, d):
        return iso_week(StoryView("s", None, (), DateView.of(PartialDate(y, m, d))))
    assert week(2024, 12, 30) == "2025-W01" and week(2021, 1, 3) == "2020-W53"
    assert iso_week(StoryView("s", None, (), DateView.of(PartialDate(2024, 5)))) is None  # month only
    assert week_span("2024-W21")[:2] == ("Week 21, 2024", "20–26 May 2024")
    assert week_span("2024-W22")[1] == "27 May – 2 June 2024"
    assert week_span("2025-W01")[1] == "30 December 2024 – 5 January 2025"
