"""Small articles and stories built inline, and readers of rendered pages, for the render tests."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from generator.config import SiteConfig, load_config
from generator.model import Article, Block, Copy, PartialDate, Story

CONFIG_PATH = Path(__file__).resolve().parents[1] / "digest.toml"
SITE_HOST = "altman-sora-digest.netlify.app"
HOSTILE_TITLE = "</script><script>alert(1)</script>"
HOSTILE_HTML = ('Before <img src=x onerror=alert(1)> and <a href="javascript:alert(1)">a link</a> '
                '<a href="JaVaScRiPt:alert(2)">mixed</a> <svg onload=alert(3)></svg><script>alert(4)</script> after')


def site_config(base_url: str | None = None) -> SiteConfig:
    return load_config(CONFIG_PATH).with_overrides(base_url=base_url)


def article(source: str, title: str, *, item: str | None = None, date: PartialDate | None = None,
            author: str | None = "Dana Whitcombe", publisher: str | None = "Reel Signal",
            language: str = "en", url: str | None = None, blocks: tuple[Block, ...] | None = None,
            summary: str = "A short summary of the article.", **extra) -> Article:
    if blocks is None:
        blocks = (
            Block("p", "Sam Altman posted one word: her.", "Sam Altman posted <em>one word</em>: her."),
            Block("h2", "What the film is about"),
            Block("p", "The film follows a lonely writer and a voice in his earpiece."),
            Block("li", "First point"),
            Block("li", "Second point"),
            Block("quote", "It feels like AI from the movies."),
            Block("link", "Watch the demo", href="https://example.com/demo"),
        )
    return Article(source=source, item=item, form="text", title=title, title_derived=False,
                   blocks=blocks, summary=summary, date=date, author=author, publisher=publisher,
                   url=url, language=language, **extra)


def sample_stories() -> list[Story]:
    """Two topics' worth of stories: originals, a syndicated copy, a translation, an undated one."""
    her = article("wp-json-post-74120.json", "Why GPT-4o has everyone talking about the film Her again",
                  date=PartialDate(2024, 5, 15), url="https://reelsignal.example/her/")
    her_copy = article("dailytechroundup.atom", "Why GPT-4o has everyone talking about the film Her again",
                       item="urn:uuid:7c1e9a52", publisher="Daily Tech Roundup", date=None, author=None)
    perry = article("wp-posts-page-2.json", "Tyler Perry puts $800 million studio expansion on hold",
                    item="https://peachtreeledger.example/perry/", date=PartialDate(2024, 2, 23),
                    author="Marcus Hale", publisher="Peachtree Ledger")
    perry_fr = article("perry-studio-fr.txt", "Tyler Perry met en pause l’agrandissement de son studio",
                       language="fr", publisher="Le Fil Numérique", author=None, machine_translated=True)
    agencies = article("capture_20251006", "Agencies pull clients from Sora", date=PartialDate(2025, 10),
                       author=None, publisher=None, originally_published_by="Variety")
    undated = article("undated.md", "An undated note about Sora and studios", date=None, author=None)
    return [
        Story("s-her", (Copy(her, "original"), Copy(her_copy, "syndicated", inherited_date=her.date)),
              topic="altman-and-her"),
        Story("s-perry", (Copy(perry, "original"), Copy(perry_fr, "translation", inherited_date=perry.date)),
              topic="sora-in-hollywood"),
        Story("s-agencies", (Copy(agencies, "original"),), topic="sora-in-hollywood"),
        Story("s-undated", (Copy(undated, "original"),), topic="sora-in-hollywood"),
        Story("s-offtopic", (Copy(article("euro.txt", "Spain win the final"), "original"),), topic=None),
    ]


def hostile_story() -> Story:
    blocks = (Block("p", "Before and after", HOSTILE_HTML), Block("h2", HOSTILE_TITLE),
              Block("link", "bad", href="javascript:alert(5)"))
    hostile = article("sora2-japan-studios.html", HOSTILE_TITLE, blocks=blocks, summary=HOSTILE_TITLE,
                      author=HOSTILE_TITLE, publisher=HOSTILE_TITLE, date=PartialDate(2025, 11, 4))
    return Story("s-hostile", (Copy(hostile, "original"),), topic="sora-in-hollywood")


# Reading rendered pages the way a browser and a reader would.

LINK_ATTRS = {"href", "src"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.links.extend(value for name, value in attrs if name in LINK_ATTRS and value)


class _VisibleText(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "section", "article", "header",
              "footer", "blockquote", "aside", "nav", "ul", "main"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def is_email(path: str) -> bool:
    """An edition's email HTML (``editions/<week>/email.html``): made for mail clients, inline
    styles and no site layout, so not held to the rules of the site's pages."""
    return path.startswith("editions/") and path.endswith("/email.html")


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file of a built site (or any folder) by relative POSIX path, in path order."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def links_of(html: bytes) -> list[str]:
    parser = _Links()
    parser.feed(html.decode("utf-8"))
    return parser.links


def visible_text(html: bytes) -> str:
    parser = _VisibleText()
    parser.feed(html.decode("utf-8"))
    return re.sub(r"[ \t]+", " ", "".join(parser.parts))


def page_url(path: str, base_url: str) -> str:
    """The URL a browser shows for an output file: folders for index.html pages."""
    return base_url + (path[: -len("index.html")] if path.endswith("index.html") else path)


def file_for(url: str, base_url: str) -> str | None:
    """The output file an absolute URL on this site points to, or None for another site."""
    url = url.split("#", 1)[0].split("?", 1)[0]
    if not url.startswith(base_url):
        return None
    relative = url[len(base_url):]
    return relative + "index.html" if relative == "" or relative.endswith("/") else relative


def broken_links(files: dict[str, bytes], base_url: str) -> list[str]:
    """Every internal href/src, in every HTML page, that does not land on a rendered file."""
    site = urlsplit(base_url)
    broken = []
    for path, content in files.items():
        if not path.endswith(".html"):
            continue
        for link in links_of(content):
            if link.startswith("#"):
                continue
            absolute = urljoin(page_url(path, base_url), link)
            if urlsplit(absolute).netloc != site.netloc:
                continue  # another site
            target = file_for(absolute, base_url)
            if target is None or target not in files:
                broken.append(f"{path}: {link}")
    return broken


def article_pages(files: dict[str, bytes]) -> dict[str, bytes]:
    return {p: c for p, c in files.items() if p.startswith("articles/") and p.endswith(".html")}


# Live markup: what a browser would run or follow, wherever a source tried to put it.

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "data", "poster", "xlink:href", "background"}


class _Markup(HTMLParser):
    """Every start tag with its attributes, and the JSON-LD scripts' text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.json_ld: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        self.tags.append((tag, values))
        self._in_json_ld = tag == "script" and values.get("type") == "application/ld+json"

    def handle_endtag(self, tag):
        self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld.append(data)


def parse_markup(html: str) -> "_Markup":
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser


def url_scheme(value: str) -> str:
    """The scheme a browser would see: ASCII whitespace and controls are ignored in it."""
    match = re.match(r"([a-z][a-z0-9+.-]*):", re.sub(r"[\x00-\x20]", "", value).lower())
    return match.group(1) if match else ""


def _host(url: str) -> str | None:
    try:
        return urlsplit(url.strip()).netloc
    except ValueError:
        return None


OWN_SCRIPT = re.compile(r'<script type="module" src="(/[\w/.-]*)?/static/[\w.-]+\.js"></script>')


def _own_script(attrs: dict) -> bool:
    """The theme's own script file (the search page's), loaded from the site's static folder."""
    src = attrs.get("src", "")
    return src.startswith("/") and "/static/" in src and src.endswith(".js") and "//" not in src


def _own_search(tag: str, attrs: dict) -> bool:
    """The site's own search form: role=search, GET, to a page of this site. The sanitizer
    never lets a form through from a source, and a source's form would carry none of this."""
    action = attrs.get("action", "")
    return (tag == "form" and attrs.get("role") == "search" and attrs.get("method", "get").lower() == "get"
            and action.startswith("/") and action.rstrip("/").endswith("/search"))


def live_markup_problems(html: str, where: str, site_host: str = SITE_HOST) -> list[str]:
    """Scripts (but JSON-LD), event handlers, non-web URLs, and outbound links without rel."""
    problems = []
    for tag, attrs in parse_markup(html).tags:
        if tag == "script" and attrs.get("type") != "application/ld+json" and not _own_script(attrs):
            problems.append(f"{where}: <script {attrs}>")
        if tag == "meta" and "http-equiv" in attrs:
            problems.append(f"{where}: <meta http-equiv>")
        if tag in ("iframe", "object", "embed", "svg", "img", "form", "base", "frame") and not _own_search(tag, attrs):
            problems.append(f"{where}: <{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"{where}: <{tag} {name}=…>")
            if name in URL_ATTRIBUTES:
                scheme = url_scheme(value)
                if scheme not in ("", "http", "https"):
                    problems.append(f"{where}: <{tag} {name}={value[:40]!r}>")
        href = attrs.get("href", "")
        if tag == "a" and url_scheme(href) in ("http", "https") and _host(href) != site_host:
            if not {"noopener", "noreferrer", "nofollow"} <= set(attrs.get("rel", "").split()):
                problems.append(f"{where}: outbound link without rel: {href}")
    return problems


def feed_contents(files: dict[str, bytes]) -> dict[str, str]:
    """Every item's HTML content in every JSON Feed, RSS and Atom file, as a reader would render it."""
    import feedparser

    found = {}
    for path, data in files.items():
        if path.endswith("feed.json"):
            for n, item in enumerate(json.loads(data)["items"]):
                found[f"{path}#{n}"] = item["content_html"]
        elif path.endswith((".xml",)) and path != "sitemap.xml":
            for n, entry in enumerate(feedparser.parse(data, sanitize_html=False).entries):
                for part in entry.get("content", []):
                    found[f"{path}#{n}"] = part["value"]
    return found


# Hostile markup a source may carry, and the check that none of it is live in a rendered site.

HOSTILE_SNIPPETS = (
    "<script>alert(1)</script>", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">click</a>', '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>', '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>', '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>', "<svg onload=alert(1)>", '<iframe src="javascript:alert(1)"></iframe>',
    "<body onload=alert(1)>", '<div style="background:url(javascript:alert(1))">x</div>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>', '<x onmouseover="alert(1)">x</x>',
    '"><script>alert(1)</script>', "<!--<script>alert(1)</script>-->", "<![CDATA[<script>alert(1)</script>]]>",
    '<form action="javascript:alert(1)"><button>go</button></form>', '<object data="javascript:alert(1)"></object>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "[md link](javascript:alert(1))",
    '<a href="https://ok.example/" onclick="alert(1)">ok</a>', "<base href=javascript:alert(1)//>",
    "</title><script>alert(1)</script>", "</script><script>alert(1)</script>",
)


BINARY_ASSETS = (".png", ".ico", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".wasm")
# Pagefind's compressed index fragments: binary data fetched by its script, never shown as a page.
PAGEFIND_BINARY = re.compile(r"^pagefind/.*\.(pf_\w+|pagefind)$")


def text_files(files: dict[str, bytes]) -> dict[str, str]:
    """Every output file a browser or feed reader reads as text; binary assets are left out."""
    return {path: data.decode("utf-8") for path, data in files.items()
            if not path.endswith(BINARY_ASSETS) and not PAGEFIND_BINARY.match(path)}


def rendered_problems(files: dict[str, bytes]) -> list[str]:
    """Live markup in any output file: pages parsed as a browser would, feed items likewise,
    and no ``<script`` text anywhere but the JSON-LD element's opening tag."""
    problems = []
    for path, text in text_files(files).items():
        if "<script" in OWN_SCRIPT.sub("", text).lower().replace('<script type="application/ld+json">', ""):
            problems.append(f"{path}: <script")
        if path.endswith(".html"):
            problems += live_markup_problems(text, path)
    for where, html in feed_contents(files).items():
        problems += live_markup_problems(html, where)
    return problems
