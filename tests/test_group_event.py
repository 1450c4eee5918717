"""Evidence read as sets (group/event.py): how much of a headline another article tells, and the
weighted overlap of rare names, numbers and quotes, which a retelling keeps in any order.

Inputs are invented: token sets with weights, and short reports built with test_group_stories.make."""
from __future__ import annotations

from generator.group.event import coverage, figures, overlap, quote_keys, rare
from generator.group.fingerprint import Vocabulary, compare, fingerprint
from generator.group.stories import relate
from test_group_stories import make

WEIGHT = {"ferrovia": 3.0, "sciopero": 3.0, "#48": 2.5, "torino": 1.0, "treni": 1.0}.get


def test_a_headline_told_anywhere_in_the_other_article_is_covered_in_any_order():
    told = frozenset({"treni", "torino", "#48", "sciopero", "ferrovia"})
    assert coverage({"sciopero", "ferrovia", "#48"}, told, lambda t: WEIGHT(t, 1.0)) == 1.0
    # a headline whose rare words the other never tells is mostly not covered
    assert coverage({"sciopero", "ferrovia", "torino"}, frozenset({"torino", "treni"}), lambda t: WEIGHT(t, 1.0)) < 0.2


def test_an_empty_headline_is_no_evidence_either_way():
    assert coverage(set(), frozenset({"x"}), lambda t: 1.0) == 1.0


def test_overlap_weighs_rare_tokens_and_names_what_is_shared():
    a, b = frozenset({"ferrovia", "#48", "torino"}), frozenset({"ferrovia", "#48", "treni"})
    score, shared = overlap(a, b, lambda t: WEIGHT(t, 1.0))
    assert shared == ("ferrovia", "#48")
    common, _ = overlap(frozenset({"torino", "x"}), frozenset({"torino", "y"}), lambda t: WEIGHT(t, 1.0))
    assert score > 0.7 > common


def test_tokens_many_articles_hold_are_not_rare():
    counts = {"subject": 40, "name": 2}
    assert rare({"subject", "name"}, counts.get, 100) == {"name"}


def test_figures_are_the_share_of_the_fewer_numbers_the_other_side_holds():
    assert figures(frozenset({"#212", "#86", "#14", "vessara"}), frozenset({"#212", "#86"})) == 1.0
    assert figures(frozenset({"#900", "#1998"}), frozenset({"#212", "#86", "#14"})) == 0.0
    assert figures(frozenset({"#7"}), frozenset({"#8", "#9"})) == 1.0  # one number: too few to tell


def test_a_quote_cut_short_or_spliced_still_meets_its_copy():
    words = lambda text: text.lower().replace(",", "").split()
    full = quote_keys("«Nessun treno partirà prima delle nove di sera», ha detto il sindacato.", words)
    cut = quote_keys('Il sindacato ha avvertito: "nessun treno partirà prima delle nove".', words)
    assert full & cut and not quote_keys("Nessun treno partirà prima delle nove.", words)


ABOUT = ("Ondrava is a maker of hospital paging systems based in Kelby, with offices in nine countries.",
         "Ondrava shares are listed on the Kelby exchange under the symbol ONDV.",
         "For more information about Ondrava visit its press room.")
PAGERS = ("Ondrava will supply wireless pagers to the Marlow infirmary under a three-year contract.",
          "The pagers alert nurses when a patient monitor raises an alarm on the ward.",
          "The first wards switch to the new pagers in March, the infirmary said.")
TABLETS = ("Ondrava and Velmet launched a bedside tablet that lets patients call a nurse and order meals.",
           "The tablet connects to the nurse call system and shows alarms from the patient monitor.",
           "Velmet will sell the tablet to clinics in the southern provinces from next year.")


def test_two_releases_of_one_company_sharing_its_about_block_are_not_one_story():
    first = make("ondrava-pagers.txt", PAGERS + ABOUT, title="Ondrava to supply pagers to Marlow infirmary")
    second = make("ondrava-tablet.txt", TABLETS + ABOUT, title="Ondrava and Velmet launch bedside tablet")
    prints = [fingerprint(first), fingerprint(second)]
    scores = compare(*prints, Vocabulary(prints))
    assert scores.copied >= 2  # the block both hold verbatim is set aside, and counted
    assert relate(scores) is None


QUARRY_EN = ("The Vessara quarry near Lintholm will close on 14 March after 212 years, its owner Kordel Stone said on Monday.",
             "The 86 workers at the quarry will be offered jobs at the Brannock site, 40 kilometres away.",
             "Mayor Ilse Varga said Lintholm would ask the region for 2.5 million euros to turn the pit into a lake.",
             "Kordel Stone blamed falling demand for the grey Vessara granite used in kerbs and paving.")
QUARRY_PT = ("A pedreira de Vessara, perto de Lintholm, vai fechar a 14 de março após 212 anos, disse na segunda-feira a proprietária Kordel Stone.",
             "Aos 86 trabalhadores da pedreira serão oferecidos empregos no local de Brannock, a 40 quilómetros.",
             "A presidente da câmara Ilse Varga disse que Lintholm pedirá à região 2,5 milhões de euros para transformar a cava num lago.",
             "A Kordel Stone atribuiu o fecho à queda da procura do granito cinzento de Vessara, usado em lancis e calçada.")
# Another story in Portuguese about the same town and company: other news, other figures.
HARBOUR_PT = ("A Kordel Stone comprou o antigo cais de Lintholm por 900 mil euros para exportar granito por barco.",
              "O cais estava fechado desde 1998 e precisa de obras de dragagem, segundo a empresa.",
              "A presidente da câmara Ilse Varga saudou a compra e prometeu uma nova estrada até ao porto.",
              "Os primeiros barcos devem partir para Roterdão no próximo outono.")


def test_a_portuguese_translation_joins_its_english_story_and_other_portuguese_news_does_not():
    from generator.group.stories import find_stories
    from test_group_stories import groups, with_noise
    english = make("quarry-en.txt", QUARRY_EN, title="Vessara quarry to close after 212 years")
    portuguese = make("quarry-pt.txt", QUARRY_PT, language="pt", title="Pedreira de Vessara fecha após 212 anos")
    harbour = make("harbour-pt.txt", HARBOUR_PT, language="pt", title="Kordel Stone compra o cais de Lintholm")
    found = groups(find_stories(with_noise(english, portuguese, harbour)))
    assert frozenset({"quarry-en.txt", "quarry-pt.txt"}) in found
    assert frozenset({"harbour-pt.txt"}) in found


FLOOD = ("The river Aldwen burst its banks at Crossharrow on Sunday night and flooded 340 homes.",
         "Firefighters from Temsby rescued 27 people by boat from the lower town.",
         "\u201cThe water rose faster than in 1987, and the old wall gave way at two in the morning,\u201d said fire chief Oriel Banfield.",
         "The Aldwen was 4.2 metres above its usual level at the Crossharrow gauge.",
         "Schools in Crossharrow stay closed until Wednesday while the council pumps out the streets.")
# The same flood told from the rescuers' side: the facts in another order, other words.
RESCUE = ("Twenty-seven residents of Crossharrow's lower town were taken out by boat overnight, crews from Temsby said.",
          "\u201cThe water rose faster than in 1987, and the old wall gave way at two in the morning,\u201d fire chief Oriel Banfield told reporters.",
          "Council workers are pumping the streets dry, and schools will not reopen before Wednesday.",
          "Some 340 houses took in water after the Aldwen overtopped its banks late on Sunday.",
          "At the town gauge the river stood 4.2 metres above normal, a level not seen since the 1987 flood.")
# Other news weeks later on the same town: it recalls the flood in its background.
INQUIRY = ("The regional water board opened an inquiry on Tuesday into the state of flood walls along the Aldwen.",
           "Inspectors will survey 60 kilometres of embankment before the winter and report in January.",
           "Board chair Halvard Quist said the survey would cost 1.1 million euros.",
           "The river flooded 340 homes in Crossharrow last month when the old wall gave way.",
           "Residents have asked the board to publish the results of the survey in full.")


def test_a_retelling_in_another_order_joins_and_a_story_recalling_it_as_background_does_not():
    from generator.group.stories import find_stories
    from test_group_stories import groups, with_noise
    flood = make("flood.txt", FLOOD, title="Aldwen floods 340 homes in Crossharrow")
    rescue = make("rescue.txt", RESCUE, title="Boats take 27 out of Crossharrow as the Aldwen overtops")
    inquiry = make("inquiry.txt", INQUIRY, title="Water board opens inquiry into Aldwen flood walls")
    found = groups(find_stories(with_noise(flood, rescue, inquiry)))
    assert frozenset({"flood.txt", "rescue.txt"}) in found
    assert frozenset({"inquiry.txt"}) in found


# A wire report 25 outlets ran word for word, and one outlet's retelling of it in its own words
# under a headline of its own: another domain and wording than test_group_blocking's ferry.
RECALL = ("Halvorsen Medica is recalling 64,000 Glucora insulin pens sold in Drevnia after finding that the dose dial can slip.",
          "The company said the fault affects pens made at its Orsk plant between January and April, batch numbers starting with GL7.",
          "Drevnia's medicines agency, headed by Mirela Tansk, said 19 patients had reported receiving a wrong dose.",
          "Nobody has died, the agency said, but three of those patients were treated in hospital for low blood sugar.",
          "Pharmacies will exchange the pens free of charge from Monday, and Halvorsen Medica has set up a helpline.",
          "Glucora is used by about 210,000 people with diabetes in Drevnia, the company's largest market outside Norland.")
RECALL_RETOLD = ("People who inject Glucora should check their batch code, Drevnia's regulator warned, after a fault left 19 users with the wrong amount of insulin.",
                 "Three of them needed hospital care for low blood sugar, though no deaths have been linked to the problem, said Mirela Tansk, who leads the agency.",
                 "Halvorsen Medica traced the slipping dial to pens assembled in Orsk in the first four months of the year, codes beginning GL7.",
                 "In all 64,000 devices are affected, out of the roughly 210,000 Drevnians who rely on the product.",
                 "Chemists will swap them at no cost starting Monday, and the firm has opened a phone line for questions.")


def test_a_retelling_under_its_own_headline_joins_a_report_twenty_five_outlets_ran():
    """The wire report's names, figures and quotes are held by 26 of some 125 articles, more than
    the share a corpus' subject has, but by two stories only: they are the event's evidence."""
    from generator.group.stories import find_stories
    from test_group_blocking import _report
    from invented import article_text

    others = [_report(f"noise-{n:03d}.txt", tuple(s for s in article_text(700 + n).split("\n\n")[2:] for s in s.split(". ")),
                      f"Desk {n % 7}", 1 + n % 25) for n in range(100)]
    copies = [_report(f"recall-{n:02d}.txt", RECALL, f"Paper {n}", 3 + n % 2,
                      "Halvorsen Medica recalls Glucora insulin pens over faulty dose dial") for n in range(25)]
    retold = _report("recall-retold.txt", RECALL_RETOLD, "The Evening Ledger", 4, "Diabetics told to return injectors")
    found = find_stories([*others, *copies, retold])
    story = next(s for s in found if any(c.article.source == "recall-retold.txt" for c in s.copies))
    assert {c.article.source for c in story.copies} == {a.source for a in [*copies, retold]}
    assert len(found) == len(others) + 1
