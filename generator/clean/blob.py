"""Single-line blobs: cut injected spans, then rebuild sentences and paragraphs.

Takes the blob's text; gives its leading date stamp (if any) and a list of sentences with the
injections removed; ``paragraphs`` groups sentences back into paragraphs. Nothing here changes a
character of the text it keeps: sentences are cut with sentencex, which is non-destructive, and
every edit is a removal of a whole span.

Injections are found by their shape, not their words: a marker ("Learn more:") or a pipe-branded
ad headline ("… | Brand"), running to where the prose visibly restarts — a word followed, with no
punctuation between, by a capitalised sentence opener ("…while you wait Before the launch").
A short label of its own right after a sentence end ("Trending now: …", "À la une | …") marks one
too, but only where the prose is seen to restart: at a capitalised function word of the text's
language (the ``stop-words`` lists), glued to the word before it.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from itertools import islice

from sentencex import segment

from .rules import Rules

STAMP = re.compile(r"^\s*(?:date|published|posted|updated|dated)?\s*:?\s*((?:19|20)\d\d(?:-\d\d){0,2})\b\s*", re.I)
PIPE_AD = re.compile(
    r"(?<=[.!?…”\"’)]\s)([^.!?|\n]{3,160}?[?!)]?)\s\|\s([A-Z][\w&’'-]*(?:\s[a-z][\w’'-]*){0,2})(?=\s+[A-Z0-9“\"])"
)
WORD = re.compile(r"\S+")
SENTENCE_END = re.compile(r"[.!?…:;,”\"’)\]]$")
FUNCTION_WORDS = {
    "to", "of", "in", "by", "with", "from", "at", "on", "for", "and", "or", "the", "a", "an", "said",
    "says", "told", "wrote", "reported", "according", "than", "as", "that", "is", "was", "are", "were",
    "de", "du", "des", "la", "le", "les", "et", "el", "los", "las", "y", "en", "und", "der", "die",
}
NAME_PREFIXES = {"The", "La", "Le", "Les", "El", "Los", "Der", "Die", "Das"}
MAX_INJECTION_WORDS = 24
# A label of one to three words, the first capitalised, right after a sentence end, then ":" or "|".
LABEL = re.compile(r"(?:(?<=[.!?…”\"’)])\s+)([A-ZÀ-ÖØ-Þ][\w’'-]*(?:\s[\w’'-]+){0,2})\s?[:|]\s+(?=[A-Z0-9“\"])")


def is_blob(lines: list[str]) -> bool:
    """A text with almost no line structure: a few lines, one of them a whole article long."""
    longest = max((len(line) for line in lines), default=0)
    return len(lines) <= 3 and longest >= 1200


def leading_stamp(text: str) -> tuple[str | None, str]:
    """A date stamp glued to the blob's start (" date 2024-03 OpenAI…"), and the rest."""
    match = STAMP.match(text)
    if match and match.end() < len(text):
        return match.group(1), text[match.end():]
    return None, text


def cut_injections(text: str, rules: Rules, blob: bool = True) -> str:
    """The text without injected spans; untouched (spacing included) when there is none.

    Pipe-branded ads and unmarked run-ins are looked for in blobs only: in a text with lines,
    "Name | December 10, 2024" is a byline, and injections sit on lines of their own.
    """
    cut = PIPE_AD.sub("", text) if blob else text
    cut = _cut_marked(cut, rules)
    if blob:
        cut = _cut_labelled(cut, rules)
        cut = _cut_run_ins(cut, rules)
    return text if cut == text else re.sub(r"[ \t]{2,}", " ", cut).strip()


def _cut_marked(text: str, rules: Rules) -> str:
    for marker in rules.inline_markers:
        text = _cut_marker(text, marker, rules)
    return text


def _cut_marker(text: str, marker: re.Pattern, rules: Rules) -> str:
    """Every marker with the injection after it, left to right, in one pass over the text.

    The next search starts where the last cut ended: a match across a cut's two sides cannot
    exist, since prose restarts at a sentence opener, which no marker runs on into.
    """
    pieces, pos = [], 0
    while match := marker.search(text, pos):
        pieces.append(text[pos:match.start()])
        pos = _restart(text, match.end(), rules) or len(text)
    pieces.append(text[pos:])
    return "".join(pieces)


def _restart(text: str, start: int, rules: Rules) -> int | None:
    """Where prose restarts after an injection: the start of a run-in sentence opener."""
    words = list(islice(WORD.finditer(text, start), MAX_INJECTION_WORDS + 1))
    for prev, word in zip(words, words[1:]):
        if _is_run_in(prev.group(), word.group(), text, word.end(), rules):
            return word.start()
    return None


def _is_run_in(prev: str, word: str, text: str, word_end: int, rules: Rules) -> bool:
    if SENTENCE_END.search(prev) or prev.lower() in FUNCTION_WORDS:
        return False
    if word.strip("“\"") not in rules.sentence_openers:
        return False
    if word in NAME_PREFIXES:
        following = text[word_end:word_end + 30].split()
        return bool(following) and not following[0][:1].isupper()
    return True


def _cut_labelled(text: str, rules: Rules) -> str:
    """A labelled injection after a sentence end, up to a capitalised function word glued to it:
    "…next. Trending now: Box office slumps Subscribe to our briefing Others were less…" loses the
    middle. With no such restart within ``MAX_INJECTION_WORDS`` the text stays as it is."""
    from .block_features import guess_language, stop_set  # the stop-word lists, loaded once

    stops = stop_set(guess_language(text))
    cuts = []
    for match in LABEL.finditer(text):
        words = list(islice(WORD.finditer(text, match.end()), MAX_INJECTION_WORDS + 1))
        for prev, word in zip(words, words[1:]):
            bare = word.group().strip("“\"")
            if SENTENCE_END.search(prev.group()) or prev.group().lower() in FUNCTION_WORDS or not bare[:1].isupper():
                continue
            if bare in rules.sentence_openers or (bare.casefold() in stops and not bare.isupper()):
                cuts.append((match.start(1), word.start()))
                break
    return _without(text, cuts)


def _cut_run_ins(text: str, rules: Rules) -> str:
    """Unmarked calls to action glued into the text: "…rights holders. Is your bank paying you
    enough? Compare today's top savings rates Then the agencies weighed in." loses the middle.

    A cut runs from the start of the sentence holding the run-in, if that is at most
    ``MAX_INJECTION_WORDS`` words back, so each search looks no further back than that.
    """
    words = list(WORD.finditer(text))
    starts = [w.start() for w in words]
    cuts: list[tuple[int, int]] = []
    for k, (prev, word) in enumerate(zip(words, words[1:])):
        if not _is_run_in(prev.group(), word.group(), text, word.end(), rules):
            continue
        start = _sentence_start_within(text, prev.start(), starts, k + 1, MAX_INJECTION_WORDS)
        if start is not None:
            cuts.append((_absorb_teaser_question(text, start, starts), word.start()))
    return _without(text, cuts)


def _sentence_start_within(text: str, pos: int, starts: list[int], count: int, most: int) -> int | None:
    """The start of the sentence ending at ``pos``, if the ``count`` words before ``pos`` hold at
    most ``most`` of its words; else None. Looks back over those words only."""
    if count <= most:
        found = _last_sentence_end(text, 0, pos)
        return found + 2 if found >= 0 else 0
    furthest = starts[count - most - 1]  # a sentence starting at or before this is too long
    found = _last_sentence_end(text, max(0, furthest - 1), pos)
    return found + 2 if found >= 0 else None


def _last_sentence_end(text: str, low: int, pos: int) -> int:
    """The last ". ", "? " or "! " inside ``text[low:pos]``, or -1."""
    return max(text.rfind(". ", low, pos), text.rfind("? ", low, pos), text.rfind("! ", low, pos))


def _absorb_teaser_question(text: str, start: int, starts: list[int]) -> int:
    """An ad often opens with a short question ("Is your bank paying you enough?")."""
    if start < 2 or text[start - 2] != "?":
        return start
    begin = _sentence_start_within(text, start - 2, starts, bisect_left(starts, start), 10)
    return start if begin is None else begin


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """The text without the given spans (overlapping ones count once), joined in one pass."""
    pieces, pos = [], 0
    for start, end in sorted(spans):
        if start > pos:
            pieces.append(text[pos:start])
        pos = max(pos, end)
    pieces.append(text[pos:])
    return "".join(pieces)


def sentences(text: str, language: str) -> list[str]:
    return [s.strip() for s in segment(language or "en", text) if s.strip()]


def paragraphs(parts: list[str], target: int = 420) -> list[str]:
    """Group sentences into paragraphs of a few sentences, as the source most likely had them.

    A paragraph ends only where a sentence surely ends: the piece closes with a full stop, a
    question or exclamation mark (closing quotes allowed), and the next piece opens like a
    sentence, not in lower case. The segmenter also cuts at a stray full stop inside a sentence
    ("…give people an idea. of what…"); such a piece is carried on into the next one.
    """
    grouped: list[str] = []
    current: list[str] = []
    for sentence, following in zip(parts, [*parts[1:], None]):
        current.append(sentence)
        full = sum(len(s) for s in current) >= target and len(current) >= 2
        if full and (following is None or sentence_boundary(sentence, following)):
            grouped.append(" ".join(current))
            current = []
    if current:
        if grouped and sum(len(s) for s in current) < target / 3:
            grouped[-1] = grouped[-1] + " " + " ".join(current)
        else:
            grouped.append(" ".join(current))
    return grouped


ENDS_SENTENCE = re.compile(r"[.!?…。！？][”“\"’»)\]]*$")
OPENER = re.compile(r"[\W_]*(\w)", re.U)


def sentence_boundary(before: str, after: str) -> bool:
    """Whether a sentence ends between two pieces: an end mark, then an opener that is not in
    lower case (a capital, a digit, or a script without case such as Japanese or Arabic)."""
    if not ENDS_SENTENCE.search(before.rstrip()):
        return False
    opener = OPENER.match(after)
    return opener is None or not opener.group(1).islower()
