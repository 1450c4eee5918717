"""Sniffing a file's form from its structure: feeds whatever their prolog or version, HTML when it
is built as a page, text and Markdown that quote markup stay what they are, and UTF-16/32 text
without a byte-order mark is decoded. Each case has a look-alike that must go the other way.

All inputs are small invented documents written for these tests.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.ingest import Document, read_document, read_file
from properties import PROPERTIES

PROSE_1 = "Potters in the valley fire their wood kilns only twice a year, in April and in October."
PROSE_2 = "Each firing lasts three days and uses about four tonnes of split larch from the hill farms."


def form_of(text: str) -> str:
    articles, rejections = read_document(Document("seed", text))
    assert articles, rejections
    return articles[0].form


def rejection_of(text: str) -> str:
    articles, rejections = read_document(Document("seed", text))
    assert not articles
    return rejections[0].reason


# --- feeds -------------------------------------------------------------------------------------

RSS_091 = """<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Valley Kilns</title><link>http://kilns.example/</link>
<description>Kiln news</description><language>en-gb</language>
<item><title>Spring firing begins</title><link>http://kilns.example/spring</link>
<description>{body}</description></item></channel></rss>"""

RSS_10_RDF = """<?xml version="1.0"?>
<!-- exported by a feed tool -->
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="http://talleres.example/"><title>Talleres del Valle</title>
<link>http://talleres.example/</link><description>Noticias</description></channel>
<item rdf:about="http://talleres.example/horno"><title>El horno se enciende en abril</title>
<link>http://talleres.example/horno</link><description>{body}</description></item></rdf:RDF>"""

ATOM_AFTER_PI = """<?xml version="1.0" encoding="utf-8"?>
<?xml-stylesheet type="text/xsl" href="style.xsl"?>
<!-- Généré automatiquement -->
<feed xmlns="http://www.w3.org/2005/Atom"><title>Fours de la vallée</title>
<id>urn:fours</id><updated>2024-04-02T10:00:00Z</updated>
<entry><title>La cuisson de printemps</title><id>urn:fours:1</id><updated>2024-04-02T10:00:00Z</updated>
<content type="html">{body}</content></entry></feed>"""


@pytest.mark.parametrize("template, title", [
    pytest.param(RSS_091, "Spring firing begins", id="rss-0.91-with-doctype"),
    pytest.param(RSS_10_RDF, "El horno se enciende en abril", id="rss-1.0-rdf-after-comment"),
    pytest.param(ATOM_AFTER_PI, "La cuisson de printemps", id="atom-after-stylesheet-pi"),
])
def test_a_feed_is_a_feed_whatever_its_prolog_or_version(template, title):
    articles, rejections = read_document(Document("kilns.xml", template.format(body=PROSE_1)))
    assert rejections == []
    assert [(a.form, a.title) for a in articles] == [("feed", title)]


def test_xml_that_is_not_a_feed_is_not_read_as_one():
    # A DOCTYPE and an <item> element, but the root is not a feed: no feed items come out of it.
    text = f"""<?xml version="1.0"?>\n<!DOCTYPE inventory SYSTEM "inv.dtd">
<inventory><item><title>Kiln shelf</title><note>{PROSE_1}</note></item></inventory>"""
    assert form_of(text) != "feed"


def test_rdf_metadata_without_a_channel_is_not_a_feed():
    text = f"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description about="urn:x"><note>{PROSE_1}</note></rdf:Description></rdf:RDF>"""
    assert form_of(text) != "feed"


# --- HTML or text ------------------------------------------------------------------------------

PAGE_WITHOUT_DOCTYPE = f"""<html lang="en">
<head><title>Spring firing</title></head>
<body><article><h1>Spring firing begins</h1><p>{PROSE_1}</p><p>{PROSE_2}</p></article></body>
</html>"""


@pytest.mark.parametrize("text", [
    pytest.param(PAGE_WITHOUT_DOCTYPE, id="page-without-doctype"),
    pytest.param("<!DOCTYPE html>" + PAGE_WITHOUT_DOCTYPE, id="page-with-doctype"),
    pytest.param(PAGE_WITHOUT_DOCTYPE.replace("\n", ""), id="minified-one-line-page"),
    pytest.param(f"<head><meta charset=utf-8><title>Cuisson</title></head>\n<body>\n<p>{PROSE_1}</p>\n"
                 f"<p>{PROSE_2}</p>\n</body>", id="page-without-html-element"),
    pytest.param("Saved from http://kilns.example/spring on 2 April\n\n" + PAGE_WITHOUT_DOCTYPE,
                 id="page-after-a-saved-header-line"),
    pytest.param("<!-- saved copy -->\n" + PAGE_WITHOUT_DOCTYPE, id="page-after-a-comment"),
])
def test_a_page_built_as_html_is_read_as_html(text):
    assert form_of(text) == "html"


@pytest.mark.parametrize("text", [
    pytest.param(f"Every page starts with <html> and keeps its content in <body>. {PROSE_1}\n\n{PROSE_2}\n",
                 id="prose-naming-tags-mid-sentence"),
    pytest.param(f"<html> est l'élément racine de toute page, et <body> en porte le texte.\n\n"
                 f"{PROSE_1}\n\n{PROSE_2}\n", id="french-prose-opening-with-a-tag"),
    pytest.param(f"<html> ist das Wurzelelement. {PROSE_1} {PROSE_2}", id="one-line-prose-opening-with-a-tag"),
])
def test_text_that_quotes_markup_stays_text(text):
    assert form_of(text) == "text"


def test_markdown_that_quotes_html_stays_markdown():
    text = (f"# Building a first page\n\n{PROSE_1}\n\n```html\n<!DOCTYPE html>\n<html>\n<head><title>x</title></head>\n"
            f"<body><p>Hello</p></body>\n</html>\n```\n\nThe **body** element holds the text; see "
            f"[the guide](https://guide.example/body).\n\n{PROSE_2}\n")
    assert form_of(text) == "markdown"


def test_markdown_opening_with_an_html_banner_stays_markdown():
    text = (f'<p align="center"><img src="logo.png"></p>\n\n# Kiln notes\n\n{PROSE_1}\n\n'
            f"- **April**: the spring firing\n- **October**: the autumn one\n\n{PROSE_2}\n")
    assert form_of(text) == "markdown"


# --- UTF-16 and UTF-32 without a byte-order mark -----------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("text", [
    pytest.param(f"{PROSE_1}\n{PROSE_2}\n", id="english"),
    pytest.param("Гончары обжигают печи дважды в год, в апреле и в октябре.\nОбжиг длится три дня.\n", id="russian"),
    pytest.param("窯は年に二回、四月と十月に焚かれる。\n焼成は三日間 続く。 2024\n", id="japanese"),
])
def test_wide_text_without_byte_order_mark_is_decoded(tmp_path, encoding, text):
    path = tmp_path / "wide.txt"
    path.write_bytes(text.encode(encoding))
    articles, rejections = read_file(path, "wide.txt")
    assert rejections == []
    assert [b.text for b in articles[0].blocks] == text.strip().split("\n")


@pytest.mark.parametrize("data", [
    pytest.param(bytes(range(256)) * 8, id="all-byte-values"),
    pytest.param(b"\x00\x01\x00\x02" * 500, id="nul-every-other-byte-but-control-codes"),
    pytest.param(b"SQLite format 3\x00" + bytes([7, 0, 0, 12, 0, 65, 0, 0]) * 300, id="nuls-at-every-offset"),
])
def test_binary_with_nul_bytes_is_still_refused(tmp_path, data):
    path = tmp_path / "notes.txt"
    path.write_bytes(data)
    articles, rejections = read_file(path, "notes.txt")
    assert articles == []
    assert "binary" in rejections[0].reason


# --- properties ----------------------------------------------------------------------------------

WORDS = st.lists(st.sampled_from(["kiln", "the", "fired", "Potters", "April", "valley", "und", "le", "four"]),
                 min_size=3, max_size=12).map(" ".join)


@settings(PROPERTIES, max_examples=200)
@given(st.lists(st.tuples(WORDS, st.sampled_from(["<html>", "<body>", "<head>", "</body>", "<p>"]), WORDS),
                min_size=1, max_size=8))
def test_prose_lines_naming_tags_mid_sentence_are_never_html(lines):
    text = "\n\n".join(f"{before} {tag} {after}." for before, tag, after in lines)
    assert form_of(text + f"\n\n{PROSE_1}") in ("text", "markdown")


@settings(PROPERTIES, max_examples=200)
@given(st.lists(st.sampled_from(["<!-- note -->", "<?pi data?>", "\n", "  "]), max_size=5),
       st.sampled_from([RSS_091, RSS_10_RDF, ATOM_AFTER_PI]))
def test_feeds_stay_feeds_whatever_comes_before_the_root(prolog, template):
    text = template.format(body=PROSE_1)
    declaration, rest = (text.split("\n", 1) if text.startswith("<?xml ") else ("", text))
    assert form_of(declaration + "\n" + "".join(prolog) + rest) == "feed"
