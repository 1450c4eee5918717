"""The stems the topic stage compares are the Snowball reference algorithms' (snowballstemmer's
pure-Python modules) in every language it stems, whether snowballstemmer runs them in Python or
through PyStemmer's C; and a story's counts weigh its title and lead over the rest."""
from __future__ import annotations

import importlib
import random

from generator.group import topic_profile as tp
from generator.model import Article, Block, Copy, Story

WORDS = ("running", "runners", "filmmaking", "cinéastes", "películas", "Schauspieler", "abeilles",
         "organisations", "generation", "nationalité", "gestionnaires", "häuser", "sviluppatori",
         "trabalhadores", "ontwikkelaars", "utvecklare", "udviklere", "utviklere", "kehittäjät",
         "разработчики", "geliştiriciler", "dezvoltatori", "fejlesztők")


def reference(language: str):
    name = tp.STEMMERS[language]
    module = importlib.import_module(f"snowballstemmer.{name}_stemmer")
    return getattr(module, f"{name.capitalize()}Stemmer")()


def test_the_stems_are_the_reference_algorithms_in_every_language():
    rnd = random.Random(7)
    invented = ["".join(rnd.choice("aeioubcdfglmnprstvzéèàüöäñç") for _ in range(rnd.randint(3, 12)))
                for _ in range(300)]
    for language in tp.STEMMERS:
        pure = reference(language)
        for word in (*WORDS, *invented):
            word = word.lower()
            assert tp._stemmer(language).stemWord(word) == pure.stemWord(word), (language, word)


def test_a_storys_counts_weigh_the_title_thrice_the_lead_twice_and_the_rest_once():
    body = "Beekeepers met in the valley. " + "x" * tp.LEAD_CHARS + " Orchards bloomed."
    article = Article(source="a.txt", item=None, form="text", title="Hives collapse", title_derived=False,
                      blocks=(Block("p", body),), summary="", date=None, author=None, publisher=None,
                      url=None, language="en")
    counts = tp.story_counts(Story("s", (Copy(article, "original"),)))
    assert counts[tp.stem("hives", "en")] == 3 and counts[tp.stem("beekeepers", "en")] == 2
    assert counts[tp.stem("orchards", "en")] == 1 and "the" not in counts
