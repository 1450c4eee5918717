"""Describe each block of an article by wording-independent evidence, for the block classifier.

Takes the article's blocks (in reading order), its title and its form; gives one tuple of floats
per block, in the order of ``FEATURES``. Nothing here names a phrase: the evidence is the block's
place in the document, its length (in characters for text written without spaces), its links,
how much of it is the language's function words (the ``stop-words`` package), how it ends, whether
it addresses the reader, prices, percentages and brand-like capitals, how much it shares content
words with the rest of the article, whether it is a table row, and for HTML the class hints
carried on the block (and whether its element sits in page chrome or a link list). The phrase
rules (``rules.py``) enter as one yes/no feature among the others, matched on the whole block or
on the label it opens with (the end-matter markers are the layout's business: ``_tail_start``
already cuts the body there).

One ``DocContext`` is built per article (tokenised once); the per-block work is set look-ups.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..model import Block
from .metadata import link_density
from .rules import Rules

FEATURES = (
    "bias", "position", "first_block", "near_end", "log_units", "tiny", "short", "long",
    "link_density", "stop_density", "ends_sentence", "ends_colon", "ends_bare", "ends_question",
    "exclaims", "second_person", "reader_opening", "outlet_to_reader", "imperative", "short_call", "label_prefix", "shouting", "ends_with_name", "one_word", "same_opening", "price", "percent", "digits", "brand_caps",
    "all_caps", "separators", "url_or_handle", "cohesion", "novel_words", "title_overlap",
    "repeated", "heading", "list_item", "table_row", "quote", "link_block", "class_boilerplate", "class_content",
    "in_chrome", "class_heading",
    "phrase_rule", "sentences", "parenthetical", "neighbour_short",
)
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff66-\uff9f]")
KANA = re.compile(r"[\u3040-\u30ff]")
HANGUL = re.compile(r"[\uac00-\ud7af]")
TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.U)
SENTENCE_END = re.compile(r"[.!?…。！？»”\"’)）」』]$")
SENTENCE_SPLIT = re.compile(r"[.!?。！？](?:\s|$)|[。！？]")
PRICE = re.compile(r"[$€£¥₹₩]\s?\d|\d\s?[$€£¥₹₩]|\b(?:USD|EUR|GBP|CHF|R\$|US\$)\s?\d|\d\s?(?:USD|EUR|GBP|euros?|dollars?)\b",
                   re.I)
# What every match of ``PRICE`` holds (its words case-folded, as its ``re.I`` compares them): a
# text without any is not searched.
PRICE_SIGNS = tuple("$€£¥₹₩")
PRICE_WORDS = ("usd", "eur", "gbp", "chf", "dollar")
PERCENT = re.compile(r"\d\s?%|%\s?\d")
# Brand-like capitals: "iPhone", "ACME", "X2" (not "OpenAI" or "McDonald": news names those often).
# Each branch opens with a word start then an ASCII letter, asked first (the same matches, sooner).
BRAND = re.compile(r"(?<!\w)(?=[A-Za-z])(?:[a-z]+[A-Z]\w*|[A-Z]{2,}[a-z]*\d*\b|[A-Z]\w*\d\w*\b)")
SEPARATOR = re.compile(r"\s[|›»·•/–—-]\s|[|›»·•]")
URL_OR_HANDLE = re.compile(r"https?://|www\.|\b\S+@\S+\.\w+|(?<!\w)@\w{2,}|\.(?:com|org|net)\b", re.I)
URL_NO_AT = re.compile(r"https?://|www\.|\.(?:com|org|net)\b", re.I)  # its branches without "@"
BOILERPLATE_CLASS = re.compile(
    r"(?i)(?:^|[\s_-])(?:ad|ads|advert\w*|promo\w*|related|newsletter|subscri\w*|share|social|sidebar|"
    r"widget|banner|sponsor\w*|outbrain|taboola|recommend\w*|popular|trending|cookie|paywall|signup|"
    r"comment\w*|footer|nav\w*|menu|breadcrumb\w*|tags?|byline|author|meta|caption|credit|rail|disclosure|"
    r"read-more|more)(?:$|[\s_-])")
# What ``html_blocks`` marks a block with when its element sits in page chrome or a link list.
CHROME_MARK = re.compile(r"(?:^|\s)(?:in-(?:aside|footer|nav|form|menu|dialog)|link-dense)(?:$|\s)")
# Headline, standfirst and header containers: the benchmark's bodies (and a digest's) leave them out.
HEADING_CLASS = re.compile(r"(?i)(?:^|[\s_-])(?:title|headline\w*|header|heading|hero|dek|standfirst|"
                           r"sub-?head\w*|kicker|masthead)(?:$|[\s_-])")
CONTENT_CLASS = re.compile(r"(?i)(?:^|[\s_-])(?:article|content|body|entry|post|story|text|main)(?:$|[\s_-])")
# Second-person pronouns and possessives by language: closed grammatical classes, not phrases.
SECOND_PERSON = {
    "en": {"you", "your", "yours", "yourself"},
    "fr": {"vous", "votre", "vos", "tu", "ton", "ta", "tes", "toi"},
    "de": {"sie", "ihr", "ihre", "ihren", "ihrem", "du", "dein", "deine", "dich", "dir", "euch"},
    "es": {"tú", "tu", "tus", "usted", "ustedes", "te", "ti", "vosotros"},
    "it": {"tu", "tuo", "tua", "tuoi", "voi", "vostro", "vostra", "ti", "lei"},
    "pt": {"você", "vocês", "seu", "sua", "teu", "tua", "te", "ti"},
}
FIRST_PLURAL = {
    "en": {"we", "our", "us", "ours"}, "fr": {"nous", "notre", "nos"}, "de": {"wir", "unser", "unsere", "uns", "unseren"},
    "es": {"nosotros", "nuestro", "nuestra", "nuestros", "nuestras", "nos"},
    "it": {"noi", "nostro", "nostra", "nostri", "nostre", "ci"}, "pt": {"nós", "nosso", "nossa", "nossos", "nossas"},
}
HYPHEN_IMPERATIVE = re.compile(r"\b\w+-(?:vous|nous|toi|te|se|lo|la|los|las|le|les|nos)\b", re.I)
# Imperative shapes at a sentence start, by grammar not vocabulary: German "Verb-en Sie", Spanish
# and Italian verbs with an enclitic pronoun ("-te", "-nos", "-ti", "-ci"), a French "-vous".
IMPERATIVE = re.compile(r"(?:^|[.!?]\s+)(?:[A-ZÄÖÜ]\w+en\s+Sie\b|[A-ZÁÉÍÓÚ]\w{3,}(?:te|nos|ti|ci|vous)\b)")
# English has no imperative ending: a bare verb is told by its place, a capitalised first word that is
# no function word, no plural and no past tense, followed by an article, possessive or particle.
BARE_IMPERATIVE = re.compile(r"^[A-Z][a-z]{1,11}(?<![sd])(?<!ly)\s+(?:the|a|an|your|our|this|these|it|up|now|us|more|free|today)\b")
# English words that open a sentence before an article without being verbs: closed classes
# (prepositions, conjunctions, determiners, auxiliaries, pronouns, sentence adverbs).
EN_NOT_VERBS = frozenset("""
in at on for after all by of to from with under over during despite among like both half when once before
what how why where unlike inside outside around across behind beyond until since as if but and or so yet
then because while though although into onto upon about above below near off through throughout toward
towards within without against along amid via per than that this there here now only even just also not
no every each neither either such many much most more some any which who whose whom whether unless thus
hence still later earlier soon today meanwhile otherwise instead perhaps maybe indeed besides is was are
were be been has have had do did does will would can could should may might must shall it he she they
we you his her their our my your one two three last next first new old nor among amongst beneath beside
""".split())
LABEL_PREFIX = re.compile(r"^[^\W\d_][^.!?:|›»·•\n]{0,32}?\s?(?:[:|›»·•]|\s[–—-])\s+\S")
# The lead of a block, up to its first label separator: "Sponsored content · …", "Trending now: …".
LEAD = re.compile(r"^([^.!?:|›»·•\n]{2,40}?)\s?(?:[:|›»·•]|\s[–—])\s+\S")
NAME_END = re.compile(r"(?:\b[A-ZÀ-ÖØ-Þ][\w’'-]+\s){1,3}[A-ZÀ-ÖØ-Þ][\w’'-]+\.?$")
LETTER = re.compile(r"[^\W\d_]")
DIGIT = re.compile(r"\d")
SHOUT = re.compile(r"\b[A-ZÀ-ÖØ-Þ]{3,}\b")
# Cohesion is judged only against an article with a vocabulary of its own; the end of an article
# only in one long enough to have end matter.
MIN_VOCABULARY = 100
CALL_UNITS = 24
MIN_BLOCKS_FOR_END = 10
STOP_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "ru", "id", "tr", "pl", "sv", "da", "nb", "ro",
                  "cs", "hu", "fi", "ca", "ar", "uk", "bg", "el", "he", "fa", "vi")


@dataclass(frozen=True)
class DocContext:
    """What every block of one article is compared with."""

    language: str
    stops: frozenset[str]
    counts: Counter  # content-word stems over the whole article: how often each appears
    title_stems: frozenset[str]
    texts: Counter  # how often each block text appears in the article
    n: int
    text_form: bool
    words: tuple[list[str], ...] = ()  # each block's words (``_words``), tokenised once for both passes
    sizes: tuple[float, ...] = ()  # each block's ``units``, asked for it and for its neighbours
    stems: tuple[frozenset[str], ...] = ()  # each block's ``_stems`` of its ``words``, counted once for both


@lru_cache(maxsize=64)
def stop_set(language: str) -> frozenset[str]:
    from stop_words import StopWordError, get_stop_words  # loaded once per language

    try:
        return frozenset(w.casefold() for w in get_stop_words(language))
    except StopWordError:
        return frozenset()


def spaceless(text: str) -> bool:
    """Text written without spaces between words (Japanese, Chinese): measured in characters."""
    cjk = len(CJK.findall(text))
    return cjk > 0 and cjk >= 0.3 * len(text.replace(" ", ""))


def units(text: str) -> float:
    """Length in words; a CJK character counts as half a word (about two characters a word)."""
    cjk = len(CJK.findall(text))
    if not cjk:
        return float(len(text.split()))
    return cjk / 2 + len(TOKEN.findall(CJK.sub(" ", text)))


def guess_language(text: str) -> str:
    """The language whose function words cover most of the text (by script for CJK)."""
    sample = text[:6000]
    if spaceless(sample):
        return "ja" if KANA.search(sample) else "ko" if HANGUL.search(sample) else "zh"
    found = TOKEN.findall(sample)
    if not found:
        return "en"
    return max(function_word_shares(found))[2]


def function_word_shares(tokens: list[str]) -> list[tuple[float, int, str]]:
    """For each of ``STOP_LANGUAGES``: the share of the tokens that are its function words, minus
    its place in the list (ties go to the earlier language), and its code."""
    # Each distinct word is looked up once, in one index of every language's function words.
    index = _stop_index()
    counts = [0] * len(STOP_LANGUAGES)
    for token, n in Counter(tokens).items():
        for i in index.get(token.casefold(), ()):
            counts[i] += n
    return [(counts[i] / len(tokens), -i, lang) for i, lang in enumerate(STOP_LANGUAGES)]


@lru_cache(maxsize=1)
def _stop_index() -> dict[str, tuple[int, ...]]:
    """Each function word of ``STOP_LANGUAGES``, and the languages (by position) it is one of."""
    index: dict[str, list[int]] = {}
    for i, language in enumerate(STOP_LANGUAGES):
        for word in stop_set(language):
            index.setdefault(word, []).append(i)
    return {word: tuple(languages) for word, languages in index.items()}


def _words(text: str) -> list[str]:
    if spaceless(text):  # character bigrams stand in for words
        chars = [c for c in text if CJK.match(c)]
        return ["".join(p) for p in zip(chars, chars[1:])]
    return [t.casefold() for t in TOKEN.findall(text)]


def _stems(words: list[str], stops: frozenset[str]) -> list[str]:
    # The function words first: most short words are, and they need no CJK test.
    return [w[:6] for w in words if w not in stops and (len(w) > 3 or (len(w) >= 2 and CJK.match(w)))
            and not w.isdigit()]


def context(blocks: list[Block], title: str | None, text_form: bool) -> DocContext:
    everything = "\n".join(b.text for b in blocks)
    language = guess_language(everything)
    stops = stop_set(language)
    counts: Counter = Counter()
    words = tuple(_words(block.text) for block in blocks)
    stems = tuple(frozenset(_stems(found, stops)) for found in words)
    for found in stems:
        counts.update(found)
    return DocContext(language, stops, counts, frozenset(_stems(_words(title or ""), stops)),
                      Counter(b.text for b in blocks), len(blocks), text_form, words,
                      tuple(units(b.text) for b in blocks), stems)


def features(blocks: list[Block], index: int, ctx: DocContext, rules: Rules) -> tuple[float, ...]:
    block = blocks[index]
    text = block.text.strip()
    bare = text.rstrip(" *_")
    # The context tokenised the block already; stripping can only change that when it removed
    # something (the share of CJK characters counts every character but spaces).
    same = bool(ctx.words) and text == block.text
    words = ctx.words[index] if same else _words(text)
    size = ctx.sizes[index] if ctx.sizes else units(text)  # stripping changes no word count
    no_space = spaceless(text)
    if no_space:
        stop = len([c for c in text if c in ctx.stops]) / max(1, len(text))
    else:
        stop = len([w for w in words if w in ctx.stops]) / max(1, len(words))
    stems = ctx.stems[index] if same and ctx.stems else set(_stems(words, ctx.stops))
    shared = len([s for s in stems if ctx.counts[s] >= 2])  # this block plus at least one other
    judged = len(ctx.counts) >= MIN_VOCABULARY
    you = SECOND_PERSON.get(ctx.language, set())
    second = len([w for w in words if w in you]) / max(1, len(words))
    opening = words[:4]
    we = FIRST_PLURAL.get(ctx.language, set())
    capitals = BRAND.findall(text)
    digits = len(DIGIT.findall(text))
    # Every price and percentage holds a digit, every address or handle a "." or "@": the
    # patterns are asked only when the text could match them.
    shouting = text == text.upper()
    neighbours = [ctx.sizes[j] if ctx.sizes else units(blocks[j].text) for j in (index - 1, index + 1) if 0 <= j < len(blocks)]
    cls = block.cls or ""
    imperative = bool(IMPERATIVE.search(text)) or _bare_imperative(text, ctx)
    return (
        1.0,
        index / max(1, ctx.n - 1),
        float(index == 0),
        float(ctx.n >= MIN_BLOCKS_FOR_END and ctx.n - index <= 3),
        math.log1p(size) / 5,
        float(size < 4),
        float(size < 12),
        float(size >= 40),
        link_density(block.html, block.text),
        stop,
        float(bool(SENTENCE_END.search(bare))),
        float(bare.endswith((":", "："))),
        float(bool(bare) and bare[-1].isalnum()),
        float(bare.endswith(("?", "？"))),
        min(1.0, text.count("!") + text.count("！") / 2),
        min(1.0, second * 8),
        float(any(w in you for w in opening) or ("-" in text[:60] and bool(HYPHEN_IMPERATIVE.search(text[:60])))),
        float(second > 0 and any(w in we for w in words)),
        float(imperative),
        # A call to action is short and speaks to the reader; a blog's long paragraphs say "you" too.
        float(size < CALL_UNITS and (second > 0 or imperative)),
        float(bool(LABEL_PREFIX.search(text)) and size < 40),
        min(1.0, len(SHOUT.findall(text)) / max(1.0, size) * 4),
        float(size < 16 and bool(NAME_END.search(bare))),
        float(size <= 2 and not SENTENCE_END.search(bare)),
        _same_opening(blocks, index, words),
        float(bool(digits) and _may_price(text) and bool(PRICE.search(text))),
        float(bool(digits) and "%" in text and bool(PERCENT.search(text))),
        min(1.0, digits / max(1, len(text)) * 5),
        min(1.0, len(capitals) / max(1.0, size) * 3),
        float(shouting and len(LETTER.findall(text)) >= 4),
        0.0 if block.kind == "row" else min(1.0, len(SEPARATOR.findall(text)) / 3),  # a row's are ours
        float(_url_or_handle(text)),
        (shared / len(stems) if stems else 0.0) if judged else 0.5,
        float(judged and len(stems) >= 3 and shared == 0),
        len(stems & ctx.title_stems) / len(stems) if stems else 0.0,
        float(ctx.texts[block.text] >= 2),
        float(block.kind in ("h1", "h2", "h3", "h4")),
        float(block.kind == "li"),
        float(block.kind == "row"),
        float(block.kind == "quote"),
        float(block.kind == "link"),
        float(bool(BOILERPLATE_CLASS.search(cls)) or rules.boilerplate_container(cls)),
        float(bool(CONTENT_CLASS.search(cls))),
        float(bool(CHROME_MARK.search(cls))),
        float(bool(HEADING_CLASS.search(cls))),
        _phrase_rule(text, rules),
        min(1.0, len(SENTENCE_SPLIT.findall(text)) / 4),
        float(bare.startswith(("(", "[", "*", "—", "–")) and bare.endswith((")", "]", "*", "."))),
        float(bool(neighbours) and max(neighbours) < 12),
    )


def _may_price(text: str) -> bool:
    """Whether ``PRICE`` can match: a currency sign or word is in the text."""
    if any(sign in text for sign in PRICE_SIGNS):
        return True
    folded = text.casefold()
    return any(word in folded for word in PRICE_WORDS)


def _url_or_handle(text: str) -> bool:
    """``URL_OR_HANDLE``, whose e-mail and handle branches need an "@" and its other ones a "."
    or ":": without "@" only the cheap branches are tried (an e-mail's ``\\S+@`` is slow)."""
    if "@" in text:
        return bool(URL_OR_HANDLE.search(text))
    return ("." in text or ":" in text) and bool(URL_NO_AT.search(text))


def _bare_imperative(text: str, ctx: DocContext) -> bool:
    match = BARE_IMPERATIVE.match(text)
    return bool(match) and ctx.language == "en" and text.split()[0].casefold() not in EN_NOT_VERBS


def _phrase_rule(text: str, rules: Rules) -> float:
    """A phrase rule knows the block, or the label it opens with: "Sponsored content · …"."""
    if rules.boilerplate_category(text) is not None:
        return 1.0
    lead = LEAD.match(text)
    return float(bool(lead) and rules.boilerplate_category(lead.group(1)) is not None)


def _same_opening(blocks: list[Block], index: int, words: list[str]) -> float:
    """A row of a table or list: the block opens with the same word as a neighbour of its kind."""
    if not words:
        return 0.0
    for j in (index - 1, index + 1):
        if 0 <= j < len(blocks) and blocks[j].kind == blocks[index].kind:
            other = TOKEN.findall(blocks[j].text[:40])
            if other and other[0].casefold() == words[0]:
                return 1.0
    return 0.0
