"""``python -m generator check [DIR]``: is a built site whole? Links, anchors, assets, HTML, feeds.

Takes a built site, as a folder or as the ``{output-relative path: bytes}`` the render stage gives,
and its base URL (read from the home page's canonical link when checking a folder); gives a list
of problems, one line each, naming the file and what is wrong (empty: the site is fine):

- every internal link, asset and form target (``href``, ``src``, ``action``, sitemap ``<loc>``)
  resolves to a file of the site, and every ``#fragment`` to an element with that id;
- every page parses as HTML5 without a parse error (html5lib) and has the structure a reader and
  a crawler need: ``<html lang>``, a charset, one ``<title>``, one ``<main>``, one ``<h1>``, no
  duplicate ids;
- every feed parses cleanly (feedparser, no bozo), an RSS ``<guid>`` that does not say
  ``isPermaLink="false"`` is a full URL, RSS and Atom feeds link to themselves with
  ``rel="self"``, and JSON Feeds carry the fields JSON Feed 1.1 requires.

The build runs ``link_problems`` on every build, before anything is written (as Zola does), with
each page's ``PageLinks`` (its ids and resolved links) kept from the last check by its path and
bytes (``Builder.links``), so only changed pages are parsed; the verdicts are made afresh each time.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

from lxml import etree

LINK_ATTRIBUTES = {("a", "href"), ("area", "href"), ("link", "href"), ("script", "src"),
                   ("img", "src"), ("source", "src"), ("video", "src"), ("audio", "src"),
                   ("iframe", "src"), ("form", "action")}
NOT_FETCHED = {"preconnect", "dns-prefetch"}
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP_LOC = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1"
Files = Mapping[str, bytes]


COUNTED = ("title", "main", "h1")  # elements a page must have exactly one of


@dataclass
class PageScan:
    """What one pass over a page finds: its links, its ids and the elements counted once."""

    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, value)
    ids: set[str] = field(default_factory=set)
    duplicate_ids: set[str] = field(default_factory=set)
    counts: Counter = field(default_factory=Counter)  # the COUNTED elements and charset declarations
    lang: str | None = None
    canonical: str | None = None


# libxml2 parses the page in C; the loop below reads only the attributes that matter. (html.parser's
# pure-Python tokenizer made the link check take twice as long as rendering the pages.)
_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, no_network=True, huge_tree=True)
_LINK_ATTRIBUTE = dict(sorted(LINK_ATTRIBUTES))  # one attribute per tag


def scan_page(content: bytes) -> PageScan:
    scan = PageScan()
    try:
        root = etree.fromstring(content, _PARSER)
    except etree.XMLSyntaxError:  # an empty page: nothing in it
        return scan
    for element in root.iter(etree.Element) if root is not None else ():
        _scan_element(scan, element)
    return scan


def _scan_element(scan: PageScan, element) -> None:
    tag, get = element.tag, element.get
    if tag in COUNTED:
        scan.counts[tag] += 1
    ident = get("id")
    if ident:
        if ident in scan.ids:
            scan.duplicate_ids.add(ident)
        scan.ids.add(ident)
    if tag == "a" and get("name"):
        scan.ids.add(get("name"))  # an old-style anchor target
    elif tag == "html":
        scan.lang = get("lang")
    elif tag == "meta" and get("charset") is not None:
        scan.counts["charset"] += 1
    elif tag == "link":
        rel = set((get("rel") or "").lower().split())
        if "canonical" in rel:
            scan.canonical = get("href")
        if rel & NOT_FETCHED:
            return
    attribute = _LINK_ATTRIBUTE.get(tag)
    if attribute and get(attribute):
        scan.links.append((tag, get(attribute)))


def page_url(base_url: str, path: str) -> str:
    """The address a browser shows for an output file: folders for their ``index.html``."""
    return base_url + (path[: -len("index.html")] if path.endswith("index.html") else path)


def _is_internal(url: str, base_url: str) -> bool:
    link, base = urlsplit(url), urlsplit(base_url)
    return (link.scheme, link.netloc) == (base.scheme, base.netloc)


@dataclass(frozen=True)
class PageLinks:
    """What the link check needs of one page, which depends on its path, bytes and the base URL
    only (so a build keeps it by those and parses only changed pages): the ids it defines, and
    each link as (tag, value, the files it may point to, its fragment). The files are None for a
    link outside the site (not checked) and empty for one inside the site's host but not under
    its base path."""

    ids: frozenset[str]
    links: tuple[tuple[str, str, tuple[str, ...] | None, str], ...]


def page_links(path: str, content: bytes, base_url: str, resolved: dict | None = None) -> PageLinks:
    """One page's ids and resolved links; ``resolved`` shares the resolutions between pages."""
    scan = scan_page(content)
    resolved = {} if resolved is None else resolved
    url = page_url(base_url, path)
    folder = url.rsplit("/", 1)[0] + "/"  # all a relative path depends on
    links = []
    for tag, value in scan.links:
        # The same menu and assets are on every page: resolve each link once per folder, and
        # once for the site when it names its host or root (what a page's own folder cannot change).
        stripped = value.strip()
        base = (url if stripped.startswith(("#", "?")) or not stripped
                else base_url if _from_any_page(stripped, base_url) else folder)
        if (base, value) not in resolved:
            resolved[(base, value)] = _resolve(base, value, base_url)
        links.append((tag, value, *resolved[(base, value)]))
    return PageLinks(frozenset(scan.ids), tuple(links))


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")  # RFC 3986's scheme, then ":"


def _from_any_page(value: str, base_url: str) -> bool:
    """Whether a link resolves the same from every page of the site: it starts at the root or the
    host, or names a scheme other than the site's ("https:x" on an https site is relative)."""
    if value.startswith("/"):
        return True
    scheme = _SCHEME.match(value)
    if scheme is None:
        return False
    return value[scheme.end():].startswith("//") or scheme.group()[:-1].lower() != urlsplit(base_url).scheme


def _resolve(base: str, value: str, base_url: str) -> tuple[tuple[str, ...] | None, str]:
    url = urljoin(base, value.strip())
    if urlsplit(url).scheme not in ("http", "https") or not _is_internal(url, base_url):
        return None, ""
    return _candidates(url, base_url), unquote(urlsplit(url).fragment)


def _candidates(url: str, base_url: str) -> tuple[str, ...]:
    """The output files an absolute URL inside the site may be, in the order they are tried."""
    path = unquote(urlsplit(url).path)
    base_path = urlsplit(base_url).path
    if not path.startswith(base_path):
        return ()
    relative = path[len(base_path):]
    return (relative + "index.html" if relative.endswith("/") or not relative else relative,
            relative + "/index.html")


def site_links(files: Files, base_url: str) -> dict[str, PageLinks]:
    """Every page's ``PageLinks``."""
    resolved: dict = {}
    return {p: page_links(p, c, base_url, resolved) for p, c in files.items() if p.endswith(".html")}


def link_problems(files: Files, base_url: str, pages: Mapping[str, PageLinks] | None = None) -> list[str]:
    """Broken internal links, anchors and assets of every page and the sitemap. ``pages``: every
    page's ``PageLinks``, when the caller kept them from an earlier check (default: parse all)."""
    pages = site_links(files, base_url) if pages is None else pages
    return broken_links(files.keys(), pages, files.get("sitemap.xml"), base_url)


def broken_links(paths: Collection[str], pages: Mapping[str, PageLinks], sitemap: bytes | None, base_url: str,
                 checked: Mapping[str, PageLinks] | None = None) -> list[str]:
    """``link_problems`` from the site's file paths, every page's ``PageLinks`` and the sitemap's
    bytes; ``checked``: the pages whose links are judged (default: all)."""
    problems = []
    for path, page in sorted((pages if checked is None else checked).items()):
        for tag, value, candidates, fragment in page.links:
            problem = _link_problem(candidates, fragment, paths, pages)
            if problem:
                problems.append(f"{path}: <{tag}> {value!r}: {problem}")
    return problems + _sitemap_problems(sitemap, paths, base_url)


def _link_problem(candidates: tuple[str, ...] | None, fragment: str, paths: Collection[str],
                  pages: Mapping[str, PageLinks]) -> str | None:
    if candidates is None:
        return None
    target = next((c for c in candidates if c in paths), None)
    if target is None:
        return "no such file in the site"
    if fragment and target in pages and fragment not in pages[target].ids:
        return f"no element with id {fragment!r} in {target}"
    return None


def target_file(url: str, base_url: str, files: Collection[str]) -> str | None:
    """The output file an absolute URL inside the site points to, or None if there is none."""
    return next((c for c in _candidates(url, base_url) if c in files), None)


def _sitemap_problems(sitemap: bytes | None, paths: Collection[str], base_url: str) -> list[str]:
    if sitemap is None:
        return []
    try:
        root = ElementTree.fromstring(sitemap)
    except ElementTree.ParseError as exc:
        return [f"sitemap.xml: not well-formed XML: {exc}"]
    return [f"sitemap.xml: <loc> {loc.text!r}: no such page in the site"
            for loc in root.iter(SITEMAP_LOC)
            if not _is_internal(loc.text or "", base_url) or not target_file(loc.text or "", base_url, paths)]


def html_problems(files: Files) -> list[str]:
    """HTML5 parse errors and missing structure, page by page."""
    import html5lib
    from html5lib.constants import E

    problems = []
    for path, content in sorted(files.items()):
        if not path.endswith(".html"):
            continue
        parser = html5lib.HTMLParser(namespaceHTMLElements=False)
        parser.parse(content.decode("utf-8", errors="replace"))
        for (line, column), code, data in parser.errors:
            message = E.get(code, code) % (data or {}) if data else E.get(code, code)
            problems.append(f"{path}:{line}:{column}: {message}")
        problems.extend(f"{path}: {p}" for p in _structure_problems(scan_page(content)))
    return problems


def _structure_problems(scan: PageScan) -> list[str]:
    problems = [] if scan.lang else ["<html> has no lang attribute"]
    if not scan.counts["charset"]:
        problems.append("no <meta charset>")
    for tag in ("title", "main", "h1"):
        if scan.counts[tag] != 1:
            problems.append(f"{scan.counts[tag]} <{tag}> elements, want exactly one")
    problems.extend(f"id {i!r} is used more than once" for i in sorted(scan.duplicate_ids))
    return problems


def feed_problems(files: Files, base_url: str) -> list[str]:
    """Feeds that do not parse cleanly or break the RSS, Atom or JSON Feed rules."""
    problems = []
    for path, content in sorted(files.items()):
        if path.endswith(".xml") and path != "sitemap.xml":
            problems.extend(f"{path}: {p}" for p in _xml_feed_problems(content, base_url + path))
        elif path.endswith("feed.json"):
            problems.extend(f"{path}: {p}" for p in _json_feed_problems(content, base_url + path))
    return problems


def _xml_feed_problems(content: bytes, own_url: str) -> list[str]:
    import feedparser

    parsed = feedparser.parse(content)
    if parsed.bozo:
        return [f"does not parse cleanly: {parsed.bozo_exception}"]
    root = ElementTree.fromstring(content)
    if root.tag == "rss":
        return _rss_problems(root, own_url)
    if root.tag == f"{ATOM}feed":
        return _self_link_problems(root.findall(f"{ATOM}link"), own_url)
    return [f"not an RSS or Atom feed (root <{root.tag}>)"]


def _rss_problems(root: ElementTree.Element, own_url: str) -> list[str]:
    channel = root.find("channel")
    if channel is None:
        return ["no <channel>"]
    problems = _self_link_problems(channel.findall(f"{ATOM}link"), own_url)
    for guid in channel.iter("guid"):
        permalink = guid.get("isPermaLink", "true") != "false"
        if permalink and urlsplit(guid.text or "").scheme not in ("http", "https"):
            problems.append(f"<guid> {guid.text!r} is not a URL but does not say isPermaLink=\"false\"")
    return problems


def _self_link_problems(links: list[ElementTree.Element], own_url: str) -> list[str]:
    selves = [link.get("href") for link in links if link.get("rel") == "self"]
    if not selves:
        return ['no atom:link rel="self"']
    return [] if own_url in selves else [f'atom:link rel="self" is {selves[0]!r}, not {own_url!r}']


def _json_feed_problems(content: bytes, own_url: str) -> list[str]:
    try:
        feed = json.loads(content)
    except ValueError as exc:
        return [f"not JSON: {exc}"]
    if not isinstance(feed, dict):
        return ["not a JSON object"]
    problems = [] if str(feed.get("version", "")).startswith(JSON_FEED_VERSION) else ["no JSON Feed version"]
    problems += [f"no {key!r}" for key in ("title", "home_page_url", "feed_url") if not feed.get(key)]
    if feed.get("feed_url") and feed["feed_url"] != own_url:
        problems.append(f"feed_url is {feed['feed_url']!r}, not {own_url!r}")
    items = feed.get("items")
    if not isinstance(items, list):
        return problems + ["no 'items' list"]
    ids = [item.get("id") if isinstance(item, dict) else None for item in items]
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(f"item {number} has no string id")
        elif not (item.get("content_html") or item.get("content_text")):
            problems.append(f"item {number} has neither content_html nor content_text")
    problems += [f"item id {i!r} is used more than once" for i, n in Counter(ids).items() if i and n > 1]
    return problems


def read_site(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def site_base_url(files: Files) -> str | None:
    """The base URL a site was built for: the home page's canonical link says it."""
    home = files.get("index.html")
    return scan_page(home).canonical if home else None


def check_files(files: Files, base_url: str) -> list[str]:
    return link_problems(files, base_url) + html_problems(files) + feed_problems(files, base_url)


def run_check(args) -> int:
    folder = Path(args.dir)
    if not (folder / "index.html").is_file():
        print(f"error: {folder}: no index.html; build the site first", file=sys.stderr)
        return 1
    files = read_site(folder)
    base_url = site_base_url(files)
    if not base_url:
        print(f"error: {folder}/index.html: no canonical link to learn the base URL from", file=sys.stderr)
        return 1
    problems = check_files(files, base_url)
    for problem in problems:
        print(f"{folder}/{problem}", file=sys.stderr)
    pages = sum(1 for p in files if p.endswith(".html"))
    print(f"checked {folder}: {pages} pages, {len(problems)} problem(s)",
          file=sys.stderr if problems else sys.stdout)
    return 1 if problems else 0
