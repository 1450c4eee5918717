"""The cleaner, on random raw articles as any reader might give them (hostile inline markup,
hostile URLs and metadata, control characters, any block kinds): it gives an article or a
rejection, never an exception, and a cleaned article renders with nothing live in any file."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.clean import clean_article
from generator.model import Article, Block, PartialDate, RawArticle, Rejection
from properties import CONFIG, PROPERTIES, assert_renders_safely
from render_helpers import HOSTILE_SNIPPETS

PROSE = (
    "The studio said on Monday that it would test Sora on twelve scenes of its next film, and its animators agreed.",
    "Executives told reporters in Atlanta that the first tests cost far less than a location shoot would have.",
    "The union asked for clear rules on how performers would be paid when their likeness appears on screen.",
    "Critics who saw the footage said the generated streets looked convincing but lacked the texture of a set.",
    "OpenAI declined to comment on the talks, and the studio would not say when the film reaches cinemas.",
)
SENTENCES = PROSE + ("By Dana Whitcombe | March 5, 2024", "Share this article", "Subscribe to our newsletter",
                     "Advertisement", "Read more: Sora goes to Hollywood", "This article was machine translated.")
URLS = ("https://news.example/a", "http://news.example/b?x=1#y", "javascript:alert(1)", " JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>", "vbscript:x", "//evil.example/x", "/relative", "",
        "https://news.example/\"><script>alert(1)</script>", "http://[bad")
hostile = st.sampled_from(HOSTILE_SNIPPETS)
awkward = st.text(st.characters(blacklist_categories=("Cs",)) | st.sampled_from("\x00\x01\x1b\x7f\x85\ufffe\u202e"),
                  max_size=40)
surrogate = st.sampled_from(["\ud800", "\udcff", "x\udc80y"])
texts = st.one_of(st.sampled_from(SENTENCES), hostile, awkward, surrogate,
                  st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4).map(" ".join))
inline = st.one_of(st.just(""), hostile,
                   st.tuples(st.sampled_from(SENTENCES), hostile, st.sampled_from(SENTENCES)).map(" ".join))
noise = st.builds(Block, kind=st.sampled_from(["p", "p", "p", "h1", "h2", "h3", "h4", "quote", "li", "link"]),
                  text=texts, html=inline, href=st.one_of(st.none(), st.sampled_from(URLS)),
                  cls=st.one_of(st.just(""), st.sampled_from(["share-bar", "ad", "article-body", "nav"]), awkward))


@st.composite
def prose(draw) -> Block:
    """A paragraph the cleaner keeps as article text, its inline markup carrying hostile parts."""
    sentences = draw(st.lists(st.sampled_from(PROSE), min_size=2, max_size=3))
    markup = [draw(st.one_of(st.just(s), st.tuples(st.just(s), hostile).map(" ".join))) for s in sentences]
    return Block("p", " ".join(sentences), " ".join(markup))


blocks = st.one_of(prose(), prose(), noise)
dates = st.one_of(st.none(), st.builds(PartialDate, st.integers(1, 9999)),
                  st.builds(PartialDate, st.integers(1900, 2100), st.integers(1, 12), st.integers(1, 28)))
optional = st.one_of(st.none(), texts)
raw_articles = st.builds(
    RawArticle, source=st.sampled_from(["a.txt", "feed.xml", "weird name <x>.md"]),
    item=st.one_of(st.none(), texts), form=st.sampled_from(["text", "html", "feed", "jsonfeed", "wordpress", "markdown"]),
    blocks=st.lists(blocks, max_size=25).map(tuple), title=optional, date=dates, author=optional,
    publisher=optional, url=st.one_of(st.none(), st.sampled_from(URLS)),
    language=st.one_of(st.none(), st.sampled_from(["en", "fr", "EN-us", "xx", '" onload="alert(1)'])),
    summary=optional)


@settings(PROPERTIES, max_examples=350)
@given(raw_articles)
def test_the_cleaner_gives_an_article_or_a_rejection(raw):
    cleaned = clean_article(raw, CONFIG)
    assert isinstance(cleaned, (Article, Rejection))
    if isinstance(cleaned, Rejection):
        assert cleaned.reason and "\n" not in str(cleaned)
    else:
        assert cleaned.title and cleaned.blocks and cleaned.language


@settings(PROPERTIES, max_examples=100)
@given(raw_articles)
def test_a_cleaned_article_renders_with_nothing_live(raw):
    cleaned = clean_article(raw, CONFIG)
    if isinstance(cleaned, Article):
        assert_renders_safely(cleaned)
