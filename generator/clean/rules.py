"""Load the cleaning rules kept as data (``generator/data/*.toml``) and compile them once.

Gives ``Rules``: the boilerplate categories, tail markers, inline injection markers, notices,
byline, bio and publisher forms. Matching helpers strip leading symbols and emphasis first, so
"📲 **Síguenos en WhatsApp**" and "Síguenos en WhatsApp" meet the same rule.
"""
from __future__ import annotations

import re
import tomllib
from re import _constants as re_constants, _parser as re_parser  # to read a rule's shape
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
NAME = r"[^\W\d_][\w’\x27.-]*(?:\s+[^\W\d_][\w’\x27.-]*){1,3}"
# Several people: joined by a conjunction only, since "Jane Doe, Football Correspondent" is one.
NAMES = rf"{NAME}(?:\s+(?:and|&|et|y|und)\s+{NAME})*"
JOINERS = re.compile(r"\s+(and|&|et|y|und)\s+")
PARTICLES = {"de", "van", "von", "da", "del", "la", "le", "di", "du", "bin", "al", "der", "den", "dos", "das"}
LEADING_NOISE = re.compile(r"^[\W_]+", re.U)
CATEGORY_MEMO = 4096  # texts whose boilerplate category is remembered (a few articles' blocks)


# Hashed by identity: there is one (``load_rules``), and memos keyed by it would otherwise hash
# every compiled pattern on each call.
@dataclass(frozen=True, eq=False)
class Rules:
    block: tuple[tuple[str, re.Pattern], ...]  # (category, pattern)
    tail: tuple[re.Pattern, ...]
    inline_markers: tuple[re.Pattern, ...]
    sentence_openers: frozenset[str]
    classes: tuple[re.Pattern, ...]
    self_reference: re.Pattern
    about: tuple[re.Pattern, ...]
    machine_translation: tuple[re.Pattern, ...]
    originally_published: tuple[re.Pattern, ...]
    byline: tuple[re.Pattern, ...]
    not_a_person: frozenset[str]
    bio: tuple[re.Pattern, ...]
    publisher: tuple[re.Pattern, ...]
    not_a_publisher: frozenset[str]
    screen: Screen

    def __post_init__(self) -> None:
        # One block is asked about several times (as a feature, as a body paragraph, as a
        # headline candidate): the answer is kept for the last few thousand texts.
        object.__setattr__(self, "_category_of", lru_cache(maxsize=CATEGORY_MEMO)(self._category))

    def boilerplate_category(self, text: str) -> str | None:
        """The boilerplate category a whole block belongs to, or None."""
        return self._category_of(text)

    def _category(self, text: str) -> str | None:
        probe = normalize(text)
        if not self.screen.may_match(probe):
            return None
        for category, pattern in self.block:
            if pattern.search(probe):
                return category
        return None

    def boilerplate_container(self, cls: str) -> bool:
        return bool(cls) and any(p.search(cls) for p in self.classes)

    def starts_tail(self, text: str) -> bool:
        probe = normalize(text)
        return any(p.search(probe) for p in self.tail)


@dataclass(frozen=True)
class Screen:
    """A quick test that no block rule matches, for the common case of a plain paragraph.

    Searching ~110 patterns one by one scans a long paragraph ~40 times (every rule not anchored
    at "^"); the unanchored rules that start at a word boundary are joined into one
    alternation behind a single ``\\b``, which the regex engine tries once per position. The
    rules anchored at the block's start (about 60) are joined too, into one alternation tried at
    the start only. Only a block that passes the screen goes through the ordered rules, which
    name its category.
    """

    anchored: tuple[re.Pattern, ...]
    joined: re.Pattern | None
    others: tuple[re.Pattern, ...]
    at_start: re.Pattern | None = None  # the joinable anchored rules, matched at position 0

    @classmethod
    def of(cls, patterns: tuple[re.Pattern, ...]) -> Screen:
        starting = [p for p in patterns if _joinable(p) and _starts_anchored(p)]
        anchored = tuple(p for p in patterns if p.pattern.startswith("^") and p not in starting)
        joinable = [p for p in patterns if p.pattern.startswith(r"\b") and _joinable(p)]
        others = tuple(p for p in patterns if not p.pattern.startswith("^") and p not in joinable)
        alternatives = "|".join(f"(?:{p.pattern[2:]})" for p in joinable)
        # The characters a match can start with, tried first: at most word starts the engine then
        # stops before trying any of the ~40 rules (it finds no such set behind a "\b" itself).
        ahead = first_chars_ahead(alternatives, re.I) if joinable else ""
        joined = re.compile(r"\b" + ahead + "(?:" + alternatives + ")", re.I) if joinable else None
        # Each whole rule keeps its own "^": ``match`` tries the alternation at position 0 only,
        # where a search of a rule that opens with "^" (and no top-level "|") can match at all.
        at_start = re.compile("|".join(f"(?:{p.pattern})" for p in starting), re.I) if starting else None
        return cls(anchored, joined, others, at_start)

    def may_match(self, probe: str) -> bool:
        return (bool(self.at_start and self.at_start.match(probe)) or any(p.search(probe) for p in self.anchored)
                or bool(self.joined and self.joined.search(probe)) or any(p.search(probe) for p in self.others))


def _joinable(pattern: re.Pattern) -> bool:
    """Joined patterns share one group numbering and one set of flags: a rule that refers to its
    own groups, or has flags of its own, stays apart."""
    return (not pattern.groupindex and not re.search(r"\\[1-9]", pattern.pattern)
            and pattern.flags == re.compile("", re.I).flags)


def first_chars_ahead(pattern: str, flags: int) -> str:
    """A lookahead for the characters a match of ``pattern`` can start with ("" when that cannot
    be told): put before an alternation, it lets the engine pass over every other position at
    once instead of trying each branch there. It matches nothing itself, so matches are the same."""
    starts = _first_chars(re_parser.parse(pattern, flags).data)
    return "(?=[" + "".join(re.escape(c) for c in sorted(starts)) + "])" if starts else ""


def _first_chars(items) -> set[str] | None:
    """The characters a match of the parsed pattern can start with (as written: the lookahead
    they go in is case-insensitive too), or None when that cannot be told (a class like ``\\w``,
    a repeat, an assertion at the start)."""
    found: set[str] = set()
    for op, av in items:
        if op is re_constants.LITERAL:
            return found | {chr(av)}
        if op is re_constants.IN:
            for kind, value in av:
                if kind is re_constants.LITERAL:
                    found.add(chr(value))
                elif kind is re_constants.RANGE and value[1] - value[0] < 64:
                    found |= {chr(c) for c in range(value[0], value[1] + 1)}
                else:
                    return None
            return found
        if op is re_constants.BRANCH:
            for branch in av[1]:
                inner = _first_chars(branch.data)
                if inner is None:
                    return None
                found |= inner
            return found
        if op is re_constants.SUBPATTERN:
            inner = _first_chars(av[3].data)
            if inner is None:
                return None
            found |= inner
            if av[3].getwidth()[0] > 0:
                return found
            continue  # it may match nothing: what follows may start the match too
        return None
    return None


def _starts_anchored(pattern: re.Pattern) -> bool:
    """The rule can only match at the start: its first item is "^" (no top-level alternation)."""
    try:
        items = re_parser.parse(pattern.pattern, pattern.flags)
    except re.error:
        return False
    return bool(len(items)) and items[0] == (re_constants.AT, re_constants.AT_BEGINNING)


def normalize(text: str) -> str:
    """Text as rules see it: no leading symbols or emphasis marks, single spaces inside."""
    text = text.replace("**", "").replace("__", "").strip()
    text = LEADING_NOISE.sub("", text) if not text.startswith("©") else text
    return re.sub(r"[ \t]{2,}", "  ", text).strip(" *_")


def _compile(patterns: list[str], flags: int = re.I) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p.replace("NAMES", NAMES).replace("NAME", NAME), flags) for p in patterns)


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    boiler = tomllib.loads((DATA / "boilerplate.toml").read_text(encoding="utf-8"))
    meta = tomllib.loads((DATA / "metadata.toml").read_text(encoding="utf-8"))
    block = tuple((category, pattern) for category, patterns in boiler["block"].items()
                  for pattern in _compile(patterns))
    return Rules(
        block=block,
        tail=_compile(boiler["tail"]["patterns"]),
        inline_markers=_compile(boiler["inline"]["markers"]),
        sentence_openers=frozenset(boiler["inline"]["sentence_openers"]),
        classes=_compile(boiler["classes"]["patterns"]),
        self_reference=re.compile(boiler["notice"]["self_reference"], re.I),
        about=_compile(meta["byline"]["about"]),
        machine_translation=_compile(boiler["notice"]["machine_translation"]),
        originally_published=_compile(boiler["notice"]["originally_published"], 0),
        byline=_compile(meta["byline"]["patterns"]),
        not_a_person=frozenset(w.lower() for w in meta["byline"]["not_a_person"]),
        bio=_compile(meta["bio"]["patterns"]),
        publisher=_compile(meta["publisher"]["patterns"], 0),
        not_a_publisher=frozenset(meta["publisher"]["not_a_publisher"]),
        screen=Screen.of(tuple(pattern for _, pattern in block)),
    )


def person_name(candidate: str | None, rules: Rules) -> str | None:
    """A captured name if it looks like a person's (or "A and B" for several people)."""
    if not candidate:
        return None
    parts = JOINERS.split(candidate.strip(" .,;:"))  # names, with the source's own conjunctions
    first = _one_person(parts[0], rules)
    if not first:
        return None
    name = first
    for joiner, part in zip(parts[1::2], parts[2::2]):
        person = _one_person(part, rules)
        if not person:
            break
        name += f" {joiner} {person}"
    return name


def _one_person(candidate: str, rules: Rules) -> str | None:
    """Capitalised words, cut at the first lower-case word, with no desk or team word."""
    if not candidate:
        return None
    words = []
    for word in candidate.strip(" .,;:").split():
        if not (word[:1].isupper() or word.lower() in PARTICLES):
            break  # "Derek Vance on December 11": the name stops at "on"
        words.append(word)
    while words and words[-1].lower() in PARTICLES:
        words.pop()
    if not 2 <= len(words) <= 4:
        return None
    if any(w.lower() in rules.not_a_person for w in words):
        return None
    return " ".join(words)


def outlet_name(candidate: str | None, rules: Rules) -> str | None:
    """A captured outlet name, cut at the first word that is not capitalised."""
    if not candidate:
        return None
    kept = []
    for word in candidate.strip(" .,;:’'").split():
        if not (word[0].isupper() or word[0].isdigit() or word == "&" or (kept and word.lower() in PARTICLES)):
            break
        kept.append(word.strip(".,;:’'"))
    while kept and kept[-1].lower() in PARTICLES | {"&"}:
        kept.pop()
    name = " ".join(kept)
    if not name or name in rules.not_a_publisher or len(name) > 60:
        return None
    return name
