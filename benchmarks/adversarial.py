"""An adversarial corpus for story grouping: cleaned ``Article`` records with gold story labels.

Takes N and a seed; gives ``Corpus(articles, gold)`` where ``gold`` maps each article's key to its
story number. The same N and seed always give the same articles. Built to make a grouping chain
or merge what it must not:

- thousands of *different* stories per topic share one of a few background sentences, and
  draw a quote from a small pool that outlets repeat for months;
- every outlet adds its furniture: a reading-time line, a byline from its few staff writers, a
  dateline in the first paragraph and a newsletter line at the end;
- follow-up stories repeat an earlier story's background paragraph verbatim, yet are new news;
- a templated recurring page (a daily "live map") keeps its template and changes its numbers;

and to make it miss what it must find: syndicated copies (a lead-in, another outlet's
furniture; now and then a wire story that 20 to 60 outlets run), rewrites (the same facts in other words and clause order) and translations (French,
Spanish, German). About 95% of files are their own story, as in a real digest.
With ``--angles``, some stories are also retold from another angle: the same facts in other
words, the events in another order and some left out, under another headline (the default
corpus stays byte for byte what it was).

    python benchmarks/adversarial.py 1000      # prints the corpus's shape as JSON
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus_text import FIRST, MONTHS, TOPICS, fact_order, headline, invented, story_facts, tell  # noqa: E402

from generator.model import Article, Block, PartialDate  # noqa: E402

BACKGROUND = {  # one of these is told by almost every story of its topic
    "harbor-robots": (
        "Ports around the world have been experimenting with underwater drones to inspect hulls and quay walls since the late 2010s.",
        "Industry groups estimate that inspection divers still carry out most hull surveys in European harbours.",
        "Insurers have pushed operators to document the state of submerged infrastructure more often.",
    ),
    "sky-farms": (
        "Rooftop farms have spread across dense cities as growers look for space close to their customers.",
        "Most rooftop farms still depend on grants from city governments to cover their construction costs.",
        "Growers say the short distance to shops lets them pick vegetables riper than field farms can.",
    ),
}
QUOTES = tuple(  # a small pool of stock quotes, repeated by many unrelated stories
    f"\u201c{line}\u201d {verb} {first} {invented(random.Random(n), 3)}, {role}."
    for n, (line, verb, first, role) in enumerate([
        ("This is the direction the whole sector is moving in", "said", "Ilse", "an industry analyst"),
        ("Nobody wants to be the last port without one", "said", "Tomas", "a harbour consultant"),
        ("The technology is ready, the regulation is not", "said", "Priya", "a policy researcher"),
        ("Cities need food grown closer to home", "said", "Kwame", "an urban planner"),
        ("We will see many more of these in the next five years", "said", "Hanne", "a venture investor"),
        ("Costs have fallen faster than anyone expected", "noted", "Lucio", "a market analyst"),
        ("Safety has to come before speed", "warned", "Yara", "a union official"),
        ("It is still early days for this kind of project", "said", "Anselm", "a university lecturer"),
    ]))
CITIES = ("Ostrava Bay", "Kellmouth", "Varnholm", "Lisport", "Trennick", "Saldor", "Brevik", "Marlow Quay")


@dataclass(frozen=True)
class Outlet:
    name: str
    writers: tuple[str, ...]
    minutes_word: str  # "min read", "minute read", ...


@dataclass(frozen=True)
class Corpus:
    articles: tuple[Article, ...]
    gold: dict  # article key -> story number


def outlets(rng: random.Random, count: int = 16) -> list[Outlet]:
    words = ("min read", "minute read", "minutes to read", "Reading time: {} min")
    return [Outlet(f"The {invented(rng, 2)} {rng.choice(('Post', 'Ledger', 'Times', 'Wire', 'Review', 'Herald'))}",
                   tuple(f"{rng.choice(FIRST)} {invented(rng, 2)}" for _ in range(rng.randint(2, 5))),
                   rng.choice(words)) for _ in range(count)]


def generate(n: int, seed: int = 12, years: tuple[int, int] = (2019, 2025), angles: bool = False) -> Corpus:
    """N articles dated within ``years``; ``gold`` labels each with its story. A narrow span packs
    different stories on one topic into the same weeks, as a busy digest does."""
    rng = random.Random(seed)
    press = outlets(rng)
    articles: list[Article] = []
    gold: dict = {}
    told: list[list[str]] = []  # each earlier story's sentences, for follow-ups
    story = 0
    while len(articles) < n:
        for article in _story(rng, story, press, told, years, angles):
            if len(articles) < n:
                articles.append(article)
                gold[article.key] = story
        story += 1
    return Corpus(tuple(articles), gold)


def _story(rng: random.Random, number: int, press: list[Outlet], told: list[list[str]],
           years: tuple[int, int], angles: bool = False) -> list[Article]:
    """One story's copies: its first copy, then perhaps a syndicated copy, a rewrite, a translation."""
    roll = rng.random()
    if roll < 0.03:
        return [_live_map(rng, number, rng.choice(press), years)]
    topic = None if rng.random() < 0.1 else rng.choice(list(TOPICS))
    slots = story_facts(rng, topic or "harbor-robots")
    facts = fact_order(rng)
    date = PartialDate(rng.randint(*years), rng.randint(1, 12), rng.randint(1, 28))
    outlet, *others = rng.sample(press, 4)
    sentences = _with_context(rng, tell(facts, slots, topic, "en", random.Random(f"{number}-en")), topic, told)
    first = _article(rng, f"{number:05d}-0.txt", headline(slots, topic, "en"), sentences, outlet, date, "en")
    copies = [first]
    told.append(sentences)
    if topic and rng.random() < 0.06:  # syndicated: a lead-in, the other outlet's furniture, a notice
        lead = [f"This report first appeared in {outlet.name}."] if rng.random() < 0.5 else []
        copies.append(_article(rng, f"{number:05d}-1.txt", first.title, lead + sentences, others[0], date, "en",
                               syndication_notice=bool(lead)))
    if topic and rng.random() < 0.003:  # a wire story many outlets run, some a few days later
        for n in range(rng.randint(20, 60)):
            copies.append(_article(rng, f"{number:05d}-w{n:02d}.txt", first.title, sentences, rng.choice(press),
                                   PartialDate(date.year, date.month, min(28, date.day + rng.randint(0, 3))), "en"))
    if topic and rng.random() < 0.04:  # rewrite: the same facts, other words and clause order
        rewrite = _with_context(rng, tell(facts, slots, topic, "en2", random.Random(f"{number}-en2")), topic, [])
        copies.append(_article(rng, f"{number:05d}-2.txt", headline(slots, topic, "en2"), rewrite, others[1],
                               None if rng.random() < 0.5 else date, "en"))
    if angles and topic and rng.random() < 0.05:
        copies.append(_angle(rng, number, facts, slots, topic, others[1], date))
    if topic and rng.random() < 0.015:
        language = rng.choice(("fr", "es", "de"))
        translated = tell(facts, slots, topic, language, random.Random(f"{number}-{language}"))
        copies.append(_article(rng, f"{number:05d}-3.txt", headline(slots, topic, language), translated,
                               others[2], date, language))
    return copies


def _angle(rng: random.Random, number: int, facts: list, slots: dict, topic: str, outlet: Outlet,
           date: PartialDate) -> Article:
    """The story retold from another angle: its events in another order, a few left out, other
    words, another headline, a day or two later."""
    first, *events = facts
    events = rng.sample(events, max(4, len(events) - rng.randint(1, 3)))
    sentences = _with_context(rng, tell([*events[:2], first, *events[2:]], slots, topic, "en2",
                                        random.Random(f"{number}-angle")), topic, [])
    later = PartialDate(date.year, date.month, min(28, date.day + rng.randint(0, 2)))
    return _article(rng, f"{number:05d}-4.txt", headline(slots, topic, "en2"), sentences, outlet, later, "en")


def _with_context(rng: random.Random, sentences: list[str], topic: str | None, told: list[list[str]]) -> list[str]:
    """The story's own sentences with what many stories share: a background sentence, a stock quote,
    and for a follow-up (one story in twelve) an earlier story's background paragraph, verbatim."""
    sentences = list(sentences)
    if topic:
        sentences.insert(rng.randint(2, len(sentences)), rng.choice(BACKGROUND[topic]))
        sentences.insert(rng.randint(1, len(sentences)), rng.choice(QUOTES))
    if told and rng.random() < 1 / 12:
        earlier = told[rng.randrange(max(0, len(told) - 50), len(told))]
        sentences += earlier[2:5]  # "Background:" paragraph of the earlier report
    return sentences


def _live_map(rng: random.Random, number: int, outlet: Outlet, years: tuple[int, int]) -> Article:
    """A daily "live map" page: one template, the day's numbers."""
    date = PartialDate(rng.randint(*years), rng.randint(1, 12), rng.randint(1, 28))
    day = f"{date.day} {MONTHS['en'][date.month - 1]}"
    lines = [f"Live map: where the underwater drones are working on {day}.",
             f"This page is updated every morning with the number of drones at work in each port we track."]
    lines += [f"In {city}, {rng.randint(2, 400)} drones were in the water, {rng.randint(1, 60)} more than the day before."
              for city in CITIES]
    lines.append(f"Our reporters counted {rng.randint(900, 5000)} drones in total across the ports on the map.")
    return _article(rng, f"{number:05d}-0.txt", f"Live map: underwater drones at work, {day}", lines, outlet, date, "en")


def _article(rng: random.Random, source: str, title: str, sentences: list[str], outlet: Outlet,
             date: PartialDate | None, language: str, **extra) -> Article:
    """The sentences in paragraphs of two or three, wrapped in the outlet's furniture."""
    writer = rng.choice(outlet.writers)
    minutes = rng.randint(2, 9)
    reading = outlet.minutes_word.format(minutes) if "{}" in outlet.minutes_word else f"{minutes} {outlet.minutes_word}"
    dateline = f"{invented(rng, 2).upper()}, {MONTHS['en'][(date.month if date else 1) - 1]} {date.day if date else 1} ({outlet.name}) \u2014 "
    paragraphs, i = [], 0
    while i < len(sentences):
        step = rng.randint(2, 3)
        paragraphs.append(" ".join(sentences[i:i + step]))
        i += step
    paragraphs[0] = dateline + paragraphs[0]
    blocks = (Block("p", reading), Block("p", f"By {writer}, {outlet.name}"),
              *(Block("p", p) for p in paragraphs),
              Block("p", f"Sign up for the {outlet.name} newsletter to get stories like this every morning."))
    return Article(source=source, item=None, form="text", title=title, title_derived=False, blocks=blocks,
                   summary=sentences[0], date=date, author=writer, publisher=outlet.name, url=None,
                   language=language, **extra)


def years_of(text: str) -> tuple[int, int]:
    first, _, last = text.partition("-")
    return int(first), int(last or first)


def corpus_from_command_line(description: str) -> Corpus:
    """The corpus the command line asks for: N articles, --seed, --years."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--years", default="2019-2025", help="span of the dates, e.g. 2024-2024")
    parser.add_argument("--angles", action="store_true", help="also retell some stories from another angle")
    args = parser.parse_args()
    return generate(args.n, args.seed, years_of(args.years), args.angles)


def main() -> None:
    corpus = corpus_from_command_line(__doc__.splitlines()[0])
    sizes: dict = {}
    for story in corpus.gold.values():
        sizes[story] = sizes.get(story, 0) + 1
    print(json.dumps({"articles": len(corpus.articles), "stories": len(sizes),
                      "story_sizes": {k: list(sizes.values()).count(k) for k in sorted(set(sizes.values()))}}))


if __name__ == "__main__":
    main()
