"""The language of a cleaned body (``detect_language``) and the bounded sample it is read from."""
from __future__ import annotations

from generator.clean.language import SAMPLE_CHARS, detect_language, sample

LANGUAGES = ("en", "fr", "es", "de", "it", "pt")
FRENCH = ("Le conseil municipal a voté mardi soir un nouveau plan pour les pistes cyclables du centre. "
          "Les habitants du quartier nord attendent depuis longtemps des trottoirs plus larges. ")
ENGLISH = ("The harbour authority said on Tuesday that the new cranes would arrive before the winter. "
           "Dock workers asked for more training before the machines are switched on. ")
SHORT = {
    "es": "El ayuntamiento aprobó ayer un plan para ampliar las bibliotecas de los barrios del sur.",
    "de": "Die Stadtverwaltung hat gestern beschlossen, die Bibliotheken in den südlichen Vierteln auszubauen.",
    "it": "Il consiglio comunale ha approvato ieri un piano per ampliare le biblioteche dei quartieri a sud.",
    "pt": "A câmara municipal aprovou ontem um plano para ampliar as bibliotecas dos bairros do sul.",
}


def test_short_text_is_its_own_sample():
    assert sample(FRENCH) == FRENCH


def test_long_text_sample_is_bounded_and_spread_over_the_body():
    words = [f"w{i}" for i in range(3000)]
    text = " ".join(words)
    taken = sample(text)
    assert len(taken) <= SAMPLE_CHARS
    kept = taken.split()
    assert set(kept) <= set(words)  # whole words only, none cut in two
    positions = [words.index(w) for w in kept]
    assert positions[0] == 0 and positions[-1] == len(words) - 1
    assert any(1000 < p < 2000 for p in positions)


def test_each_language_is_told_apart():
    for code, text in SHORT.items():
        assert detect_language(text, LANGUAGES, None, "en") == code


def test_an_english_opening_does_not_decide_a_long_french_body():
    text = ENGLISH * 25 + FRENCH * 80  # the first 4000 characters are all English
    assert text.startswith(ENGLISH) and len(text) > 3 * SAMPLE_CHARS
    assert detect_language(text, LANGUAGES, "en", "en") == "fr"


def test_too_little_text_takes_the_declared_language_then_the_default():
    assert detect_language("Voir aussi", LANGUAGES, "fr", "en") == "fr"
    assert detect_language("Voir aussi", LANGUAGES, None, "en") == "en"
