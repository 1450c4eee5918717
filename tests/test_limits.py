"""Each limit of generator/limits.py, met by a real file: one clear line, within the file's time
budget, and the rest of the file (and of the site) still counts. No test here times anything: a
step that turns slow shows as the build's own per-file budget running out, which is its outcome."""
from __future__ import annotations

import json
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

from generator import ingest, limits, seed_file
from generator.build import BuildRequest, build, make_builder
from generator.clean import prepare
from generator.config import load_config
from generator.ingest import read_file
from generator.model import Article, Rejection
from generator.seed_file import clean_file, clean_seeds
from invented import article_text

ROOT = Path(__file__).resolve().parents[1]
CONFIG = load_config(ROOT / "digest.toml")
SENTENCE = "The studio said on Monday that it would test the new model on twelve scenes of its next film. "


@pytest.fixture(scope="module", autouse=True)
def prepared():
    """Load the language models once, as a build does before any file's budget starts."""
    prepare(CONFIG)


def clean(path: Path) -> tuple[list[Article], list[Rejection]]:
    return clean_file(path, path.name, CONFIG)


def only_line(rejections: list[Rejection]) -> str:
    assert len(rejections) == 1, rejections
    return rejections[0].reason


def clean_in_budget(path: Path) -> tuple[list[Article], list[Rejection]]:
    """Clean a file, as a build does, and check it ended by its own outcome: not by running out of
    its time budget (what a step gone quadratic leads to) and not by an internal error."""
    articles, rejections = clean(path)
    for rejection in rejections:
        assert not rejection.reason.startswith(("took longer than", "internal error")), rejection
    return articles, rejections


def json_feed(count: int, words: int = 3) -> str:
    items = [{"id": f"item-{i}", "url": f"https://news.example/{i}", "title": f"Item {i}",
              "content_text": " ".join(["studio"] * words)} for i in range(count)]
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Feed", "items": items})


def article_feed(count: int) -> str:
    """A JSON Feed of invented articles that clean into real articles."""
    items = [{"id": f"item-{i}", "title": f"Studio tests Sora, part {i}",
              "content_text": article_text(i).split("\n\n", 2)[2]} for i in range(count)]
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "F", "items": items})


def wordpress_list(count: int) -> str:
    return json.dumps([{"id": i, "link": f"https://news.example/{i}", "title": {"rendered": f"Post {i}"},
                        "content": {"rendered": "<p>studio</p>"}} for i in range(count)])


def rss(count: int) -> str:
    items = "".join(f"<item><title>Item {i}</title><link>https://news.example/{i}</link><guid>g-{i}</guid>"
                    f"<description>studio</description></item>" for i in range(count))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>{items}</channel></rss>'


# --- size of a file ---------------------------------------------------------------------------------

def test_a_file_over_the_size_limit_is_one_line_and_never_read_whole(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(limits.MAX_FILE_BYTES + 1)  # sparse: no need to write 8 MiB
    tracemalloc.start()
    try:
        articles, rejections = clean_in_budget(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < limits.MAX_FILE_BYTES // 8  # refused before it was read
    assert not articles
    assert only_line(rejections) == f"file too large ({limits.MAX_FILE_BYTES + 1:,} bytes; the limit is 8,388,608)"


# --- items in one file --------------------------------------------------------------------------------

@pytest.mark.parametrize("name, make, total", [
    ("feed.json", json_feed, 10_000), ("posts.json", wordpress_list, 10_000), ("feed.rss", rss, 1_000),
], ids=["json-feed", "wordpress-list", "rss"])
def test_a_file_gives_at_most_the_item_limit_and_a_line_names_the_rest(tmp_path, name, make, total):
    path = tmp_path / name
    path.write_text(make(total))
    raws, rejections = read_file(path, name)
    assert len(raws) == limits.MAX_ITEMS_PER_FILE == 500
    assert raws[0].item in ("item-0", "https://news.example/0", "g-0")  # the first ones, in order
    assert only_line(rejections) == (f"{total - 500:,} of its {total:,} items not read: "
                                      "the limit is 500 items per file")


def test_items_within_the_limit_are_all_read(tmp_path):
    path = tmp_path / "feed.json"
    path.write_text(json_feed(limits.MAX_ITEMS_PER_FILE))
    raws, rejections = read_file(path, "feed.json")
    assert len(raws) == 500 and rejections == []


# --- text handed to the cleaner -----------------------------------------------------------------------

def test_a_two_megabyte_line_is_one_line(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_text((SENTENCE * 30_000)[:2_000_000])
    articles, rejections = clean_in_budget(path)
    assert not articles
    assert only_line(rejections) == "text: article text too long (2,000,000 characters; the limit is 200,000)"


def test_a_megabyte_of_one_letter_is_one_line(tmp_path):
    path = tmp_path / "aaaa.txt"
    path.write_text("a" * 1_000_000)
    articles, rejections = clean_in_budget(path)
    assert not articles and "article text too long (1,000,000 characters" in only_line(rejections)


def test_a_long_article_within_the_limit_is_cleaned(tmp_path):
    path = tmp_path / "long.txt"
    text = "\n\n".join([f"Paragraph {i}. " + SENTENCE * 3 for i in range(400)])  # ~120,000 characters
    path.write_text("Studio tests Sora on a long film\n\n" + text)
    articles, rejections = clean_in_budget(path)
    assert rejections == [] and len(articles) == 1
    assert len(articles[0].text) > 100_000


@pytest.mark.parametrize("unit", [
    "studio agreed Read more: a great offer Then ",  # a marker, then prose restarting
    "x Then ",  # a run-in sentence opener, again and again
], ids=["markers", "run-ins"])
def test_injections_in_a_blob_at_the_text_limit_are_cut_within_the_time_budget(tmp_path, unit):
    path = tmp_path / "blob.txt"
    path.write_text((unit * 30_000)[:limits.MAX_ARTICLE_CHARS - 1_000])  # before: 79 s and 27 s
    articles, rejections = clean_in_budget(path)
    assert len(articles) + len(rejections) == 1  # one outcome, the file's own


def test_a_hundred_thousand_short_lines_are_one_line(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text("\n".join(f"line {i}" for i in range(100_000)))
    articles, rejections = clean_in_budget(path)
    assert not articles
    assert only_line(rejections) == "text: too many blocks (100,000; the limit is 3,000 per article)"


def test_one_feed_item_over_the_limit_does_not_take_the_others_with_it(tmp_path):
    feed = json.loads(article_feed(3))
    feed["items"][1]["content_text"] = SENTENCE * 2_500  # ~250,000 characters
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed))
    articles, rejections = clean_in_budget(path)
    assert [a.item for a in articles] == ["item-0", "item-2"]
    assert [r.source for r in rejections] == ["feed.json [item-1]"]
    assert "article text too long" in rejections[0].reason


# --- Markdown and dates -----------------------------------------------------------------------------

def test_a_markdown_body_over_its_limit_is_one_line(tmp_path):
    path = tmp_path / "long.md"
    path.write_text("---\ntitle: Sora\n---\n" + "{{< " * 400_000)  # unclosed shortcode openers
    articles, rejections = clean_in_budget(path)
    assert not articles
    assert only_line(rejections) == "Markdown too long (1,600,000 characters; the limit is 1,000,000)"


def test_unclosed_shortcodes_within_the_limit_are_read_within_the_time_budget(tmp_path):
    path = tmp_path / "shortcodes.md"
    path.write_text("---\ntitle: Sora\n---\n" + "{{< {% " * 120_000)  # each used to be searched to the end
    articles, rejections = clean_in_budget(path)
    assert len(articles) + len(rejections) == 1  # one outcome, the file's own


def date_like(rnd, count: int) -> str:
    return " | ".join(f"{rnd.choice(['qx', 'zv', 'wk'])} {rnd.randint(2000, 2024)} {rnd.choice(['qq', 'zz'])}"
                      f"{rnd.randint(0, 999)}" for _ in range(count))


def test_a_line_of_thousands_of_date_like_segments_is_read(tmp_path):
    import random

    path = tmp_path / "dates.txt"
    path.write_text(f"Studio tests Sora on a new film\n{date_like(random.Random(1), 6_000)}\n\n"
                    f"{SENTENCE * 3}\n\n{SENTENCE * 3}\n")  # took 11 s of CPU
    articles, rejections = clean_in_budget(path)
    assert len(articles) == 1


def test_a_metadata_zone_of_date_like_lines_is_read(tmp_path):
    import random

    rnd = random.Random(2)
    lines = "\n".join(date_like(rnd, 8) for _ in range(1_550))
    path = tmp_path / "zone.txt"
    path.write_text(f"Studio tests Sora on a new film\n{lines}\n{SENTENCE * 3}\n{SENTENCE * 3}\n")  # took 30 s
    articles, rejections = clean_in_budget(path)
    assert len(articles) == 1


# --- HTML --------------------------------------------------------------------------------------------

def test_an_html_page_of_too_many_elements_is_refused_before_extraction(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><body><article>" + "<p>studio</p>" * 40_000 + "</article></body></html>")
    articles, rejections = clean_in_budget(path)
    assert not articles and only_line(rejections).startswith("HTML too complex (40,0")
    assert "the limit is 30,000" in rejections[0].reason


def test_html_inside_a_post_is_held_to_the_same_limit(tmp_path):
    path = tmp_path / "post.json"
    path.write_text(json.dumps({"title": {"rendered": "T"}, "content": {"rendered": "<i>a</i>" * 40_000}}))
    articles, rejections = clean_in_budget(path)
    assert not articles and only_line(rejections).startswith("HTML too complex (40,001 elements")


def test_deeply_nested_html_is_read_without_a_crash(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 20_000 + SENTENCE * 10 + "</div>" * 20_000 + "</body></html>")
    articles, rejections = clean_in_budget(path)
    assert len(articles) + len(rejections) == 1  # one outcome, the file's own


# --- JSON --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("opening, closing", [("[", "]"), ('{"a":', "}")], ids=["lists", "objects"])
def test_deeply_nested_json_is_one_line(tmp_path, opening, closing):
    path = tmp_path / "nested.json"
    path.write_text(opening * 100_000 + "1" + closing * 100_000)
    articles, rejections = clean_in_budget(path)
    assert not articles and only_line(rejections) == "broken JSON: nested too deeply"


def test_an_api_error_object_is_one_line(tmp_path):
    path = tmp_path / "error.json"
    path.write_text(json.dumps({"code": "rest_post_invalid_id", "message": "Invalid post ID.", "data": {"status": 404}}))
    articles, rejections = clean(path)
    assert only_line(rejections) == "JSON is an API error, not a post: rest_post_invalid_id: Invalid post ID."


# --- time ---------------------------------------------------------------------------------------------

def test_a_file_over_its_time_budget_is_one_line_and_stops_early(tmp_path, monkeypatch):
    path = tmp_path / "feed.json"
    path.write_text(article_feed(limits.MAX_ITEMS_PER_FILE))
    articles, _ = clean(path)
    assert len(articles) == 500
    real, cleaned = seed_file.clean_article, []
    monkeypatch.setattr(seed_file, "clean_article", lambda raw, config: cleaned.append(raw) or real(raw, config))
    monkeypatch.setattr(limits, "FILE_SECONDS", 1e-6)  # spent before the first item is reached
    articles, rejections = clean(path)
    assert not articles
    assert only_line(rejections).startswith("took longer than 1e-06 s (the limit per file), while ")
    assert len(cleaned) <= 1  # it stopped at the next check, rather than noticing at the end


class Clock:
    """The clock ``limits`` reads, moved only by the test: no outcome depends on the machine's speed."""

    def __init__(self):
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now


def test_the_time_budget_is_per_file(tmp_path, monkeypatch):
    (tmp_path / "a-slow.json").write_text(article_feed(3))
    (tmp_path / "b-good.txt").write_text(article_text(1))
    clock, real = Clock(), seed_file.clean_article

    def slow_in_a(raw, config):  # each item of a-slow.json uses up a whole budget
        if raw.source.startswith("a-slow"):
            clock.now += limits.FILE_SECONDS + 1
        return real(raw, config)

    monkeypatch.setattr(limits, "time", clock)
    monkeypatch.setattr(seed_file, "clean_article", slow_in_a)
    articles, rejections = clean_seeds(tmp_path, CONFIG)  # b-good.txt starts past a-slow's deadline
    assert [a.source for a in articles] == ["b-good.txt"]
    assert [r.source for r in rejections] == ["a-slow.json"]


def test_the_time_budget_works_outside_the_main_thread(tmp_path, monkeypatch):
    path = tmp_path / "feed.json"
    path.write_text(article_feed(limits.MAX_ITEMS_PER_FILE))
    monkeypatch.setattr(limits, "FILE_SECONDS", 1e-6)
    found = {}
    worker = threading.Thread(target=lambda: found.update(result=clean(path)))
    worker.start()
    worker.join(timeout=60)
    assert "took longer than 1e-06 s" in only_line(found["result"][1])


def test_no_budget_outside_a_file():
    with limits.time_budget(0):
        time.sleep(0.01)
        with pytest.raises(limits.LimitExceeded):
            limits.check_time("testing")
    limits.check_time("testing")  # no file is being read: free


# --- a bug in a reader or the cleaner ----------------------------------------------------------------

class ExplodingReader:
    name = "exploding"

    def accepts(self, doc):
        return doc.source.startswith("explode")

    def read(self, doc):
        raise ValueError("no such field\nsecond line")


def test_a_reader_bug_is_that_files_line_and_the_others_still_build(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "READERS", (ExplodingReader(), *ingest.READERS))
    (tmp_path / "explode.txt").write_text(article_text(1))
    (tmp_path / "fine.txt").write_text(article_text(2))
    articles, rejections = clean_seeds(tmp_path, CONFIG)
    assert [a.source for a in articles] == ["fine.txt"]
    assert [str(r) for r in rejections] == [
        "skipped explode.txt: internal error while reading: ValueError: no such field second line"]


def test_a_cleaner_bug_is_that_items_line_and_the_other_items_count(tmp_path, monkeypatch):
    real = seed_file.clean_article

    def buggy(raw, config):
        if raw.item == "item-1":
            raise ZeroDivisionError("division by zero")
        return real(raw, config)

    monkeypatch.setattr(seed_file, "clean_article", buggy)
    path = tmp_path / "feed.json"
    path.write_text(article_feed(3))
    articles, rejections = clean(path)
    assert [a.item for a in articles] == ["item-0", "item-2"]
    assert [str(r) for r in rejections] == [
        "skipped feed.json [item-1]: internal error while cleaning: ZeroDivisionError: division by zero"]


def test_an_interrupt_is_never_swallowed(tmp_path, monkeypatch):
    def interrupted(raw, config):
        raise KeyboardInterrupt

    monkeypatch.setattr(seed_file, "clean_article", interrupted)
    (tmp_path / "a.txt").write_text(article_text(1))
    with pytest.raises(KeyboardInterrupt):
        clean_seeds(tmp_path, CONFIG)


def test_errors_of_the_render_stage_are_not_hidden(tmp_path, monkeypatch):
    import generator.render

    def broken(config, stories, memo=None, sink=None, stager=None):
        raise RuntimeError("a bug in rendering")

    monkeypatch.setattr(generator.render, "render_site", broken)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(article_text(1))
    with pytest.raises(RuntimeError, match="a bug in rendering"):
        build(CONFIG, BuildRequest(seeds, tmp_path / "site"), make_builder(CONFIG, use_cache=False))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seeds"]  # no site, no staging folder left


def test_a_long_error_message_is_cut_to_one_short_line():
    reason = limits.internal_error("cleaning", ValueError("x" * 5_000 + "\n" + "y"))
    assert "\n" not in reason and len(reason) < 250 and reason.endswith("…")
