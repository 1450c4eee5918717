"""Invented on-topic articles for tests that need many seeds: deterministic, and no real text.

``write_articles(folder, count)`` writes ``count`` plain-text seed files, each a distinct story
about Sora and a film studio (so the default config publishes it): a headline, a byline with a
date, and a few paragraphs built from invented names, places and figures. The same count always
gives the same bytes.
"""
from __future__ import annotations

import random
from pathlib import Path

SYLLABLES = ("vel", "mor", "ka", "tri", "sol", "an", "dre", "qui", "lo", "ba", "ren", "ith", "zu",
             "po", "mar", "en", "tal", "ov", "sen", "dri", "ul", "ca", "nor", "fi", "gra", "hel")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
OPENERS = (
    "{studio} said on {day} that it would test Sora on {count} scenes of its next feature, {film}.",
    "Executives at {studio} met {person} in {city} to discuss how Sora could change their studio.",
    "The studio {studio} has spent {money} million on a pilot that pairs its animators with Sora.",
)
MIDDLES = (
    "According to {person}, the {role} at {studio}, the first tests took {count} days and cost far less than a location shoot in {city}.",
    "{person} told reporters in {city} that the filmmakers on {film} had asked for clear rules before any footage reached the screen.",
    "The union representing actors in {city} warned that {count} jobs could be at stake if studios replaced background shoots with generated clips.",
    "A spokesperson for {studio} declined to say whether the {money} million budget included payments to the performers whose likeness was used.",
    "Critics who saw early footage of {film} said the generated scenes of {city} looked convincing but lacked the texture of a real set.",
    "{person} added that the studio would publish a list of every shot made with Sora once {film} is released in {month}.",
)
CLOSERS = (
    "Neither {studio} nor OpenAI would comment on when {film} reaches cinemas, and {person} said more tests are planned for {month}.",
    "For now, {studio} says {film} remains a traditional production, with Sora used only for {count} previsualisation shots.",
)


def _word(rnd: random.Random, parts: int) -> str:
    return "".join(rnd.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _slots(rnd: random.Random) -> dict[str, str]:
    return {
        "studio": f"{_word(rnd, 3)} Pictures",
        "person": f"{_word(rnd, 2)} {_word(rnd, 3)}",
        "film": f"The {_word(rnd, 3)} {_word(rnd, 2)}",
        "city": _word(rnd, 3),
        "role": rnd.choice(("head of production", "chief technologist", "head of visual effects")),
        "count": str(rnd.randint(12, 980)),
        "money": str(rnd.randint(2, 240)),
        "day": f"{rnd.choice(MONTHS)} {rnd.randint(1, 28)}",
        "month": rnd.choice(MONTHS),
    }


def article_text(number: int) -> str:
    """One invented article, distinct from every other number's."""
    rnd = random.Random(number)
    slots = _slots(rnd)
    title = f"{slots['studio']} tests Sora on {slots['film']}"
    byline = f"By {slots['person']} | {rnd.choice(MONTHS)} {rnd.randint(1, 28)}, 2024"
    middles = rnd.sample(MIDDLES, 4)
    paragraphs = [
        rnd.choice(OPENERS) + " " + middles[0],
        middles[1] + " " + middles[2],
        middles[3] + " " + rnd.choice(CLOSERS),
    ]
    return "\n\n".join([title, byline, *(p.format(**slots) for p in paragraphs)]) + "\n"


def write_articles(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"invented-{number:04d}.txt"
        path.write_text(article_text(number), encoding="utf-8")
        paths.append(path)
    return paths
