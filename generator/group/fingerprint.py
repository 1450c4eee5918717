"""What the grouping compares: per-article fingerprints, corpus weights, and pairwise scores.

Takes cleaned ``Article`` records; gives a frozen ``Fingerprint`` per article, a ``Vocabulary``
of document frequencies over the whole corpus (a name every article shares, like "OpenAI" in an
OpenAI digest, is weak evidence; "Bloomberg" in two of thirty articles is strong), and
``compare`` for a pair, which answers with the scores and the evidence behind them:

- ``containment``: share of the shorter text's word 5-shingles found in the other (syndication);
- ``words``: TF-IDF cosine of content words (same language: rewrites keep the vocabulary);
- ``names``: IDF-weighted cosine of the language-neutral tokens, names and numbers;
- ``word_alignment`` / ``name_alignment``: a monotone sentence alignment in the spirit of Gale
  and Church — a rewrite or a translation retells the same facts in the same order, where two
  different stories on one topic share names scattered in no order. Each sentence pair scores
  the weighted share of rare tokens they have in common; dynamic programming finds the best
  order-preserving matching; the sum is normalised by the geometric mean of sentence counts.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ..model import Article

WORD = re.compile(r"[^\W_]+(?:[’'-][^\W_]+)*", re.U)
CAPITALISED = re.compile(r"(?<![\w’'-])([A-ZÀ-ÖØ-Þ][\w’'-]*[\w]|[A-Z]{2,}\d*|[A-Z]\w*\d\w*)")
NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?![\d])|(?<![\w.,])\d+(?:[.,]\d+)?")
SENTENCE = re.compile(r"(?<=[.!?…])[\"”»’]?\s+(?=[\"“«]?[A-ZÀ-ÖØ-Þ0-9])|\n+")
SHINGLE = 5
MAX_SENTENCES = 200  # alignment is quadratic in sentences; longer articles are cut for it
# Capitalised words that open sentences in the languages we read; never names on their own.
COMMON_CAPITALS = frozenset("""
a an and as at but by for from he her his i if in into it its no not of on or our she so that the
their then there these they this those to was we what when where which while who why will with you
your after although before during even however many most some such since still yet also according
le la les un une des du de il elle ils elles on nous vous et ou mais si dans pour par sur avec ce
cette ces son sa ses leur leurs quant même selon lorsque alors aussi
el los las unos unas del al y o pero si en para por con este esta estos estas su sus según cuando
der die das ein eine und oder aber wenn im am zum zur mit von für auf bei nach
""".split())
STOPWORDS = COMMON_CAPITALS | frozenset("""
is are be been being has have had do does did said says say would could should may might can
more than about over up out just only very much like one two three other into who whom whose
est sont été être avait avaient fait dit qui que qu plus très tout tous toutes
es son fue ser ha han había que qué más muy todo todos
ist sind war waren hat haben dass nicht auch noch sehr
""".split())


@dataclass(frozen=True)
class Fingerprint:
    language: str
    shingles: frozenset[int]
    words: tuple[tuple[str, int], ...]  # content-word counts, sorted
    neutral: frozenset[str]  # names and numbers: the same in every language
    sentence_words: tuple[frozenset[str], ...]  # per sentence: content words, names, numbers
    sentence_neutral: tuple[frozenset[str], ...]  # per sentence: names and numbers only


@dataclass(frozen=True)
class PairScores:
    same_language: bool
    containment: float
    words: float
    names: float
    word_alignment: float
    name_alignment: float
    shared: tuple[str, ...]  # the rarest shared names and numbers: evidence for `explain`


def fingerprint(article: Article) -> Fingerprint:
    text = "\n".join(b.text for b in article.blocks if b.kind != "link")
    tokens = [fold(w) for w in WORD.findall(text)]
    sentences = [s for s in SENTENCE.split(text) if s and s.strip()][:MAX_SENTENCES]
    neutral_by_sentence = tuple(frozenset(names(s) | numbers(s)) for s in sentences)
    return Fingerprint(
        language=article.language,
        shingles=frozenset(_stable_hash(" ".join(tokens[i:i + SHINGLE]))
                           for i in range(max(0, len(tokens) - SHINGLE + 1))),
        words=tuple(sorted(Counter(content_words(text)).items())),
        neutral=frozenset(names(article.title)).union(*neutral_by_sentence),
        sentence_words=tuple(frozenset(content_words(s)) | n for s, n in zip(sentences, neutral_by_sentence)),
        sentence_neutral=neutral_by_sentence,
    )


def fold(text: str) -> str:
    """Lower case without accents, apostrophes unified: "Géorgie’s" and "georgie's" meet."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def content_words(text: str) -> list[str]:
    folded = (fold(w) for w in WORD.findall(text))
    return [w for w in folded if w not in STOPWORDS and len(w) > 2 and not w.isdigit()]


def names(text: str) -> set[str]:
    found = set()
    for match in CAPITALISED.finditer(text or ""):
        folded = fold(match.group(1)).removesuffix("'s")
        if re.match(r"^[ldjnst]'", folded):  # elided articles: "l’OpenAI", "d’Atlanta"
            folded = folded.split("'", 1)[1]
        if folded not in COMMON_CAPITALS and len(folded) >= 2:
            found.add(folded)
    return found


def numbers(text: str) -> set[str]:
    found = set()
    for match in NUMBER.finditer(text):
        digits = re.sub(r"[,.\u00a0\u202f ](?=\d{3}\b)", "", match.group(0)).replace(",", ".")
        if digits not in ("0", "1"):
            found.add("#" + digits)
    return found


def _stable_hash(text: str) -> int:
    # Python's hash() is salted per process; shingles must compare the same in every build.
    import zlib

    return zlib.crc32(text.encode("utf-8"))


class Vocabulary:
    """Document frequencies over the corpus, for inverse-document-frequency weights."""

    def __init__(self, prints: list[Fingerprint]):
        self.size = len(prints)
        self.words = Counter(t for p in prints for t, _ in p.words)
        self.neutral = Counter(t for p in prints for t in p.neutral)
        # Every pair asks for the same tokens' weights again: work each out once per build.
        self._idf: dict[str, float] = {}
        self._word_idf: dict[str, float] = {}

    def idf(self, token: str) -> float:
        weight = self._idf.get(token)
        if weight is None:
            df = self.neutral.get(token) or self.words.get(token, 0)
            weight = self._idf[token] = math.log((self.size + 1) / (df + 0.5))
        return weight

    def word_idf(self, token: str) -> float:
        weight = self._word_idf.get(token)
        if weight is None:
            weight = self._word_idf[token] = math.log((self.size + 1) / (self.words.get(token, 0) + 0.5))
        return weight


def compare(a: Fingerprint, b: Fingerprint, vocab: Vocabulary) -> PairScores:
    same = a.language == b.language
    shared = sorted(a.neutral & b.neutral, key=lambda t: (-vocab.idf(t), t))
    return PairScores(
        same_language=same,
        containment=_containment(a.shingles, b.shingles) if same else 0.0,
        words=_tfidf_cosine(a, b, vocab) if same else 0.0,
        names=_weighted_cosine(a.neutral, b.neutral, vocab),
        word_alignment=_alignment(a.sentence_words, b.sentence_words, vocab) if same else 0.0,
        name_alignment=0.0 if same else _alignment(a.sentence_neutral, b.sentence_neutral, vocab),
        shared=tuple(t.lstrip("#") for t in shared[:8]),
    )


def _containment(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _weighted_cosine(a: frozenset[str], b: frozenset[str], vocab: Vocabulary) -> float:
    weight = lambda tokens: sum(vocab.idf(t) ** 2 for t in tokens)  # noqa: E731
    den = math.sqrt(weight(a) * weight(b))
    return weight(a & b) / den if den else 0.0


def _tfidf_cosine(a: Fingerprint, b: Fingerprint, vocab: Vocabulary) -> float:
    va = {t: (1 + math.log(c)) * vocab.word_idf(t) for t, c in a.words}
    vb = {t: (1 + math.log(c)) * vocab.word_idf(t) for t, c in b.words}
    dot = sum(v * vb.get(t, 0.0) for t, v in va.items())
    den = math.sqrt(sum(v * v for v in va.values()) * sum(v * v for v in vb.values()))
    return dot / den if den else 0.0


def _alignment(a: tuple[frozenset, ...], b: tuple[frozenset, ...], vocab: Vocabulary) -> float:
    if not a or not b:
        return 0.0
    wa = [sum(vocab.idf(t) for t in s) for s in a]
    wb = [sum(vocab.idf(t) for t in s) for s in b]
    previous = [0.0] * (len(b) + 1)
    for i, sa in enumerate(a):
        current = [0.0] * (len(b) + 1)
        for j, sb in enumerate(b):
            smaller = min(wa[i], wb[j])
            score = sum(vocab.idf(t) for t in sa & sb) / smaller if smaller and sa & sb else 0.0
            current[j + 1] = max(previous[j + 1], current[j], previous[j] + score)
        previous = current
    return previous[-1] / math.sqrt(len(a) * len(b))
