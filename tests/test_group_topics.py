"""Filing stories under the curator's topics (digest.toml): a topic needs every one of its facets;
a story about neither facet pair is not published; the film "Her" is not the pronoun; a curator's
pin wins over the scores.

Stories are built directly from short invented articles and scored with the real config.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from generator.config import Overrides, load_config
from generator.group.topics import assign_topics
from generator.model import Article, Block, Copy, Story

CONFIG = load_config(Path(__file__).resolve().parents[1] / "digest.toml")

ALTMAN_HER = (
    "Sam Altman has said again that the 2013 film Her shaped how he thinks about voice assistants, in an "
    "interview recorded in San Francisco.",
    "The OpenAI chief told the podcast host that the movie, directed by Spike Jonze, was prescient about "
    "people forming bonds with software.",
    "He said the scene in which Theodore Twombly walks through a crowded plaza talking to his phone had "
    "stayed with him for years.",
    "Altman added that the company had not tried to copy any actor's voice, a point he has made repeatedly "
    "since last spring.",
    "The interview was recorded before the release of a new version of ChatGPT with a redesigned voice mode.",
    "Critics noted that the film ends with the assistant leaving its human companions behind.",
)
SORA_STUDIO = (
    "OpenAI has signed its first licensing deal with a Hollywood studio, giving Meridian Pictures early "
    "access to its Sora video model.",
    "Under the agreement, Meridian will use Sora to produce storyboards for 12 films over the next two years.",
    "The studio's president, Carla Osei, said the tool would cut the cost of planning action sequences by "
    "roughly 30 percent.",
    "Talent unions criticised the arrangement, saying actors had not been consulted about the use of their "
    "images.",
    "Meridian expects the first storyboards to be ready for a science fiction film shooting in Vancouver.",
)
DATA_CENTER = (
    "OpenAI has agreed to lease a new data center in Texas from the utility firm Lone Star Grid, in a deal "
    "worth 2.1 billion dollars.",
    "The site near Abilene will draw 300 megawatts of power when it is fully running in 2026, according to "
    "filings.",
    "Sam Altman said the extra capacity was needed to train larger models and to serve the growing number "
    "of ChatGPT users.",
    "Local officials welcomed the jobs but asked the company to publish how much water the cooling systems "
    "would use.",
    "Lone Star Grid said it would add two solar farms to the region to offset the new demand.",
)
SAFETY_CHIEF = (
    "OpenAI has named Dana Whitfield as its new head of safety research, the company said on Monday.",
    "Her appointment follows months of turmoil in the team that studies the risks of advanced models.",
    "Whitfield previously led a robotics lab at a university in Boston and advised two government agencies.",
    "Her first task will be to publish a review of how ChatGPT handles requests about weapons.",
    "Sam Altman said in a statement that she had the trust of researchers across the company.",
    "Her team will grow from 20 to 35 people by the end of the year, according to an internal memo.",
)


def story(source: str, sentences: tuple[str, ...], title: str | None = None) -> Story:
    blocks = tuple(Block("p", s) for s in sentences)
    article = Article(source=source, item=None, form="text", title=title or sentences[0][:60],
                      title_derived=False, blocks=blocks, summary=sentences[0], date=None, author=None,
                      publisher=None, url=None, language="en")
    return Story(id=f"s-{source}", copies=(Copy(article, "original"),))


def topic_of(s: Story, config=CONFIG) -> str | None:
    return assign_topics([s], config)[0].topic


def test_altman_and_the_film_her_is_filed_under_altman_and_her():
    assert topic_of(story("her.txt", ALTMAN_HER, "Altman on why Her still matters")) == "altman-and-her"


def test_sora_and_hollywood_is_filed_under_sora_in_hollywood():
    assert topic_of(story("sora.txt", SORA_STUDIO, "OpenAI signs a studio deal for Sora")) == "sora-in-hollywood"


def test_openai_story_with_neither_facet_is_not_published():
    [scored] = assign_topics([story("texas.txt", DATA_CENTER, "OpenAI leases a data center in Texas")], CONFIG)
    assert scored.topic is None
    assert scored.topic_score < CONFIG.topic_threshold


def test_pronoun_her_opening_sentences_is_not_the_film():
    [scored] = assign_topics([story("chief.txt", SAFETY_CHIEF, "OpenAI names a new safety chief")], CONFIG)
    assert scored.topic is None
    assert any("the film Her and its voice: no term" in line for line in scored.evidence)


def test_pronoun_her_opening_a_title_is_not_the_film():
    assert topic_of(story("chief.txt", SAFETY_CHIEF[:1] + SAFETY_CHIEF[2:], "Her first job at OpenAI")) is None


def test_pronoun_her_after_a_quoted_sentence_is_not_the_film():
    quoted = SAFETY_CHIEF[:1] + (
        'Whitfield told staff that the team would be rebuilt. "We will publish everything we find." Her first '
        "review will cover how ChatGPT handles questions about weapons.",) + SAFETY_CHIEF[4:5]
    assert topic_of(story("chief.txt", quoted, "OpenAI names a new safety chief")) is None


def test_sora_opening_its_sentences_still_counts_for_sora():
    sentences = (
        "Sora was shown to executives at three Hollywood studios last week, according to people who attended.",
        "Sora can turn a written prompt into a minute of video, and the demonstration included a chase scene.",
        "Several producers asked whether the clips could be used in finished films or only for planning.",
        "Sora is not yet available to the public, and no studio has announced a deal.",
    )
    assert topic_of(story("demo.txt", sentences, "Studios get a first look at a new video tool")) == "sora-in-hollywood"


def test_best_topic_wins_and_the_evidence_names_matched_terms():
    [scored] = assign_topics([story("her.txt", ALTMAN_HER, "Altman on why Her still matters")], CONFIG)
    assert scored.topic == "altman-and-her"
    assert scored.topic_score >= CONFIG.topic_threshold
    film_line = next(line for line in scored.evidence if line.startswith("altman-and-her / the film Her"))
    assert "Spike Jonze" in film_line and "Theodore Twombly" in film_line


def test_curator_pin_wins_over_the_scores():
    pinned = replace(CONFIG, overrides=Overrides(pin=(("texas.txt", "sora-in-hollywood"),)))
    assert topic_of(story("texas.txt", DATA_CENTER), pinned) == "sora-in-hollywood"
    assert topic_of(story("her.txt", ALTMAN_HER), pinned) == "altman-and-her"  # only the pinned file


def test_curator_pin_moves_an_on_topic_story():
    pinned = replace(CONFIG, overrides=Overrides(pin=(("her.txt", "sora-in-hollywood"),)))
    assert topic_of(story("her.txt", ALTMAN_HER), pinned) == "sora-in-hollywood"


def test_pin_on_any_copy_files_the_whole_story():
    her = story("her.txt", ALTMAN_HER)
    other = replace(her.copies[0].article, source="her-copy.txt")
    two_copies = replace(her, copies=her.copies + (Copy(other, "syndicated"),))
    pinned = replace(CONFIG, overrides=Overrides(pin=(("her-copy.txt", "sora-in-hollywood"),)))
    assert topic_of(two_copies, pinned) == "sora-in-hollywood"


# --- Similarity to the topic, word forms, examples -------------------------------------------
# An invented topic and corpus in English, French and Spanish: bees killed by pesticides. Six
# stories pass both facets (the members the topic calibrates itself on); others probe the rules.

BEES_TOML = """
[site]
title = "Bees"
base_url = "https://example.org/"
languages = ["en", "fr", "es"]
topic_threshold = 1.0

[[topics]]
slug = "bees-and-pesticides"
title = "Bees and pesticides"
description = "Honeybees and wild pollinators dying from the pesticides sprayed on farm fields, and the hives beekeepers lose."
{examples}
  [[topics.facets]]
  name = "bees"
  terms = ["bee", "honeybee", "pollinator", "abeille", "abeja"]

  [[topics.facets]]
  name = "pesticides"
  terms = ["pesticide", "neonicotinoid", "néonicotinoïde", "plaguicida"]
"""

MEMBERS = {
    "m1.txt": ("en", "Beekeepers blame pesticide for hive losses", (
        "Beekeepers in the valley lost half of their hives this spring, and they blame a pesticide sprayed on the orchards.",
        "The honeybee colonies collapsed within days of the spraying, leaving combs full of honey and no workers.",
        "Samples of dead bees sent to a laboratory contained residues of a neonicotinoid.")),
    "m2.txt": ("en", "Study links neonicotinoid to wild bee decline", (
        "Wild bee populations fell sharply in fields treated with a neonicotinoid, a three-year study found.",
        "The researchers counted pollinator visits to flowers next to treated and untreated fields.",
        "Bumblebee nests near treated fields produced fewer queens, and hives lost foragers.")),
    "m3.txt": ("fr", "Les apiculteurs accusent un pesticide", (
        "Les apiculteurs de la région ont perdu la moitié de leurs ruches, et ils accusent un pesticide pulvérisé sur les champs de colza.",
        "Chaque abeille retrouvée morte devant les ruches a été envoyée au laboratoire.",
        "Les analyses ont trouvé des traces d'un néonicotinoïde dans le miel et le pollen.")),
    "m4.txt": ("fr", "Mortalité des abeilles près des vergers", (
        "La mortalité des abeilles a doublé près des vergers traités, selon un rapport remis aux apiculteurs.",
        "Le pesticide incriminé est pulvérisé pendant la floraison, quand les butineuses visitent les fleurs.",
        "Les ruches touchées ont perdu leurs ouvrières en quelques jours.")),
    "m5.txt": ("es", "Los apicultores culpan a un plaguicida", (
        "Los apicultores del valle perdieron la mitad de sus colmenas y culpan a un plaguicida rociado en los campos.",
        "Cada abeja muerta encontrada frente a las colmenas fue enviada a un laboratorio.",
        "Las muestras contenían restos de un plaguicida prohibido en otros países.")),
    "m6.txt": ("en", "Pesticide ban sought after hive collapse", (
        "A group of beekeepers asked for a ban on a pesticide after their hives collapsed near sunflower fields.",
        "Each bee colony they inspected had lost most of its foragers, and the queens had stopped laying.",
        "The pesticide maker said its product was safe when sprayed as directed.")),
}
BACKGROUND = {
    "b1.txt": ("en", "City council approves new tram line", (
        "The city council approved a new tram line that will link the station to the university campus.",
        "Construction will start next year and the line should open in four years.")),
    "b2.txt": ("fr", "Le club remporte le derby", (
        "Le club a remporté le derby devant un stade plein, grâce à un but dans les dernières minutes.",
        "L'entraîneur a salué l'engagement de ses joueurs.")),
    "b3.txt": ("es", "Sube el precio del alquiler", (
        "El precio del alquiler subió un diez por ciento en la capital durante el último año.",
        "Los inquilinos piden más vivienda pública.")),
}


def corpus_story(source: str, language: str, title: str, sentences: tuple[str, ...]) -> Story:
    english = story(source, sentences, title)
    return replace(english, copies=(Copy(replace(english.primary.article, language=language), "original"),))


def bees_config(tmp_path: Path, examples: str = ""):
    path = tmp_path / "digest.toml"
    path.write_text(BEES_TOML.format(examples=examples), encoding="utf-8")
    return load_config(path)


def bees_topics(tmp_path: Path, extra: dict, examples: str = "") -> dict[str, Story]:
    stories = [corpus_story(src, *value) for src, value in sorted({**MEMBERS, **BACKGROUND, **extra}.items())]
    return {s.primary.article.source: s for s in assign_topics(stories, bees_config(tmp_path, examples))}


def similarity_line(s: Story) -> str:
    return next(line for line in s.evidence if line.startswith("bees-and-pesticides / similarity"))


def test_story_that_misses_the_pesticide_words_but_is_about_bees_and_sprays_is_published(tmp_path):
    sprayed = ("en", "Hives collapse after orchards are sprayed", (
        "Beekeepers lost most of their hives after the orchards were sprayed during the bloom, and the dead bees were sent to a laboratory.",
        "The honeybee colonies collapsed within days: the foragers never came back to the hives.",
        "The beekeepers say the chemical treatment of the fields killed the bees, and they want it banned."))
    scored = bees_topics(tmp_path, {"sprayed.txt": sprayed})["sprayed.txt"]
    assert scored.topic == "bees-and-pesticides"
    assert "one facet missed" in similarity_line(scored)


def test_story_with_only_the_pesticide_vocabulary_about_crop_prices_is_not_published(tmp_path):
    prices = ("en", "Pesticide costs squeeze wheat farmers", (
        "The price of a common pesticide rose by a third this year, squeezing the margins of wheat farmers.",
        "Farmers say the pesticide bill now exceeds what they spend on seed, and some are cutting back.",
        "Grain traders expect the pesticide costs to push bread prices up next year."))
    scored = bees_topics(tmp_path, {"prices.txt": prices})["prices.txt"]
    assert scored.topic is None
    assert "not published" in similarity_line(scored)


def test_weak_mention_deep_in_an_off_topic_story_is_not_published(tmp_path):
    filler = tuple(f"The match report goes on about the {n} minute, when the visitors pressed and the goalkeeper saved again." for n in
                   ("tenth", "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth"))
    match = ("en", "Visitors hold on for a draw", (
        "The visitors held on for a goalless draw in a match played in heavy rain.", *filler,
        "Before kick-off a bee landed on the ball, and the groundsman mentioned a pesticide used on the pitch."))
    scored = bees_topics(tmp_path, {"match.txt": match})["match.txt"]
    assert scored.topic_score >= 1.0  # the strict rule alone would publish it
    assert scored.topic is None
    assert "farther from the topic than every member" in similarity_line(scored)


def test_a_strong_facet_match_is_not_overruled_by_similarity(tmp_path):
    # Only a weak pass (every facet in the body, near the threshold) is checked against the members.
    off = ("en", "Council debates tram line", (
        "The council debated the tram line for hours; a bee sticker and a pesticide leaflet were on the table.",
        "Construction will start next year and the tram line should open in four years."))
    assert bees_topics(tmp_path, {"off.txt": off})["off.txt"].topic == "bees-and-pesticides"  # strong: facets in the lead


def test_word_forms_match_inflections_in_english_and_french():
    sentences = ("Sora was shown at a festival of filmmaking in Toronto last week.",
                 "The demonstration ran for ten minutes and drew a large crowd.")
    assert topic_of(story("fest.txt", sentences, "A new video tool at a festival")) == "sora-in-hollywood"
    french = ("Sora a été présenté à un cinéaste de Lyon la semaine dernière.",
              "La démonstration a duré dix minutes.")
    assert topic_of(corpus_story("lyon.txt", "fr", "Un outil vidéo présenté à Lyon", french)) == "sora-in-hollywood"


def test_word_forms_do_not_match_other_words_that_start_alike():
    sentences = ("Sora was discussed at a meeting about studious habits and moving house.",
                 "Nobody mentioned any production.")
    assert topic_of(story("no.txt", sentences, "A meeting")) is None


def test_examples_pull_a_story_in(tmp_path):
    varroa = ("en", "Varroa mites and a cold winter empty the apiaries", (
        "An apiary census found that varroa mites and a cold, wet winter emptied many colonies across the uplands.",
        "Mite counts were high in every apiary the inspectors opened, and the brood was weak.",
        "Inspectors recommend treating colonies for varroa mites in late summer."))
    mite_news = ("en", "Varroa mites empty apiaries after a cold winter", (
        "Apiary inspectors say varroa mites and the cold winter have emptied colonies in the uplands.",
        "Mite counts were high in most apiaries, and the brood in the surviving colonies was weak.",
        "The inspectors urge beekeepers to treat the honeybees for varroa mites in late summer."))
    extra = {"example.txt": varroa, "mites.txt": mite_news}
    without = bees_topics(tmp_path, extra)["mites.txt"]
    with_example = bees_topics(tmp_path, extra, 'examples = ["example.txt"]')["mites.txt"]
    assert without.topic is None
    assert with_example.topic == "bees-and-pesticides"


def test_bad_examples_key_is_one_line_error_naming_the_file(tmp_path):
    from generator.config import ConfigError

    for bad in ('examples = "one.txt"', 'examples = ["../secret.txt"]', 'examples = [3]'):
        with pytest.raises(ConfigError, match=r"digest\.toml: topics\[0\]\.examples"):
            bees_config(tmp_path, bad)


def test_explain_shows_the_similarity_and_the_decision(tmp_path):
    from generator.explain import explain_article

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for src, (_, title, sentences) in MEMBERS.items():
        (seeds / src).write_text(title + "\n\n" + "\n\n".join(sentences) + "\n", encoding="utf-8")
    config = bees_config(tmp_path)
    from generator.seed_file import clean_seeds
    from generator.group.stories import find_stories

    articles, _ = clean_seeds(seeds, config)
    stories = assign_topics(find_stories(articles, config.overrides, config.language), config)
    lines = explain_article(next(a for a in articles if a.source == "m1.txt"), articles, stories, config)
    line = next(line for line in lines if "similarity to the topic" in line)
    assert "members 6" in line and "published: every facet matched" in line


# --- A topic with too few members of its own borrows all topics' bars -------------------------
WOLVES_TOML = BEES_TOML + """
[[topics]]
slug = "wolves-and-flocks"
title = "Wolves and flocks"
description = "Wolves returning to the hills and the sheep, lambs and flocks that shepherds lose to them."

  [[topics.facets]]
  name = "wolves"
  terms = ["wolf", "wolves", "loup"]

  [[topics.facets]]
  name = "flocks"
  terms = ["sheep", "flock", "lamb", "brebis"]
"""
WOLF_MEMBERS = {
    "w1.txt": ("en", "Wolves kill sheep on the high pastures", (
        "A pack of wolves killed eleven sheep on the high pastures last week, the shepherds said.",
        "The flock had been left without dogs for one night while the shepherd fetched supplies.")),
    "w2.txt": ("en", "Shepherds want fences against the wolf", (
        "Shepherds asked the region to pay for electric fences after a wolf attacked a flock near the pass.",
        "Each lamb lost to the wolves is paid back, but only after weeks of paperwork.")),
}


def wolves_topics(tmp_path: Path, extra: dict) -> dict[str, Story]:
    path = tmp_path / "digest.toml"
    path.write_text(WOLVES_TOML.format(examples=""), encoding="utf-8")
    stories = [corpus_story(src, *value) for src, value in sorted({**MEMBERS, **BACKGROUND, **WOLF_MEMBERS, **extra}.items())]
    return {s.primary.article.source: s for s in assign_topics(stories, load_config(path))}


def test_a_story_missing_a_facet_of_a_small_topic_is_published_on_all_topics_bars(tmp_path):
    # Never says "sheep" or "flock": shepherds and their herds, in other words.
    herds = ("en", "Wolves return to the hills, and the shepherds count their losses", (
        "Wolves have returned to the hills after a century, and the shepherds who graze their herds there count the animals they lose.",
        "The shepherds now keep guard dogs with the herds and bring them down to the pens every night against the wolves.",
        "The region pays the shepherds back for each animal the wolves kill, but only after weeks of paperwork."))
    scored = wolves_topics(tmp_path, {"herds.txt": herds})["herds.txt"]
    line = next(l for l in scored.evidence if l.startswith("wolves-and-flocks / similarity"))
    assert scored.topic == "wolves-and-flocks"
    assert "all topics’ members" in line and "one facet missed" in line


def test_a_trail_story_that_mentions_wolves_near_the_pens_is_not_published(tmp_path):
    # Wolves and shepherds are mentioned, but the story is about a hiking trail.
    trail = ("en", "New hiking trail opens in the hills", (
        "A new hiking trail opened in the hills above the valley, with three shelters and a view of the pass.",
        "The trail crosses the high pastures where the shepherds graze their herds in summer.",
        "Walkers are asked to keep their dogs on a lead, as wolves have been seen near the pens of the shepherds at night."))
    scored = wolves_topics(tmp_path, {"trail.txt": trail})["trail.txt"]
    assert scored.topic is None


def test_each_members_bar_similarity_is_its_cosine_to_the_profile_rebuilt_without_it():
    import random

    from generator.group import topic_profile as tp

    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(300)]

    def vector():
        return tp._normalised({w: rng.random() for w in rng.sample(vocab, rng.randint(1, 50))})

    for _ in range(40):
        vectors = [vector() for _ in range(rng.randint(1, 40))]
        seed = vector() if rng.random() < 0.9 else {}
        mine = sorted(rng.sample(range(len(vectors)), rng.randint(1, len(vectors))))
        leave_out = tp._LeaveOneOut(seed, tp._added(*(vectors[i] for i in mine)), len(mine))
        for i in mine:
            rest = [vectors[j] for j in mine if j != i]
            rebuilt = tp._normalised(tp._added(seed, {w: v / len(rest) for w, v in tp._added(*rest).items()}
                                               if rest else {}))
            assert leave_out.similarity(vectors[i]) == pytest.approx(tp.cosine(vectors[i], rebuilt), abs=1e-9)


def test_a_topic_example_that_names_no_article_is_reported_by_the_build(tmp_path):
    from generator.incremental import make_report

    config = bees_config(tmp_path, 'examples = ["m1.txt", "gone/hives.txt"]')
    stories = [corpus_story(src, *value) for src, value in sorted(MEMBERS.items())]
    articles = [c.article for s in stories for c in s.copies]
    report = make_report(config, articles, [], assign_topics(stories, config), 0)
    missing = [line for line in report.unpublished if line.startswith("example not found")]
    assert len(missing) == 1 and "'gone/hives.txt'" in missing[0] and "bees-and-pesticides" in missing[0]
