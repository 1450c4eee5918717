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


@pytest.mark.parametrize("before, injection, after", [
    pytest.param("The ferry company confirmed the new winter timetable on Monday.",
                 "Most read: Ferry fares to rise again in spring Get our morning newsletter",
                 "They said the early crossing would stay.", id="english"),
    pytest.param("La compagnie a confirmé lundi les nouveaux horaires d'hiver du bac.",
                 "À la une : Le prix du pain flambe à Lyon Recevez notre lettre du matin",
                 "Les habitants ont salué le maintien du premier départ.", id="french"),
    pytest.param("La naviera confirmó el lunes los nuevos horarios de invierno del ferri.",
                 "Lo más leído | Sube el precio del pan en Valencia Recibe nuestro boletín",
                 "Los vecinos celebraron que se mantenga la primera salida.", id="spanish"),
])
def test_a_labelled_injection_is_cut_where_the_prose_restarts(before, injection, after):
    from generator.clean.blob import cut_injections
    from generator.clean.rules import load_rules

    text = f"{before} {injection} {after} " + LONG
    assert cut_injections(text, load_rules()) == f"{before} {after} {LONG}"


@pytest.mark.parametrize("text", [
    pytest.param("The harbour board met on Tuesday. The chair said: The hall will be sold to the city, and "
                 "the market will move by the spring of next year.", id="a-quotation-after-a-colon"),
    pytest.param("Le conseil s'est réuni mardi. Le maire a tranché : La halle sera vendue à la ville au "
                 "printemps prochain.", id="french-quotation"),
    pytest.param("The board met on Tuesday. Update: The vote was moved to Friday because two members were "
                 "away at the regional conference in Leeds.", id="no-restart-within-reach-stays"),
])
def test_a_label_with_no_glued_restart_is_left_to_the_classifier(text):
    from generator.clean.blob import cut_injections
    from generator.clean.rules import load_rules

    assert cut_injections(text, load_rules()) == text
