"""Dates with their precision: ISO stamps, RFC 822, and the forms bylines use in several languages.

Takes a string; gives a ``PartialDate`` (year, year-month or full date) or None. Locating a date
inside a byline is ours (``find_date``: only lines the cleaner knows are metadata are searched,
so dates inside the story are never taken); parsing the span is dateparser's, whose ``period``
keeps the precision ("March 2024" stays a month). The common written forms ("March 5, 2024",
"5 mars 2024", "12. März 2024", "21 de mayo de 2024", "marzo 2024") are read directly from a
month table, giving what dateparser gives for them (a test compares the two on generated
strings); everything else goes to dateparser. The date is the one the source wrote: local,
never shifted to UTC. Relative dates ("3 days ago") are never taken on their own.
"""
from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_tz
from functools import lru_cache

from ..model import PartialDate

ISO = re.compile(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$")
YEAR = re.compile(r"\b(1[89]\d{2}|20\d{2})\b")
FIRST_YEAR, LAST_YEAR = 1800, 2099  # the years YEAR finds
UPDATE_WORDS = r"(?:updated|last updated|modified|mis à jour|actualizado|aktualisiert|aggiornato|atualizado)"
# Segments of a metadata line: strong separators, and before an update note ("…, updated June 3").
SEGMENT_SPLIT = re.compile(rf"\s*(?:\||·|•|—|–|\s-\s)\s*|\s*[,;(]\s*(?={UPDATE_WORDS}\b)", re.I)
UPDATED = re.compile(rf"^\(?{UPDATE_WORDS}\b", re.I)
RELATIVE = re.compile(r"\b(ago|yesterday|today|hier|aujourd|ayer|hoy|il y a|hace|vor)\b", re.I)
LANGUAGES = ["en", "fr", "es", "de", "it", "pt"]
MAX_SEGMENTS = 8  # a byline has a few; the rest of a longer line is tried as one segment

# Full month names of the six languages; a name two languages share names the same month.
MONTH_NAMES = {
    "en": "january february march april may june july august september october november december",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
}
MONTHS: dict[str, tuple[int, frozenset[str]]] = {}  # name -> (month, languages writing it)
for _language, _names in MONTH_NAMES.items():
    for _number, _name in enumerate(_names.split(), 1):
        MONTHS[_name] = (_number, MONTHS.get(_name, (_number, frozenset()))[1] | {_language})
# The shapes each language writes a date in; a shape read here is one dateparser reads the same way.
_DAY, _MONTH, _YEAR = r"(?P<day>[0-3]?\d)", r"(?P<month>[^\W\d_]+)", r"(?P<year>(?:1[89]|20)\d{2})"
COMMON_FORMS = tuple((re.compile(rf"^{pattern}$", re.I), frozenset(languages.split())) for pattern, languages in (
    (rf"{_MONTH} {_DAY},? {_YEAR}", "en"),
    (rf"{_DAY} {_MONTH} {_YEAR}", "en fr es de it pt"),
    (rf"{_DAY}\. {_MONTH} {_YEAR}", "de"),
    (rf"{_DAY} de {_MONTH} de {_YEAR}", "es pt"),
    (rf"{_MONTH} {_YEAR}", "en fr es de it pt"),
    (rf"{_MONTH} de {_YEAR}", "es pt"),
))


def parse_date(value: str | None) -> PartialDate | None:
    """A structured date field (ISO 8601, RFC 822) or, failing that, a human-written date."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    match = ISO.match(value)
    if match:
        return _partial(*(int(g) if g else None for g in match.groups()))
    parsed = parsedate_tz(value)
    if parsed and parsed[0] > 1000:
        return _partial(parsed[0], parsed[1], parsed[2])
    return find_date(value)


def find_date(line: str) -> PartialDate | None:
    """The publication date in a metadata line ("Nadia Ferraro | December 10, 2024 | 6 min read").

    The line is cut at byline separators; segments announcing an update are skipped; the first
    segment holding a year that dateparser reads wins. At most ``MAX_SEGMENTS`` are tried apart,
    so that a long line of year-like segments cannot call dateparser thousands of times.
    """
    if RELATIVE.search(line) and not YEAR.search(line):
        return None
    for segment in SEGMENT_SPLIT.split(line, maxsplit=MAX_SEGMENTS):
        if not segment or UPDATED.match(segment) or not YEAR.search(segment):
            continue
        found = _parse_span(segment)
        if found:
            return found
    return None


def _parse_span(segment: str) -> PartialDate | None:
    """Try the segment, then drop leading words ("Published", "Sunday") until it parses."""
    words = segment.strip(" *_,.:()[]").split()
    for start in range(min(len(words), 6)):
        candidate = " ".join(words[start:start + 8])
        if not YEAR.search(candidate):
            break
        found = _read_span(candidate)
        if found:
            return found
    return None


@lru_cache(maxsize=4096)
def _read_span(text: str) -> PartialDate | None:
    """A common form read directly, else dateparser's reading."""
    return common_form(text) or _dateparser(text)


def common_form(text: str) -> PartialDate | None:
    """The date when ``text`` is wholly one of ``COMMON_FORMS`` in a language writing its month
    that way and the date exists; None sends the text to dateparser (so it never decides alone
    that something is not a date)."""
    for pattern, languages in COMMON_FORMS:
        match = pattern.match(text)
        if not match:
            continue
        month, writers = MONTHS.get(match["month"].lower(), (None, frozenset()))
        if month is None or not writers & languages:
            return None
        day = match.groupdict().get("day")
        return _partial(int(match["year"]), month, int(day) if day else None)
    return None


def _dateparser(text: str) -> PartialDate | None:
    data = _parser().get_date_data(text)
    when: datetime | None = data.date_obj
    if when is None or data.period not in ("day", "month", "year"):
        return None
    if data.period == "year":
        return _partial(when.year, None, None)
    if data.period == "month":
        return _partial(when.year, when.month, None)
    return _partial(when.year, when.month, when.day)


@lru_cache(maxsize=1)
def _parser():
    from dateparser.date import DateDataParser  # imported lazily: it takes a moment to load

    # try_previous_locales=False: otherwise the answer depends on what was parsed before.
    return DateDataParser(languages=LANGUAGES, try_previous_locales=False, settings={
        "PREFER_DAY_OF_MONTH": "first",
        "RELATIVE_BASE": datetime(2000, 1, 1),  # fixed, so that no result depends on today
        "REQUIRE_PARTS": ["year"],
        "STRICT_PARSING": False,
    })


def _partial(year, month, day) -> PartialDate | None:
    """The date, or None when there is none or it is a placeholder ("0001-01-01", "9999-12-31",
    what a CMS writes for an empty field): only the years ``YEAR`` reads in text are dates."""
    if not year or not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return PartialDate(year, month, day)
    except ValueError:
        return None
