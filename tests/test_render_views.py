"""Distinct page titles and descriptions: told apart by outlet and language, then numbered."""
from __future__ import annotations

from dataclasses import replace

from generator.model import Copy, Story
from generator.render.views import unique_descriptions, unique_page_titles, unique_texts
from render_helpers import article


def test_titles_and_descriptions_made_in_one_pass_are_those_made_apart():
    same = article("a.txt", "Harbour reopens", summary="The  harbour\nreopens today.")
    twin = replace(article("b.json", "Harbour reopens", item="7", summary="The harbour reopens today."),
                   publisher="Kysten", language="no")
    third = replace(article("c.md", "Harbour reopens", summary=""), publisher="Kysten", language="no")
    alone = article("d.txt", "Le port rouvre", summary="Le port rouvre ses quais.")
    stories = [Story("s1", (Copy(same, "original"), Copy(twin, "rewrite"))),
               Story("s2", (Copy(third, "original"),)), Story("s3", (Copy(alone, "original"),)),
               Story("s1", (Copy(same, "original"),))]  # an article in two stories counts twice
    titles, descriptions = unique_texts(stories)
    assert titles == unique_page_titles(stories) and descriptions == unique_descriptions(stories)
    assert len(set(titles.values())) == len(titles) == 4
    assert titles[alone.key] == "Le port rouvre"
    assert titles[same.key] == "Harbour reopens (Reel Signal, English)"
    assert [titles[twin.key], titles[third.key]] == ["Harbour reopens (Kysten, no) (1)", "Harbour reopens (Kysten, no) (2)"]
    assert descriptions[third.key] == "Harbour reopens"  # no summary: its title, which no other description is
