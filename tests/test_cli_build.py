"""End to end: `python -m generator build` on the real seeds, as a user runs it and a reader sees it."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from render_helpers import broken_links, read_tree, visible_text

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build") / "site"
    result = run("build", "--seeds", str(SEEDS), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_seeds_folder_holds_the_five_shared_seeds_byte_for_byte():
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("shared/ is not beside this checkout")
    for original in shared.iterdir():
        assert (SEEDS / original.name).read_bytes() == original.read_bytes()


def test_home_page_shows_both_topics_and_their_stories(built):
    home = visible_text((built / "index.html").read_bytes())
    assert "Altman and Her" in home and "Sora in Hollywood" in home
    assert "The CEO of OpenAI is obsessed with the best movie about AI in history" in home


def test_topic_page_lists_its_story_once_with_other_coverage(built):
    topic = visible_text((built / "topics/sora-in-hollywood/index.html").read_bytes())
    assert topic.count("OpenAI wants to be a star") >= 1
    # the rewrite and the translation are listed as other coverage of the one story
    assert "InformOverload" in topic
    assert "French" in topic


def test_every_article_page_holds_its_cleaned_body_in_an_article_element(built):
    page = (built / "articles/sam-altmans-lawyers-probably-wish-this-video-clip-of-him-raving-about-her-didnt/index.html").read_text()
    article = page[page.index("<article"):page.index("</article>")]
    assert "Benioff had asked Altman to name his favorite sci-fi movie" in article
    assert "Andy Meek" in article and "BGR" in article
    text = visible_text(page.encode())
    for cruft in ("Click to Skip Ad", "If you buy through a BGR link", "Andy Meek is a reporter based in Memphis"):
        assert cruft not in text


def test_json_feed_has_one_item_per_story_with_the_digest_extension(built):
    feed = json.loads((built / "feed.json").read_text())
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert len(feed["items"]) == 3
    sora = next(i for i in feed["items"] if i["_digest"]["topic"] == "sora-in-hollywood")
    assert sora["_digest"]["source"] == "002_e05194bb93bbc408.txt"
    assert sora["_digest"]["date"] == "2024-03"
    assert {c["relation"] for c in sora["_digest"]["coverage"]} == {"rewrite", "translation"}
    for item in feed["items"]:
        assert item["url"].startswith(feed["home_page_url"])


@pytest.mark.parametrize("feed", ["rss.xml", "atom.xml", "topics/altman-and-her/rss.xml",
                                  "topics/altman-and-her/atom.xml", "topics/sora-in-hollywood/rss.xml",
                                  "topics/sora-in-hollywood/atom.xml"])
def test_xml_feeds_parse_cleanly(built, feed):
    parsed = feedparser.parse((built / feed).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.entries


def test_every_internal_link_resolves(built):
    assert broken_links(read_tree(built), "https://altman-sora-digest.netlify.app/") == []


def test_every_internal_link_resolves_under_a_sub_path(tmp_path):
    out = tmp_path / "site"
    result = run("build", "--seeds", str(SEEDS), "--out", str(out), "--base-url", "https://example.org/digest/")
    assert result.returncode == 0, result.stderr
    files = read_tree(out)
    assert broken_links(files, "https://example.org/digest/") == []
    assert b'href="/digest/static/' in files["index.html"]
    assert json.loads(files["feed.json"])["items"][0]["url"].startswith("https://example.org/digest/")


def test_two_builds_give_the_same_bytes(built, tmp_path):
    out = tmp_path / "again"
    assert run("build", "--seeds", str(SEEDS), "--out", str(out)).returncode == 0
    assert read_tree(out) == read_tree(built)


def bad_seeds(folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(SEEDS / "001_9fec45a6e63bf252.txt", folder)
    (folder / "empty.md").write_bytes(b"")
    (folder / "broken.json").write_text('{"title": {"rendered": "x"}, "content": {"rendered": "<p>cut')
    return folder


def test_bad_files_are_skipped_with_one_line_each_and_the_rest_builds(tmp_path):
    seeds = bad_seeds(tmp_path / "seeds")
    result = run("build", "--seeds", str(seeds), "--out", str(tmp_path / "site"))
    assert result.returncode == 0
    lines = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert any("empty.md" in line and "empty" in line for line in lines)
    assert any("broken.json" in line and "JSON" in line for line in lines)
    assert "Traceback" not in result.stderr
    assert (tmp_path / "site" / "index.html").is_file()


def test_strict_build_fails_and_leaves_the_previous_site(tmp_path, built):
    out = tmp_path / "site"
    shutil.copytree(built, out)
    before = read_tree(out)
    result = run("build", "--seeds", str(bad_seeds(tmp_path / "seeds")), "--out", str(out), "--strict")
    assert result.returncode == 1
    assert read_tree(out) == before


def test_bad_config_names_the_file_and_key(tmp_path):
    config = tmp_path / "digest.toml"
    config.write_text((ROOT / "digest.toml").read_text().replace('slug = "sora-in-hollywood"', 'slug = "Sora!"'))
    (tmp_path / "content").symlink_to(ROOT / "content")
    result = run("build", "--seeds", str(SEEDS), "--out", str(tmp_path / "site"), "--config", str(config))
    assert result.returncode == 1
    assert "digest.toml" in result.stderr and "topics[1].slug" in result.stderr


def test_bad_usage_exits_2():
    assert run("build", "--no-such-option").returncode == 2
    assert run().returncode == 2


def test_help_on_each_verb():
    for verb in ("build", "serve", "explain"):
        result = run(verb, "--help")
        assert result.returncode == 0 and "usage:" in result.stdout


def test_the_seeds_folder_is_never_written(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    before = read_tree(seeds)
    assert run("build", "--seeds", str(seeds), "--out", str(tmp_path / "site")).returncode == 0
    assert read_tree(seeds) == before
    result = run("build", "--seeds", str(seeds), "--out", str(seeds / "site"))
    assert result.returncode == 1 and read_tree(seeds) == before


def test_headers_file_and_netlify_config_set_the_same_strict_policy(built):
    import tomllib

    from generator.render.seo import SECURITY_HEADERS

    headers = (built / "_headers").read_text()
    netlify = tomllib.loads((ROOT / "netlify.toml").read_text())
    site_wide = next(h["values"] for h in netlify["headers"] if h["for"] == "/*")
    for name, value in SECURITY_HEADERS:
        assert f"{name}: {value}" in headers
        assert site_wide[name] == value
    policy = dict(SECURITY_HEADERS)["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "default-src 'self'" in policy
    assert netlify["build"]["publish"] == "site"
