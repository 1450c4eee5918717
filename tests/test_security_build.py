"""Hostile seeds through the real command, ``python -m generator build``: hostile titles, names,
markup and files give a site where nothing is live, no path leaves the output folder, and each
bad file is one clean line; the rest is published."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import cli, limits
from generator.render.urls import WINDOWS_DEVICES
from invented import article_text
from render_helpers import OWN_SCRIPT, feed_contents, live_markup_problems, parse_markup, read_tree, text_files

ROOT = Path(__file__).resolve().parents[1]
SECRET = "SECRET-BEYOND-THE-SEEDS-FOLDER"
HOSTILE_TITLES = {
    "traversal": "../../../../etc/passwd",
    "absolute": "/etc/shadow",
    "windows": "C:\\Windows\\System32\\drivers\\etc\\hosts",
    "con": "CON", "nul": "nul", "com1": "COM1", "lpt9": "LPT9", "aux": "Aux",
    "long": "Sora " + "studio " * 120,
    "cyrillic": "Сора и голливудские студии",
    "cjk": "索拉与好莱坞工作室",
    "emoji": "🎬🎥🍿",
    "bidi": "\u202eevil\u202c Sora studio",
    "script": "</script><script>alert(1)</script>",
    "attribute": '"><img src=x onerror=alert(1)>',
    "url": "javascript:alert(1)",
    "control": "Sora\x01 studio\x00 test\x1b[31m\x7f\x85\x0b end",
}
HOSTILE_BODY = (  # one paragraph of prose, so the cleaner keeps it, carrying every kind of live markup
    "The studio said <script>alert(5)</script>its tests<img src=x onerror=alert(6)> went well, "
    "[a link](javascript:alert(7)) and <a href=\"data:text/html,<script>alert(8)</script>\">a data link</a> "
    "and <a href=\"vbscript:msgbox(1)\">a vb link</a> aside, <iframe src=\"javascript:alert(9)\"></iframe>"
    "as <a href=\"https://outside.example/story\" onclick=\"alert(10)\">an outside story</a> reported first, "
    "<svg onload=alert(11)></svg>with <object data=\"javascript:alert(12)\"></object>more to come on Sora soon.\n"
)
BAD_FILES = {  # name: bytes; each must be skipped with one line
    "binary.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "empty.md": b"",
    "truncated.json": b'{"title": {"rendered": "Sora"}, "content": {"rendered": "<p>cut',
    "api-error.json": json.dumps({"code": "rest_forbidden", "message": "Sorry."}).encode(),
    "nested.json": b"[" * 50_000 + b"]" * 50_000,
    "blob.txt": (b"The studio said Sora works. " * 9_000),
    "lines.txt": b"\n".join(b"line %d" % i for i in range(5_000)),
    "aaaa.txt": b"a" * 300_000,
    "random.bin": bytes((i * 7919 + 13) % 256 for i in range(20_000)),
    "boilerplate.txt": b"Subscribe to our newsletter\nShare this\nAdvertisement\nCookie settings\n",
}


def front_matter(title: str, number: int, **extra: str) -> str:
    body = article_text(number).split("\n\n", 2)[2]
    fields = {"title": title, "date": "2024-03-0%d" % (number % 9 + 1), **extra}
    yaml = "\n".join(f"{key}: {json.dumps(value)}" for key, value in fields.items())  # JSON is YAML
    return f"---\n{yaml}\n---\n\n{body}\n"


HOSTILE_SUMMARY = "Sora at the studio <img src=x onerror=alert({n})> in brief"


def write_hostile_summaries(seeds: Path) -> None:
    """A summary that reads as markup, from each place a summary comes from: front matter, a
    page's og:description, and a WordPress excerpt whose markup is entity-encoded."""
    (seeds / "summary-front-matter.md").write_text(front_matter(
        "Studio tests Sora with a hostile summary", 44, summary=HOSTILE_SUMMARY.format(n=21)))
    body = "".join(f"<p>{p}</p>" for p in article_text(45).split("\n\n")[2:])
    (seeds / "summary-og.html").write_text(
        '<!doctype html><html lang="en"><head><title>Studio tests Sora with an og summary</title>'
        '<meta property="og:description" content="' + HOSTILE_SUMMARY.format(n=22).replace("<", "&lt;")
        .replace(">", "&gt;") + '"></head><body><article><h1>Studio tests Sora with an og summary</h1>'
        + body + "</article></body></html>")
    post = {"title": {"rendered": "Studio tests Sora with an encoded excerpt"}, "link": "https://news.example/e",
            "excerpt": {"rendered": "<p>" + HOSTILE_SUMMARY.format(n=23).replace("<", "&lt;").replace(">", "&gt;")
                        + "</p>"},
            "content": {"rendered": "<p>" + article_text(46).split("\n\n", 2)[2].replace("\n\n", "</p><p>") + "</p>"}}
    (seeds / "summary-excerpt.json").write_text(json.dumps(post))


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    seeds, out, outside = base / "seeds", base / "site", base / "outside"
    seeds.mkdir()
    outside.mkdir()
    for number, (key, title) in enumerate(HOSTILE_TITLES.items()):
        (seeds / f"title-{key}.md").write_text(front_matter(title, number))
    (seeds / "markup.md").write_text(front_matter(
        "Studio tests Sora with hostile markup", 40, author="<img src=x onerror=alert(2)>",
        publisher='"><script>alert(3)</script>', url="javascript:alert(4)") + HOSTILE_BODY)
    post = {"title": {"rendered": "Sora \ud83d studio surrogate"}, "link": "https://news.example/s",
            "content": {"rendered": "<p>" + article_text(42).split("\n\n", 2)[2].replace(". ", ". \udc00", 2)
                        .replace("\n\n", "</p><p>") + "</p>"}}
    (seeds / "surrogate.json").write_text(json.dumps(post))  # ASCII with \\ud83d escapes
    (seeds / "bad-url.md").write_text(front_matter("Studio tests Sora with a broken URL", 43, url="http://[bad/x"))
    (seeds / "data-url.md").write_text(front_matter("Studio tests Sora with a data URL", 41,
                                                     url="data:text/html;base64,PHNjcmlwdD4="))
    names = ["CON.md", "nul", "com1.txt", '"><img src=x onerror=alert(13)>.md', "line\nbreak.txt",
             "esc\x1b[31m.txt", "я" * 100 + ".txt", "a" * 250 + ".md", " leading space.txt",
             "trailing space.txt "]
    for number, name in enumerate(names, start=50):
        (seeds / name).write_text(article_text(number))
    (seeds / os.fsdecode(b"caf\xe9-latin1.txt")).write_bytes(article_text(70).encode("cp1252", "replace"))
    (seeds / "sub" / "dots..dir").mkdir(parents=True)
    (seeds / "sub" / "dots..dir" / "deep.txt").write_text(article_text(71))
    for name, data in BAD_FILES.items():
        (seeds / name).write_bytes(data)
    write_hostile_summaries(seeds)
    (outside / "secret.txt").write_text(article_text(80).replace("Sora", f"Sora {SECRET}"))
    (seeds / "linked.txt").symlink_to(outside / "secret.txt")
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--seeds", str(seeds),
                             "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    files = read_tree(out)
    return {"base": base, "seeds": seeds, "out": out, "result": result, "files": files}


# --- reading the output the way a browser would ------------------------------------------------------

# --- the build itself ---------------------------------------------------------------------------------

def test_the_build_succeeds_and_publishes_the_readable_seeds(build):
    result = build["result"]
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    feed = json.loads(build["files"]["feed.json"])
    sources = {item["_digest"]["source"] for item in feed["items"]} | {
        c["source"] for item in feed["items"] for c in item["_digest"]["coverage"]}
    for key in HOSTILE_TITLES:
        assert f"title-{key}.md" in sources
    for name in ("CON.md", "nul", "com1.txt", "markup.md", "surrogate.json", "bad-url.md", "sub/dots..dir/deep.txt", "caf\\xe9-latin1.txt",
                 "line\\x0abreak.txt", "esc\\x1b[31m.txt", '"><img src=x onerror=alert(13)>.md'):
        assert name in sources, name


def test_each_bad_file_is_one_line_naming_it(build):
    lines = build["result"].stderr.splitlines()
    skipped = [line for line in lines if line.startswith("skipped ")]
    for name in BAD_FILES:
        assert sum(1 for line in skipped if line.startswith(f"skipped {name}: ")) == 1, name
    assert len(skipped) == len(BAD_FILES), skipped
    assert all(line.startswith(("skipped ", "not published ", "built ")) for line in lines), lines


def test_messages_hold_no_control_characters(build):
    err = build["result"].stderr
    assert not any(ord(ch) < 32 and ch != "\n" for ch in err)


def test_a_symlink_out_of_the_seeds_folder_is_never_followed(build):
    assert not any(SECRET.encode() in data for data in build["files"].values())
    assert "linked.txt" not in build["result"].stderr


# --- paths ---------------------------------------------------------------------------------------------

SAFE_PART = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}")


def test_every_output_path_is_a_safe_portable_name_inside_the_output_folder(build):
    # beside the output only the generator's spare (write.py), the same files as the site, linked
    assert sorted(p.name for p in build["base"].iterdir()) == [".site.spare", "outside", "seeds", "site"]
    spare = build["base"] / ".site.spare"
    spare_files = sorted(p.relative_to(spare).as_posix() for p in spare.rglob("*") if p.is_file())
    assert spare_files == sorted(p.relative_to(build["out"]).as_posix() for p in build["out"].rglob("*") if p.is_file())
    assert not list(build["out"].parent.glob("site.*"))
    for path in build["files"]:
        for part in path.split("/"):
            if part == ".digest-site":
                continue
            assert SAFE_PART.fullmatch(part), path
            assert part.split(".")[0].lower() not in WINDOWS_DEVICES, path
    for p in build["out"].rglob("*"):
        assert not p.is_symlink() and p.resolve().is_relative_to(build["out"].resolve())


def test_slugs_of_hostile_titles(build):
    articles = {path.split("/")[1] for path in build["files"] if path.startswith("articles/")}
    for device in ("con", "nul", "com1", "lpt9", "aux"):
        assert device not in articles and f"{device}-article" in articles
    assert "etc-passwd" in articles and "etc-shadow" in articles
    assert "sora-i-gollivudskie-studii" in articles
    assert all(len(slug) <= limits_slug_max() + 4 for slug in articles)


def limits_slug_max() -> int:
    from generator.render.urls import SLUG_MAX_LENGTH

    return SLUG_MAX_LENGTH


# --- markup --------------------------------------------------------------------------------------------

def test_no_page_holds_live_markup_from_a_source(build):
    problems = []
    for path, data in build["files"].items():
        if path.endswith(".html"):
            problems += live_markup_problems(data.decode("utf-8"), path)
    assert problems == []


def test_no_feed_item_holds_live_markup(build):
    contents = feed_contents(build["files"])
    assert len(contents) >= 3 * 2
    problems = [p for where, html in contents.items() for p in live_markup_problems(html, where)]
    assert problems == []


def test_a_summary_that_reads_as_markup_is_text_in_every_feed_reader(build):
    """RSS readers unescape <description> once and render it as HTML: it must hold no element
    from a source, and still say what the source said."""
    import feedparser

    summaries = {}
    for path, data in build["files"].items():
        if path.endswith((".xml", "feed.json")) and path != "sitemap.xml":
            for entry in feedparser.parse(data, sanitize_html=False).entries:
                detail = entry.get("summary_detail")
                if detail and "onerror" in detail.value:
                    summaries[(path, entry.title)] = detail
    assert {title for _, title in summaries} == {"Studio tests Sora with a hostile summary",
                                                 "Studio tests Sora with an og summary",
                                                 "Studio tests Sora with an encoded excerpt"}
    for (path, title), detail in summaries.items():
        if detail.type == "text/html":
            assert parse_markup(detail.value).tags == [], (path, title, detail.value)
        assert "<img src=x onerror=alert(" in html_text_of(detail), (path, title)


def html_text_of(detail) -> str:
    """What a reader shows of a summary: HTML is rendered (entities read), text shown as is."""
    import html

    return html.unescape(re.sub(r"<[^>]*>", "", detail.value)) if detail.type == "text/html" else detail.value


def test_no_output_file_has_a_script_element_a_handler_or_a_script_url(build):
    for path, text in text_files(build["files"]).items():
        text = OWN_SCRIPT.sub("", text).lower().replace('<script type="application/ld+json">', "")
        assert "<script" not in text, path
        for needle in ("javascript:", "vbscript:", "data:text/html"):
            for match in re.finditer(re.escape(needle), text):
                before = text[max(0, match.start() - 12):match.start()]
                assert not re.search(r"(href|src|action|data)\s*=\s*[\"']?\s*$", before), (path, needle)


def test_control_characters_and_lone_surrogates_are_dropped_and_the_text_kept(build):
    pages = {path: data.decode() for path, data in build["files"].items() if path.endswith(".html")}
    assert any("<h1>Sora studio test[31m  end</h1>" in page for page in pages.values())
    assert any("<h1>Sora  studio surrogate</h1>" in page for page in pages.values())
    for path, text in text_files(build["files"]).items():  # valid UTF-8: no lone surrogate got in
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text), path


def test_hostile_titles_are_shown_as_text(build):
    page = build["files"]["articles/script-script-alert-1-script/index.html"].decode()
    assert "<h1>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in page
    assert "<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; — " in page


def test_json_ld_is_data_that_cannot_close_its_element(build):
    for path, data in build["files"].items():
        if not path.startswith("articles/"):
            continue
        scripts = parse_markup(data.decode()).json_ld
        assert len(scripts) == 1, path
        assert "<" not in scripts[0] and ">" not in scripts[0]
        headline = json.loads(scripts[0])["headline"]
        heading = re.search(r"<h1>(.*?)</h1>", data.decode(), re.S).group(1)
        from html import unescape

        assert headline == unescape(heading), path


def test_only_web_urls_become_the_original_link(build):
    for name in ("hostile-markup", "a-data-url"):
        page = next(data.decode() for path, data in build["files"].items()
                    if path.startswith("articles/studio-tests-sora-with-") and name.split("-")[-1] in path)
        assert "The original article" not in page


def test_outbound_links_in_bodies_keep_their_text_and_get_rel(build):
    page = next(data.decode() for path, data in build["files"].items()
                if path.startswith("articles/studio-tests-sora-with-hostile-markup/"))
    assert ('<a href="https://outside.example/story" rel="noopener noreferrer nofollow">an outside story</a>'
            in page)
    for text in ("its tests", "a link", "a data link", "a vb link", "more to come on Sora soon"):
        assert text in page  # the hostile parts go, the words stay


# --- --strict ------------------------------------------------------------------------------------------

def test_strict_fails_on_items_left_over_the_limit_and_keeps_the_old_site(build, tmp_path, monkeypatch, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    items = [{"id": f"item-{i}", "title": f"Studio tests Sora, part {i}",
              "content_text": article_text(90 + i).split("\n\n", 2)[2]} for i in range(3)]
    (seeds / "feed.json").write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1",
                                                 "title": "F", "items": items}))
    out = tmp_path / "site"
    shutil.copytree(build["out"], out)
    before = read_tree(out)
    monkeypatch.setattr(limits, "MAX_ITEMS_PER_FILE", 2)
    config = str(ROOT / "digest.toml")
    assert cli.main(["build", "--seeds", str(seeds), "--out", str(out), "--config", config, "--strict"]) == 1
    assert read_tree(out) == before
    err = capsys.readouterr().err
    assert "skipped feed.json: 1 of its 3 items not read: the limit is 2 items per file" in err
    assert cli.main(["build", "--seeds", str(seeds), "--out", str(out), "--config", config]) == 0
    published = json.loads((out / "feed.json").read_text())["items"]
    assert len(published) == 2  # without --strict the first two items are published
