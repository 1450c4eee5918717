"""What counts as evidence that two articles tell one story: lines many articles share (a stock
quote, a byline, a topic's background sentence) or share as a template with other numbers (a
reading-time line, a daily live map) do not; a follow-up that repeats an earlier story's
background paragraph is new news; a retelling weeks away from the other copy is other news.

Articles are built directly from short invented reports (test_group_stories.make)."""
from __future__ import annotations

from generator.group.fingerprint import Vocabulary, compare, fingerprint
from generator.group.stories import find_stories
from generator.model import PartialDate
from test_group_stories import (CHESS, FRENCH, ORIGINAL, PUFFINS, REWRITE, SORA_DEAL, SORA_WALKOUT, groups, make, original,
                                rewrite, story_of)

STOCK_QUOTE = "\u201cThis changes everything for our members,\u201d said Perpetua Vance, a spokeswoman for the Guild."
BACKGROUND = "Coastal towns have spent heavily on tourism since the ferry service was cut a decade ago."
DAY = {n: PartialDate(2024, 5, n) for n in range(1, 32)}

# Different news, each told in three sentences of its own, all sharing the stock lines.
OWN = (
    ("Glenmoor library lent 14,200 books last winter, twice the year before.", "Its new reading room seats 60 and opened in January.", "Librarian Odile Brack credits a mobile van that visits farms."),
    ("A ferry called the Skua ran aground off Penhallow on Friday without injuries.", "Tugs from Falmer refloated it at high tide, six hours later.", "Investigators will inspect the hull in dry dock next week."),
    ("Brightwater bakery won the county pie contest with a leek and cheddar recipe.", "Owner Tamsin Rowe entered the contest for the ninth time.", "The prize is a stall at the autumn fair in Wexcombe."),
    ("The Ardlow bridge will close for repairs from 3 June for eleven weeks.", "Buses will divert through Kilbride, adding twenty minutes.", "Engineers found corroded bolts during a routine survey in March."),
    ("Volunteers planted 3,000 oak saplings on the slopes above Tarrow.", "The trees were grown from acorns gathered at Hensley Park.", "Organiser Wendell Ashby hopes to plant another 5,000 next spring."),
)


def furniture(outlet: str, writer: str, minutes: int) -> tuple[str, str, str]:
    return (f"{minutes} min read.", f"By {writer}, {outlet}.", f"Sign up for the {outlet} newsletter for more stories like this.")


def padded(number: int, own: tuple[str, ...], minutes: int) -> tuple[str, ...]:
    lead, *rest = own
    reading, byline, tail = furniture("The Coastline Courier", "Mina Hollis", minutes)
    return (reading, byline, lead, BACKGROUND, *rest, STOCK_QUOTE, tail)


def stock_corpus():
    return [make(f"news-{n}.txt", padded(n, own, 2 + n), date=DAY[1 + 3 * n]) for n, own in enumerate(OWN)]


def test_stock_lines_shared_by_many_articles_are_not_evidence():
    articles = stock_corpus()
    prints = [fingerprint(a) for a in articles]
    vocab = Vocabulary(prints)
    kept = [s for p in prints for s in vocab.kept(p)]
    assert all(len(vocab.kept(p)) == 3 for p in prints)  # each article's own three lines
    assert {s.exact for s in kept}.isdisjoint({s.exact for s in fingerprint(make("x", (STOCK_QUOTE, BACKGROUND))).sentences})


def test_different_news_sharing_quote_background_and_furniture_stays_apart():
    stories = find_stories(stock_corpus())
    assert len(stories) == len(OWN)


def test_a_syndicated_copy_among_stock_lines_still_joins():
    articles = stock_corpus()
    copy = make("wire-copy.txt", ("Republished with permission.", *padded(1, OWN[1], 4)), date=DAY[20])
    story = story_of(find_stories([*articles, copy]), "wire-copy.txt")
    assert {c.article.source for c in story.copies} == {"news-1.txt", "wire-copy.txt"}


def live_map(day: int, counts: tuple[int, ...]) -> list[str]:
    ports = ("Brackwater", "Osterley", "Fennick", "Carrow Bay", "Leith Point", "Marston")
    return ["This page is updated every morning with the number of ferries sailing from each harbour.",
            *(f"From {port}, {count} ferries sailed today, {count % 7} fewer than the day before."
              for port, count in zip(ports, counts))]


def test_daily_pages_from_one_template_with_other_numbers_stay_apart():
    days = [(3, (12, 40, 7, 19, 33, 5)), (9, (15, 38, 9, 21, 30, 6)), (17, (11, 44, 8, 25, 31, 4)),
            (23, (14, 39, 6, 18, 36, 7))]
    pages = [make(f"ferry-map-{d}.txt", tuple(live_map(d, counts)), date=DAY[d], title=f"Ferry map, {d} May")
             for d, counts in days]
    assert len(find_stories([*pages, make("puffins.txt", PUFFINS)])) == 5


def test_a_follow_up_repeating_an_earlier_background_paragraph_is_its_own_story():
    earlier = make("sauna-opens.txt", ORIGINAL, date=DAY[2])
    # weeks later: a new event, with three of the earlier report's sentences as background
    later = make("sauna-first-month.txt", (
        "Harwick's harbour sauna sold 2,400 tickets in its first month, well above the council's forecast.",
        "Queues on Saturday mornings stretched past the lifeboat station, and the club added two evening sessions.",
        "The parks department said a second changing room would be built before the summer.",
        *ORIGINAL[1:4]), date=DAY[30])
    scores = compare(fingerprint(earlier), fingerprint(later), Vocabulary([fingerprint(earlier), fingerprint(later)]))
    assert scores.containment < 0.5
    stories = find_stories([earlier, later, make("chess.txt", CHESS), make("puffins.txt", PUFFINS)])
    assert story_of(stories, "sauna-opens.txt") is not story_of(stories, "sauna-first-month.txt")


def test_a_rewrite_within_days_joins_but_the_same_retelling_weeks_later_does_not():
    close = find_stories([original(date=DAY[5]), rewrite(date=DAY[8]), make("puffins.txt", PUFFINS)])
    assert frozenset({"harwick-herald.txt", "sauna-roundup.txt"}) in groups(close)
    far = find_stories([original(date=DAY[5]), make("sauna-roundup.txt", REWRITE, date=PartialDate(2024, 9, 1)),
                        make("puffins.txt", PUFFINS)])
    assert frozenset({"harwick-herald.txt"}) in groups(far)


def test_a_copy_dated_only_to_the_month_is_close_to_any_day_in_it():
    stories = find_stories([original(date=DAY[28]), make("sauna-roundup.txt", REWRITE, date=PartialDate(2024, 5)),
                            make("puffins.txt", PUFFINS)])
    assert frozenset({"harwick-herald.txt", "sauna-roundup.txt"}) in groups(stories)


def test_verbatim_copy_republished_months_later_still_joins():
    late = make("archive-copy.txt", ORIGINAL, date=PartialDate(2025, 2, 1))
    stories = find_stories([original(date=DAY[5]), late, make("deal.txt", SORA_DEAL), make("walkout.txt", SORA_WALKOUT)])
    assert frozenset({"harwick-herald.txt", "archive-copy.txt"}) in groups(stories)


def test_bylines_and_datelines_of_many_outlets_are_a_template_not_evidence():
    outlets = [("Kestrel Gazette", "Amos Pell"), ("Daily Marram", "Ruth Okafor"), ("Fenland Echo", "Ivo Sand"),
               ("The Tidings", "Lena Brisk"), ("North Star", "Cal Dunmore")]
    articles = [make(f"news-{n}.txt", (f"By {writer}, {outlet}.", *own), date=DAY[1 + 5 * n])
                for n, ((outlet, writer), own) in enumerate(zip(outlets, OWN))]
    prints = [fingerprint(a) for a in articles]
    vocab = Vocabulary(prints)
    assert all(len(vocab.kept(p)) == len(p.sentences) - 1 for p in prints)
    assert all(not any(s.exact == p.sentences[0].exact for s in vocab.kept(p)) for p in prints)


def test_a_translation_made_weeks_later_still_joins():
    late = make("harwick-fr.txt", FRENCH, language="fr", date=PartialDate(2024, 7, 2))
    stories = find_stories([original(date=DAY[5]), late, make("puffins.txt", PUFFINS), make("chess.txt", CHESS)])
    assert frozenset({"harwick-herald.txt", "harwick-fr.txt"}) in groups(stories)
