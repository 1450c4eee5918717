"""Find an article's metadata in its own text: headline, byline, author bio, outlet, notices.

Takes block texts and the compiled rules; gives plain values. Used for forms without structured
metadata (scrapes, blobs, Markdown without front matter) and as the last fallback for the others.
Unknown stays unknown: every function returns None rather than a guess.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

from .rules import DATA, Rules, first_chars_ahead, normalize, outlet_name, person_name

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
    return [name for text in texts for name in _mentions_in(text, rules)]


@lru_cache(maxsize=4096)  # one article's texts are read for mentions up to three times
def _mentions_in(text: str, rules: Rules) -> tuple[str, ...]:
    found = []
    for pattern in rules.publisher:
        for match in pattern.finditer(text):
            name = outlet_name(match.group("publisher"), rules)
            if name:
                found.append(name)
    holder = copyright_holder(text, rules)
    if holder:
        found.append(holder)
    return tuple(found)


COPYRIGHT_MARK = re.compile(r"©|\([cC]\)|\bcopyright\b(?:\s*©)?", re.I)
YEARS = re.compile(r"^\s*(?:(?:19|20)\d\d(?:\s*[-–/]\s*(?:(?:19|20)?\d\d))?\s*[,.]?\s*)+")
AFTER_NAME = re.compile(r"^\s*(?:$|[.,;|·•–—-]|\(|(?:19|20)\d\d\b)")
NAME_JOINERS = {"&", "of", "de", "du", "des", "la", "le", "di", "del", "da", "do", "der", "und", "y", "et"}


LOOK_BACK = 200  # characters read before a mark or phrase: a copyright line's start is near
MAX_MARKS = 20  # marks tried per text ("(c)" also numbers list items)
MAX_NAME_WORDS = 8


@lru_cache(maxsize=1)
def _publisher_data() -> dict:
    data = tomllib.loads((DATA / "metadata.toml").read_text(encoding="utf-8"))["publisher"]
    rights = "|".join(data["rights_reserved"])
    return {**data, "rights": re.compile(f"{first_chars_ahead(rights, re.I)}(?:{rights})", re.I)}


def copyright_holder(text: str, rules: Rules) -> str | None:
    """The outlet a copyright line names: "© 2024 Name", "Copyright Name 2019–2024", "Name.
    Tous droits réservés." A sentence that mentions copyright names none: the name (capitalised
    words) must be followed by nothing, punctuation, a year or a rights-reserved phrase, not by
    the rest of a sentence; the mark opens the line or follows a sentence end, not a label
    ("Photo: ©")."""
    data = _publisher_data()
    rights = data["rights"]
    for tried, mark in enumerate(COPYRIGHT_MARK.finditer(text)):
        if tried >= MAX_MARKS:
            break
        if not _opens_copyright(text[max(0, mark.start() - LOOK_BACK):mark.start()].strip(), rights):
            continue
        rest = YEARS.sub("", text[mark.end():mark.end() + LOOK_BACK * 2])
        name, after = _capitalised_name(rest)
        if name and (AFTER_NAME.match(after) or rights.match(after.strip(" .,"))):
            return _without_legal_suffix(name, data, rules)
        break  # the first mark that opens a line is the copyright line's
    reserved = rights.search(text)
    if reserved:
        name = _name_before(text[max(0, reserved.start() - LOOK_BACK):reserved.start()])
        if name:
            return _without_legal_suffix(name, data, rules)
    return None


def _name_before(text: str) -> str | None:
    """The capitalised words just before a rights-reserved phrase, years and © skipped, when
    they open the line or follow a sentence end ("…next. Foo Bar 2024 All rights reserved")."""
    words = text.split()
    while words and (words[-1].strip(".,|–—-©") == "" or re.fullmatch(r"[.,|–—-]*(?:19|20)\d\d[.,|–—-]*", words[-1])):
        words.pop()  # years, "©" and separators between the name and the phrase
    words = [*words[:-1], words[-1].rstrip(".,|–—-")] if words else words
    kept: list[str] = []
    while words:
        word = words[-1].strip("’'\"")
        if word.endswith((".", "!", "?", ":", "|")) or not (word[:1].isupper() or word == "&" or word.lower() in NAME_JOINERS):
            break
        kept.insert(0, words.pop().strip(",;"))
    while kept and kept[0] in NAME_JOINERS:  # lower-case: "of Foo" is not a name's start
        kept.pop(0)
    opens = not words or words[-1].endswith((".", "!", "?", "|", "·", "•", "–", "—", "-")) or words[-1] == "©"
    return " ".join(kept) if kept and opens and len(kept) <= 6 else None


def _opens_copyright(before: str, rights: re.Pattern) -> bool:
    """A copyright mark opens its line or a new part of it; after a label ("Photo: ©") it is
    a picture credit, and the name is a photographer's."""
    return not before or before.endswith((".", "|", "·", "•", "–", "—", "-")) \
        or bool(rights.fullmatch(before.strip(" .,")))


def _capitalised_name(text: str) -> tuple[str, str]:
    """The capitalised words that open the text (joiners allowed inside), and what follows.
    Punctuation after a word ("Name." "Name,") ends the name."""
    kept: list[str] = []
    pos = 0
    for match in re.finditer(r"\S+", text):
        word = match.group()
        bare = word.rstrip(".,;:|").strip("’'\"")
        leads = bare[:1]
        if not bare or not (leads.isupper() or (leads.isdigit() and any(c.isalpha() for c in bare))
                            or (kept and bare.lower() in NAME_JOINERS)):
            break
        kept.append(bare)
        pos = match.start() + len(word.rstrip(".,;:|"))
        if word != word.rstrip(".,;:|") or len(kept) >= MAX_NAME_WORDS:
            break
    while kept and kept[-1].lower() in NAME_JOINERS:
        kept.pop()
    return " ".join(kept), text[pos:]


def _without_legal_suffix(name: str, data: dict, rules: Rules) -> str | None:
    words = name.split()
    while len(words) > 1 and words[-1].strip(".") in data["legal_suffixes"]:
        words.pop()
    name = " ".join(words)
    if not name or name in rules.not_a_publisher or len(name) > 60:
        return None
    return name


def name_line(text: str, rules: Rules) -> bool:
    """A line that is only a name: an outlet's masthead, a person's name."""
    return _name_line(text.strip(), rules)


def _name_line(text: str, rules: Rules) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 5 or len(text) > 50 or SEPARATED.search(text):
        return False
    if rules.boilerplate_category(text) or text.endswith((".", "!", "?", ":")):
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w in NAME_JOINERS | {"the"} for w in words)


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


def outlet_from_url(url: str | None, texts: tuple[str, ...] | list[str] = ()) -> str | None:
    """"cms-articles.softonic.io" gives "Softonic": the registrable name, as the page spells it.

    "dunmore-courier" is "Dunmore Courier" (a hyphen parts words); "dunmorecourier" is the
    same when the page prints "Dunmore Courier" (its letters, in order, with nothing else),
    and "Dunmorecourier" when nothing shows where its words part.
    """
    if not url:
        return None
    try:
        host = urlsplit(url).netloc.lower().split(":")[0]
    except ValueError:  # "http://[bad": not a URL we can name an outlet from
        return None
    label = registrable_label(host)
    if not label:
        return None
    printed = spelled_in(label, texts)
    if printed:
        return printed
    if not label.replace("-", "").isalpha():
        return label
    return " ".join(part.capitalize() for part in label.split("-") if part)


def registrable_label(host: str) -> str | None:
    """The label a host is registered under: "news.harbour.co.uk" gives "harbour"."""
    host = host.lower().strip(".")
    for prefix in HOST_PREFIXES:
        host = host.removeprefix(prefix)
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2 or all(label.isdigit() for label in labels) or host.startswith("["):
        return None
    return labels[-3] if len(labels) >= 3 and labels[-2] in ("co", "com", "org", "net", "gov", "ac") else labels[-2]


CAPITALISED_RUN = re.compile(r"(?:[^\W\d_][\w’'&.-]*)(?:\s+(?:[^\W\d_][\w’'&.-]*|&))*", re.U)


def fold(text: str) -> str:
    """Letters and digits only, lower-cased, without accents: "Écrans & Réseaux" is
    "ecransreseaux", as a domain would spell it."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def spelled_in(label: str, texts) -> str | None:
    """A run of capitalised words in the texts whose letters are exactly the label's."""
    wanted = fold(label)
    if len(wanted) < 4:
        return None
    for text in texts:
        if wanted not in fold(text):
            continue
        for run in CAPITALISED_RUN.finditer(text):
            words = run.group().split()
            for i in range(len(words)):
                for j in range(i + 1, min(len(words), i + 6) + 1):
                    phrase = " ".join(words[i:j]).strip(".,;:’'")
                    if fold(phrase) == wanted and all(w[:1].isupper() or w == "&" for w in words[i:j]) and " " in phrase:
                        return phrase
    return None
