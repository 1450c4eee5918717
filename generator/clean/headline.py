"""Tell the headline from the outlet's masthead, tagline and bylines above an article's body.

Takes the head blocks (everything above the first body paragraph) and ``Evidence`` about the
article (its URL, the site name and title its source structured, the body's opening, the whole
text); gives the index of the headline block, and the outlet a masthead names.

A line is the outlet's masthead when it has a name's shape (a few capitalised words) and some
evidence names it as the outlet: it matches the URL's domain or a domain printed on the page,
the structured site name, a copyright line or other outlet mention, or the page names it again
inside a longer line ("Foo Bar is reader-supported"). A line at the top that shares few content
words with the body, above one that shares most of its words, is chrome too (a masthead or its
tagline): the headline agrees with the body's opening and the URL slug; where the source
structured a title (og:title, ``<title>``, front matter), the headline is the line that says it. A "Name, Staff
Writer" line is a byline, not a headline. None of this depends on the words of any outlet.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from ..model import Block
from . import metadata as meta
from .dates import find_date
from .metadata import fold
from .rules import Rules, normalize

CONTENT_WORD = re.compile(r"[^\W\d_]{4,}", re.U)  # four letters or more: mostly not stop words
STEM = 5  # "Hollywood's" and "Hollywood", "studios" and "studio" meet on their first letters
# Share of a line's content words that the body's opening uses: a headline's are mostly there;
# a tagline shares a word or so ("your town"), a masthead none.
AGREES_LITTLE = 0.25
AGREES_MUCH = 0.5
# A host name as pages print it: labels, then a lower-case top-level domain ("St.Louis" is not one).
DOMAIN = re.compile(r"\b(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[a-z]{2,12}\b(?![.\w-])")
SHORT_LINE_WORDS = 14  # a domain is the outlet's in a short line (footer, credit), not in prose
HEADLINE_KINDS = ("h1", "h2")
MAX_DOMAINS = 12  # a page that prints more domains is a link list: none of them is its outlet


# Compared and hashed by identity: the memos below are asked several times about one article's
# evidence, and hashing its every block's text again for each question cost more than the answers.
@dataclass(frozen=True, eq=False)
class Evidence:
    url: str | None
    site_name: str | None  # the source's own structured name (og:site_name, feed title…)
    title: str | None  # the structured title (og:title, <title>, front matter), if any
    body: str  # the opening of the body: the first paragraphs
    texts: tuple[str, ...]  # every block's text, for repetitions and printed domains


def headline_index(head: list[Block], evidence: Evidence, text_form: bool, rules: Rules) -> int | None:
    """The index in ``head`` of the headline, or None when no line reads as one."""
    if evidence.title:
        wanted = normalize(evidence.title).casefold()
        return next((i for i, b in enumerate(head) if normalize(b.text).casefold() == wanted), None)
    about = _stems(" ".join((evidence.body, _slug_words(evidence.url))))
    names = outlet_keys(evidence, rules)
    candidates = [i for i, b in enumerate(head)
                  if (b.kind in HEADLINE_KINDS or (text_form and b.kind == "p")) and _candidate(b.text, rules)
                  and not _names_outlet(b.text, names, evidence, rules)]
    agreement = [_agreement(head[i].text, about) for i in candidates]
    best_below = _suffix_max(agreement)
    for k, i in enumerate(candidates):
        later = k + 1 < len(candidates)
        # Chrome above the headline (masthead, tagline) says little of what the article says.
        if later and agreement[k] < AGREES_LITTLE and best_below[k] >= AGREES_MUCH:
            continue
        if agreement[k] == 0 and meta.name_line(head[i].text, rules) and (later or i == 0):
            continue  # a bare name at the top, unrelated to the body: the outlet's, not a headline
        return i
    return None


def _suffix_max(values: list[float]) -> list[float]:
    """For each position, the largest value after it (0 after the last)."""
    out, best = [0.0] * len(values), 0.0
    for k in range(len(values) - 1, -1, -1):
        out[k] = best
        best = max(best, values[k])
    return out


def masthead_name(head: list[str], evidence: Evidence, rules: Rules) -> str | None:
    """The outlet's name printed above the headline: a name line that evidence names the
    outlet, else a name line of several words that opens the page."""
    names = outlet_keys(evidence, rules)
    lines = [t.strip() for t in head if meta.name_line(t, rules)]
    for line in lines:
        # Above the headline, a line printed again on its own (a footer) is the outlet's too.
        if _names_outlet(line, names, evidence, rules) or _text_index(evidence)[1][line.casefold()] >= 2:
            return line
    # Uncorroborated, the top line is taken for the masthead only when it is more than one
    # word: a lone "Menu" or "Search" at the top is chrome, not a name.
    if head and lines and lines[0] == head[0].strip() and len(lines[0].split()) >= 2:
        return lines[0]
    return None


HEAD_BYLINE_WORDS = 12


def head_author(lines: list[str], rules: Rules) -> str | None:
    """The author a byline names in the lines around the headline: "Name, Staff Writer" on one
    line, or a line that is only a person's name over a line holding the job title or date."""
    for text, below in zip(lines, [*lines[1:], ""]):
        if meta.word_count(text) > HEAD_BYLINE_WORDS:
            continue
        if meta.is_byline(text, rules):
            name = meta.byline_author(text, rules)
            if name:
                return name
        name = meta.person_name(text, rules)
        if name == text.strip() and below and meta.word_count(below) <= HEAD_BYLINE_WORDS \
                and (meta.is_byline(f"{name}, {below}", rules) or find_date(below)):
            return name
    return None


def printed_outlet(texts: tuple[str, ...] | list[str], head: list[str], rules: Rules) -> str | None:
    """The outlet a domain printed on the page names, when the page also spells it as a name
    ("dunmorecourier.com" and "Dunmore Courier") or prints it as a line of its own or in a
    copyright line. A domain in a sentence ("posted on example.com") names no outlet."""
    tried: set[str] = set()
    for text in texts:
        if meta.word_count(text) > SHORT_LINE_WORDS:
            continue
        for match in DOMAIN.finditer(text):
            label = meta.registrable_label(match.group())
            if not label or label in tried or "@" in text[max(0, match.start() - 1):match.start()]:
                continue
            tried.add(label)
            if len(tried) > MAX_DOMAINS:
                return None
            spelled = meta.spelled_in(label, texts) or next(
                (h.strip() for h in head if meta.name_line(h, rules) and fold(h) == fold(label)), None)
            if spelled:
                return spelled
            alone = text.strip(" .|·•–—-").casefold() == match.group().casefold()
            if alone or meta.copyright_holder(text, rules):
                return meta.outlet_from_url(f"https://{match.group()}", texts)
    return None


@lru_cache(maxsize=8)  # asked for the headline and again for the masthead of one article
def outlet_keys(evidence: Evidence, rules: Rules) -> frozenset[str]:
    """Folded names the evidence gives the outlet: URL and printed domains, the site name,
    outlet mentions (copyright lines, "X is reader-supported")."""
    keys = {fold(label) for label in _domain_labels(evidence)}
    keys |= {fold(n) for n in (evidence.site_name, *meta.publisher_mentions(list(evidence.texts), rules)) if n}
    return frozenset(k for k in keys if len(k) >= 3)


def _names_outlet(text: str, keys: frozenset[str], evidence: Evidence, rules: Rules) -> bool:
    if not meta.name_line(text, rules):
        return False
    key = fold(text)
    if len(key) < 3:
        return False
    if any(key == k or (min(len(key), len(k)) >= 5 and (key in k or k in key)) for k in keys):
        return True
    # Named again inside a longer line: "Foo Bar is reader-supported", "Trending on Foo Bar".
    joined, lines = _text_index(evidence)
    name = text.strip().casefold()
    return joined.count(name) > lines[name]


@lru_cache(maxsize=8)
def _text_index(evidence: Evidence) -> tuple[str, Counter]:
    """Every text lower-cased and joined, and how often each whole line occurs."""
    folded = [t.strip().casefold() for t in evidence.texts]
    return "\n".join(folded), Counter(folded)


def _candidate(text: str, rules: Rules) -> bool:
    return (meta.headline_like(text) and not rules.boilerplate_category(text)
            and not meta.is_byline(text, rules) and not find_date(text))


def _agreement(text: str, about: frozenset[str]) -> float:
    """Share of the line's content words that the body (or the URL slug) also uses."""
    words = _stems(text)
    if not words:
        return 1.0  # no measurable words (a script without spaces): no evidence against it
    return len(words & about) / len(words)


def _stems(text: str) -> frozenset[str]:
    return frozenset(map(_stem, [w for w in CONTENT_WORD.findall(text) if len(w) <= 24]))


@lru_cache(maxsize=1 << 16)  # once per word of every body (~10% of cleaning a text): words repeat
def _stem(word: str) -> str:
    return fold(word)[:STEM]


def _host(url: str | None) -> str:
    try:
        return (urlsplit(url).hostname or "") if url and "://" in url else ""
    except ValueError:  # "http://[bad": no host to read
        return ""


def _slug_words(url: str | None) -> str:
    if not url:
        return ""
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return ""
    return re.sub(r"[-_/.+]", " ", path)


def _domain_labels(evidence: Evidence) -> list[str]:
    """The registrable labels of the URL's host and of domains printed in short lines."""
    hosts = [_host(evidence.url)]
    for text in evidence.texts:
        if meta.word_count(text) <= SHORT_LINE_WORDS:
            hosts.extend(m.group() for m in DOMAIN.finditer(text) if "@" not in text[max(0, m.start() - 1):m.start()])
        if len(hosts) > MAX_DOMAINS:
            break
    return sorted({label for label in (meta.registrable_label(h) for h in hosts) if label})
