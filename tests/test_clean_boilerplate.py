"""The boilerplate rules of generator/data/boilerplate.toml, category by category: each removes an
invented piece of page cruft, and keeps a look-alike sentence a real article could print.

Each example is checked twice: by the rule set itself (``load_rules()``), and end to end, placed
between the paragraphs of a small plain-text article run through ``clean_article``, since what a
reader notices is what is left of the body.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.clean import clean_article
from generator.clean.rules import load_rules, normalize
from generator.config import load_config
from generator.model import Article, Block, RawArticle

CONFIG = load_config(Path(__file__).resolve().parents[1] / "digest.toml")
RULES = load_rules()

HEADLINE = "Council approves a new footbridge over the Dun"
BYLINE = "By Jane Doe | March 3, 2024"
PARAGRAPHS = (
    "The river council in Dunmore approved a plan on Friday to replace the old stone footbridge, which "
    "has been closed to the public since floods damaged its central arch two winters ago.",
    "Engineers told the meeting that the new bridge would be built of timber and steel, would cost about "
    "2.4 million pounds, and could open to walkers and cyclists by the end of next summer.",
    "Residents who packed the hall said they were relieved, although several asked why the work had taken "
    "so long to begin and whether the builders would keep the riverside path open.",
    "The council leader, Morag Ellis, said the delay was caused by a long dispute over insurance, and "
    "promised that the path would stay open for most of the construction period."
)


def clean_with(line: str, at: int = 2) -> Article:
    """A scrape with ``line`` placed between body paragraphs ``at - 1`` and ``at``, cleaned."""
    lines = [HEADLINE, BYLINE, *PARAGRAPHS[:at], line, *PARAGRAPHS[at:]]
    raw = RawArticle("scrape.txt", None, "text", tuple(Block("p", text) for text in lines))
    article = clean_article(raw, CONFIG)
    assert isinstance(article, Article), article
    return article




# --- [block]: one category per entry -------------------------------------------------------------

CRUFT = [
    ("ad", "Advertisement"),
    ("ad", "ADVERTISEMENT - SCROLL TO CONTINUE"),
    ("ad", "Start your free trial of Gardenly Plus today and plan your borders."),
    ("ad", "18+ New customers only. T&Cs apply."),
    ("ad", "Story continues below advertisement"),
    ("navigation", "Skip to main content"),
    ("navigation", "Home › Gardening › Roses"),
    ("navigation", "You are here: Home / Recipes / Soups"),
    ("navigation", "World  Business  Sport  Culture"),
    ("navigation", "Back to top"),
    ("affiliate", "We may earn a commission when you buy through links on our site."),
    ("affiliate", "If you buy through a Grovely link, we may earn an affiliate commission."),
    ("affiliate", "Grovely is reader-supported and may be paid when you buy."),
    ("affiliate", "This post contains affiliate links."),
    ("credit", "Photo: Lena Park/Studio Nine"),
    ("credit", "The old mill at dawn, seen from the weir last week. Photo: Tom Vale"),
    ("credit", "Featured image: the old mill"),
    ("credit", "Photo by Tom Vale on Unsplash"),
    ("share", "Share: Facebook Twitter Email"),
    ("share", "Click to share on Reddit (Opens in new window)"),
    ("share", "Facebook · Twitter · LinkedIn"),
    ("share", "Partager sur Facebook"),
    ("share", "Print this article"),
    ("newsletter", "Sign up for our morning briefing"),
    ("newsletter", "Get the best gardening tips delivered to your inbox every week."),
    ("newsletter", "Follow Grovely on Google News"),
    ("newsletter", "Síguenos en Instagram"),
    ("newsletter", "Download our free app"),
    ("newsletter", "Abonnez-vous à notre newsletter"),
    ("related", "Read more: How to prune roses in winter"),
    ("related", "The post Spring planting guide appeared first on Grovely."),
    ("related", "Lire aussi : le jardin d'hiver"),
    ("related", "Video: the bridge at dawn"),
    ("reading", "Reading time: 4 minutes"),
    ("reading", "5 min read"),
    ("reading", "Listen to this article"),
    ("comments", "Your email address will not be published. Required fields are marked *"),
    ("comments", "Join the conversation and tell us what you think."),
    ("comments", "Comments (3)"),
    ("reactions", "What's your reaction?"),
    ("reactions", "Wow"),
    ("reactions", "67%"),
    ("reactions", "★★★★☆ 4.5"),
    ("legal", "© 2024 Grovely Media"),
    ("legal", "About Us | Contact | Privacy Policy | Terms of Use"),
    ("legal", "Do Not Sell My Personal Information"),
    ("cookies", "We and our partners use cookies to personalise content and ads."),
    ("cookies", "We value your privacy"),
    ("cookies", "Accept all"),
    ("paywall", "This story is for subscribers only."),
    ("paywall", "Already a subscriber? Log in"),
    ("paywall", "Just $4.99/month, cancel anytime."),
    ("widgets", "Market data delayed by 15 minutes."),
    ("widgets", "Download on the App Store"),
    ("widgets", "Filed under: Gardening"),
    ("widgets", "Categories: Gardening, Roses"),
    ("widgets", "Posted in: Gardening, Roses"),
]

LOOKALIKES = [
    pytest.param("ad", "The studio said advertising revenue fell 4 percent in the quarter, its first drop in years.",
                 id="ad-advertising-revenue"),
    pytest.param("ad", "The trial of the new seed drill starts next week on three farms near the river.",
                 id="ad-trial"),
    pytest.param("navigation", "Home owners in the valley paid more for heating oil this winter than last.",
                 id="navigation-home-owners"),
    pytest.param("navigation", "The search for the two missing hikers resumed on Monday morning in thick fog.",
                 id="navigation-search"),
    pytest.param("navigation", "Watchdogs said the council had not followed its own rules on tendering.",
                 id="navigation-watchdogs"),
    pytest.param("affiliate", "The retailer said it would stop paying affiliates who posted fake reviews of its tents.",
                 id="affiliate-retailer"),
    pytest.param("credit", "Credit card spending rose in May as households bought garden furniture and barbecues.",
                 id="credit-card"),
    pytest.param("credit", "The photo shows the mill before the fire of 1921, when its roof was still intact.",
                 id="credit-photo-shows"),
    pytest.param("credit", "Photo booths at the fair were busy all weekend, the organisers said.",
                 id="credit-photo-booths"),
    pytest.param("share", "She said she would share her notes with the committee before the vote.",
                 id="share-her-notes"),
    pytest.param("share", "Shares in the seed company fell 3 percent after the announcement on Tuesday.",
                 id="share-prices"),
    pytest.param("share", "Print runs of the local paper have halved since 2010, the publisher said.",
                 id="share-print-runs"),
    pytest.param("newsletter", "The council will send a newsletter to every household about the new bins.",
                 id="newsletter-council"),
    pytest.param("newsletter", "He signed up for the marathon after his doctor told him to walk more.",
                 id="newsletter-signed-up"),
    pytest.param("newsletter", "Scammers have been sending fake council tax bills that land in your inbox "
                               "looking exactly like the real ones, officials warned.",
                 id="newsletter-in-your-inbox"
                 ),
    pytest.param("related", "Related research has found that bees prefer blue flowers to yellow ones.",
                 id="related-research"),
    pytest.param("related", "Read more carefully, the contract gives the tenants fewer rights than they thought.",
                 id="related-read-more-carefully"),
    pytest.param("reading", "The 5 minute walk to the station now takes twenty because of the roadworks.",
                 id="reading-5-minute-walk"),
    pytest.param("reading", "Reading time among teenagers fell sharply during the pandemic, the survey of four "
                            "thousand families found.",
                 id="reading-time-survey"
                 ),
    pytest.param("comments", "The minister declined to comment on the leaked report, a spokesperson said.",
                 id="comments-declined-to-comment"),
    pytest.param("comments", "Readers left 12 comments on the council's consultation page before it closed.",
                 id="comments-count-in-sentence"),
    pytest.param("reactions", "Happy customers returned the next week with their neighbours and their dogs.",
                 id="reactions-happy-customers"),
    pytest.param("reactions", "Turnout was 67% in the first round, higher than the organisers expected.",
                 id="reactions-percentage-in-sentence"),
    pytest.param("legal", "The band said all rights to the recordings had been reserved for the family.",
                 id="legal-rights-reserved"),
    pytest.param("legal", "The contact details of the donors were kept private by the trust.",
                 id="legal-contact"),
    pytest.param("cookies", "The bakery sells cookies and bread from a stall at the Saturday market.",
                 id="cookies-bakery"),
    pytest.param("cookies", "Neighbours said they value their privacy and oppose the new streetlights.",
                 id="cookies-privacy"),
    pytest.param("paywall", "Subscribers to the veg box scheme will get a free pumpkin in October.",
                 id="paywall-subscribers"),
    pytest.param("paywall", "Tickets cost $20 each and sold out within an hour of going on sale.",
                 id="paywall-price"),
    pytest.param("paywall", "Subscribers to the ChatGPT Plus plan, which costs $20/month, were given the new "
                            "voice feature first, the company said.",
                 id="paywall-price-per-month"
                 ),
    pytest.param("widgets", "The app was downloaded a million times in its first week on the App Store and "
                            "Google Play.", id="widgets-app-store"),
    pytest.param("widgets", "Categories of spending rose in every ward except one, the audit found.",
                 id="widgets-categories"),
    pytest.param("widgets", "Posted in the window of the bakery, the notice warned of the closure.",
                 id="widgets-posted-in"),
    pytest.param("widgets", "Police warned residents not to open text messages that ask them to click here.",
                 id="widgets-click-here-quoted"
                 ),
]


def cruft_params():
    seen: dict[str, int] = {}
    for category, text in CRUFT:
        seen[category] = seen.get(category, 0) + 1
        yield pytest.param(category, text, id=f"{category}-{seen[category]}")


def test_every_block_category_has_examples_here():
    categories = {category for category, _ in RULES.block}
    assert categories == {category for category, _ in CRUFT}
    assert categories == {p.values[0] for p in LOOKALIKES}


@pytest.mark.parametrize("category, text", list(cruft_params()))
def test_cruft_is_recognised_as_its_category(category, text):
    assert RULES.boilerplate_category(text) == category


@pytest.mark.parametrize("category, text", list(cruft_params()))
def test_cruft_is_removed_from_the_body(category, text):
    article = clean_with(text)
    assert text not in article.text
    assert PARAGRAPHS[0] in article.text and PARAGRAPHS[1] in article.text
    if not RULES.starts_tail(text):  # a line that also opens the end matter rightly ends the body
        assert PARAGRAPHS[2] in article.text and PARAGRAPHS[3] in article.text


@pytest.mark.parametrize("category, text", LOOKALIKES)
def test_lookalike_sentence_is_kept(category, text):
    assert RULES.boilerplate_category(text) is None
    article = clean_with(text)
    assert text in article.text
    for paragraph in PARAGRAPHS:
        assert paragraph in article.text


def test_cruft_marked_up_with_symbols_and_emphasis_is_still_cruft():
    assert RULES.boilerplate_category("📲 **Síguenos en WhatsApp**") == "newsletter"
    assert RULES.boilerplate_category("➡️ __Sign up for our morning briefing__") == "newsletter"


def test_the_quick_screen_never_lets_a_rule_match_through():
    # The screen only skips the ordered rules; on every line of the real seeds, the examples and
    # their look-alikes, it must give the same answer as trying every rule one by one.
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    lines = [line for path in sorted(seeds.iterdir())
             for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    lines += [text for _, text in CRUFT] + [p.values[1] for p in LOOKALIKES]
    for line in lines:
        one_by_one = next((c for c, p in RULES.block if p.search(normalize(line))), None)
        assert RULES.boilerplate_category(line) == one_by_one, line


def test_the_screen_keeps_rules_with_their_own_groups_working():
    # A curator's rule may use a back-reference or a named group; joined with the others it
    # would refer to the wrong group, so such a rule is screened on its own.
    import re

    from generator.clean.rules import Screen

    rules = tuple(re.compile(p, re.I) for p in (r"\b(free) trial\b", r"\b(\w+) \1 \1\b", r"\b(?P<offer>gift) card\b",
                                                r"\b(?P<offer>deal) of the day\b", r"\bsponsored\b"))
    screen = Screen.of(rules)
    for text in ("now now now", "Start a FREE trial", "a gift card", "the deal of the day", "This post is sponsored"):
        assert screen.may_match(text), text
    assert not screen.may_match("now then now")


def test_the_screen_gives_what_each_rule_gives_whatever_its_rules_start_with():
    # The joined rules are tried only where a match can start (a character one of them opens
    # with); a rule that may open with an optional part, or any word character, still counts.
    import re

    from generator.clean.rules import Screen

    sets = [(r"\b(?:an? )?offer ends\b", r"\b[fg]ree gift\b", r"\bwin a\b"),
            (r"\b(?:an? )?offer ends\b", r"\b\w+ discount code\b", r"\bÉdition spéciale\b")]
    texts = ("The offer ends Friday", "An offer ends soon", "A FREE GIFT inside", "Win a car", "The twin a day",
             "the ſtart of a ſeries", "Use this discount code", "édition spéciale du soir", "nothing to see here",
             "a gift for free", "Sprint offers end")
    for patterns in sets:
        rules = tuple(re.compile(p, re.I) for p in patterns)
        screen = Screen.of(rules)
        for text in texts:
            assert screen.may_match(text) == any(r.search(text) for r in rules), (patterns, text)


def test_the_screen_matches_a_rule_anchored_at_the_start_there_only():
    # Rules that open with "^" are tried together at the block's start; a rule whose "^" binds
    # only one side of a top-level "|" can match anywhere, and must still be found there.
    import re

    from generator.clean.rules import Screen

    rules = tuple(re.compile(p, re.I) for p in (r"^paid partnership$", r"^(promo|deal) code\s*:",
                                                r"^gift ideas|\bshop the look$"))
    screen = Screen.of(rules)
    for text in ("Paid partnership", "DEAL code: SAVE10", "Ten gift ideas? Shop the look", "gift ideas for her"):
        assert screen.may_match(text), text
    for text in ("A paid partnership with the council ended", "Use the promo code: none", "Shop the look today"):
        assert not screen.may_match(text), text


# --- [tail]: the end matter, from its first marker to the end -----------------------------------

TAIL_MARKERS = [
    pytest.param("About the author", id="about-the-author"),
    pytest.param("Tags: bridges, council, Dunmore", id="tags"),
    pytest.param("Mots-clés : pont, conseil", id="mots-cles"),
    pytest.param("Share this story", id="share-this-story"),
    pytest.param("Most popular", id="most-popular"),
    pytest.param("3 comments", id="comment-count"),
    pytest.param("Leave a comment", id="leave-a-comment"),
    pytest.param("More from Dunmore Courier", id="more-from"),
    pytest.param("Related stories", id="related-stories"),
    pytest.param("What’s your reaction?", id="reactions"),
    pytest.param("You may also like", id="you-may-also-like"),
]
TAIL_CONTENT = ("Readers also enjoyed a long guide to walking the riverside path from Dunmore to the sea, "
                "with maps, pubs and the best places to watch herons.")


@pytest.mark.parametrize("marker", TAIL_MARKERS)
def test_tail_marker_starts_the_end_matter(marker):
    assert RULES.starts_tail(marker)
    lines = [HEADLINE, BYLINE, *PARAGRAPHS, marker, TAIL_CONTENT]
    raw = RawArticle("scrape.txt", None, "text", tuple(Block("p", text) for text in lines))
    article = clean_article(raw, CONFIG)
    assert marker not in article.text
    assert TAIL_CONTENT not in article.text
    for paragraph in PARAGRAPHS:
        assert paragraph in article.text


@pytest.mark.parametrize("text", [
    pytest.param("About the time the frost came, the roses on the bridge had already bloomed twice.",
                 id="about-the-time"),
    pytest.param("Tags on the trees along the bank show which ones will be felled to make room.",
                 id="tags-on-the-trees"),
    pytest.param("Related work on the weir upstream will start once the bridge is finished, officials said.",
                 id="related-work"),
    pytest.param("More from the meeting will be published tomorrow, including the full list of objections.",
                 id="more-from-the-meeting"
                 ),
])
def test_lookalike_of_a_tail_marker_does_not_cut_the_article(text):
    assert not RULES.starts_tail(text)
    article = clean_with(text)
    assert text in article.text
    assert PARAGRAPHS[2] in article.text and PARAGRAPHS[3] in article.text


# --- [notice] machine_translation ----------------------------------------------------------------

@pytest.mark.parametrize("notice", [
    pytest.param("This article was machine translated from the original English.", id="en"),
    pytest.param("Cet article a été traduit automatiquement de l'anglais.", id="fr"),
    pytest.param("Este artículo fue traducido automáticamente del inglés.", id="es"),
    pytest.param("Dieser Artikel wurde maschinell übersetzt.", id="de"),
])
def test_machine_translation_notice_becomes_metadata(notice):
    article = clean_with(notice, at=0)
    assert article.machine_translated is True
    assert notice not in article.text
    assert notice in article.notices


@pytest.mark.parametrize("text", [
    pytest.param("Researchers said machine translation of medical leaflets still makes dangerous errors, "
                 "according to a new study.", id="research-sentence"),
    pytest.param("Her lab works on machine translation for languages with few speakers, such as Faroese.",
                 id="lab-sentence"),
    pytest.param("The report said machine translation tools still make serious errors with the names of "
                 "rivers and villages.", id="the-report-said"
                 ),
])
def test_sentence_about_machine_translation_is_not_a_notice(text):
    article = clean_with(text)
    assert article.machine_translated is False
    assert text in article.text


# --- [notice] originally_published ---------------------------------------------------------------

@pytest.mark.parametrize("notice, outlet", [
    pytest.param("This article was originally published on Example Times.", "Example Times", id="originally"),
    pytest.param("A version of this story first appeared in The Harbour Gazette.", "The Harbour Gazette",
                 id="first-appeared"),
    pytest.param("Cet article a été publié initialement sur Le Petit Journal.", "Le Petit Journal", id="fr"),
    pytest.param("This post is republished with permission.", None, id="republished-with-permission"),
])
def test_originally_published_notice_becomes_metadata(notice, outlet):
    article = clean_with(notice, at=4)
    assert article.syndication_notice is True
    assert article.originally_published_by == outlet
    assert notice not in article.text
    assert notice in article.notices


@pytest.mark.parametrize("text", [
    pytest.param("The photo first appeared on Instagram before it was shared thousands of times.",
                 id="photo-first-appeared"),
    pytest.param("The band originally published on Bandcamp, the singer told the crowd.", id="band"),
    pytest.param("The report was originally published on Monday by the ministry, and was later corrected.",
                 id="the-report-monday"
                 ),
])
def test_sentence_about_first_publication_is_not_a_notice(text):
    article = clean_with(text)
    assert article.syndication_notice is False
    assert article.originally_published_by is None
    assert text in article.text
