"""Language of a cleaned body, from lingua restricted to the configured languages.

Takes text, the allowed ISO 639-1 codes and the source's declared language; gives a code.
Restricting lingua to a few languages makes it both more accurate and lighter, and its
low-accuracy (trigram) models are enough for a sample of this length. The declared
language is only a prior: machine translations often keep the original page's ``lang``.
lingua's cost grows with the text, so a long body is read through a bounded sample: a few
windows spread from its start to its end, which also keeps one odd passage (a quote, an
English intro to a translation) from deciding alone.

lingua is the costliest step of cleaning a text article (about 1.7 ms for a 1,000-character
sample), and most samples leave no doubt: when one allowed language's function words (the
``stop-words`` lists ``block_features`` reads) make up a fifth or more of the sample's words and
half again as many as any other language's, and the source declares no other language, that
language is the answer without asking lingua. Over 3,599 bodies (a third of a generated 10,000
corpus, the gold sets and the ScrapingHub pages) the function words' first choice and lingua's
never differed where the choice was allowed, even with no threshold; the thresholds leave the
close calls (Spanish against Portuguese or Catalan, short samples, text without spaces) to
lingua, which decides 2% of the generated corpus and most Spanish.
"""
from __future__ import annotations

from functools import lru_cache

from lingua import IsoCode639_1, LanguageDetectorBuilder

from .block_features import TOKEN, function_word_shares, spaceless

# Plenty for a confident answer, and bounded work per article (lingua's cost grows with the
# sample): over 1,245 bodies (the gold sets, the ScrapingHub pages, a generated corpus of four
# languages) samples of 1,000, 1,200, 1,500 and 2,000 characters name the same languages.
SAMPLE_CHARS = 1000
SAMPLE_WINDOWS = 4  # the sample's pieces, evenly spread over a longer body
# When function words decide alone (see the module's docstring): enough words to count, a share
# of them that only the text's own language reaches, and a lead over the next language.
CLEAR_MIN_WORDS = 30
CLEAR_MIN_SHARE = 0.2
CLEAR_LEAD = 1.5


def _codes(languages: tuple[str, ...]) -> list:
    return [getattr(IsoCode639_1, code.upper()) for code in languages if hasattr(IsoCode639_1, code.upper())]


@lru_cache(maxsize=8)
def _detector(languages: tuple[str, ...]):
    codes = _codes(languages)
    if len(codes) < 2:
        return None
    # Low accuracy mode reads trigrams only: its models load in a fifth of a second and take
    # ~25 MiB, against ~5 s and ~200 MiB for the 1- to 5-gram ones, in every cleaning process. It
    # is short texts that need the longer n-grams, and the sample is up to 1,000 characters; over
    # the gold sets' and a generated corpus' 363 articles both modes name the same languages.
    return (LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode()
            .with_preloaded_language_models().build())


def sample(text: str, size: int = SAMPLE_CHARS, windows: int = SAMPLE_WINDOWS) -> str:
    """The text itself when short; else ``windows`` pieces of ``size / windows`` characters from
    evenly spaced places, each cut back to whole words, joined by newlines."""
    if len(text) <= size:
        return text
    width = size // windows
    step = (len(text) - width) / (windows - 1)
    pieces = []
    for i in range(windows):
        start = round(i * step)
        piece = text[start:start + width]
        if start and not text[start - 1].isspace():  # drop a word cut at the front
            piece = piece.partition(" ")[2]
        if start + width < len(text) and not text[start + width].isspace():  # and at the back
            piece = piece.rpartition(" ")[0]
        pieces.append(piece)
    return "\n".join(pieces)


def load_detector(languages: tuple[str, ...]) -> None:
    """Load lingua's models for these languages now (a build that cleans many files does so
    before forking its workers, which then share them)."""
    _detector(tuple(sorted(set(languages))))


def detect_language(text: str, languages: tuple[str, ...], declared: str | None, default: str) -> str:
    allowed = tuple(sorted(set(languages)))
    sampled = sample(text)
    if len(_codes(allowed)) < 2 or len(sampled.split()) < 5:
        return declared or default
    clear = _clear_language(sampled, languages)
    if clear and (not declared or declared == clear):
        return clear  # what lingua would say (it agrees where the function words are this clear)
    # lingua's models are loaded only now: most samples never need them (an edit cleaning one
    # file of a clear language does not load them at all)
    values = _detector(allowed).compute_language_confidence_values(sampled)
    best = values[0]
    code = best.language.iso_code_639_1.name.lower()
    if declared and declared != code and best.value < 0.6:
        return declared
    return code


def _clear_language(sampled: str, languages: tuple[str, ...]) -> str | None:
    """The allowed language whose function words clearly dominate the sample, or None."""
    if spaceless(sampled):
        return None
    tokens = TOKEN.findall(sampled)
    if len(tokens) < CLEAR_MIN_WORDS:
        return None
    (share, _, best), (runner_up, _, _) = sorted(function_word_shares(tokens), reverse=True)[:2]
    if best in languages and share >= CLEAR_MIN_SHARE and share >= CLEAR_LEAD * runner_up:
        return best
    return None
