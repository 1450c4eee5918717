"""Dates as precise as the source states them: structured stamps (``parse_date``), dates found in
byline lines (``find_date``), and answers that do not depend on what was parsed before.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.clean.dates import MONTH_NAMES, _dateparser, common_form, find_date, parse_date
from generator.model import PartialDate

ROOT = Path(__file__).resolve().parents[1]


# --- parse_date: structured fields ---------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    pytest.param("2024-05-16T23:30:00-07:00", PartialDate(2024, 5, 16), id="late-evening-west-of-utc"),
    pytest.param("2024-05-16T01:30:00+09:00", PartialDate(2024, 5, 16), id="early-morning-east-of-utc"),
    pytest.param("2024-05-16T23:30:00Z", PartialDate(2024, 5, 16), id="utc"),
    pytest.param("2024-05-16 08:05:00", PartialDate(2024, 5, 16), id="space-separated"),
    pytest.param("2024-05-16", PartialDate(2024, 5, 16), id="date-only"),
    pytest.param("2024-03", PartialDate(2024, 3), id="month"),
    pytest.param("2024", PartialDate(2024), id="year"),
    pytest.param("Tue, 05 Mar 2024 22:30:00 -0800", PartialDate(2024, 3, 5), id="rfc822"),
    pytest.param("Sat, 01 Jun 2024 01:00:00 +1200", PartialDate(2024, 6, 1), id="rfc822-east"),
    pytest.param("March 2024", PartialDate(2024, 3), id="written-month"),
])
def test_parse_date_keeps_the_local_date_and_its_precision(value, expected):
    found = parse_date(value)
    assert found == expected
    assert found.precision == expected.precision


def test_precision_is_reported_as_stated():
    assert parse_date("2024-03").iso == "2024-03"
    assert parse_date("2024").iso == "2024"
    assert parse_date("2024-05-16T23:30:00-07:00").iso == "2024-05-16"


@pytest.mark.parametrize("value", ["", "   ", None, "not a date", "2024-13-01", 20240516])
def test_parse_date_gives_none_for_what_is_not_a_date(value):
    assert parse_date(value) is None


def test_impossible_calendar_date_is_not_a_date():
    assert parse_date("2024-02-30") is None


# --- find_date: the date in a metadata line ------------------------------------------------------

@pytest.mark.parametrize("line, expected", [
    pytest.param("Published May 21st, 2024 4:27PM EDT", PartialDate(2024, 5, 21), id="published-ordinal-time"),
    pytest.param("20/05/2024", PartialDate(2024, 5, 20), id="day-first-numeric"),
    pytest.param("21 de mayo de 2024", PartialDate(2024, 5, 21), id="spanish"),
    pytest.param("14 juillet 2024", PartialDate(2024, 7, 14), id="french"),
    pytest.param("12. März 2024", PartialDate(2024, 3, 12), id="german"),
    pytest.param("Jane Doe | May 2, 2024 | 5 min read", PartialDate(2024, 5, 2), id="byline-with-pipes"),
    pytest.param("Posted by Jane Doe on May 2, 2024", PartialDate(2024, 5, 2), id="posted-by-on"),
    pytest.param("Sunday 14 July 2024", PartialDate(2024, 7, 14), id="weekday-first"),
    pytest.param("March 2024", PartialDate(2024, 3), id="month-only"),
])
def test_find_date_in_metadata_lines(line, expected):
    found = find_date(line)
    assert found == expected
    assert found.precision == expected.precision


@pytest.mark.parametrize("line", [
    pytest.param("Updated June 3, 2024 | Published May 21, 2024", id="pipe"),
    pytest.param("Updated: June 3, 2024 · Published: May 21, 2024", id="middle-dot"),
    pytest.param("Last updated June 3, 2024 - Published May 21, 2024", id="dash"),
])
def test_update_segment_is_skipped_for_the_published_one(line):
    assert find_date(line) == PartialDate(2024, 5, 21)


def test_published_first_then_updated_gives_the_published_date():
    assert find_date("Publié le 14 juillet 2024 · Mis à jour le 15 juillet 2024") == PartialDate(2024, 7, 14)


@pytest.mark.parametrize("line", [
    pytest.param("Updated on June 3, 2024 | Published on May 21, 2024", id="en-on"),
    pytest.param("Mis à jour le 15 juillet 2024 · Publié le 21 mai 2024", id="fr-le"),
    pytest.param("Actualizado el 3 de junio de 2024 | Publicado el 21 de mayo de 2024", id="es-el"),
])
def test_update_segment_with_a_connector_is_skipped(line):
    assert find_date(line) == PartialDate(2024, 5, 21)


@pytest.mark.parametrize("line", [
    pytest.param("Published May 21, 2024, updated June 3, 2024", id="comma"),
    pytest.param("Published May 21, 2024; updated June 3, 2024", id="semicolon"),
    pytest.param("May 21, 2024 (updated June 3, 2024)", id="parenthesis"),
])
def test_update_after_the_published_date_in_one_segment_is_ignored(line):
    assert find_date(line) == PartialDate(2024, 5, 21)


def test_update_only_line_gives_no_publication_date():
    assert find_date("Updated June 3, 2024") is None


@pytest.mark.parametrize("line", [
    pytest.param("3 days ago", id="relative"),
    pytest.param("Posted 3 days ago", id="relative-posted"),
    pytest.param("By Jane Doe | March 3", id="no-year"),
    pytest.param("Jane Doe | 5 min read", id="no-date"),
])
def test_find_date_gives_none_without_a_stated_year(line):
    assert find_date(line) is None


# --- the direct reading of common forms agrees with dateparser ----------------------------------

SHAPES = ("{M} {d}, {y}", "{M} {d} {y}", "{d} {M} {y}", "{d}. {M} {y}", "{d} de {M} de {y}", "{M} {y}",
          "{M} de {y}", "{d} {M}, {y}", "{M}. {d}, {y}", "{d}{M}{y}")
NATIVE = {"en": SHAPES[:3] + (SHAPES[5],), "fr": (SHAPES[2], SHAPES[5]), "it": (SHAPES[2], SHAPES[5]),
          "de": (SHAPES[2], SHAPES[3], SHAPES[5]), "es": SHAPES[2:7:2] + (SHAPES[5], SHAPES[6]),
          "pt": SHAPES[2:7:2] + (SHAPES[5], SHAPES[6])}
CASES = (str.lower, str.title, str.upper)


def _written(language, month, day, year, shape, case, padded):
    name = case(MONTH_NAMES[language].split()[month - 1])
    return shape.format(M=name, d=f"{day:02d}" if padded else str(day), y=year)


DATE_PARTS = dict(language=st.sampled_from(sorted(MONTH_NAMES)), month=st.integers(1, 12), day=st.integers(0, 32),
                  year=st.integers(1800, 2099), case=st.sampled_from(CASES), padded=st.booleans())


@settings(max_examples=400, deadline=None)
@given(shape=st.sampled_from(SHAPES), **DATE_PARTS)
def test_common_form_reads_what_dateparser_reads(language, month, day, year, shape, case, padded):
    """Any language's month in any shape, impossible days included: when the direct reading
    answers, dateparser gives the same date and precision."""
    text = _written(language, month, day, year, shape, case, padded)
    direct = common_form(text)
    assert direct is None or direct == _dateparser(text), text


@settings(max_examples=200, deadline=None)
@given(data=st.data(), **DATE_PARTS)
def test_common_form_reads_each_languages_own_shapes(data, language, month, day, year, case, padded):
    """The forms bylines use in each language are read directly, the same as dateparser."""
    shape = data.draw(st.sampled_from(NATIVE[language]))
    text = _written(language, month, max(1, min(day, 28)), year, shape, case, padded)
    assert common_form(text) is not None, text
    assert common_form(text) == _dateparser(text), text


def test_common_form_leaves_other_wordings_to_dateparser():
    for text in ("Sunday 14 July 2024", "Published May 21st, 2024", "20/05/2024", "1er mars 2024", "2024"):
        assert common_form(text) is None
    assert find_date("Sunday 14 July 2024") == PartialDate(2024, 7, 14)


# --- determinism ----------------------------------------------------------------------------------

ENGLISH_LINE = "Posted 12/11/2023"  # US order: December 11th
PROBE = """
import sys
from generator.clean.dates import find_date
for line in sys.argv[1:-1]:
    find_date(line)
print(find_date(sys.argv[-1]).iso)
"""


def _find_date_in_fresh_process(*lines: str) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE, *lines], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=True)
    return done.stdout.strip()


def test_english_date_does_not_depend_on_lines_parsed_before():
    """dateparser remembers the locales it used; a numeric English date read after Spanish and
    French bylines must still be read the same way as in a fresh process."""
    alone = _find_date_in_fresh_process(ENGLISH_LINE)
    after_others = _find_date_in_fresh_process("21 de mayo de 2024", "14 juillet 2024",
                                               "Por Ana López · 2 de mayo de 2024", ENGLISH_LINE)
    assert alone == after_others
    assert alone == "2023-12-11"


@pytest.mark.parametrize("placeholder", ["0001-01-01T00:00:00Z", "0001-01-01", "9999-12-31", "1000-01-01"])
def test_a_placeholder_date_is_no_date(placeholder):
    # CMSs write these for an empty field; taken as a date, such a copy looks centuries away
    # from its story's other copies
    assert parse_date(placeholder) is None


def test_real_dates_next_to_the_placeholders_are_kept():
    assert parse_date("1999-12-31") == PartialDate(1999, 12, 31)
    assert parse_date("2019-11-18T10:00:00Z") == PartialDate(2019, 11, 18)
