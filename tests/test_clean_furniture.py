"""An outlet's furniture (blocks recurring across its articles, about none of them) is dropped;
a real sentence two of its articles share stays. All inputs are invented, in several languages."""
from __future__ import annotations

from generator.clean.furniture import block_prints, drop_outlet_furniture
from generator.model import Article, Block

STORIES = {
    "en": [["The harbour board in Kelmouth voted on Tuesday to sell the old fish market hall to the city.",
            "Board members said the hall had cost more to heat and repair each winter than it earned in rent.",
            "The city plans to turn the hall into a covered market with stalls for local growers and bakers.",
            "Traders who rent space in the hall will be offered places in the new market at the same rent."],
           ["Rail services between Dunmore and Ashby will be cut to one train an hour from March, the operator said.",
            "The operator blamed a shortage of drivers and the cost of repairing the ageing viaduct near Ashby.",
            "Commuters in Dunmore said the hourly timetable would make the journey to work impossible.",
            "Local councillors have asked the transport minister to meet them before the change takes effect."]],
    "fr": [["Le conseil municipal de Lormont a voté mardi la vente de l'ancienne halle aux poissons à la ville.",
            "Les élus ont expliqué que la halle coûtait chaque hiver plus en chauffage qu'elle ne rapportait.",
            "La ville veut transformer la halle en marché couvert pour les maraîchers et les boulangers du coin.",
            "Les commerçants installés dans la halle garderont une place dans le nouveau marché au même loyer."],
           ["Les trains entre Ambès et Cenon passeront à un par heure dès mars, a annoncé l'exploitant du réseau.",
            "L'exploitant invoque le manque de conducteurs et le coût de réparation du vieux viaduc de Cenon.",
            "Les usagers d'Ambès estiment que ce rythme rendra impossible le trajet quotidien vers le travail.",
            "Des élus locaux demandent à rencontrer le ministre des transports avant l'entrée en vigueur."]],
}
FURNITURE = {"en": ["Kelmouth Gazette may earn a commission when you buy through links on our site.",
                    "More from the Gazette"],
             "fr": ["Recevez chaque matin notre lettre d'information, c'est gratuit.", "À lire aussi sur le site"]}
SHARED_REAL = {"en": "The company did not respond to a request for comment.",
               "fr": "La société n'a pas répondu à notre demande de commentaire."}


def article(n: int, texts: list[str], language: str, publisher: str = "Kelmouth Gazette",
            judged: tuple[str, ...] = ()) -> Article:
    blocks = tuple(Block("p", t) for t in texts)
    return Article(source=f"{language}-{n}.html", item=None, form="html", title=texts[0][:40], title_derived=False,
                   blocks=blocks, summary="", date=None, author=None, publisher=publisher,
                   url=f"https://gazette.example/{language}/{n}", language=language,
                   block_prints=block_prints([*blocks, *(Block("p", t) for t in judged)]))


def test_furniture_recurring_in_an_outlets_articles_is_dropped_and_a_shared_real_sentence_stays():
    for language, (one, two) in STORIES.items():
        first = article(1, [*one[:2], *FURNITURE[language], SHARED_REAL[language], *one[2:]], language)
        second = article(2, [*two[:3], *FURNITURE[language], SHARED_REAL[language], two[3]], language)
        for cleaned in drop_outlet_furniture([first, second]):
            assert not any(f in cleaned.text for f in FURNITURE[language]), language
            assert SHARED_REAL[language] in cleaned.text, language
            assert cleaned.block_prints == ()
        assert all(s in drop_outlet_furniture([first, second])[0].text for s in one)


def test_furniture_the_classifier_dropped_elsewhere_still_counts():
    one, two = STORIES["en"]
    first = article(1, [*one, FURNITURE["en"][0]], "en")
    second = article(2, two, "en", judged=(FURNITURE["en"][0],))  # judged there, and dropped
    assert FURNITURE["en"][0] not in drop_outlet_furniture([first, second])[0].text


def test_the_same_line_in_two_outlets_or_a_quotation_about_the_story_stays():
    one, two = STORIES["en"]
    line = FURNITURE["en"][0]
    # Mid-article (at an edge, a short line naming its own outlet goes even once: the test below)
    apart = drop_outlet_furniture([article(1, [*one[:2], line, *one[2:]], "en"),
                                   article(2, [*two[:2], line, *two[2:]], "en", "Ashby Post")])
    assert all(line in a.text for a in apart)  # one article per outlet: nothing recurs
    quote = "“Selling the fish market hall to the city was the only way to keep the traders,” the board said."
    quoted = drop_outlet_furniture([article(1, [*one, quote], "en"), article(2, [*one[:2], quote, *two], "en")])
    assert all(quote in a.text for a in quoted)  # about the story it sits in


def test_a_recurring_sentence_opening_with_a_surname_in_ez_is_no_imperative():
    one, two = STORIES["en"]
    line = "Martinez, the board's chair since 2019, will step down at the end of the year."
    kept = drop_outlet_furniture([article(1, [*one, line], "en"), article(2, [*two, line], "en")])
    assert all(line in a.text for a in kept)


PAGE = """<!doctype html><html lang="en"><head><title>{title} | Kelmouth Gazette</title>
<meta property="og:site_name" content="Kelmouth Gazette"><meta property="og:url" content="https://kelmouth.example/{slug}">
</head><body><article><h1>{title}</h1>{paragraphs}
<div class="box"><p>Kelmouth Gazette may earn a commission when you buy through links on our site.</p></div>
</article></body></html>"""


def test_the_build_drops_an_outlets_box_from_every_page_and_keeps_each_story(tmp_path):
    from pathlib import Path

    from generator.build import make_builder
    from generator.config import load_config

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for n, story in enumerate(STORIES["en"]):
        paragraphs = "".join(f"<p>{s}</p>" for s in story + story[::-1][:2])
        (seeds / f"page-{n}.html").write_text(PAGE.format(title=story[0][:30], slug=f"s{n}", paragraphs=paragraphs),
                                              encoding="utf-8")
    config = load_config(Path(__file__).resolve().parents[1] / "digest.toml")
    articles, rejections, _ = make_builder(config, use_cache=False).clean(config, seeds, {})
    assert len(articles) == 2 and not rejections
    for article, story in zip(sorted(articles, key=lambda a: a.source), STORIES["en"]):
        assert "commission" not in article.text
        assert all(s in article.text for s in story)
        assert article.block_prints == ()


def test_an_article_whose_url_does_not_parse_has_no_outlet_by_domain_and_the_pass_goes_on():
    from dataclasses import replace

    one, two = STORIES["en"]
    broken = replace(article(1, one, "en", publisher=""), url="http://[bad/x")
    kept = drop_outlet_furniture([broken, article(2, two, "en")])
    assert kept[0].text == broken.text and kept[1].text == "\n\n".join(two)


SELF_NOTICES = {"en": "This is the free edition of the Kelmouth Gazette. Members also get the weekend long read.",
                "fr": "Vous lisez l'édition gratuite de la Kelmouth Gazette ; les abonnés reçoivent aussi le dossier du dimanche."}
SELF_NAMING_REAL = {"en": "The Kelmouth Gazette learned that the harbour board will sell the old fish market hall.",
                    "fr": "La Kelmouth Gazette a appris que le conseil municipal vendra l'ancienne halle aux poissons."}


def test_an_outlets_note_about_itself_at_the_top_of_its_only_article_is_dropped():
    for language, (one, _) in STORIES.items():
        (cleaned,) = drop_outlet_furniture([article(1, [SELF_NOTICES[language], *one], language)])
        assert SELF_NOTICES[language] not in cleaned.text, language
        assert all(s in cleaned.text for s in one), language


def test_a_lead_that_names_its_own_outlet_and_tells_the_story_stays():
    for language, (one, _) in STORIES.items():
        (cleaned,) = drop_outlet_furniture([article(1, [SELF_NAMING_REAL[language], *one], language)])
        assert SELF_NAMING_REAL[language] in cleaned.text, language


def test_after_one_article_changes_only_its_outlet_is_judged_again_and_the_result_is_a_full_pass(monkeypatch):
    from generator.clean import furniture

    (en1, en2), (fr1, fr2) = STORIES["en"], STORIES["fr"]
    corpus = [article(1, [*en1, *FURNITURE["en"]], "en"), article(2, [*en2, *FURNITURE["en"]], "en"),
              article(3, [*fr1, *FURNITURE["fr"]], "fr", publisher="Le Courrier"),
              article(4, [*fr2, *FURNITURE["fr"]], "fr", publisher="Le Courrier")]
    names = ["a/0", "b/0", "c/0", "d/0"]
    _, outcomes = furniture.furniture_pass(corpus, names)
    edited = [*corpus[:3], article(4, [*fr2[:2], *FURNITURE["fr"]], "fr", publisher="Le Courrier")]
    judged = []
    real = furniture._outlet_kept
    monkeypatch.setattr(furniture, "_outlet_kept", lambda a, c, members, **known: judged.append(members) or real(a, c, members, **known))
    again, _ = furniture.furniture_pass(edited, [*names[:3], "d2/0"], outcomes)
    assert judged == [[2, 3]]  # the French outlet only: the English one's articles are the same
    assert again == drop_outlet_furniture(edited)
    assert not any(f in again[3].text for f in FURNITURE["fr"]) and fr2[1] in again[3].text


def test_an_edit_that_leaves_what_recurs_judges_only_the_edited_article_of_its_outlet(monkeypatch):
    from generator.clean import furniture

    (en1, en2), (fr1, _) = STORIES["en"], STORIES["fr"]
    corpus = [article(1, [*en1, *FURNITURE["en"]], "en"), article(2, [*en2, *FURNITURE["en"]], "en"),
              article(3, [fr1[0], *en1[1:], *FURNITURE["en"]], "en")]
    names = ["a/0", "b/0", "c/0"]
    _, outcomes = furniture.furniture_pass(corpus, names)
    judged = []
    real = furniture._kept_blocks
    monkeypatch.setattr(furniture, "_kept_blocks", lambda a, *rest: judged.append(a.source) or real(a, *rest))
    edited = [corpus[0], article(2, [*en2, "The viaduct repairs will take two years, the council said.",
                                     *FURNITURE["en"]], "en"), corpus[2]]
    again, _ = furniture.furniture_pass(edited, ["a/0", "b2/0", "c/0"], outcomes)
    assert judged == ["en-2.html"]  # the furniture recurs as before: the others keep their outcome
    monkeypatch.setattr(furniture, "_kept_blocks", real)
    assert again == drop_outlet_furniture(edited)
    assert not any(f in again[1].text for f in FURNITURE["en"]) and "viaduct repairs" in again[1].text
    # an edit that changes what recurs (a line now in two articles) judges every article again
    judged.clear()
    monkeypatch.setattr(furniture, "_kept_blocks", lambda a, *rest: judged.append(a.source) or real(a, *rest))
    shared = [corpus[0], article(2, [*en2, en1[0], *FURNITURE["en"]], "en"), corpus[2]]
    result, _ = furniture.furniture_pass(shared, ["a/0", "b3/0", "c/0"], outcomes)
    assert sorted(judged) == ["en-1.html", "en-2.html", "en-3.html"]
    monkeypatch.setattr(furniture, "_kept_blocks", real)
    assert result == drop_outlet_furniture(shared)


def test_the_pass_gives_articles_equal_to_a_field_by_field_copy_and_leaves_its_input_alone():
    import pickle
    from dataclasses import fields, replace

    (en1, en2), _ = STORIES["en"], None
    corpus = [article(1, [*en1, *FURNITURE["en"]], "en"), article(2, [*en2, *FURNITURE["en"]], "en")]
    corpus = [replace(a, block_prints=block_prints(a.blocks)) for a in corpus]
    before = pickle.dumps(corpus)
    cleaned = drop_outlet_furniture(corpus)
    assert pickle.dumps(corpus) == before  # the input articles are not changed in place
    for given, got in zip(corpus, cleaned):
        kept = tuple(b for b in given.blocks if b in got.blocks)
        assert got == replace(given, blocks=kept, block_prints=())
        assert [f.name for f in fields(got)] == list(vars(got))  # the fields in their order
        assert hash(got) == hash(replace(given, blocks=kept, block_prints=()))
    assert all(f not in cleaned[0].text for f in FURNITURE["en"])
