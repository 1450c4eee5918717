"""Large corpora compare only candidate pairs; on the real seeds that finds exactly the same stories."""
from pathlib import Path

import generator.group.candidates as candidates
import generator.group.stories as stories
from generator.seed_file import clean_seeds
from generator.config import load_config
from generator.model import Article, Block, PartialDate

from invented import article_text

ROOT = Path(__file__).resolve().parents[1]


def grouped(articles):
    return [(s.id, [(c.article.key, c.relation) for c in s.copies]) for s in stories.find_stories(articles)]


def test_blocking_finds_the_same_stories_as_comparing_every_pair(monkeypatch):
    articles, _ = clean_seeds(ROOT / "seeds", load_config(ROOT / "digest.toml"))
    exhaustive = grouped(articles)
    monkeypatch.setattr(candidates, "EXACT_PAIRS_UP_TO", 0)  # force blocking on a small corpus
    assert grouped(articles) == exhaustive
    assert any(len(copies) == 3 for _, copies in exhaustive)  # the syndicated/rewrite/translation story


# A wire report many outlets ran word for word, and one outlet's retelling of it in its own words.
WIRE = (
    "The night ferry between Quorrin and Bellaport will stop running on 14 October, the operator Saltmere Lines said on Thursday.",
    "Saltmere blamed a 27 percent rise in fuel costs since spring and said the route lost 4.6 million euros last year.",
    "About 310 crew members work on the two vessels, the Morwenna and the Cape Idrith, which sail six nights a week.",
    "The harbour master of Bellaport, Teodor Vasquin, called the decision a blow to freight hauliers who rely on the crossing.",
    "Saltmere said it would offer the crew jobs on its daytime routes from Quorrin to the island of Ennick.",
    "Passenger numbers on the night service fell to 188,000 in 2023, less than half the figure before the pandemic.",
    "Regional officials in Quorrin said they would ask the transport ministry to subsidise a replacement service.",
    "The last sailing of the Cape Idrith is due to leave Bellaport at 22:40 on 13 October.",
)
RETOLD = (
    "Saltmere Lines is scrapping its overnight crossing from Quorrin to Bellaport, with the final trips set for 13 October.",
    "Fuel has become 27 percent dearer since the spring, the company explained, and the service ran up losses of 4.6 million euros.",
    "Hauliers moving freight stand to suffer most, according to Teodor Vasquin, who runs the port at Bellaport.",
    "Just 188,000 travellers used the overnight boats in 2023, under half of the pre-pandemic total.",
    "The Morwenna and the Cape Idrith employ roughly 310 sailors between them, and the firm has promised them posts on its Ennick day runs.",
    "Leaders in Quorrin want the ministry of transport to pay for another operator to keep the link alive.",
)


def _report(source: str, sentences: tuple[str, ...], outlet: str, day: int, title: str = "") -> Article:
    blocks = (Block("p", f"Filed by the {outlet} desk."),
              *(Block("p", " ".join(sentences[i:i + 2])) for i in range(0, len(sentences), 2)))
    return Article(source=source, item=None, form="text", title=title or sentences[0][:60], title_derived=False,
                   blocks=blocks, summary=sentences[0], date=PartialDate(2025, 10, day), author=None,
                   publisher=outlet, url=None, language="en")


def test_a_retelling_of_a_report_thirty_outlets_ran_joins_it():
    """Its rare names are held by thirty-one articles, but by only two stories: they still point,
    and are the event's evidence though its headline is in other words than the report's."""
    noise = [_report(f"other-{n:03d}.txt", tuple(s for s in article_text(n).split("\n\n")[2:] for s in s.split(". ")),
                     f"Noise {n % 9}", 1 + n % 20) for n in range(150)]
    copies = [_report(f"wire-{n:02d}.txt", WIRE, f"Outlet {n}", 9 + n % 3, "Saltmere Lines to end the Quorrin night ferry")
              for n in range(30)]
    retold = _report("retold.txt", RETOLD, "The Coastal Courier", 10, "No more sleeper sailings for the coast")
    found = stories.find_stories([*noise, *copies, retold])
    story = next(s for s in found if any(c.article.source == "retold.txt" for c in s.copies))
    assert {c.article.source for c in story.copies} == {a.source for a in [*copies, retold]}
    assert len(found) == len(noise) + 1
