"""Markup evidence for blocks cut from an extractor's attribute-free output (``html_blocks``)."""
from __future__ import annotations

import lxml.html

from generator.ingest.document import Document
from generator.ingest.html_blocks import html_to_blocks, with_markup_evidence
from generator.ingest.html_page import HtmlPageReader

PAGE = """<html><body><div class="layout"><main id="story-body">
<p>Die Fähre nach Lindau fährt ab Montag wieder   zweimal täglich.</p>
<aside class="kasten"><div><p>Werbung: Jetzt das Wochenabo sichern und sparen.</p></div></aside>
<ul class="weiter"><li><a href="/a">Andere Meldung eins</a></li><li><a href="/b">Andere Meldung zwei</a></li></ul>
</main></div></body></html>"""


def _evidence(fragment: str) -> dict[str, str]:
    blocks = with_markup_evidence(html_to_blocks(fragment), lxml.html.document_fromstring(PAGE))
    return {b.text: b.cls for b in blocks}


def test_extracted_blocks_get_the_class_tokens_of_their_element_and_ancestors():
    found = _evidence("<p>Die Fähre nach Lindau fährt ab Montag wieder zweimal täglich.</p>")
    tokens = found["Die Fähre nach Lindau fährt ab Montag wieder zweimal täglich."].split()
    assert "story-body" in tokens and "layout" in tokens
    assert not any(t.startswith("in-") or t == "link-dense" for t in tokens)


def test_chrome_ancestors_and_link_lists_are_marked():
    found = _evidence("<p>Werbung: Jetzt das Wochenabo sichern und sparen.</p><ul><li>Andere Meldung eins</li></ul>")
    assert "in-aside" in found["Werbung: Jetzt das Wochenabo sichern und sparen."].split()
    assert "kasten" in found["Werbung: Jetzt das Wochenabo sichern und sparen."].split()
    assert "link-dense" in found["Andere Meldung eins"].split()


def test_text_found_nowhere_in_the_page_keeps_no_evidence_and_given_tokens_stay():
    found = _evidence('<p>Ein Satz, den die Seite nicht enthält.</p><div class="eigen"><p>Die Fähre nach Lindau '
                      'fährt ab Montag wieder zweimal täglich.</p></div>')
    assert found["Ein Satz, den die Seite nicht enthält."] == ""
    assert found["Die Fähre nach Lindau fährt ab Montag wieder zweimal täglich."] == "eigen"


def test_a_read_page_carries_its_article_classes_on_the_body_blocks():
    words = " ".join(f"Der Hafen meldete am Morgen {n} neue Abfahrten nach Bregenz und Konstanz." for n in range(12))
    page = (f'<html lang="de"><head><title>Fähre</title></head><body><nav class="menu"><a href="/">Start</a></nav>'
            f'<article class="beitrag-text"><h1>Fähre fährt wieder</h1><p>{words}</p><p>{words}</p></article></body></html>')
    (article,) = HtmlPageReader().read(Document("hafen.html", page))
    body = [b for b in article.blocks if b.kind == "p" and len(b.text) > 200]
    assert body and all("beitrag-text" in b.cls.split() for b in body)


def test_a_data_table_row_is_one_block_and_a_layout_table_keeps_its_paragraphs():
    blocks = html_to_blocks("""<table><tr><th>Pos</th><th>Equipo</th><th>Puntos</th></tr>
        <tr><td>1</td><td><a href="https://x.org/t">Rayo Norte</a></td><td>41</td></tr></table>
        <table><tr><td><p>Un párrafo de una maqueta en tabla.</p><p>Y otro más.</p></td></tr></table>""")
    assert [(b.kind, b.text) for b in blocks[:2]] == [("row", "Pos | Equipo | Puntos"), ("row", "1 | Rayo Norte | 41")]
    assert 'href="https://x.org/t"' in blocks[1].html
    assert [b.kind for b in blocks[2:]] == ["p", "p"]


def test_an_extracted_row_gets_the_evidence_of_its_table_row():
    page = lxml.html.document_fromstring('<html><body><table class="standings"><tr class="odd"><td>1</td>'
                                         '<td>Rayo Norte</td><td>41</td></tr></table></body></html>')
    found = with_markup_evidence(html_to_blocks("<table><tr><td>1</td><td>Rayo Norte</td><td>41</td></tr></table>"), page)
    assert "standings" in found[0].cls.split() and "odd" in found[0].cls.split()


SPLIT = """<html><body><article><h1>Un pont pour Lindau</h1>
<div class="chunks"><div class="grid"><div class="corps">
<p>La municipalité a voté lundi la construction d'un nouveau pont piéton au-dessus du port.</p>
<p>Les travaux commenceront au printemps et dureront deux ans, selon le maire.</p></div></div>
<div class="pub"><p>Publicité</p></div>
<div class="grid"><div class="corps">
<p>Les riverains, consultés l'an dernier, avaient demandé un passage éclairé la nuit et accessible aux vélos.</p>
<p>Le coût total est estimé à quatre millions d'euros, dont la moitié payée par la région.</p></div></div>
</div></article><aside><div class="corps"><p>Un autre article du site, dans la colonne de droite, sur tout autre chose.</p>
<p>Et une deuxième phrase de cet encadré qui parle encore d'autre chose que du pont.</p></div></aside></body></html>"""
FIRST_CHUNK = ("<p>La municipalité a voté lundi la construction d'un nouveau pont piéton au-dessus du port.</p>"
               "<p>Les travaux commenceront au printemps et dureront deux ans, selon le maire.</p>")


def test_a_body_split_into_containers_of_one_class_is_put_back_in_page_order():
    from generator.ingest.split_body import restore_split_body

    restored = [b.text for b in restore_split_body(html_to_blocks(FIRST_CHUNK), lxml.html.document_fromstring(SPLIT), None)]
    assert restored[2:] == ["Les riverains, consultés l'an dernier, avaient demandé un passage éclairé la nuit et "
                            "accessible aux vélos.",
                            "Le coût total est estimé à quatre millions d'euros, dont la moitié payée par la région."]
    assert not any("Publicité" in t or "colonne" in t for t in restored)  # another class; outside the article


def test_one_extracted_paragraph_says_nothing_about_its_container_and_is_left_as_it_is():
    from generator.ingest.split_body import restore_split_body

    one = html_to_blocks("<p>La municipalité a voté lundi la construction d'un nouveau pont piéton au-dessus du port.</p>")
    assert restore_split_body(one, lxml.html.document_fromstring(SPLIT), None) == one


def test_a_chunked_page_read_whole_keeps_every_chunk():
    page = SPLIT.replace("<div class=\"pub\">", "<div class=\"pub\"><p>" + "Texte sans rapport. " * 3 + "</p>")
    texts = [b.text for b in HtmlPageReader().read(Document("pont.html", page))[0].blocks]
    assert any(t.startswith("Les riverains") for t in texts) and any(t.startswith("Le coût total") for t in texts)
