"""The curator's notes: read from content/notes/, tied to a story by a file, refused in one line."""
from __future__ import annotations

import pytest

from generator.notes import Notes, attach_notes, parse_note, read_notes
from generator.render.text import note_html
from render_helpers import article
from generator.model import Copy, Story


def story(story_id: str, *sources: str, topic: str | None = "sora-in-hollywood", items=()) -> Story:
    items = items or (None,) * len(sources)
    copies = tuple(Copy(article(s, f"Title {story_id}", item=i), "original" if n == 0 else "syndicated")
                   for n, (s, i) in enumerate(zip(sources, items)))
    return Story(story_id, copies, topic=topic)


def test_a_note_names_its_file_in_front_matter_and_keeps_its_markdown():
    note = parse_note("content/notes/x.md", "---\nfile: ./feeds\\studio.xml\n---\n\nWhy *this* one.\n")
    assert (note.file, note.item, note.markdown) == ("feeds/studio.xml", None, "Why *this* one.")


@pytest.mark.parametrize("text, reason", [
    ("Just words, no front matter.", "no front matter"),
    ("---\ntitle: x\n---\nWords.", "no 'file:'"),
    ("---\nfile: [unclosed\n---\nWords.", "not valid YAML"),
    ("---\nfile: a.txt\n---\n   \n", "says nothing"),
    ("---\nfile: a.txt\nitem: [1, 2]\n---\nWords.", "'item:' must be text"),
])
def test_a_file_that_is_no_note_says_why(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_note("content/notes/bad.md", text)


def test_the_folder_is_read_in_name_order_and_bad_files_become_one_line_each(tmp_path):
    folder = tmp_path / "content" / "notes"
    folder.mkdir(parents=True)
    (folder / "b.md").write_text("---\nfile: b.txt\n---\nSecond.", encoding="utf-8")
    (folder / "a.md").write_text("---\nfile: a.txt\n---\nFirst.", encoding="utf-8")
    (folder / "c.md").write_bytes(b"---\nfile: c.txt\n---\n\xff\xfe not text")
    (folder / "ignored.txt").write_text("not a note", encoding="utf-8")
    notes = read_notes(tmp_path)
    assert [n.file for n in notes.notes] == ["a.txt", "b.txt"]
    assert notes.problems == ("note skipped: content/notes/c.md: not UTF-8 text",)
    assert read_notes(tmp_path / "elsewhere") == Notes()


def test_any_copy_of_a_story_carries_its_note():
    notes = Notes((parse_note("content/notes/n.md", "---\nfile: copy-two.html\n---\nIt matters."),))
    attached = attach_notes(notes, [story("s1", "primary.md", "copy-two.html", "copy-three.txt")])
    assert list(attached.by_story) == ["s1"] and attached.problems == ()


def test_a_note_that_shows_nowhere_is_one_line_naming_the_note_and_the_reason():
    notes = Notes(tuple(parse_note(f"content/notes/{n}.md", f"---\nfile: {f}\n{extra}---\nWords.")
                        for n, f, extra in [("gone", "renamed.txt", ""), ("off", "offtopic.txt", ""),
                                            ("many", "feed.xml", ""), ("item", "feed.xml", "item: nope\n"),
                                            ("first", "a.md", ""), ("second", "b.md", "")]))
    stories = [story("s-off", "offtopic.txt", topic=None),
               story("s-f1", "feed.xml", items=("g1",)), story("s-f2", "feed.xml", items=("g2",)),
               story("s-ab", "a.md", "b.md")]
    attached = attach_notes(notes, stories)
    assert attached.by_story["s-ab"].source == "content/notes/first.md"
    lines = attached.problems
    assert len(lines) == 5 and all("\n" not in line for line in lines)
    assert "content/notes/gone.md names 'renamed.txt': no article of this build" in lines[0]
    assert "not published" in lines[1]
    assert "holds 2 stories; add 'item:'" in lines[2]
    assert "no published article with item 'nope'" in lines[3]
    assert "content/notes/second.md: its story already shows content/notes/first.md" in lines[4]


def test_an_item_picks_one_story_of_a_file_that_holds_several():
    notes = Notes((parse_note("content/notes/n.md", "---\nfile: feed.xml\nitem: g2\n---\nThis one."),))
    stories = [story("s-f1", "feed.xml", items=("g1",)), story("s-f2", "feed.xml", items=("g2",))]
    assert list(attach_notes(notes, stories).by_story) == ["s-f2"]


def test_note_markup_is_sanitized_and_keeps_only_absolute_web_links():
    html = note_html("**Bold** <script>alert(1)</script> [ok](https://example.org/a) [bad](javascript:alert(2)) "
                     "[rel](../up/) <img src=x onerror=alert(3)>")
    assert "<strong>Bold</strong>" in html
    assert '<a href="https://example.org/a" rel="noopener noreferrer nofollow">ok</a>' in html
    for live in ("<script", "<img", 'href="javascript', 'href="../up/"'):  # words stay, as text
        assert live not in html
    assert " rel " in html and "<a rel" not in html  # a link without its address is its words
