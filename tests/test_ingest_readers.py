"""Reading seed files: every input form is sniffed from the content (never the extension), read
into raw articles with the metadata the form structures, or rejected with a one-line reason.

All inputs are small invented documents written for these tests.
"""
from __future__ import annotations

import codecs
import json

import pytest

from generator.ingest import Document, read_document, read_file
from generator.model import PartialDate

BODY_1 = "Potters in the valley fire their wood kilns only twice a year, in April and in October."
BODY_2 = "Each firing lasts three days and uses about four tonnes of split larch from the hill farms."


def read(text: str, source: str = "seed.txt"):
    return read_document(Document(source, text))


def only_article(text: str, source: str = "seed.txt"):
    articles, rejections = read(text, source)
    assert rejections == []
    assert len(articles) == 1
    return articles[0]


def only_rejection(text: str, source: str = "seed.txt"):
    articles, rejections = read(text, source)
    assert articles == []
    assert len(rejections) == 1
    assert rejections[0].source == source
    return rejections[0]


def texts(article) -> list[str]:
    return [b.text for b in article.blocks]


# --- WordPress REST API posts ------------------------------------------------------------------

def wp_post(**changes) -> dict:
    post = {
        "id": 7,
        "date": "2024-04-02T21:15:00",
        "date_gmt": "2024-04-03T04:15:00",
        "link": "https://clayweekly.example/2024/04/kilns/",
        "title": {"rendered": "The kiln that &#8220;sings&#8221; at dawn"},
        "content": {"rendered": f"<p>{BODY_1}</p>\n<p>{BODY_2}</p>"},
        "excerpt": {"rendered": "<p>Wood kilns, twice a year.</p>"},
        "_embedded": {"author": [{"name": "Mara Quill"}]},
        "yoast_head_json": {"og_site_name": "Clay Weekly", "og_locale": "en_GB"},
    }
    post.update(changes)
    return post


def test_wordpress_post_gives_one_article_with_its_structured_metadata():
    article = only_article(json.dumps(wp_post()), "kilns.json")
    assert article.form == "wordpress"
    assert article.item is None
    assert article.title == "The kiln that “sings” at dawn"
    assert article.date == PartialDate(2024, 4, 2)  # the local `date`, not `date_gmt`
    assert article.author == "Mara Quill"
    assert article.publisher == "Clay Weekly"
    assert article.url == "https://clayweekly.example/2024/04/kilns/"
    assert article.language == "en"
    assert texts(article) == [BODY_1, BODY_2]


def test_wordpress_post_list_gives_one_article_per_post_keyed_by_link():
    second = wp_post(id=8, link="https://clayweekly.example/2024/04/glazes/",
                     title={"rendered": "Ash glazes explained"},
                     content={"rendered": "<p>Ash from the firebox settles on the pots and melts into a glaze.</p>"})
    articles, rejections = read(json.dumps([wp_post(), second]), "posts.json")
    assert rejections == []
    assert [a.item for a in articles] == ["https://clayweekly.example/2024/04/kilns/",
                                          "https://clayweekly.example/2024/04/glazes/"]
    assert [a.title for a in articles] == ["The kiln that “sings” at dawn", "Ash glazes explained"]
    assert texts(articles[1]) == ["Ash from the firebox settles on the pots and melts into a glaze."]


def test_json_that_is_not_a_post_is_rejected_with_its_keys():
    rejection = only_rejection('{"status": "ok"}', "status.json")
    assert "not a WordPress post" in rejection.reason
    assert "status" in rejection.reason


def test_wordpress_api_error_is_rejected_as_an_api_error():
    error = {"code": "rest_post_invalid_id", "message": "Invalid post ID.", "data": {"status": 404}}
    rejection = only_rejection(json.dumps(error), "error.json")
    assert "API error" in rejection.reason
    assert "rest_post_invalid_id" in rejection.reason


def test_truncated_json_is_rejected_as_broken_json():
    rejection = only_rejection(json.dumps(wp_post())[:150], "cut.json")
    assert rejection.reason.startswith("broken JSON")
    assert "line 1" in rejection.reason


def test_json_list_without_posts_is_rejected():
    rejection = only_rejection('[{"id": 1}, {"id": 2}]', "ids.json")
    assert "no WordPress posts" in rejection.reason


def test_rejection_reads_as_one_line_naming_the_file():
    rejection = only_rejection('{"status": "ok"}', "status.json")
    assert str(rejection).startswith("skipped status.json: ")
    assert "\n" not in str(rejection)


# --- RSS, Atom and JSON Feed ---------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Harbour Notes</title>
  <link>https://harbournotes.example/</link>
  <language>en-gb</language>
  <item>
    <title>Night ferry timetable changes</title>
    <link>https://harbournotes.example/ferry</link>
    <guid isPermaLink="false">harbour-0001</guid>
    <pubDate>Tue, 05 Mar 2024 22:30:00 -0800</pubDate>
    <dc:creator>Pat Lune</dc:creator>
    <description>&lt;p&gt;The night ferry will leave the quay twenty minutes earlier from April.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Lighthouse repainted</title>
    <link>https://harbournotes.example/lighthouse</link>
    <pubDate>Wed, 06 Mar 2024 08:00:00 GMT</pubDate>
    <description>The lighthouse on the north mole was repainted red and white.</description>
  </item>
</channel>
</rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Orchard Log</title>
  <id>urn:orchard-log</id>
  <updated>2024-04-03T10:00:00Z</updated>
  <entry>
    <title>Pruning season</title>
    <id>urn:orchard-log:entry:1</id>
    <link href="https://orchardlog.example/pruning"/>
    <published>2024-01-15T23:50:00-05:00</published>
    <updated>2024-01-20T10:00:00Z</updated>
    <author><name>Ivo Brand</name></author>
    <summary>Short teaser only.</summary>
    <content type="html">&lt;p&gt;We pruned the old apple trees back to three main branches.&lt;/p&gt;&lt;p&gt;The cuttings went to the wood pile.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Blossom week</title>
    <id>urn:orchard-log:entry:2</id>
    <link href="https://orchardlog.example/blossom"/>
    <updated>2024-04-03T10:00:00Z</updated>
    <summary>The first blossom opened on the south wall.</summary>
  </entry>
</feed>"""


def test_rss_feed_gives_one_article_per_item():
    articles, rejections = read(RSS, "harbour.xml")
    assert rejections == []
    assert [a.form for a in articles] == ["feed", "feed"]
    ferry, lighthouse = articles
    assert ferry.item == "harbour-0001"  # the guid
    assert lighthouse.item == "https://harbournotes.example/lighthouse"  # no guid: the link
    assert {a.publisher for a in articles} == {"Harbour Notes"}  # the channel's title
    assert ferry.title == "Night ferry timetable changes"
    assert ferry.url == "https://harbournotes.example/ferry"
    assert ferry.author == "Pat Lune"
    assert ferry.language == "en"
    assert texts(ferry) == ["The night ferry will leave the quay twenty minutes earlier from April."]


def test_rss_date_is_the_local_day_the_item_states():
    ferry, lighthouse = read(RSS)[0]
    # 22:30 at -08:00 is already the 6th in UTC; the source says the 5th.
    assert ferry.date == PartialDate(2024, 3, 5)
    assert ferry.date.precision == "day"
    assert lighthouse.date == PartialDate(2024, 3, 6)



def test_rss_author_in_email_form_gives_the_name():
    feed = RSS.replace("<dc:creator>Pat Lune</dc:creator>", "<author>pat@harbournotes.example (Pat Lune)</author>")
    ferry = read(feed)[0][0]
    assert ferry.author == "Pat Lune"


def test_atom_feed_gives_one_article_per_entry():
    articles, rejections = read(ATOM, "orchard.atom")
    assert rejections == []
    pruning, blossom = articles
    assert [a.item for a in articles] == ["urn:orchard-log:entry:1", "urn:orchard-log:entry:2"]
    assert {a.publisher for a in articles} == {"Orchard Log"}
    assert pruning.author == "Ivo Brand"
    assert pruning.url == "https://orchardlog.example/pruning"
    # the published date, local, not the update; an entry with only <updated> uses that
    assert pruning.date == PartialDate(2024, 1, 15)
    assert blossom.date == PartialDate(2024, 4, 3)


def test_atom_full_content_is_preferred_to_the_summary():
    pruning, blossom = read(ATOM)[0]
    assert texts(pruning) == ["We pruned the old apple trees back to three main branches.",
                              "The cuttings went to the wood pile."]
    assert texts(blossom) == ["The first blossom opened on the south wall."]


def test_json_feed_gives_one_article_per_item():
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Tide Tables",
        "language": "en-US",
        "items": [
            {"id": "tide-1", "url": "https://tides.example/spring", "title": "Spring tides return",
             "content_html": "<p>The spring tides will reach the sea wall on Saturday.</p>",
             "date_published": "2024-05-01T23:00:00-04:00", "authors": [{"name": "Olu Ade"}]},
            {"id": "tide-2", "url": "https://tides.example/neap", "title": "Neap tides",
             "content_text": "Neap tides leave the harbour mouth shallow.\n\nBoats should wait for noon.",
             "date_published": "2024-05"},
        ],
    }
    articles, rejections = read(json.dumps(feed), "tides.json")
    assert rejections == []
    assert [a.form for a in articles] == ["jsonfeed", "jsonfeed"]
    spring, neap = articles
    assert [a.item for a in articles] == ["tide-1", "tide-2"]
    assert {a.publisher for a in articles} == {"Tide Tables"}
    assert spring.author == "Olu Ade"
    assert spring.date == PartialDate(2024, 5, 1)
    assert neap.date == PartialDate(2024, 5)  # month precision kept
    assert spring.language == "en"
    assert texts(neap) == ["Neap tides leave the harbour mouth shallow.", "Boats should wait for noon."]


# --- Full HTML pages -----------------------------------------------------------------------------

HTML_PARAGRAPHS = (
    "The harbour board voted on Tuesday to extend the night ferry to the outer islands, a change "
    "residents had asked for since the old timetable was cut three winters ago.",
    "Skippers said the extra crossing would need a second crew, which the board agreed to hire "
    "from the mainland before the summer season begins.",
    "Islanders who work early shifts at the fish market said the change would save them a night "
    "in lodgings every week."
)
JSON_LD = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
           '"headline": "Night ferry extended to the outer islands", '
           '"datePublished": "2024-02-09T23:30:00-05:00", "author": {"@type": "Person", "name": "Rhea Moss"}, '
           '"publisher": {"@type": "Organization", "name": "The Harbour Gazette"}, '
           '"url": "https://gazette.example/ferry", "inLanguage": "en-GB"}</script>')
OPEN_GRAPH = ('<meta property="og:title" content="Ferry extended (social title)">'
              '<meta property="og:site_name" content="Gazette Social">'
              '<meta property="article:published_time" content="2024-02-11T08:00:00Z">'
              '<meta name="author" content="Meta Author">'
              '<meta property="og:url" content="https://gazette.example/ferry?utm=og">')


def html_page(head: str, h1: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in HTML_PARAGRAPHS)
    return (f'<!DOCTYPE html><html lang="en"><head><title>Ferry news | Harbour Gazette</title>{head}</head>'
            f'<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>'
            f'<article>{h1}{body}</article><footer>Contact the newsroom</footer></body></html>')


def test_html_page_json_ld_wins_over_open_graph():
    article = only_article(html_page(JSON_LD + OPEN_GRAPH), "ferry.txt")
    assert article.form == "html"
    assert article.title == "Night ferry extended to the outer islands"
    assert article.date == PartialDate(2024, 2, 9)
    assert article.author == "Rhea Moss"
    assert article.publisher == "The Harbour Gazette"
    assert article.url == "https://gazette.example/ferry"


def test_html_page_open_graph_wins_over_title_element():
    article = only_article(html_page(OPEN_GRAPH))
    assert article.title == "Ferry extended (social title)"
    assert article.date == PartialDate(2024, 2, 11)
    assert article.author == "Meta Author"
    assert article.publisher == "Gazette Social"


def test_html_page_falls_back_to_title_element():
    article = only_article(html_page(""))
    assert article.title == "Ferry news | Harbour Gazette"
    assert article.date is None
    assert article.language == "en"


def logo_page(title: str, h1s: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in HTML_PARAGRAPHS)
    return (f'<!DOCTYPE html><html lang="en"><head><title>{title}</title></head><body>'
            f'<header>{h1s.split("|")[0]}</header><article>{"".join(h1s.split("|")[1:])}{body}</article></body></html>')


def test_html_page_logo_in_h1_is_not_the_headline():
    # The first <h1> is the outlet's name, which the <title> shows as its suffix.
    page = logo_page("Fähre fährt länger – Hafenblatt", "<h1>Hafenblatt</h1>|<h1>Fähre fährt länger</h1>")
    assert only_article(page).title == "Fähre fährt länger"


def test_html_page_logo_in_h1_without_a_second_h1_gives_the_title_part():
    page = logo_page("Night ferry extended to the islands | Harbour Gazette", "<h1>Harbour Gazette</h1>|")
    assert only_article(page).title == "Night ferry extended to the islands"


def test_html_page_h1_headline_wins_over_a_different_seo_title():
    # Look-alike: the <title> has a part the <h1> does not match, but the <h1> is no outlet name.
    page = logo_page("Best ferries 2024 | Harbour Gazette", "|<h1>The night ferry now runs to the islands</h1>")
    assert only_article(page).title == "The night ferry now runs to the islands"


def test_html_page_title_loses_the_part_the_site_name_names():
    article = only_article(html_page('<meta property="og:site_name" content="Harbour Gazette">'))
    assert article.title == "Ferry news"
    assert article.publisher == "Harbour Gazette"


def test_html_page_title_part_not_named_as_the_outlet_is_kept():
    # Look-alike: a site name that is not the title's other part leaves the title whole.
    article = only_article(html_page('<meta property="og:site_name" content="Quayside Ledger">'))
    assert article.title == "Ferry news | Harbour Gazette"


def test_html_page_body_comes_from_the_article_not_the_chrome():
    article = only_article(html_page(JSON_LD, h1="<h1>Night ferry extended</h1>"))
    body = texts(article)
    for paragraph in HTML_PARAGRAPHS:
        assert paragraph in body
    assert not any("Contact the newsroom" in t for t in body)


# --- Markdown ------------------------------------------------------------------------------------

def test_markdown_front_matter_gives_metadata_and_shortcodes_are_removed():
    text = """---
title: "Seed library opens in the old post office"
date: 2024-06-12
author: Lior Benz
---

The town's first seed library opened on Saturday in the old post office.

{{< figure src="/img/jars.jpg" caption="Jars of seeds" >}}

Volunteers sorted **four hundred** packets of beans, squash and herbs.

{{% notice tip %}}Bring your own envelopes.{{% /notice %}}
"""
    article = only_article(text, "library.txt")
    assert article.form == "markdown"
    assert article.title == "Seed library opens in the old post office"
    assert article.date == PartialDate(2024, 6, 12)
    assert article.author == "Lior Benz"
    body = texts(article)
    assert "The town's first seed library opened on Saturday in the old post office." in body
    assert "Volunteers sorted four hundred packets of beans, squash and herbs." in body
    assert not any("{{" in t or "}}" in t or "figure src" in t for t in body)


def test_markdown_marked_draft_is_rejected():
    rejection = only_rejection("---\ntitle: Not yet\ndraft: true\n---\n\nUnfinished notes about the seed library.\n")
    assert "draft" in rejection.reason


FRONT_MATTERS = [
    "titel: \"Die Fähre fährt wieder\"\ndatum: 2023-11-02\nautoren: [Ana Ruiz, \"Jo Park\"]",
    "title: 'Ferry: back on Monday'\ndate: 2023-11-02T07:30:00+01:00\ntags:\n  - ferry\n  - harbour\nyes: no\nn: 012",
    "? complex key\n: value\nanchor: &a {x: 1, y: [2, 3]}\nagain: *a\nwhen: 2024-02-30",  # a date that is not one
    "title: ferry\n\tbad: tab indent",  # not YAML
    "title: \"unclosed",
    "- just\n- a list",
    "title: " + "[" * 650 + "]" * 650,  # nested past the Python parser's recursion
]


@pytest.mark.parametrize("front", FRONT_MATTERS)
def test_markdown_front_matter_reads_the_same_with_the_fast_yaml_parser_as_with_pythons(front):
    # libyaml reads the front matter when it can; what it gives (or the line saying why not)
    # must be what PyYAML's own Python parser gives.
    import yaml

    from generator.ingest import markdown_doc

    text = f"---\n{front}\n---\n\n{BODY_1}\n\n{BODY_2}\n"
    try:
        expected = ("value", yaml.safe_load(front))
    except yaml.YAMLError as exc:
        expected = ("line", f"front matter is not valid YAML: {str(exc).splitlines()[0]}")
    except (RecursionError, ValueError) as exc:
        expected = ("error", type(exc))
    try:
        got = ("value", markdown_doc._front_matter(front))
    except markdown_doc.Unreadable as exc:
        got = ("line", str(exc))
    except (RecursionError, ValueError) as exc:
        got = ("error", type(exc))
    assert got == expected
    if expected[0] == "line":  # the file's one line names the reason
        assert only_rejection(text, "ferry.md").reason == expected[1]


BREADCRUMB_MD = """[Home](https://allotments.example/) › [News](https://allotments.example/news) › Seed swap

# Seed swap draws a crowd

Dozens of gardeners traded seeds at the allotment hall on Sunday, swapping heirloom tomatoes and beans.

* Tomatoes were the most traded
* Beans came second
"""


def test_markdown_opening_with_a_breadcrumb_link_is_not_taken_for_json():
    article = only_article(BREADCRUMB_MD, "swap.txt")
    assert article.form == "markdown"
    body = texts(article)
    assert "Seed swap draws a crowd" in body
    assert "Dozens of gardeners traded seeds at the allotment hall on Sunday, swapping heirloom tomatoes and beans." in body
    assert "Tomatoes were the most traded" in body


def test_markdown_breadcrumb_whose_first_link_starts_with_a_digit_is_not_json():
    text = BREADCRUMB_MD.replace("[Home](https://allotments.example/)",
                                 "[2024 in review](https://allotments.example/2024)")
    assert only_article(text).form == "markdown"


# --- Plain text ----------------------------------------------------------------------------------

def test_plain_text_gives_one_block_per_non_empty_line():
    text = "Seed swap draws a crowd\n\n  Dozens of gardeners traded seeds at the hall.  \nMore stalls are planned.\n"
    article = only_article(text, "swap.md")
    assert article.form == "text"
    assert texts(article) == ["Seed swap draws a crowd", "Dozens of gardeners traded seeds at the hall.",
                              "More stalls are planned."]
    assert (article.title, article.date, article.author, article.publisher) == (None, None, None, None)


def test_text_without_letters_is_rejected():
    rejection = only_rejection("1234 5678\n----\n42\n")
    assert "no text" in rejection.reason


def test_form_is_sniffed_from_content_not_extension(tmp_path):
    (tmp_path / "feed.html").write_text(RSS, encoding="utf-8")
    (tmp_path / "post.md").write_text(json.dumps(wp_post()), encoding="utf-8")
    (tmp_path / "page.json").write_text(html_page(JSON_LD), encoding="utf-8")
    forms = {name: read_file(tmp_path / name, name)[0][0].form for name in ("feed.html", "post.md", "page.json")}
    assert forms == {"feed.html": "feed", "post.md": "wordpress", "page.json": "html"}


# --- Encodings, through read_file ----------------------------------------------------------------

CURLY = "The baker’s “sourdough” café opened on Mill Lane — with crème brûlée."


def read_bytes(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return read_file(path, name)


def file_lines(tmp_path, name: str, data: bytes) -> list[str]:
    articles, rejections = read_bytes(tmp_path, name, data)
    assert rejections == []
    assert len(articles) == 1
    return texts(articles[0])


def test_utf8_with_byte_order_mark(tmp_path):
    lines = file_lines(tmp_path, "bom.txt", codecs.BOM_UTF8 + f"{CURLY}\nSecond line.\n".encode("utf-8"))
    assert lines == [CURLY, "Second line."]


def test_utf8_byte_order_mark_does_not_hide_json(tmp_path):
    articles, rejections = read_bytes(tmp_path, "post.txt", codecs.BOM_UTF8 + json.dumps(wp_post()).encode())
    assert rejections == []
    assert articles[0].form == "wordpress"


def test_utf16_with_byte_order_mark(tmp_path):
    lines = file_lines(tmp_path, "wide.txt", f"{CURLY}\nSecond line.\n".encode("utf-16"))
    assert lines == [CURLY, "Second line."]


def test_windows_1252_bytes(tmp_path):
    lines = file_lines(tmp_path, "legacy.txt", b"Caf\xe9 \x93quoted\x94 opened on Mill Lane \x96 at last.\n")
    assert lines == ["Café “quoted” opened on Mill Lane – at last."]


def test_crlf_line_endings(tmp_path):
    lines = file_lines(tmp_path, "crlf.txt", b"First line here.\r\nSecond line here.\r\n\r\nThird line.\r\n")
    assert lines == ["First line here.", "Second line here.", "Third line."]


def test_crlf_front_matter_is_still_front_matter(tmp_path):
    data = b"---\r\ntitle: Seed swap\r\ndate: 2024-06-12\r\n---\r\n\r\nGardeners swapped seeds at the hall.\r\n"
    articles, rejections = read_bytes(tmp_path, "swap.md", data)
    assert rejections == []
    assert (articles[0].form, articles[0].title, articles[0].date) == ("markdown", "Seed swap", PartialDate(2024, 6, 12))


def test_utf8_mojibake_is_repaired(tmp_path):
    broken = "The baker said she donâ€™t want a quiet opening.\n".encode("utf-8")
    assert file_lines(tmp_path, "moji.txt", broken) == ["The baker said she don’t want a quiet opening."]


def test_correct_curly_quotes_are_kept_exactly(tmp_path):
    good = "She said: “I don’t want a ‘quiet’ opening” — and she meant it…"
    assert file_lines(tmp_path, "good.txt", good.encode("utf-8")) == [good]


@pytest.mark.parametrize("data, reason", [
    pytest.param(b"", "empty", id="empty-file"),
    pytest.param(b" \n\n\t \n", "empty", id="whitespace-only"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "binary", id="png-named-txt"),
    pytest.param(bytes(range(256)) * 8, "binary", id="random-bytes"),
])
def test_files_that_are_not_text_are_rejected_with_a_reason(tmp_path, data, reason):
    articles, rejections = read_bytes(tmp_path, "notes.txt", data)
    assert articles == []
    assert len(rejections) == 1
    assert rejections[0].source == "notes.txt"
    assert reason in rejections[0].reason
