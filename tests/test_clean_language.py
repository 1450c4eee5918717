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


# Long enough (30 words or more) for the function words to decide without lingua.
CLEAR = {
    "en": "The library on the corner of the square will close for the summer while the roof is mended, "
          "and the council said that the books would be lent from the school hall until it opens again.",
    "fr": "La bibliothèque au coin de la place fermera pendant l'été pour que le toit soit réparé, et la "
          "mairie a dit que les livres seraient prêtés depuis la salle de l'école jusqu'à sa réouverture.",
    "de": "Die Bibliothek an der Ecke des Platzes wird im Sommer geschlossen, während das Dach repariert "
          "wird, und die Stadt sagte, dass die Bücher bis zur Wiedereröffnung in der Schulhalle verliehen werden.",
    "it": "La biblioteca all'angolo della piazza chiuderà per l'estate mentre il tetto viene riparato, e il "
          "comune ha detto che i libri saranno prestati dalla sala della scuola fino alla riapertura.",
}


def test_function_words_decide_only_where_lingua_says_the_same():
    from generator.clean.language import _clear_language, _detector

    detector = _detector(tuple(sorted(LANGUAGES)))
    decided = set()
    for code, text in CLEAR.items():
        lingua_says = detector.compute_language_confidence_values(text)[0].language.iso_code_639_1.name.lower()
        assert lingua_says == code
        assert _clear_language(text, LANGUAGES) in (None, code)  # undecided, or lingua's answer
        decided |= {code} if _clear_language(text, LANGUAGES) else set()
        assert detect_language(text, LANGUAGES, None, "en") == code
    # French shares many short words with the English list ("a", "de"…): a close call, for lingua.
    assert decided == {"en", "de", "it"}


def test_a_language_not_allowed_is_left_to_lingua():
    from generator.clean.language import _clear_language

    assert _clear_language(CLEAR["it"], ("en", "fr", "de")) is None
    assert detect_language(CLEAR["it"], ("en", "fr", "de"), None, "en") in ("en", "fr", "de")


def test_a_short_or_spaceless_sample_is_left_to_lingua():
    from generator.clean.language import _clear_language

    assert _clear_language(SHORT["es"], LANGUAGES) is None  # 15 words
    assert _clear_language("図書館は夏の間、屋根の修理のために閉館します。" * 5, ("en", "ja")) is None


def test_a_declared_language_still_counts_when_lingua_is_unsure():
    # The function words say English; the source declares French: lingua's confidence decides.
    assert detect_language(CLEAR["en"], LANGUAGES, "fr", "en") == "en"
