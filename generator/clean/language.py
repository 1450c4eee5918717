"""Language of a cleaned body, from lingua restricted to the configured languages.

Takes text, the allowed ISO 639-1 codes and the source's declared language; gives a code.
Restricting lingua to a few languages makes it both more accurate and lighter. The declared
language is only a prior: machine translations often keep the original page's ``lang``.
"""
from __future__ import annotations

from functools import lru_cache

from lingua import IsoCode639_1, LanguageDetectorBuilder

SAMPLE_CHARS = 4000  # plenty for a confident answer, and bounded work per article


@lru_cache(maxsize=8)
def _detector(languages: tuple[str, ...]):
    codes = [getattr(IsoCode639_1, code.upper()) for code in languages if hasattr(IsoCode639_1, code.upper())]
    if len(codes) < 2:
        return None
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_preloaded_language_models().build()


def detect_language(text: str, languages: tuple[str, ...], declared: str | None, default: str) -> str:
    detector = _detector(tuple(sorted(set(languages))))
    sample = text[:SAMPLE_CHARS]
    if detector is None or len(sample.split()) < 5:
        return declared or default
    values = detector.compute_language_confidence_values(sample)
    best = values[0]
    code = best.language.iso_code_639_1.name.lower()
    if declared and declared != code and best.value < 0.6:
        return declared
    return code
