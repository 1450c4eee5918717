"""Find an article's metadata in its own text: headline, byline, author bio, outlet, notices.

Takes block texts and the compiled rules; gives plain values. Used for forms without structured
metadata (scrapes, blobs, Markdown without front matter) and as the last fallback for the others.
Unknown stays unknown: every function returns None rather than a guess.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from .rules import Rules, normalize, outlet_name, person_name

SENTENCE_PUNCT = re.compile(r"[.!?…»”\"’)。！？」』）]$")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
LETTERS = re.compile(r"[^\W\d_]", re.U)
WORDS = re.compile(r"\S+")
SEPARATED = re.compile(r"\s{2,}|\s[|›»>·•/]\s")
HOST_PREFIXES = ("www.", "m.", "amp.", "news.", "cms-articles.", "cms.", "blog.", "blogs.")


def word_count(text: str) -> int:
    return len(WORDS.findall(text))


def prose_units(text: str) -> float:
    """Words, with a CJK character counted as half a word."""
    cjk = len(CJK.findall(text))
    return word_count(text) if not cjk else cjk / 2 + word_count(CJK.sub(" ", text))


LINK_TEXT = re.compile(r"<a\b[^>]*>(.*?)</a>", re.S | re.I)
TAGS = re.compile(r"<[^>]+>")


def link_density(html: str, text: str) -> float:
    """Share of a block's text that sits inside links: near 1 for lists of related stories."""
    if not html or "<a" not in html or not text:
        return 0.0
    linked = sum(len(TAGS.sub("", inner)) for inner in LINK_TEXT.findall(html))
    return min(1.0, linked / len(text))


def headline_like(text: str) -> bool:
    """A line that reads as a headline: a few words, capitalised, no final full stop."""
    words = word_count(text)
    if not 3 <= words <= 30 or len(text) > 220:
        return False
    if text.rstrip().endswith((".", ":", ";", ",")) and not text.rstrip().endswith("..."):
        return False
    if text.isupper() or SEPARATED.search(text) or not text[:1].isupper() and not text[:1].isdigit():
        return False
    if re.search(r"[.!?]\s+[A-Z]", text):  # two sentences: a caption or a teaser, not a headline
        return False
    letters = len(LETTERS.findall(text))
    return letters / max(1, len(text)) > 0.6


def body_paragraph(text: str, rules: Rules) -> bool:
    """Prose that is surely article text: long enough, ending like a sentence, not boilerplate.
    Text without spaces (Japanese, Chinese) is measured in characters, about two to a word."""
    return (prose_units(text) >= 18 and bool(SENTENCE_PUNCT.search(text.rstrip(" *_")))
            and rules.boilerplate_category(text) is None and not rules.starts_tail(text)
            and bio_name(text, rules) is None)


def byline_author(text: str, rules: Rules) -> str | None:
    probe = normalize(text)
    for pattern in rules.byline:
        match = pattern.search(probe)
        if match:
            return person_name(match.group("name"), rules)
    return None


def is_byline(text: str, rules: Rules) -> bool:
    probe = normalize(text)
    return any(p.search(probe) for p in rules.byline)


def bio_name(text: str, rules: Rules) -> str | None:
    """The name (or first name) a bio paragraph introduces, or None if it is not a bio."""
    probe = normalize(text)
    for pattern in rules.bio:
        match = pattern.search(probe)
        if match:
            groups = match.groupdict()
            if groups.get("name"):
                return person_name(groups["name"], rules)
            first = groups.get("first")
            return first if first and first[0].isupper() else None
    return None


def publisher_mentions(texts: list[str], rules: Rules) -> list[str]:
    """Outlets named by affiliate notes, "reader-supported" lines, bios and copyright lines."""
    found = []
    for text in texts:
        for pattern in rules.publisher:
            for match in pattern.finditer(text):
                name = outlet_name(match.group("publisher"), rules)
                if name:
                    found.append(name)
    return found


def site_name(head: list[str], everything: str, rules: Rules) -> str | None:
    """The outlet's name printed above the headline ("Frame & Pixel"), preferring one the page
    names again elsewhere (copyright, newsletter, "Trending on …")."""
    candidates = [t.strip() for t in head if _name_line(t.strip(), rules)]
    for name in candidates:
        if everything.count(name) >= 2:
            return name
    if head and candidates and candidates[0] == head[0].strip():
        return candidates[0]
    return None


def name_line(text: str, rules: Rules) -> bool:
    """A line that is only a name: an outlet's masthead, a person's name."""
    return _name_line(text.strip(), rules)


def _name_line(text: str, rules: Rules) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 5 or len(text) > 50 or SEPARATED.search(text):
        return False
    if rules.boilerplate_category(text) or text.endswith((".", "!", "?", ":")):
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w in ("&", "of", "the", "de", "du", "la") for w in words)


def originally_published_by(text: str, rules: Rules) -> tuple[bool, str | None]:
    """Whether a block is a syndication notice, and the outlet it credits."""
    for pattern in rules.originally_published:
        match = pattern.search(text)
        if match:
            groups = match.groupdict()
            return True, outlet_name(groups.get("publisher"), rules)
    return False, None


def machine_translation_notice(text: str, rules: Rules) -> bool:
    return any(p.search(text) for p in rules.machine_translation)


def derive_headline(text: str, max_words: int = 12) -> str:
    """A short headline from the body's first sentence, for sources that have no title."""
    first = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]
    words = first.split()
    if len(words) <= max_words:
        return first.rstrip(".")
    cut = " ".join(words[:max_words]).rstrip(",;:")
    return cut + "…"


def summarize(text: str, limit: int = 240) -> str:
    """A summary: the body's opening, cut at a word boundary."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def outlet_from_url(url: str | None) -> str | None:
    """"cms-articles.softonic.io" gives "Softonic": the registrable name, capitalised."""
    if not url:
        return None
    try:
        host = urlsplit(url).netloc.lower().split(":")[0]
    except ValueError:  # "http://[bad": not a URL we can name an outlet from
        return None
    for prefix in HOST_PREFIXES:
        host = host.removeprefix(prefix)
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2 or all(label.isdigit() for label in labels) or host.startswith("["):
        return None
    name = labels[-3] if len(labels) >= 3 and labels[-2] in ("co", "com", "org", "net", "gov", "ac") else labels[-2]
    return name.capitalize() if name.isalpha() else name
