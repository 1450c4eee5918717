"""Metadata a page prints rather than structures: bylines, author bios, outlet mentions and the
outlet named by a URL. Unknown stays unknown: desks and teams are not authors.

The functions of generator.clean.metadata are checked on invented lines, then a few of them end to
end through ``clean_article`` on small plain-text scrapes.
"""
from __future__ import annotations


import pytest

from generator.clean import clean_article
from generator.clean import metadata as meta
from generator.clean.rules import load_rules
from clean_helpers import CONFIG, clean_lines
from generator.model import Block, RawArticle

RULES = load_rules()

HEADLINE = "Council approves a new footbridge over the Dun"
BODY = (
    "The river council in Dunmore approved a plan on Friday to replace the old stone footbridge, which "
    "has been closed to the public since floods damaged its central arch two winters ago.",
    "Engineers told the meeting that the new bridge would be built of timber and steel, would cost about "
    "2.4 million pounds, and could open to walkers and cyclists by the end of next summer.",
    "Residents who packed the hall said they were relieved, although several asked why the work had taken "
    "so long to begin and whether the builders would keep the riverside path open."
)




# --- bylines -------------------------------------------------------------------------------------

@pytest.mark.parametrize("line, author", [
    pytest.param("By Jane Doe", "Jane Doe", id="by"),
    pytest.param("Posted by Jane Doe on May 2, 2024", "Jane Doe", id="posted-by-on-date"),
    pytest.param("Jane Doe | May 2, 2024 | 5 min read", "Jane Doe", id="name-pipe-date"),
    pytest.param("Por Ana López · 2 de mayo de 2024", "Ana López", id="spanish-por"),
    pytest.param("Par Marie-Claire Dubois, le 3 mars 2024", "Marie-Claire Dubois", id="french-par"),
    pytest.param("Von Jörg Müller am 3. März 2024", "Jörg Müller", id="german-von"),
    pytest.param("Written by Kwame Mensah", "Kwame Mensah", id="written-by"),
    pytest.param("By Jane Doe, Staff Writer", "Jane Doe", id="by-with-role"),
    pytest.param("By Jane Doe and John Roe", "Jane Doe and John Roe", id="two-authors"),
    pytest.param("Por Ana López y Luis Gil · 2 de mayo de 2024", "Ana López y Luis Gil", id="two-authors-spanish"),
    pytest.param("By Jane Doe and Staff", "Jane Doe", id="author-and-desk"),
    pytest.param("Author: Jane Doe", "Jane Doe", id="author-label"),
])
def test_byline_gives_the_author(line, author):
    assert meta.is_byline(line, RULES)
    assert meta.byline_author(line, RULES) == author


@pytest.mark.parametrize("line", [
    pytest.param("Redacción Pantalla", id="redaccion"),
    pytest.param("Redacción Pantalla | 2 de mayo de 2024", id="redaccion-with-date"),
    pytest.param("By Staff", id="by-staff"),
    pytest.param("By AP Staff", id="by-ap-staff"),
    pytest.param("By The Editors", id="by-the-editors"),
    pytest.param("By Reuters", id="by-agency"),
])
def test_desk_byline_gives_no_author(line):
    assert meta.byline_author(line, RULES) is None


def test_sentence_starting_with_by_is_not_an_author():
    assert meta.byline_author("By the way, Jane Doe said it was fine.", RULES) is None


def test_byline_under_the_headline_gives_the_author_end_to_end():
    article = clean_lines(HEADLINE, "Posted by Jane Doe on May 2, 2024", *BODY)
    assert article.author == "Jane Doe"
    assert article.date.iso == "2024-05-02"
    assert "Posted by" not in article.text


def test_desk_byline_leaves_the_author_unknown_end_to_end():
    article = clean_lines(HEADLINE, "Redacción Pantalla | 3 de marzo de 2024", *BODY)
    assert article.author is None
    assert article.date.iso == "2024-03-03"
    assert "Redacción" not in article.text


# --- author bios ---------------------------------------------------------------------------------

@pytest.mark.parametrize("line, name", [
    pytest.param("Jane Doe is a senior reporter at the Dunmore Courier who covers councils.", "Jane Doe",
                 id="is-a-senior-reporter"),
    pytest.param("Jane Doe covers transport and local government for the Courier.", "Jane Doe", id="covers"),
    pytest.param("Jane Doe has written about rivers and bridges for a decade.", "Jane Doe", id="has-written-about"),
    pytest.param("Marie Dubois est une journaliste spécialisée dans les transports.", "Marie Dubois",
                 id="french-est-une-journaliste"),
    pytest.param("Hi there! I'm Priya and I write about houseplants.", "Priya", id="first-person-blogger"),
    pytest.param("Ana López es una periodista especializada en transporte y medio ambiente.", "Ana López",
                 id="spanish-es-una-periodista"
                 ),
])
def test_bio_names_its_subject(line, name):
    assert meta.bio_name(line, RULES) == name


@pytest.mark.parametrize("line", [
    pytest.param("Morag Ellis is the council leader and has led it since 2019.", id="official-described"),
    pytest.param("Jane Doe said the reporter had left before the vote.", id="said-the-reporter"),
    pytest.param("The council is a body that covers the whole valley.", id="body-covers"),
])
def test_sentence_about_a_person_is_not_a_bio(line):
    assert meta.bio_name(line, RULES) is None


def test_bio_after_the_body_is_dropped_and_names_the_author():
    bio = "Jane Doe covers transport and local government for the Dunmore Courier."
    article = clean_lines(HEADLINE, *BODY, bio, "Her last story was about the ring road.")
    assert article.author == "Jane Doe"
    assert bio not in article.text
    assert "ring road" not in article.text
    assert list(BODY) == [b.text for b in article.blocks]


# --- outlets named on the page ---------------------------------------------------------------------

@pytest.mark.parametrize("line, publisher", [
    pytest.param("If you buy through a Foo link, we may earn an affiliate commission.", "Foo", id="affiliate"),
    pytest.param("Foo Bar is reader-supported. When you buy through links on our site, we may earn a fee.",
                 "Foo Bar", id="reader-supported"),
    pytest.param("© 2024 Foo Bar Media. All rights reserved.", "Foo Bar", id="copyright-with-suffix"),
    pytest.param("© 2023 Dunmore Courier", "Dunmore Courier", id="copyright"),
    pytest.param("I work as an editor for FooBar and write about gadgets.", "FooBar", id="work-for"),
    pytest.param("Jane Doe writes for The Harbour Gazette.", "The Harbour Gazette", id="writes-for"),
    pytest.param("Before joining Clay Weekly in 2019, she ran a pottery in Leeds.", "Clay Weekly",
                 id="before-joining-sentence-start"
                 ),
])
def test_publisher_mention_names_the_outlet(line, publisher):
    assert meta.publisher_mentions([line], RULES) == [publisher]


@pytest.mark.parametrize("line", [
    pytest.param("She said the bridge would open in spring.", id="plain-sentence"),
    pytest.param("If you buy through our links, we may earn a commission.", id="no-outlet-named"),
    pytest.param("The mayor works for the city and lives by the river.", id="works-for-lowercase"),
])
def test_no_publisher_mention(line):
    assert meta.publisher_mentions([line], RULES) == []


def test_affiliate_note_gives_the_publisher_end_to_end():
    note = "If you buy through a Grovely link, we may earn an affiliate commission."
    article = clean_lines(HEADLINE, "By Jane Doe", note, *BODY)
    assert article.publisher == "Grovely"
    assert note not in article.text


def test_copyright_line_gives_the_publisher_end_to_end():
    article = clean_lines(HEADLINE, *BODY, "© 2024 Dunmore Courier Media. All rights reserved.")
    assert article.publisher == "Dunmore Courier"
    assert "©" not in article.text


# --- the outlet a URL names ------------------------------------------------------------------------

def test_outlet_from_url_skips_cms_prefix_and_country_suffix():
    name = meta.outlet_from_url("https://cms.example-news.co.uk/x")
    assert name is not None
    assert name.lower().replace(" ", "-") == "example-news"


@pytest.mark.parametrize("url, outlet", [
    pytest.param("https://www.softwire.io/a", "Softwire", id="www"),
    pytest.param("https://cms-articles.softbox.io/en/story", "Softbox", id="cms-articles"),
    pytest.param("https://blog.example.com:8080/post", "Example", id="port"),
    pytest.param("https://news.harbour.co.uk/1", "Harbour", id="news-co-uk"),
])
def test_outlet_from_url(url, outlet):
    assert meta.outlet_from_url(url) == outlet


@pytest.mark.parametrize("url", [None, "", "https://localhost/x", "not a url"])
def test_no_outlet_without_a_registrable_host(url):
    assert meta.outlet_from_url(url) is None


def test_url_outlet_is_the_last_resort_for_the_publisher():
    raw = RawArticle("post.json", None, "wordpress", tuple(Block("p", p) for p in BODY),
                     title=HEADLINE, url="https://www.dunmorecourier.example/bridge")
    article = clean_article(raw, CONFIG)
    assert article.publisher == "Dunmorecourier"
