"""Hostile markup in article bodies: whatever the input form carries (scripts, event handlers,
javascript: and data: URLs, SVG, styles, frames), the cleaned article keeps the prose and only
inert inline markup (links to http(s), emphasis); an embedded frame with an https source becomes a
plain link block.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from generator.clean import clean_article
from generator.config import load_config
from generator.ingest import Document, read_document
from generator.model import Article

CONFIG = load_config(Path(__file__).resolve().parents[1] / "digest.toml")
FORBIDDEN = ("<script", "onerror", "onload", "onclick", "onmouseover", "javascript:", "data:text",
             "<iframe", "<svg", "<style", "style=", "alert(")
VIDEO = "https://video.example/embed/council-meeting"

PROSE = (
    "The river council in Dunmore approved a plan on Friday to replace the old stone footbridge, which has "
    "been closed to the public since floods damaged its central arch two winters ago.",
    "Engineers told the meeting that the new bridge would be built of timber and steel, would cost about 2.4 "
    "million pounds, and could open to walkers and cyclists by the end of next summer.",
    "Residents who packed the hall said they were relieved, although several asked why the plan had taken so "
    "long to begin and whether the builders would keep the riverside path open.",
    "The council leader, Morag Ellis, said the delay was caused by a long dispute over insurance, and promised "
    "that the path would stay open.",
)
HOSTILE_BODY = (
    '<p>The river council in Dunmore approved a plan on Friday <img src="x" onerror="alert(1)"> to replace the '
    'old stone footbridge, which has been <a href="javascript:alert(1)">closed to the public</a> since floods '
    'damaged its central arch two winters ago.</p>'
    '<script>alert("body")</script>'
    '<p onclick="steal()">Engineers told the meeting that the new bridge would be built of '
    '<a href="JaVaScRiPt:alert(2)">timber and steel</a>, would cost about <a href=" javascript:alert(3)">2.4 '
    'million pounds</a>, and could open to <a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==">'
    'walkers and cyclists</a> by the end of next summer.</p>'
    '<iframe src="javascript:alert(5)"></iframe>'
    '<svg onload="alert(6)"><circle r="3"/></svg>'
    '<style>body { background: url(javascript:alert(7)) }</style>'
    '<p style="background:url(javascript:alert(8))">Residents who packed the hall said they were relieved, '
    'although several asked why <a href="https://dunmore.example/plan" onmouseover="alert(9)">the plan</a> had '
    'taken so long <a href="java&#x09;script:alert(10)">to begin</a> and whether the builders would keep the '
    'riverside path open.</p>'
    f'<iframe src="{VIDEO}" title="Council meeting video" onload="alert(11)"></iframe>'
    '<p>The council leader, Morag Ellis, said the delay was caused by <em onmouseover="alert(12)">a long '
    'dispute</em> over insurance, and promised that the path would stay open.</p>'
    '<object data="data:text/html,&lt;script&gt;alert(13)&lt;/script&gt;"></object>'
)


def wordpress(body: str) -> str:
    return json.dumps({
        "id": 1, "date": "2024-03-03T10:00:00", "link": "https://dunmore.example/bridge",
        "title": {"rendered": "Footbridge <script>alert(0)</script>approved"},
        "content": {"rendered": body},
    })


def html_page(body: str) -> str:
    return ('<!DOCTYPE html><html lang="en"><head><title>Footbridge approved</title>'
            '<script>alert("head")</script></head><body onload="alert(0)"><article>'
            f'<h1>Footbridge approved</h1>{body}</article></body></html>')


def markdown(body: str) -> str:
    return "---\ntitle: Footbridge approved\n---\n\n" + body + "\n"


def rss(body: str) -> str:
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Dunmore Courier</title>'
            '<item><title>Footbridge approved</title><link>https://dunmore.example/bridge</link>'
            f'<guid>bridge-1</guid><description>{html.escape(body)}</description></item></channel></rss>')


FORMS = {"wordpress": wordpress, "html": html_page, "markdown": markdown, "feed": rss}


def cleaned(form: str, body: str = HOSTILE_BODY) -> Article:
    articles, rejections = read_document(Document(f"hostile.{form}", FORMS[form](body)))
    assert rejections == []
    article = clean_article(articles[0], CONFIG)
    assert isinstance(article, Article), article
    return article


@pytest.fixture(scope="module", params=list(FORMS))
def article(request) -> Article:
    return cleaned(request.param)


def test_prose_survives_the_hostile_markup(article):
    for paragraph in PROSE:
        assert paragraph in article.text


def test_nothing_executable_is_left_in_any_block(article):
    for block in article.blocks:
        for value in (block.text, block.html, block.href or ""):
            for bad in FORBIDDEN:
                assert bad not in value.lower(), (bad, block)


def test_title_carries_no_markup(article):
    assert "<" not in article.title and ">" not in article.title


def test_only_inert_inline_markup_is_kept(article):
    for block in article.blocks:
        for tag in re.findall(r"</?\s*([a-zA-Z0-9]+)", block.html):
            assert tag.lower() in {"a", "em", "strong", "code"}, block.html
        for href in re.findall(r'href="([^"]*)"', block.html):
            assert href.startswith(("https://", "http://")), href


def test_safe_link_is_kept_without_its_handler(article):
    paragraph = next(b for b in article.blocks if b.text.startswith("Residents who packed the hall"))
    assert '<a href="https://dunmore.example/plan">the plan</a>' in paragraph.html


def test_link_with_a_hostile_url_keeps_its_words_only(article):
    paragraph = next(b for b in article.blocks if b.text.startswith("Engineers told the meeting"))
    assert "timber and steel" in paragraph.text
    assert "<a " not in paragraph.html


@pytest.mark.parametrize("form", ["wordpress", "markdown", "feed"])
def test_https_iframe_becomes_a_link_block(form):
    links = [b for b in cleaned(form).blocks if b.kind == "link"]
    assert [b.href for b in links] == [VIDEO]
    assert links[0].text == "Council meeting video"


def test_https_iframe_in_a_full_html_page_becomes_a_link_block():
    assert [b.href for b in cleaned("html").blocks if b.kind == "link"] == [VIDEO]


def test_escaped_markup_stays_text_not_markup():
    body = "<p>" + PROSE[0][:-1] + ", and a sign read &lt;script&gt;alert(1)&lt;/script&gt; in chalk.</p>" + \
           "".join(f"<p>{p}</p>" for p in PROSE[1:])
    block = cleaned("wordpress", body).blocks[0]
    assert "<script>alert(1)</script>" in block.text  # what the page showed, as words
    assert "<script" not in block.html and "&lt;script&gt;" in block.html


def test_paragraphs_after_an_embed_survive():
    body = (f"<p>{PROSE[0]}</p><p>{PROSE[1]}</p>"
            '<embed src="https://media.example/clip.mp4" type="video/mp4">'
            f"<p>{PROSE[2]}</p><p>{PROSE[3]}</p>")
    article = cleaned("wordpress", body)
    for paragraph in PROSE:
        assert paragraph in article.text
