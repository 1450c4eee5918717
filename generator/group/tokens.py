"""The words of a text as the grouping reads them: folded tokens, names and numbers.

Takes a text (a sentence, a headline); gives its tokens folded so that spellings meet ("Géorgie’s"
and "georgie's"), its names (capitalised words that are not a language's sentence openers) and
its numbers written one way ("1,200" and "1 200" are "#1200"), each interned: a corpus keeps them
by the hundred thousand, one string each. ``fingerprint.py`` builds its sentences from these.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

WORD = re.compile(r"[^\W_]+(?:[’'-][^\W_]+)*", re.U)
CAPITALISED = re.compile(r"(?<![\w’'-])([A-ZÀ-ÖØ-Þ][\w’'-]*[\w]|[A-Z]{2,}\d*|[A-Z]\w*\d\w*)")
NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?![\d])|(?<![\w.,])\d+(?:[.,]\d+)?")
DIGITS = re.compile(r"\d+")
ELIDED = re.compile(r"^[ldjnst]'")
GROUPING = re.compile(r"[,.\u00a0\u202f ](?=\d{3}\b)")
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


@lru_cache(maxsize=1 << 17)  # called once per word of every article: words repeat
def fold(text: str) -> str:
    """Lower case without accents, apostrophes unified: "Géorgie’s" and "georgie's" meet."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 17)
def word_token(word: str) -> tuple[str, str, bool]:
    """A word as a sentence's evidence reads it: folded, blanked in the line's shape (a name is
    "X", digits "0"), and whether it is a content word (``content_words``)."""
    token = sys.intern(fold(word))  # tokens are kept by the hundred thousand: one string each
    blanked = "X" if word[0].isupper() else DIGITS.sub("0", token)
    return token, blanked, is_content(token)


def is_content(token: str) -> bool:
    return token not in STOPWORDS and len(token) > 2 and not token.isdigit()


def content_words(text: str) -> list[str]:
    return [w for w in map(fold, WORD.findall(text)) if is_content(w)]


def names(text: str) -> set[str]:
    return names_after(text or "", len(text or ""))[0]


def names_after(text: str, after: int) -> tuple[set[str], set[str]]:
    """The names in ``text``, and those starting at or after ``after``."""
    found, later = set(), set()
    for match in CAPITALISED.finditer(text):
        name = _name(match.group(1))
        if name is not None:
            found.add(name)
            if match.start() >= after:
                later.add(name)
    return found, later


@lru_cache(maxsize=1 << 16)
def _name(written: str) -> str | None:
    folded = fold(written).removesuffix("'s")
    if ELIDED.match(folded):  # elided articles: "l’OpenAI", "d’Atlanta"
        folded = folded.split("'", 1)[1]
    return sys.intern(folded) if folded not in COMMON_CAPITALS and len(folded) >= 2 else None


def numbers(text: str) -> set[str]:
    found = {_number(match.group(0)) for match in NUMBER.finditer(text)}
    found.discard(None)
    return found


@lru_cache(maxsize=1 << 16)
def _number(written: str) -> str | None:
    digits = GROUPING.sub("", written).replace(",", ".")
    return None if digits in ("0", "1") else sys.intern("#" + digits)
