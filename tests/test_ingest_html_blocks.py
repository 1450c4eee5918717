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
