"""Grouping copies of one piece of news into a story: syndicated copies, rewrites and translations
join their original; different news on the same topic stays apart; the curator's overrides win;
story ids do not move when unrelated articles come and go.

Articles are built directly (cleaned ``Article`` records) from short invented reports.
"""
from __future__ import annotations

from generator.config import Overrides
from generator.group.stories import find_stories
from generator.model import RELATIONS, Article, Block, PartialDate, Story

ORIGINAL = (
    "The town of Harwick will open a public sauna on its harbour front in December, the parks department announced on Tuesday.",
    "The cedar building, designed by the architect Lotta Virtanen, has room for 40 bathers and cost 380,000 pounds.",
    "Most of the money came from the Northern Coast Tourism Fund, with the rest raised by the Harwick Sea Swimmers club.",
    "Tickets will cost 6 pounds for adults, and swimmers will be able to plunge into the North Sea between sessions.",
    "The club's chair, Agnes Mowbray, said members had collected 3,200 signatures in support of the plan last spring.",
    "Some fishermen objected that the sauna would take space on the quay where they mend their nets.",
    "After four public meetings, the council agreed to move the building 20 metres east, away from the fish market.",
    "Virtanen said the sauna would be heated by a wood stove burning offcuts from the Kellard sawmill.",
)
REWRITE = (
    "Harwick is getting a seaside sauna: officials in the parks department said on Tuesday that it will open by the harbour this December.",
    "Architect Lotta Virtanen drew up the cedar structure, which can hold 40 people at once and carries a price tag of 380,000 pounds.",
    "The Northern Coast Tourism Fund paid for the bulk of it, while the Harwick Sea Swimmers group raised the remainder.",
    "Adults will pay 6 pounds per visit, and between rounds bathers can jump straight into the North Sea.",
    "According to Agnes Mowbray, who chairs the swimming group, 3,200 people signed a petition backing the idea last spring.",
    "Not everyone was pleased: a number of fishermen complained the structure would eat into quay space used for repairing nets.",
    "Four public meetings later, councillors decided to shift the building 20 metres to the east, clear of the fish market.",
    "Heat will come from a wood-burning stove fed with scraps from the Kellard sawmill, Virtanen explained.",
)
FRENCH = (
    "La ville de Harwick ouvrira en décembre un sauna public sur son front de mer, a annoncé mardi le service des parcs.",
    "Le bâtiment en cèdre, conçu par l'architecte Lotta Virtanen, peut accueillir 40 baigneurs et a coûté 380 000 livres.",
    "L'essentiel du financement provient du Northern Coast Tourism Fund, le reste ayant été collecté par le club Harwick Sea Swimmers.",
    "L'entrée coûtera 6 livres pour les adultes, et les nageurs pourront plonger dans la mer du Nord entre deux séances.",
    "La présidente du club, Agnes Mowbray, a indiqué que ses membres avaient recueilli 3 200 signatures au printemps dernier.",
    "Certains pêcheurs craignaient que le sauna n'occupe la place du quai où ils réparent leurs filets.",
    "Après quatre réunions publiques, le conseil a accepté de déplacer le bâtiment de 20 mètres vers l'est, loin de la criée.",
    "Selon Virtanen, le sauna sera chauffé par un poêle à bois alimenté par les chutes de la scierie Kellard.",
)
SPANISH = (
    "La ciudad de Harwick abrirá en diciembre una sauna pública frente a su puerto, anunció el martes el departamento de parques.",
    "El edificio de cedro, diseñado por la arquitecta Lotta Virtanen, tiene capacidad para 40 bañistas y costó 380.000 libras.",
    "La mayor parte del dinero procede del Northern Coast Tourism Fund, y el resto lo reunió el club Harwick Sea Swimmers.",
    "La entrada costará 6 libras para los adultos, y los nadadores podrán zambullirse en el mar del Norte entre sesiones.",
    "La presidenta del club, Agnes Mowbray, dijo que los socios reunieron 3.200 firmas a favor del proyecto la primavera pasada.",
    "Algunos pescadores se quejaron de que la sauna ocuparía el espacio del muelle donde remiendan sus redes.",
    "Tras cuatro reuniones públicas, el ayuntamiento aceptó trasladar el edificio 20 metros al este, lejos de la lonja.",
    "Según Virtanen, la sauna se calentará con una estufa de leña alimentada con restos del aserradero Kellard.",
)
# Two different pieces of news on one topic: the same famous names, different events and numbers.
SORA_DEAL = (
    "OpenAI has signed its first licensing deal with a Hollywood studio, giving Meridian Pictures early access to its Sora video model.",
    "Under the agreement, Meridian will use Sora to produce storyboards and pre-visualisation for 12 films over the next two years.",
    "The studio's president, Carla Osei, said the tool would cut the cost of planning action sequences by roughly 30 percent.",
    "OpenAI will receive an undisclosed fee and access to Meridian's archive of 4,000 hours of behind-the-scenes footage.",
    "Talent unions in Hollywood criticised the arrangement, saying actors had not been consulted about the use of their images.",
    "Osei said no performer's likeness would be generated without written consent and additional payment.",
    "Meridian expects the first Sora-assisted storyboards to be ready for a science fiction film shooting in Vancouver in March.",
)
SORA_WALKOUT = (
    "Visual effects artists in Hollywood staged a one-day walkout on Friday to protest against studios experimenting with OpenAI's Sora.",
    "About 900 workers from seven effects houses gathered outside a Burbank sound stage, according to organisers from the Effects Guild.",
    "The guild's spokesman, Tomasz Reyes, said members feared that Sora could replace entry-level jobs in compositing and rotoscoping.",
    "OpenAI did not respond to a request for comment, but has previously said Sora is meant to help filmmakers rather than replace them.",
    "The walkout delayed work on at least three television series, including a fantasy drama scheduled to air in the autumn.",
    "Reyes said the guild would ask for a clause in its next contract limiting generated footage to 5 percent of any shot.",
    "Studio executives declined to say whether they would meet the guild before its contract expires in June.",
)
PUFFINS = (
    "A colony of puffins has returned to the Skerry Islands for the first time in 25 years, wardens said on Monday.",
    "The birds were counted by volunteers from the Islay Seabird Trust, who found 64 nesting pairs on the western cliffs.",
    "Wardens credited a programme that removed rats from the islands in 2019 with allowing the colony to recover.",
    "The trust's warden, Duncan Fyfe, said the puffins were feeding on sand eels that have become more plentiful nearby.",
    "Boat trips to see the colony will be limited to two a day to avoid disturbing the birds during the breeding season.",
    "Fyfe said the count would be repeated in August, when the chicks are expected to leave their burrows.",
)
CHESS = (
    "A twelve-year-old from Tallinn won the Baltic junior chess championship on Sunday after a tense final round.",
    "Mirjam Kask beat the top seed with the black pieces in a game that lasted more than five hours.",
    "Her coach said she had prepared the opening for months with a group of older players at her club.",
    "The win earns her a place at the European youth championship in Montenegro in September.",
    "Organisers said 140 players from nine countries took part, the most in the event's history.",
    "Kask said she would celebrate with ice cream and then return to school on Monday.",
)
DAY = {n: PartialDate(2024, 3, n) for n in range(1, 31)}


def make(source: str, sentences: tuple[str, ...], *, language: str = "en", date: PartialDate | None = None,
         **extra) -> Article:
    blocks = tuple(Block("p", " ".join(sentences[i:i + 2])) for i in range(0, len(sentences), 2))
    return Article(source=source, item=None, form="text", title=extra.pop("title", sentences[0][:70]),
                   title_derived=False, blocks=blocks, summary=sentences[0], date=date,
                   author=extra.pop("author", None), publisher=extra.pop("publisher", None),
                   url=extra.pop("url", None), language=language, **extra)


def original(**extra) -> Article:
    return make("harwick-herald.txt", ORIGINAL, date=extra.pop("date", DAY[5]), publisher="Harwick Herald", **extra)


def syndicated(**extra) -> Article:
    # the same report with the republisher's lead-in; the notice itself was removed by cleaning
    lead = ("Harwick, on the north coast, is known for its cold-water swimmers.",)
    return make("coast-wire.txt", lead + ORIGINAL, syndication_notice=True, date=extra.pop("date", DAY[6]),
                originally_published_by="Harwick Herald", **extra)


def rewrite(**extra) -> Article:
    return make("sauna-roundup.txt", REWRITE, **extra)


def french(**extra) -> Article:
    return make("harwick-fr.txt", FRENCH, language="fr", **extra)


def deal() -> Article:
    return make("studio-deal.txt", SORA_DEAL, date=DAY[10])


def walkout() -> Article:
    return make("effects-walkout.txt", SORA_WALKOUT, date=DAY[12])


def puffins(source: str = "puffins.txt") -> Article:
    return make(source, PUFFINS, date=DAY[20])


def story_of(stories: list[Story], source: str) -> Story:
    return next(s for s in stories if any(c.article.source == source for c in s.copies))


def relations(story: Story) -> dict[str, str]:
    return {c.article.source: c.relation for c in story.copies}


def groups(stories: list[Story]) -> set[frozenset[str]]:
    return {frozenset(c.article.source for c in s.copies) for s in stories}


def with_noise(*articles: Article) -> list[Article]:
    """The articles among unrelated ones, as in a real seeds folder."""
    return [*articles, deal(), walkout(), puffins()]


# --- one story per piece of news -----------------------------------------------------------------

def test_syndicated_copy_joins_its_original():
    stories = find_stories(with_noise(original(), syndicated()))
    story = story_of(stories, "harwick-herald.txt")
    assert relations(story) == {"harwick-herald.txt": "original", "coast-wire.txt": "syndicated"}
    assert story.primary.article.source == "harwick-herald.txt"
    assert len(stories) == 4


def test_republished_notice_outweighs_an_earlier_date():
    stories = find_stories(with_noise(original(date=DAY[9]), syndicated(date=DAY[2])))
    story = story_of(stories, "harwick-herald.txt")
    assert relations(story) == {"harwick-herald.txt": "original", "coast-wire.txt": "syndicated"}
    assert story.primary.article.source == "harwick-herald.txt"


def test_rewrite_with_the_same_facts_in_other_words_joins_as_rewrite():
    stories = find_stories(with_noise(original(), rewrite()))
    story = story_of(stories, "harwick-herald.txt")
    assert relations(story) == {"harwick-herald.txt": "original", "sauna-roundup.txt": "rewrite"}
    assert story.primary.article.source == "harwick-herald.txt"


def test_later_dated_rewrite_is_not_the_original():
    stories = find_stories(with_noise(rewrite(date=DAY[8]), original()))
    story = story_of(stories, "sauna-roundup.txt")
    assert story.primary.article.source == "harwick-herald.txt"
    assert relations(story)["sauna-roundup.txt"] == "rewrite"


def test_french_translation_joins_as_translation_and_english_is_primary():
    stories = find_stories(with_noise(original(), french(date=DAY[7])))
    story = story_of(stories, "harwick-fr.txt")
    assert relations(story) == {"harwick-herald.txt": "original", "harwick-fr.txt": "translation"}
    assert story.primary.article.source == "harwick-herald.txt"


def test_spanish_translation_joins_as_translation():
    spanish = make("harwick-es.txt", SPANISH, language="es")
    story = story_of(find_stories(with_noise(original(), spanish)), "harwick-es.txt")
    assert relations(story) == {"harwick-herald.txt": "original", "harwick-es.txt": "translation"}
    assert story.primary.article.language == "en"


def test_machine_translated_copy_in_the_same_language_is_a_translation():
    flagged = make("auto-copy.txt", REWRITE, machine_translated=True)
    story = story_of(find_stories(with_noise(original(), flagged)), "auto-copy.txt")
    assert relations(story) == {"harwick-herald.txt": "original", "auto-copy.txt": "translation"}


def test_every_kind_of_copy_in_one_story_least_derived_first():
    stories = find_stories(with_noise(french(), rewrite(), syndicated(), original()))
    story = story_of(stories, "harwick-herald.txt")
    assert [(c.article.source, c.relation) for c in story.copies] == [
        ("harwick-herald.txt", "original"), ("coast-wire.txt", "syndicated"),
        ("sauna-roundup.txt", "rewrite"), ("harwick-fr.txt", "translation")]
    assert all(c.relation in RELATIONS for s in stories for c in s.copies)


def test_different_news_on_one_topic_stays_apart():
    stories = find_stories(with_noise())
    assert groups(stories) == {frozenset({"studio-deal.txt"}), frozenset({"effects-walkout.txt"}),
                               frozenset({"puffins.txt"})}
    assert all(s.primary.relation == "original" for s in stories)


FRENCH_WALKOUT = (
    "Des artistes des effets visuels de Hollywood ont observé vendredi un arrêt de travail d'une journée pour protester contre les essais de Sora d'OpenAI par les studios.",
    "Environ 900 employés de sept sociétés d'effets se sont réunis devant un plateau de Burbank, selon les organisateurs de l'Effects Guild.",
    "Le porte-parole du syndicat, Tomasz Reyes, a déclaré que les membres craignaient que Sora remplace les emplois de débutants.",
    "OpenAI n'a pas répondu, mais a déjà affirmé que Sora doit aider les cinéastes plutôt que les remplacer.",
    "L'arrêt a retardé au moins trois séries télévisées, dont un drame fantastique prévu pour l'automne.",
    "Reyes a indiqué que le syndicat demanderait une clause limitant les images générées à 5 pour cent de chaque plan.",
)


def test_translation_joins_the_right_one_of_two_stories_on_one_topic():
    stories = find_stories(with_noise(make("walkout-fr.txt", FRENCH_WALKOUT, language="fr")))
    assert relations(story_of(stories, "walkout-fr.txt")) == {"effects-walkout.txt": "original",
                                                              "walkout-fr.txt": "translation"}
    assert relations(story_of(stories, "studio-deal.txt")) == {"studio-deal.txt": "original"}

# --- dates ---------------------------------------------------------------------------------------

def test_copies_without_a_date_inherit_the_primary_date():
    story = story_of(find_stories(with_noise(original(), rewrite(), french())), "harwick-herald.txt")
    by_source = {c.article.source: c for c in story.copies}
    assert by_source["harwick-herald.txt"].inherited_date is None
    assert by_source["sauna-roundup.txt"].inherited_date == DAY[5]
    assert by_source["harwick-fr.txt"].date == DAY[5]
    assert story.date == DAY[5]


def test_dated_copy_keeps_its_own_date():
    story = story_of(find_stories(with_noise(original(), syndicated())), "coast-wire.txt")
    copy = next(c for c in story.copies if c.article.source == "coast-wire.txt")
    assert copy.inherited_date is None
    assert copy.date == DAY[6]


def test_copies_dated_to_a_month_and_to_a_day_make_one_story():
    # a year or month alone must still compare with a full date: min() over the copies' dates
    undated = original(date=None)
    by_month = syndicated(date=PartialDate(2024, 3))
    by_day = rewrite(date=DAY[7])
    story = story_of(find_stories(with_noise(undated, by_month, by_day)), "harwick-herald.txt")
    assert len(story.copies) == 3
    assert story.date == PartialDate(2024, 3)


def test_partial_dates_order_a_year_before_its_months_and_days():
    assert sorted([DAY[2], PartialDate(2024), PartialDate(2023, 12), PartialDate(2024, 3), DAY[1]]) == [
        PartialDate(2023, 12), PartialDate(2024), PartialDate(2024, 3), DAY[1], DAY[2]]


# --- the curator's overrides ---------------------------------------------------------------------

def test_exclude_drops_the_file():
    stories = find_stories(with_noise(original(), syndicated()), Overrides(exclude=("coast-wire.txt",)))
    sources = {c.article.source for s in stories for c in s.copies}
    assert "coast-wire.txt" not in sources
    assert relations(story_of(stories, "harwick-herald.txt")) == {"harwick-herald.txt": "original"}


def test_same_story_joins_unrelated_files():
    stories = find_stories(with_noise(original()), Overrides(same_story=(("puffins.txt", "studio-deal.txt"),)))
    assert frozenset({"puffins.txt", "studio-deal.txt"}) in groups(stories)
    assert len(stories) == 3


def test_separate_keeps_a_syndicated_pair_apart():
    stories = find_stories(with_noise(original(), syndicated()),
                           Overrides(separate=(("harwick-herald.txt", "coast-wire.txt"),)))
    assert frozenset({"harwick-herald.txt"}) in groups(stories)
    assert frozenset({"coast-wire.txt"}) in groups(stories)


def test_separate_wins_over_a_chain_through_a_third_copy():
    stories = find_stories(with_noise(original(), syndicated(), rewrite()),
                           Overrides(separate=(("harwick-herald.txt", "coast-wire.txt"),)))
    assert story_of(stories, "harwick-herald.txt") is not story_of(stories, "coast-wire.txt")


def test_primary_override_picks_the_chosen_copy():
    stories = find_stories(with_noise(original(), rewrite(), french()),
                           Overrides(primary=("harwick-fr.txt",)))
    story = story_of(stories, "harwick-herald.txt")
    assert story.primary.article.source == "harwick-fr.txt"
    assert relations(story)["harwick-herald.txt"] == "original"  # the label still says what it is


# --- stable story ids ----------------------------------------------------------------------------

def ids_by_members(stories: list[Story]) -> dict[frozenset[str], str]:
    return {frozenset(c.article.source for c in s.copies): s.id for s in stories}


def test_story_ids_do_not_move_when_an_unrelated_article_is_added():
    base = with_noise(original(), syndicated(), french())
    before = ids_by_members(find_stories(base))
    after = ids_by_members(find_stories(base + [make("000-chess.txt", CHESS, date=DAY[1])]))
    for members, story_id in before.items():
        assert after[members] == story_id
    assert len(after) == len(before) + 1


def test_story_ids_do_not_depend_on_input_order():
    articles = with_noise(original(), syndicated(), rewrite(), french())
    assert ids_by_members(find_stories(articles)) == ids_by_members(find_stories(list(reversed(articles))))


def test_story_id_follows_the_url_not_the_file_name():
    url = "https://harwickherald.example/sauna"
    first = find_stories([make("a.txt", ORIGINAL, url=url), puffins()])
    renamed = find_stories([make("renamed/b.txt", ORIGINAL, url=url), puffins()])
    assert story_of(first, "a.txt").id == story_of(renamed, "renamed/b.txt").id
    assert story_of(first, "a.txt").id != story_of(first, "puffins.txt").id


def test_two_stories_whose_copies_name_one_address_get_two_ids():
    # two unrelated reports that both name the outlet's section page as their address: kept
    # apart by the grouping, they must not share an id (pages and feeds are keyed by it)
    section = "https://news.example/science/"
    first, second = make("a.txt", PUFFINS, date=DAY[20], url=section), make("b.txt", SORA_DEAL, date=DAY[10], url=section)
    stories = find_stories([first, second, walkout()])
    assert len(stories) == 3 and len({s.id for s in stories}) == 3
    # the first by file keeps the id one story of that address has alone; the ids hold across builds
    alone = find_stories([first, walkout()])
    assert story_of(stories, "a.txt").id == story_of(alone, "a.txt").id
    assert [s.id for s in find_stories([second, walkout(), first])] == [s.id for s in stories]
