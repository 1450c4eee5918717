"""Cleaning plain-text scrapes end to end: what is left of an invented page after ``clean_article``
(headline, byline, date, outlet, body) and what is gone (chrome, bio, tags, comments, injected ads).

Raw articles are built the way generator/ingest/plain_text.py builds them: one ``p`` block per
non-empty line.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.clean import clean_article
from generator.config import load_config
from generator.model import Article, Block, PartialDate, RawArticle, Rejection

CONFIG = load_config(Path(__file__).resolve().parents[1] / "digest.toml")


def raw_text(text: str, source: str = "scrape.txt") -> RawArticle:
    lines = [line.strip() for line in text.split("\n")]
    return RawArticle(source, None, "text", tuple(Block("p", line) for line in lines if line))


def clean(text: str) -> Article:
    article = clean_article(raw_text(text), CONFIG)
    assert isinstance(article, Article), article
    return article


# --- a page scrape with lines ----------------------------------------------------------------------

BODY = (
    "The river council in Dunmore approved a plan on Friday to replace the old stone footbridge, which "
    "has been closed to the public since floods damaged its central arch two winters ago.",
    "Engineers told the meeting that the new bridge would be built of timber and steel, would cost about "
    "2.4 million pounds, and could open to walkers and cyclists by the end of next summer.",
    "Residents who packed the hall said they were relieved, although several asked why the work had taken "
    "so long to begin and whether the builders would keep the riverside path open.",
    "The council leader, Morag Ellis, said the delay was caused by a long dispute over insurance, and "
    "promised that the path would stay open for most of the construction period.",
)
BIO = ("Jane Doe is a senior reporter at the Dunmore Courier, where she covers local government, "
       "transport and the environment.")
COMMENT = ("Great news at last, I walk the dog along that path every morning and have missed the bridge "
           "for two whole years now.")
SCRAPE = f"""Dunmore Courier
Home | News | Sport | Opinion | Weather
Council approves a new footbridge over the Dun
By Jane Doe | March 3, 2024
{BODY[0]}
{BODY[1]}
Read more: Flood defences to be raised along the Dun
{BODY[2]}
{BODY[3]}
{BIO}
Tags: bridges, council, Dunmore
3 comments
Bob Tanner
{COMMENT}
© 2024 Dunmore Courier. All rights reserved.
"""


@pytest.fixture(scope="module")
def scrape() -> Article:
    return clean(SCRAPE)


def test_scrape_headline_byline_and_date(scrape):
    assert scrape.title == "Council approves a new footbridge over the Dun"
    assert scrape.title_derived is False
    assert scrape.author == "Jane Doe"
    assert scrape.date == PartialDate(2024, 3, 3)
    assert scrape.date.precision == "day"


def test_scrape_publisher_is_the_masthead(scrape):
    assert scrape.publisher == "Dunmore Courier"


def test_scrape_body_is_every_real_paragraph_in_order(scrape):
    assert [b.text for b in scrape.blocks] == list(BODY)


def test_scrape_chrome_and_end_matter_are_gone(scrape):
    text = scrape.text
    for gone in ("Home | News", "Read more", "Flood defences", "is a senior reporter", "Tags:",
                 "3 comments", "Bob Tanner", COMMENT, "©", "By Jane Doe"):
        assert gone not in text


def test_scrape_language_is_detected(scrape):
    assert scrape.language == "en"


# --- a single-line blob -----------------------------------------------------------------------------

SENTENCES = (
    "The town of Harwick will open its first public sauna on the harbour front this winter, the parks "
    "department said on Tuesday.",
    "The wooden building, which seats forty people, was paid for by a grant from a regional tourism fund "
    "and by donations from shops along the quay.",
    "Officials said tickets would cost five pounds for adults and that swimmers could take a dip in the "
    "sea between sessions.",
    "The project has been popular with residents, who collected more than three thousand signatures for "
    "it last year.",
    "Some fishermen had objected that the sauna would take up space on the quay where they mend their nets.",
    "After several meetings, the council agreed to move the building twenty metres to the east, away from "
    "the working part of the harbour.",
    "The parks department expects the sauna to draw visitors from outside the town during the quiet months.",
    "A similar sauna in a nearby port has sold out most weekends since it opened two years ago, according "
    "to its operators.",
    "Local cafes said they hoped the extra visitors would help them stay open through the winter.",
    "The sauna is due to open in the first week of December, weather permitting.",
)
INJECTED_HEADLINE = "Ten Coastal Walks To Try This Autumn"
PIPE_AD = "Is this the best savings account? | Money Tips"
BLOB = (" date 2023-11 " + " ".join(SENTENCES[:3])
        + f" Read more: {INJECTED_HEADLINE} " + " ".join(SENTENCES[3:5])
        + f" {PIPE_AD} " + " ".join(SENTENCES[5:]))


@pytest.fixture(scope="module")
def blob() -> Article:
    assert "\n" not in BLOB and len(BLOB) > 1200
    return clean(BLOB)


def test_blob_leading_stamp_gives_a_month_precise_date(blob):
    assert blob.date == PartialDate(2023, 11)
    assert blob.date.precision == "month"
    assert "2023-11" not in blob.text


def test_blob_keeps_every_real_sentence_verbatim(blob):
    joined = "\n".join(b.text for b in blob.blocks)
    for sentence in SENTENCES:
        assert sentence in joined


def test_blob_injections_are_gone(blob):
    for injected in ("Read more", INJECTED_HEADLINE, "savings account", "Money Tips", "|"):
        assert injected not in blob.text


def test_blob_is_rebuilt_into_paragraphs(blob):
    assert len(blob.blocks) > 1
    assert all(b.kind == "p" for b in blob.blocks)


def test_blob_without_a_headline_gets_a_derived_one(blob):
    assert blob.title_derived is True
    assert SENTENCES[0].startswith(blob.title.rstrip("…"))


# --- notices ----------------------------------------------------------------------------------------

FRENCH_NOTICE = "Cet article a été traduit automatiquement de l'anglais par un outil de traduction."
FRENCH = f"""{FRENCH_NOTICE}
Harwick ouvre un sauna public sur le port
La mairie de Harwick a annoncé mardi l'ouverture d'un sauna public sur le port, un projet attendu depuis longtemps par les habitants de la ville.
Le bâtiment en bois pourra accueillir quarante personnes et a été financé par une subvention régionale ainsi que par des dons de commerçants.
Selon les responsables, les billets coûteront cinq livres pour les adultes et les baigneurs pourront plonger dans la mer entre deux séances.
"""


def test_machine_translation_notice_is_metadata_not_body():
    article = clean(FRENCH)
    assert article.machine_translated is True
    assert article.language == "fr"
    assert FRENCH_NOTICE not in article.text
    assert "traduit automatiquement" not in article.text
    assert "La mairie de Harwick a annoncé mardi" in article.text


def test_syndication_notice_names_the_first_publisher():
    notice = "This article was originally published on Example Times."
    article = clean("Harwick to open a public sauna on the harbour\n" + "\n".join(SENTENCES[:4]) + "\n" + notice)
    assert article.syndication_notice is True
    assert article.originally_published_by == "Example Times"
    assert notice not in article.text
    assert article.machine_translated is False


def test_article_without_notices_has_none():
    article = clean(SCRAPE)
    assert (article.machine_translated, article.syndication_notice, article.originally_published_by) == (
        False, False, None)
    assert article.notices == ()


# --- nothing but boilerplate --------------------------------------------------------------------------

def test_page_of_only_boilerplate_is_rejected():
    page = """Grovely
Skip to main content
Home | Gardening | Recipes | Shop
Subscribe to our newsletter
Sign up for our weekly briefing and get the best tips delivered to your inbox.
We and our partners use cookies to personalise content and ads.
Accept all
© 2024 Grovely Media. All rights reserved.
About Us | Contact | Privacy Policy | Terms of Use
"""
    result = clean_article(raw_text(page, "cookies.txt"), CONFIG)
    assert isinstance(result, Rejection)
    assert result.source == "cookies.txt"
    assert "no article text" in result.reason


def test_too_short_text_is_rejected():
    result = clean_article(raw_text("Harwick sauna\nThe sauna opens in December."), CONFIG)
    assert isinstance(result, Rejection)
