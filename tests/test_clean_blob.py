"""Rebuilding a blob's paragraphs: a paragraph ends only where a sentence surely ends.

All inputs are invented for these tests, in several languages.
"""
from __future__ import annotations

import pytest

from generator.clean.blob import paragraphs, sentence_boundary, sentences

LONG = "The harbour board met on Tuesday evening to weigh three plans for the old fish market hall."


@pytest.mark.parametrize("before, after", [
    pytest.param("The vote was close.", "Two members abstained.", id="english"),
    pytest.param("Le vote a été serré.", "« Nous verrons », a dit le maire.", id="french-guillemets"),
    pytest.param("¿Quién pagará la obra?", "¡Nadie lo sabe!", id="spanish-inverted-marks"),
    pytest.param("Er sagte: „Wir warten.“", "2025 beginnt der Bau.", id="german-digit-opener"),
    pytest.param("港の会議は火曜日に開かれた。", "三つの案が出された。", id="japanese-no-case"),
])
def test_a_sentence_end_is_a_boundary(before, after):
    assert sentence_boundary(before, after)


@pytest.mark.parametrize("before, after", [
    pytest.param("to give people an idea.", "of what is coming, she said.", id="stray-stop-then-lower-case"),
    pytest.param("pour donner une idée.", "de ce qui vient, a-t-elle dit.", id="french-stray-stop"),
    pytest.param("The board chose, in the end", "The plan with the most flats.", id="no-end-mark"),
    pytest.param("según el informe:", "La obra empieza en mayo.", id="colon-is-not-an-end"),
])
def test_a_stray_stop_or_no_end_mark_is_not_a_boundary(before, after):
    assert not sentence_boundary(before, after)


def test_a_paragraph_is_never_cut_inside_a_sentence():
    # The target is reached at "an idea.", but "of what…" goes on with the same sentence.
    parts = [LONG, LONG, "Its chair wanted to give people an idea.", "of what the hall could become, she said.",
             LONG, LONG]
    grouped = paragraphs(parts, target=200)
    assert all(sentence_boundary(p, n) for p, n in zip(grouped, grouped[1:]))
    assert any("an idea. of what the hall could become" in p for p in grouped)
    assert " ".join(grouped) == " ".join(parts)


def test_paragraphs_are_still_cut_at_real_sentence_ends():
    parts = [LONG] * 8
    grouped = paragraphs(parts, target=200)
    assert len(grouped) == 3  # 3 + 3 + 2 sentences
    assert " ".join(grouped) == " ".join(parts)


def test_segmented_blob_with_a_stray_stop_rebuilds_whole_sentences():
    text = " ".join([LONG] * 4 + ["A spokesperson said the plan would give people an idea. of what the",
                                  "hall could become in ten years, she told reporters."] + [LONG] * 4)
    grouped = paragraphs(sentences(text, "en"), target=300)
    assert all(p.rstrip().endswith(".") for p in grouped)
    assert all(not p[:1].islower() for p in grouped)
