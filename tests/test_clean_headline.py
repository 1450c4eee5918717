"""The headline among the lines above a scrape's body, told from the outlet's masthead, tagline and
bylines by evidence (the URL's domain, the site name, copyright lines, repetition, agreement with
the body); the outlet named by a copyright line, a printed domain or the URL; bylines with a job
title. Each decision has a look-alike that must go the other way.

All inputs are small invented scrapes, in several languages.
"""
from __future__ import annotations


import pytest

from generator.clean import metadata as meta
from generator.clean.rules import load_rules
from clean_helpers import clean_lines

RULES = load_rules()

EN_HEADLINE = "Harbour board backs plan to turn old fish market into flats"
EN_BODY = (
    "The harbour board voted on Tuesday to back a plan that would turn the old fish market hall into "
    "forty flats, ending a dispute that has divided the town for almost three years.",
    "Members said the market building would keep its brick front and its clock, while the flats behind "
    "it would be built of timber and let at rents set by the town council.",
    "Traders who still sell from stalls outside the hall asked the board to keep a covered market on the "
    "ground floor, and the developer said it would look at the idea before the spring.",
)
FR_HEADLINE = "Le conseil du port approuve la transformation de la halle aux poissons"
FR_BODY = (
    "Le conseil du port a voté mardi en faveur d'un projet qui transformera la vieille halle aux poissons "
    "en quarante logements, mettant fin à un différend qui divisait la ville depuis trois ans.",
    "Les membres du conseil ont indiqué que la halle garderait sa façade de brique et son horloge, tandis "
    "que les logements seraient construits en bois et loués à des loyers fixés par la mairie.",
)
DE_HEADLINE = "Hafenrat stimmt Umbau der alten Fischhalle zu Wohnungen zu"
DE_BODY = (
    "Der Hafenrat hat am Dienstag einem Plan zugestimmt, die alte Fischhalle in vierzig Wohnungen "
    "umzubauen, und damit einen Streit beendet, der die Stadt fast drei Jahre lang gespalten hatte.",
    "Die Fischhalle soll ihre Backsteinfassade und ihre Uhr behalten, während die Wohnungen dahinter aus "
    "Holz gebaut und zu Mieten vermietet werden, die der Stadtrat festlegt.",
)




IT_HEADLINE = "Il comune approva la trasformazione del vecchio mercato del pesce in case"
IT_BODY = (
    "Il consiglio comunale ha approvato martedì un piano per trasformare il vecchio mercato del pesce in "
    "quaranta appartamenti, ponendo fine a una disputa che divideva la città da tre anni.",
    "I consiglieri hanno detto che l'edificio del mercato manterrebbe la facciata in mattoni e l'orologio, "
    "mentre gli appartamenti sarebbero costruiti in legno e affittati a prezzi fissati dal comune.",
)
PT_HEADLINE = "Câmara aprova transformar o antigo mercado do peixe em habitações"
PT_BODY = (
    "A câmara municipal aprovou na terça-feira um plano para transformar o antigo mercado do peixe em "
    "quarenta habitações, pondo fim a uma disputa que dividia a cidade há três anos.",
    "Os vereadores disseram que o edifício do mercado manteria a fachada de tijolo e o relógio, enquanto "
    "as habitações seriam construídas em madeira e arrendadas a preços fixados pela câmara.",
)


# --- masthead and tagline above the headline ----------------------------------------------------

@pytest.mark.parametrize("lines, headline", [
    pytest.param(("Cookie settings · Accept all", "Quayside Ledger", "Home > Local > Harbour", EN_HEADLINE,
                  *EN_BODY, "© 2025 Quayside Ledger"), EN_HEADLINE, id="masthead-named-by-copyright"),
    pytest.param(("Quayside Ledger Review", "Your town, your tide, every morning", EN_HEADLINE, *EN_BODY),
                 EN_HEADLINE, id="masthead-and-tagline-unrelated-to-the-body"),
    pytest.param(("Menu", "La Gazette des Quais", FR_HEADLINE, *FR_BODY,
                  "La Gazette des Quais est un journal indépendant, financé par ses lecteurs."),
                 FR_HEADLINE, id="french-masthead-named-again-in-a-longer-line"),
    pytest.param(("Kai Blatt", "Nachrichten von der Küste", DE_HEADLINE, *DE_BODY),
                 DE_HEADLINE, id="german-masthead-and-tagline"),
])
def test_masthead_and_tagline_are_not_the_headline(lines, headline):
    assert clean_lines(*lines).title == headline


def test_masthead_matching_the_url_domain_is_not_the_headline():
    article = clean_lines("Menu", "Quayside Ledger", EN_HEADLINE, *EN_BODY,
                          url="https://www.quaysideledger.example/harbour/fish-market-flats")
    assert article.title == EN_HEADLINE
    assert article.publisher == "Quayside Ledger"


def test_a_short_real_headline_at_the_top_is_kept():
    # Look-alike of a masthead: a few capitalised words on the first line, but it is what the
    # body is about, and nothing names it as the outlet.
    headline = "Fish Market Flats Approved"
    assert clean_lines(headline, *EN_BODY).title == headline


def test_a_short_headline_below_a_masthead_is_kept():
    headline = "Fischhalle wird Wohnhaus"
    article = clean_lines("Kai Blatt", headline, *DE_BODY, "© 2025 Kai Blatt")
    assert article.title == headline
    assert article.publisher == "Kai Blatt"


# --- bylines above or below the headline ---------------------------------------------------------

@pytest.mark.parametrize("line, author", [
    pytest.param("Nora Quist, Staff Writer", "Nora Quist", id="english-staff-writer"),
    pytest.param("Amélie Roussel, envoyée spéciale à Lisbonne", "Amélie Roussel", id="french-role"),
    pytest.param("Lucía Gómez – corresponsal en Lima", "Lucía Gómez", id="spanish-dash-role"),
    pytest.param("Jonas Weber, Redakteur", "Jonas Weber", id="german-role"),
    pytest.param("By Tom Hale (Harbour Wire)", "Tom Hale", id="by-name-then-parenthesis"),
])
def test_byline_with_a_job_title_names_the_author(line, author):
    assert meta.byline_author(line, RULES) == author


@pytest.mark.parametrize("line", [
    pytest.param("Real Madrid, Barcelona Draw in the Rain", id="two-names-in-a-headline"),
    pytest.param("Jane Doe, the writer who changed the harbour, dies at 90", id="headline-about-a-writer"),
])
def test_a_headline_with_a_comma_is_not_a_byline(line):
    assert not meta.is_byline(line, RULES)


def test_staff_writer_byline_above_the_headline_is_neither_title_nor_lost():
    article = clean_lines("Nora Quist, Staff Writer", EN_HEADLINE, *EN_BODY)
    assert article.title == EN_HEADLINE
    assert article.author == "Nora Quist"


def test_italian_byline_with_role_above_the_headline():
    article = clean_lines("Giulia Rossi, corrispondente da Genova", IT_HEADLINE, *IT_BODY,
                          "Copyright © Gazzetta del Molo 2025")
    assert (article.title, article.author, article.publisher) == (IT_HEADLINE, "Giulia Rossi", "Gazzetta del Molo")


def test_portuguese_masthead_named_by_a_printed_domain():
    article = clean_lines("Menu", "Diário da Ribeira", PT_HEADLINE, "Por Ana Costa", *PT_BODY, "diariodaribeira.example")
    assert (article.title, article.author, article.publisher) == (PT_HEADLINE, "Ana Costa", "Diário da Ribeira")


def test_a_lone_word_at_the_top_is_not_taken_for_the_outlet():
    # Look-alike of the test above without the domain: nothing names "Menu" as the outlet.
    article = clean_lines("Menu", "Diário da Ribeira", PT_HEADLINE, "Por Ana Costa", *PT_BODY)
    assert article.publisher is None


def test_name_line_over_its_job_title_gives_the_author():
    article = clean_lines(EN_HEADLINE, "Nora Quist", "Senior Reporter", *EN_BODY)
    assert article.title == EN_HEADLINE
    assert article.author == "Nora Quist"


# --- the outlet from a copyright line, a domain or the URL --------------------------------------

@pytest.mark.parametrize("line, outlet", [
    pytest.param("Copyright 2019–2025 Quayside Ledger", "Quayside Ledger", id="copyright-word-and-years"),
    pytest.param("(c) 2025 Kai Blatt | Impressum", "Kai Blatt", id="c-in-brackets-then-separator"),
    pytest.param("La Gazette des Quais. Tous droits réservés.", "La Gazette des Quais", id="french-rights"),
    pytest.param("© Diario del Muelle S.L. Todos los derechos reservados", "Diario del Muelle", id="spanish-legal-suffix"),
    pytest.param("Copyright © Écrans du Port 2025", "Écrans du Port", id="accented-capital"),
    pytest.param("the fish market is safe. Quayside Ledger 2025 All rights reserved Privacy Policy",
                 "Quayside Ledger", id="end-of-a-blob"),
])
def test_copyright_line_names_the_outlet(line, outlet):
    assert meta.copyright_holder(line, RULES) == outlet


@pytest.mark.parametrize("line", [
    pytest.param("Copyright Office officials said on Tuesday that the rules would change.", id="sentence-about-an-office"),
    pytest.param("Copyright holders sued the company last year.", id="sentence-about-copyright"),
    pytest.param("Foto: © Jan Novak", id="photo-credit"),
    pytest.param("The board said all rights reserved by the town would stay with it.", id="rights-phrase-in-prose"),
])
def test_sentence_mentioning_copyright_names_no_outlet(line):
    assert meta.copyright_holder(line, RULES) is None


def test_domain_printed_on_the_page_names_the_outlet_as_the_page_spells_it():
    article = clean_lines(EN_HEADLINE, *EN_BODY, "Read more local news at quaysideledger.example",
                          "Follow the Quayside Ledger on the quay every morning")
    assert article.publisher == "Quayside Ledger"


def test_domain_in_a_sentence_is_not_the_outlet():
    body = (*EN_BODY[:2], EN_BODY[2] + " The plans are online at townplans.example for anyone to read.")
    assert clean_lines(EN_HEADLINE, *body).publisher is None


@pytest.mark.parametrize("url, texts, outlet", [
    pytest.param("https://www.quayside-ledger.example/a", (), "Quayside Ledger", id="hyphen-parts-words"),
    pytest.param("https://quaysideledger.example/a", ("Read the Quayside Ledger daily",), "Quayside Ledger",
                 id="spelled-on-the-page"),
    pytest.param("https://quaysideledger.example/a", ("Quayside ledgers were kept in the office",), "Quaysideledger",
                 id="not-spelled-as-a-name"),
])
def test_outlet_from_url(url, texts, outlet):
    assert meta.outlet_from_url(url, texts) == outlet
