"""Every reader, on random and mutated inputs: it reads articles or rejects the file, never
crashes, and whatever it reads is cleaned and rendered with nothing live from the source."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.clean import clean_article
from generator.ingest import Document, read_document, read_file
from generator.model import Article, RawArticle, Rejection
from properties import CONFIG, PROPERTIES, assert_renders_safely
from render_helpers import HOSTILE_SNIPPETS

BODY = ("The studio said on Monday that it would test Sora on twelve scenes of its next film, and its "
        "animators would work beside the model for a month before any decision was made. Executives told "
        "reporters the tests cost far less than a location shoot, while the union asked for clear rules on "
        "how performers would be paid for their likeness.")


def wordpress(h: str) -> str:
    return json.dumps({
        "id": 7, "link": "https://news.example/sora-studio", "date": "2024-03-05T10:00:00",
        "title": {"rendered": f"Studio tests Sora {h}"}, "excerpt": {"rendered": f"<p>{h}</p>"},
        "content": {"rendered": f"<p>{BODY} {h}</p><p>{h}{BODY}</p><figure><iframe src=\"{h}\"></iframe></figure>"},
        "_embedded": {"author": [{"name": h}]},
        "yoast_head_json": {"og_site_name": h, "canonical": "javascript:alert(1)", "og_locale": h},
    })


def json_feed(h: str) -> str:
    item = {"id": h, "url": "javascript:alert(1)", "title": h, "summary": h, "language": h,
            "content_html": f"<p>{BODY}</p><p>{h} {BODY}</p>", "authors": [{"name": h}]}
    second = {"id": "2", "url": "https://news.example/2", "title": "Second", "content_text": f"{BODY}\n\n{h}"}
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": h, "items": [item, second]})


def rss(h: str) -> str:
    escaped = h.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (f'<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>{escaped}</title><language>en</language><item><title>{escaped}</title>"
            f"<link>https://news.example/rss</link><guid>{escaped}</guid><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>"
            f"<description>{escaped}</description><content:encoded><![CDATA[<p>{BODY}</p><p>{h} {BODY}</p>]]>"
            f"</content:encoded></item></channel></rss>")


def atom(h: str) -> str:
    escaped = h.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{escaped}</title>'
            f"<entry><title type=\"html\">{escaped}</title><id>urn:uuid:{escaped}</id>"
            f'<link href="{escaped}"/><updated>2024-03-05T10:00:00Z</updated><author><name>{escaped}</name></author>'
            f'<content type="html">&lt;p&gt;{BODY}&lt;/p&gt;&lt;p&gt;{escaped} {BODY}&lt;/p&gt;</content>'
            f"</entry></feed>")


def html_page(h: str) -> str:
    ld = json.dumps({"@type": "NewsArticle", "headline": h, "author": {"name": h}, "url": "javascript:alert(1)",
                     "datePublished": "2024-03-05"})
    return (f'<!doctype html><html lang="en"><head><title>{h}</title><meta property="og:title" content="{h}">'
            f'<script type="application/ld+json">{ld}</script><script>alert(0)</script></head>'
            f'<body onload="alert(2)"><nav>Home | Sections</nav><article><h1>Studio tests Sora {h}</h1>'
            f"<p>{BODY}</p><p>{h}</p><p>{BODY} {h}</p><p><a href=\"/relative\">{h}</a> {BODY}</p>"
            f"</article><footer>{h}</footer></body></html>")


def markdown(h: str) -> str:
    return (f"---\ntitle: {json.dumps(h)}\nauthor: {json.dumps(h)}\nurl: {json.dumps(h)}\ndate: 2024-03-05\n---\n\n"
            f"# Studio tests Sora\n\n{BODY} {h}\n\n**{h}** [a link](javascript:alert(1)) {BODY}\n\n> {h}\n\n- {h}\n")


def plain_text(h: str) -> str:
    return f"Studio tests Sora on a new film\nBy Dana Whitcombe | March 5, 2024\n\n{BODY} {h}\n\n{h}\n\n{BODY}\n"


FORMS = {"wordpress": wordpress, "jsonfeed": json_feed, "rss": rss, "atom": atom, "html": html_page,
         "markdown": markdown, "text": plain_text}
SUFFIX = {"wordpress": "json", "jsonfeed": "json", "rss": "xml", "atom": "xml", "html": "html",
          "markdown": "md", "text": "txt"}
hostile = st.sampled_from(HOSTILE_SNIPPETS)


def test_the_unmutated_documents_are_read_as_their_form_and_cleaned():
    for form, make in FORMS.items():
        articles, rejections = read_document(Document(f"doc.{SUFFIX[form]}", make(HOSTILE_SNIPPETS[0])))
        assert articles and not rejections, form
        assert articles[0].form == {"rss": "feed", "atom": "feed"}.get(form, form)
        assert isinstance(clean_article(articles[0], CONFIG), Article), form


@st.composite
def mutated(draw, form: str | None = None) -> tuple[str, str]:
    """A small valid document of one form, with hostile markup in it, then mutated a few times."""
    form = form or draw(st.sampled_from(sorted(FORMS)))
    text = FORMS[form](draw(hostile))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        end = draw(st.integers(at, min(len(text), at + 200)))
        operation = draw(st.sampled_from(["insert", "delete", "duplicate", "replace", "truncate"]))
        if operation == "insert":
            text = text[:at] + draw(st.one_of(hostile, st.text(max_size=20))) + text[at:]
        elif operation == "delete":
            text = text[:at] + text[end:]
        elif operation == "duplicate":
            text = text[:end] + text[at:end] + text[end:]
        elif operation == "replace":
            text = text[:at] + draw(st.characters()) + text[at + 1:]
        else:
            text = text[:at]
    return form, text


def read_and_clean(source: str, text: str) -> list[Article]:
    """Read a document and clean what it gives; any exception fails the test."""
    articles, rejections = read_document(Document(source, text))
    assert all(isinstance(a, RawArticle) for a in articles)
    assert all(isinstance(r, Rejection) and r.reason and "\n" not in str(r) for r in rejections)
    assert articles or rejections
    cleaned = [clean_article(raw, CONFIG) for raw in articles[:3]]
    return [a for a in cleaned if isinstance(a, Article)]


@settings(PROPERTIES, max_examples=800)
@given(st.binary(max_size=3000))
def test_any_bytes_are_read_or_rejected(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "seed"
        path.write_bytes(data)
        articles, rejections = read_file(path, "seed")
    assert articles or rejections


@settings(PROPERTIES, max_examples=600)
@given(st.sampled_from(["", "{", "[", "<rss>", "<feed>", "<html>", "---\n", "# ", "<?xml version='1.0'?>"]),
       st.text(max_size=1500))
def test_any_text_in_any_form_is_read_or_rejected(opening, text):
    read_and_clean("seed.txt", opening + text)


@settings(PROPERTIES, max_examples=1000)
@given(mutated())
def test_mutated_documents_are_read_or_rejected(document):
    form, text = document
    read_and_clean(f"doc.{SUFFIX[form]}", text)


@settings(PROPERTIES, max_examples=200)
@given(mutated())
def test_whatever_is_read_from_a_hostile_document_renders_with_nothing_live(document):
    form, text = document
    for article in read_and_clean(f"doc.{SUFFIX[form]}", text):
        assert_renders_safely(article)
