"""A synthetic digest project of N raw articles, for the benchmarks.

Takes N, a folder and a seed; writes ``<folder>/digest.toml``, ``content/`` and ``seeds/`` with N
files in the forms the generator reads: WordPress REST JSON, scraped pages kept as text with
their boilerplate (navigation, ads, share bars, author bios), single-line blobs with a date
stamp and an injected "Learn more:" span, plain translated text with a machine-translation
notice, Markdown with front matter and a few HTML pages. Stories come as an original plus
syndicated copies, English rewrites and translations; about a tenth are off-topic. The same
N and seed always give the same bytes.

    python benchmarks/corpus.py 1000 /tmp/digest-1k
"""
from __future__ import annotations

import argparse
import html
import json
import random
from pathlib import Path

from corpus_text import OUTLETS, TOPICS, fact_order, headline, story_facts, tell

NAV = ("Home | News | Business | Science | Opinion", "Skip to content", "Advertisement",
       "Sign up for our newsletter", "Share on Facebook", "Read Time: 3 Minute")
TAIL = ("Share this article", "Related: More stories from our newsroom", "12 comments")


def write_corpus(n: int, folder: Path, seed: int = 7) -> list[Path]:
    """Write the project; gives the seed files written, in name order."""
    rng = random.Random(seed)
    seeds = folder / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    _write_config(folder)
    written: list[Path] = []
    story = 0
    while len(written) < n:
        for name, data in _story_files(rng, story):
            if len(written) == n:
                break
            path = seeds / name
            path.write_bytes(data)
            written.append(path)
        story += 1
    return sorted(written)


def _story_files(rng: random.Random, number: int) -> list[tuple[str, bytes]]:
    """One story's copies as (file name, bytes): the original first, then its other copies."""
    topic = None if rng.random() < 0.1 else rng.choice(list(TOPICS))
    slots = story_facts(rng, topic or "harbor-robots")
    facts = fact_order(rng)
    date = (rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28))
    outlets = rng.sample(OUTLETS, 4)
    copies = [("en", outlets[0], "original")]
    if topic:
        copies += [("en", outlets[1], "syndicated")] * (rng.random() < 0.3)
        copies += [("en2", outlets[2], "rewrite")] * (rng.random() < 0.4)
        copies += [(rng.choice(("fr", "es", "de")), outlets[3], "translation")] * (rng.random() < 0.15)
    files = []
    for index, (phrasing, outlet, relation) in enumerate(copies):
        sentences = tell(facts, slots, topic, phrasing, random.Random(f"{number}-{phrasing}"))
        title = headline(slots, topic, phrasing)
        form = _form(rng, phrasing, relation)
        text = _FORMS[form](rng, title, sentences, outlet, date, {**slots, "phrasing": phrasing}, relation)
        files.append((f"{number:05d}-{index}-{form}.{_EXT[form]}", text.encode("utf-8")))
    return files


_EXT = {"wordpress": "json", "scrape": "txt", "blob": "txt", "translated": "txt", "markdown": "md", "html": "html"}


def _form(rng: random.Random, phrasing: str, relation: str) -> str:
    if phrasing in ("fr", "es", "de"):
        return rng.choice(("translated", "translated", "wordpress", "blob"))
    roll = rng.random()
    return ("wordpress" if roll < 0.35 else "scrape" if roll < 0.65 else "blob" if roll < 0.82
            else "markdown" if roll < 0.93 else "html")


def _paragraphs(sentences: list[str], rng: random.Random) -> list[str]:
    out, current = [], []
    for sentence in sentences:
        current.append(sentence)
        if len(current) >= 2 and rng.random() < 0.5:
            out.append(" ".join(current))
            current = []
    return out + ([" ".join(current)] if current else [])


def _byline(slots: dict) -> str:
    return f"{slots['critic'].split()[0]} {slots['city3']}"


def _notice(outlet: str, relation: str) -> list[str]:
    return [f"This article was originally published on {outlet} and is republished with permission."] \
        if relation == "syndicated" else []


def _wordpress(rng, title, sentences, outlet, date, slots, relation) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in _paragraphs(sentences, rng) + _notice(outlet, relation))
    slug = "-".join(title.lower().split()[:8])
    return json.dumps({
        "id": rng.randint(1000, 999999), "date": "%04d-%02d-%02dT09:%02d:00" % (*date, rng.randint(0, 59)),
        "link": f"https://{outlet.lower().replace(' ', '').replace('&', '')}.example/{slug}/",
        "title": {"rendered": html.escape(title)}, "content": {"rendered": body},
        "excerpt": {"rendered": f"<p>{html.escape(sentences[0])}</p>"},
        "yoast_head_json": {"og_site_name": outlet, "author": _byline(slots)},
    })


def _scrape(rng, title, sentences, outlet, date, slots, relation) -> str:
    head = [outlet, *rng.sample(NAV, 3), "", title, "", f"By {_byline(slots)}", "%d-%02d-%02d" % date, ""]
    body = [p + "\n" for p in _paragraphs(sentences, rng)]
    bio = f"{_byline(slots)} is a reporter covering technology and cities for {outlet}."
    return "\n".join(head + body + _notice(outlet, relation) + ["", *rng.sample(TAIL, 2), bio]) + "\n"


def _blob(rng, title, sentences, outlet, date, slots, relation) -> str:
    cut = rng.randint(2, len(sentences) - 2)
    injected = f"Learn more: {title.split(',')[0]} and what it means"
    text = " ".join(sentences[:cut] + [injected] + sentences[cut:])
    return " date %d-%02d %s" % (date[0], date[1], text)


def _translated(rng, title, sentences, outlet, date, slots, relation) -> str:
    notice = {"fr": "Cet article a été traduit automatiquement.", "es": "Este artículo fue traducido automáticamente.",
              "de": "Dieser Artikel wurde maschinell übersetzt."}
    return "\n".join([title, *(_paragraphs(sentences, rng)), notice[slots["phrasing"]]]) + "\n"


def _markdown(rng, title, sentences, outlet, date, slots, relation) -> str:
    front = (f"---\ntitle: {json.dumps(title)}\ndate: {'%d-%02d-%02d' % date}\nauthor: {_byline(slots)}\n"
             f"publisher: {json.dumps(outlet)}\n---\n\n")
    return front + "\n\n".join(_paragraphs(sentences, rng) + _notice(outlet, relation)) + "\n"


def _html(rng, title, sentences, outlet, date, slots, relation) -> str:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in _paragraphs(sentences, rng))
    return (f"<!doctype html><html lang=\"en\"><head><title>{html.escape(title)} | {html.escape(outlet)}</title>"
            f"<meta property=\"og:site_name\" content=\"{html.escape(outlet)}\">"
            f"<meta property=\"article:published_time\" content=\"{'%d-%02d-%02d' % date}\">"
            f"<meta name=\"author\" content=\"{_byline(slots)}\"></head><body>"
            f"<nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><article><h1>{html.escape(title)}</h1>"
            f"{paragraphs}</article><aside class=\"newsletter-box\">Sign up for our newsletter</aside>"
            f"<footer>© {date[0]} {html.escape(outlet)}</footer></body></html>\n")


_FORMS = {"wordpress": _wordpress, "scrape": _scrape, "blob": _blob, "translated": _translated,
          "markdown": _markdown, "html": _html}


def _write_config(folder: Path) -> None:
    content = folder / "content"
    (content / "topics").mkdir(parents=True, exist_ok=True)
    (content / "index.md").write_text("A synthetic digest for benchmarks.\n", encoding="utf-8")
    (content / "about.md").write_text("# About\n\nGenerated by benchmarks/corpus.py.\n", encoding="utf-8")
    topics = []
    for slug, topic in TOPICS.items():
        (content / "topics" / f"{slug}.md").write_text(f"Stories about {topic['title'].lower()}.\n", encoding="utf-8")
        topics.append(f'[[topics]]\nslug = "{slug}"\ntitle = "{topic["title"]}"\nintro = "content/topics/{slug}.md"\n\n'
                      f'  [[topics.facets]]\n  name = "companies"\n  terms = {json.dumps([f.lower() for f in topic["firms"]])}\n\n'
                      f'  [[topics.facets]]\n  name = "machines"\n  terms = {json.dumps(topic["terms"])}\n')
    (folder / "digest.toml").write_text(
        '[site]\ntitle = "Benchmark Digest"\nbase_url = "https://bench.example/"\nlanguage = "en"\n'
        'languages = ["en", "fr", "es", "de"]\nintro = "content/index.md"\nabout = "content/about.md"\n\n'
        + "\n".join(topics), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of seed files")
    parser.add_argument("folder", type=Path, help="project folder to create")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    files = write_corpus(args.n, args.folder, args.seed)
    print(f"wrote {len(files)} seed files and digest.toml to {args.folder}")


if __name__ == "__main__":
    main()
