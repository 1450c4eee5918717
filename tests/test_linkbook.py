"""The build's link check, fed page by page: it finds what a full check finds, parses only pages
whose bytes are new, and judges only the changed pages when nothing else can have broken."""
from __future__ import annotations

from generator.cache import file_hash
from generator.check import link_problems
from generator.linkbook import LinkBook

BASE = "https://links.example/"


def page(body: str, ids=("main",)) -> bytes:
    anchors = "".join(f'<p id="{i}">{i}</p>' for i in ids)
    return f"<html lang=en><body>{anchors}{body}</body></html>".encode()


SITE = {"index.html": page('<a href="/a/#part">a</a><a href="b.html">b</a>'),
        "a/index.html": page('<a href="../index.html#main">home</a>', ids=("part",)),
        "b.html": page('<a href="/a/">a</a>')}


def never_read() -> bytes:
    raise AssertionError("a kept page was read again")


def check(files: dict[str, bytes], book: LinkBook) -> LinkBook:
    """Stage a site into the book as the build does: pages kept by their bytes' hash come unread."""
    for path, content in files.items():
        digest = file_hash(content)
        unread = (path, digest) in book.kept
        book.add(path, digest, None if unread else content, never_read if unread else lambda c=content: c)
    return book


def test_the_check_parses_only_changed_pages_and_finds_what_a_full_check_finds():
    steps = [
        lambda f: f,  # the first check parses everything
        lambda f: {**f, "a/index.html": page('<a href="../index.html#main">home</a>', ids=("whole",))},
        lambda f: {k: v for k, v in f.items() if k != "b.html"},  # a page deleted
        lambda f: {**f, "b.html": page('<a href="/a/#whole">a</a><a href="/gone/">x</a>')},
    ]
    files, kept, written, parsed = dict(SITE), {}, None, []
    for step in steps:
        files = step(files)
        book = check(files, LinkBook(BASE, kept, written))
        assert book.problems() == link_problems(files, BASE)
        if not book.problems():  # only a site without broken links is written
            written = {path: file_hash(content) for path, content in files.items()}
        kept, parsed = book.seen, parsed + [book.parsed]
    assert link_problems(files, BASE) == [  # index.html is kept, yet its link to a changed anchor is found
        "b.html: <a> '/gone/': no such file in the site",
        "index.html: <a> '/a/#part': no element with id 'part' in a/index.html"]
    assert parsed == [3, 1, 0, 1]


def test_after_a_change_that_breaks_nothing_else_only_the_changed_page_is_judged():
    first = check(SITE, LinkBook(BASE, {}))
    written = {path: file_hash(content) for path, content in SITE.items()}
    edited = {**SITE, "b.html": page('<a href="/a/">a</a> and more words', ids=("main", "extra"))}
    book = check(edited, LinkBook(BASE, first.seen, written))
    assert book.problems() == [] and not book.checked_all() and book.changed == {"b.html"}
    broken = {**SITE, "b.html": page('<a href="/a/#nowhere">a</a>')}
    book = check(broken, LinkBook(BASE, first.seen, written))
    assert book.problems() == ["b.html: <a> '/a/#nowhere': no element with id 'nowhere' in a/index.html"]


def test_a_lost_id_or_a_removed_file_has_every_page_judged_again():
    first = check(SITE, LinkBook(BASE, {}))
    written = {path: file_hash(content) for path, content in SITE.items()}
    no_part = {**SITE, "a/index.html": page('<a href="../index.html#main">home</a>', ids=("other",))}
    book = check(no_part, LinkBook(BASE, first.seen, written))
    assert book.checked_all()
    assert book.problems() == ["index.html: <a> '/a/#part': no element with id 'part' in a/index.html"]
    without_b = {k: v for k, v in SITE.items() if k != "b.html"}
    book = check(without_b, LinkBook(BASE, first.seen, written))
    assert book.checked_all() and book.problems() == ["index.html: <a> 'b.html': no such file in the site"]


def test_kept_links_come_back_from_the_store_as_they_were_and_a_compacted_table_holds_the_same():
    import pickle

    from generator.check import PageLinks, site_links

    site = {f"p{n}.html": page(f'<a href="/">home</a><a href="/p{(n + 1) % 3}.html">next</a>') for n in range(3)}
    table = pickle.loads(pickle.dumps(check(site, LinkBook(BASE, {})).seen.compacted()))  # as the build stores it
    rows = {path: (path, file_hash(content)) for path, content in site.items()}
    assert {path: table.get(row) for path, row in rows.items()} == site_links(site, BASE)
    assert len(table.links) == 4  # the menu's link once, and each page's own
    for n in range(2500):  # builds in which one page changed each time: their links pile up
        table.add(("p0.html", f"v{n}"), PageLinks(frozenset(), (("a", f"/v{n}/", (), ""),)))
        del table.rows[("p0.html", f"v{n}")]
    compact = table.compacted()
    assert len(compact.links) == 4 and {p: compact.get(r) for p, r in rows.items()} == site_links(site, BASE)


def test_links_resolve_the_same_whether_or_not_pages_share_their_resolutions():
    from generator.check import page_links

    base = "https://digest.example/sub/"
    values = ["/sub/a/", "//digest.example/sub/b/", "https://digest.example/sub/c/#x", "https:rel/", "HTTP:x",
              "mailto:me@example.org", "../up/", "here/", "#top", "?q=1", "", " /sub/spaced/ ", "javascript:x"]
    html = "".join(f'<a href="{v}">l</a>' for v in values)
    page = f"<!doctype html><html><body>{html}</body></html>".encode()
    shared: dict = {}
    for path in ("index.html", "articles/one/index.html", "topics/t/page/2/index.html", "about/index.html"):
        assert page_links(path, page, base, shared) == page_links(path, page, base)


def test_pages_parsed_by_the_helper_process_give_what_parsing_here_gives(monkeypatch):
    """Many pages go to a helper process (the other core): the same links, ids and problems,
    and the next build keeps every page it parsed."""
    import os

    from generator import linkbook, parallel

    files = {**SITE, **{f"p{n}/index.html": page(f'<a href="/p{n + 1}/#main">next</a><a href="/a/#x{n}">x</a>')
                        for n in range(7)}}
    here = check(files, LinkBook(BASE, {}))  # fewer than PARSE_HERE: all parsed in this process
    assert here.parsed == len(files)
    monkeypatch.setattr(linkbook, "PARSE_HERE", 1)
    monkeypatch.setattr(linkbook, "BATCH", 2)
    monkeypatch.setattr(linkbook, "AHEAD", 1)
    monkeypatch.setattr(parallel, "usable_cores", lambda: 2)
    monkeypatch.setattr(linkbook, "may_start_helper", lambda: True)
    helper = linkbook._Parser.start()
    pids = helper.pool.submit(os.getpid).result()
    helper.close()
    assert pids != os.getpid()  # a process of its own is there to parse
    book = check(files, LinkBook(BASE, {}))
    assert book.problems() == link_problems(files, BASE) and book.problems()
    assert {p: book.pages[p] for p in book.pages} == {p: here.pages[p] for p in here.pages}
    again = check(files, LinkBook(BASE, book.seen, {p: file_hash(c) for p, c in files.items()}))
    assert again.parsed == 0
